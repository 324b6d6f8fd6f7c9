package io.mpi4j.rdma;

/**
 * Book-keeping of one queue pair's send queue, whose work requests are mostly unsignaled: a reliable connection
 * completes work requests in order, so the completion of a signaled one retires every request posted before it.
 * A request is signaled every {@code signalInterval} posts, and always when it takes the last free entry, so a full
 * queue always has a completion on the way and can never wait forever.
 * <p>
 * Sequences are longs counted from 0; work request ids carry their low 32 bits, from which
 * {@link #onCompleted(int)} rebuilds the full value (at most {@code depth} requests are ever outstanding).
 */
final class SendQueue
{
    private final int depth;
    private final int signalInterval;
    private long posted;
    private long completed;
    private long lastSignaled = -1;

    SendQueue(final int depth, final int signalInterval)
    {
        if (depth < 1 || signalInterval < 1)
        {
            throw new IllegalArgumentException("depth " + depth + ", signal interval " + signalInterval);
        }
        this.depth = depth;
        this.signalInterval = Math.min(signalInterval, depth);
    }

    int depth()
    {
        return depth;
    }

    /** Whether one more request fits. */
    boolean hasRoom()
    {
        return posted - completed < depth;
    }

    /** Sequence the next post gets; with {@link #depth()} it names a ring slot. */
    long nextSequence()
    {
        return posted;
    }

    /** Whether the next post must be signaled (the caller may signal anyway, e.g. a read, and says so in {@link #onPosted}). */
    boolean shouldSignalNext()
    {
        return posted - lastSignaled >= signalInterval || posted + 1 - completed >= depth;
    }

    /** Record a post of sequence {@link #nextSequence()}. */
    void onPosted(final boolean signaled)
    {
        if (signaled)
        {
            lastSignaled = posted;
        }
        posted++;
    }

    /** A signaled request completed (successfully or not): it and everything before it are done. */
    void onCompleted(final int sequenceLow)
    {
        final long sequence = completed + ((sequenceLow - (int)completed) & 0xFFFF_FFFFL);
        if (sequence < posted && sequence + 1 > completed)
        {
            completed = sequence + 1;
        }
    }

    /** Everything posted has completed. */
    boolean isDrained()
    {
        return completed == posted;
    }

    /** Whether the last post was unsignaled, so nothing would report that the queue drained. */
    boolean hasUnsignaledTail()
    {
        return lastSignaled != posted - 1 && posted != completed;
    }

    /** Test hook: an idle queue whose next sequence is {@code sequence}. */
    void restartAt(final long sequence)
    {
        posted = sequence;
        completed = sequence;
        lastSignaled = sequence - 1;
    }

    long posted()
    {
        return posted;
    }

    long completed()
    {
        return completed;
    }
}
