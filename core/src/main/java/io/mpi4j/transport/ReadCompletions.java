package io.mpi4j.transport;

import java.util.Arrays;

/**
 * Finished {@link RemoteMemory#read reads} waiting to be reported: a transport queues a read here when it finishes
 * outside {@link Transport#poll} (a copy done inside {@code read} itself, a failure known before anything was sent,
 * a connection torn down under a read) and {@link #deliver delivers} the queue from its next poll, because
 * {@link RemoteMemory#read} promises completion through {@link FrameHandler#onReadComplete} from a poll only.
 * <p>
 * Each entry is a cookie and a failure ({@code null} for a read that succeeded), kept in the order queued. Cookies
 * are kept in a {@code long[]} so that queueing a read boxes nothing; the arrays grow by doubling and are reused,
 * so once grown to the most reads finished between two polls, neither queueing nor delivering allocates.
 * <p>
 * Threading: one caller at a time, the transport's poller.
 */
public final class ReadCompletions
{
    private static final int INITIAL_CAPACITY = 8;

    private long[] cookies = new long[INITIAL_CAPACITY];
    private String[] failures = new String[INITIAL_CAPACITY];
    private int size;

    /**
     * Queue a finished read for the next {@link #deliver}.
     *
     * @param cookie  the cookie the read was started with.
     * @param failure why the data could not be read, or {@code null} when it was read.
     */
    public void add(final long cookie, final String failure)
    {
        if (size == cookies.length)
        {
            cookies = Arrays.copyOf(cookies, 2 * size);
            failures = Arrays.copyOf(failures, 2 * size);
        }
        cookies[size] = cookie;
        failures[size] = failure;
        size++;
    }

    /** Reads queued and not yet delivered. */
    public int size()
    {
        return size;
    }

    /** True when no read waits to be delivered. */
    public boolean isEmpty()
    {
        return 0 == size;
    }

    /**
     * Report every read queued before this call to {@code handler}, in the order queued, and forget them. Reads the
     * handler queues from inside {@link FrameHandler#onReadComplete} (it may start further reads that finish at once)
     * wait for the next call, so that one delivery ends even if every completion starts another read.
     * <p>
     * A read is forgotten once handed to the handler: if the handler throws, the reads it already had, the one it
     * threw on included, are not reported again, and the rest stay queued for the next call.
     *
     * @return how many reads were reported.
     */
    public int deliver(final FrameHandler handler)
    {
        final int batch = size;
        int delivered = 0;
        try
        {
            while (delivered < batch)
            {
                // Fields, not locals: a read queued by the handler may have grown the arrays meanwhile.
                final long cookie = cookies[delivered];
                final String failure = failures[delivered];
                failures[delivered] = null;
                delivered++;
                handler.onReadComplete(cookie, failure);
            }
        }
        finally
        {
            removeFirst(delivered);
        }
        return batch;
    }

    private void removeFirst(final int count)
    {
        if (count > 0)
        {
            final int remaining = size - count;
            System.arraycopy(cookies, count, cookies, 0, remaining);
            System.arraycopy(failures, count, failures, 0, remaining);
            // The slots vacated at the end would otherwise keep failure messages reachable.
            Arrays.fill(failures, remaining, size, null);
            size = remaining;
        }
    }
}
