package io.mpi4j.rma;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The passive-target locks ({@code MPI_Win_lock}, {@code MPI_Win_lock_all}) of a window whose memory every member
 * maps: one 64-bit word per target in the shared segment's control part, each on its own cache line, that every
 * origin changes with compare-and-set, so taking and releasing a lock needs no message and no work of the target's,
 * as with Open MPI's osc/sm. The low half counts shared holders, or holds {@link #EXCLUSIVE_HELD}; the high half
 * counts exclusive requests waiting, and while any waits no new shared holder comes in, so exclusive requests do
 * not starve behind a stream of shared ones.
 */
final class PassiveLocks
{
    static final int STRIDE = 64;
    private static final long EXCLUSIVE_HELD = 1L << 30;
    private static final long HOLDERS = (1L << 32) - 1;
    private static final long WAITER = 1L << 32;

    private final UnsafeBuffer words;

    PassiveLocks(final long address, final int members)
    {
        this.words = new UnsafeBuffer(address, bytes(members));
    }

    static int bytes(final int members)
    {
        return members * STRIDE;
    }

    /** One attempt at a shared lock on {@code target}: true when taken. */
    boolean tryShared(final int target)
    {
        final int at = target * STRIDE;
        final long v = words.getLongVolatile(at);
        return v < WAITER && (v & EXCLUSIVE_HELD) == 0 && words.compareAndSetLong(at, v, v + 1);
    }

    /** Announces an exclusive request on {@code target}; {@link #tryExclusive} then takes it. */
    void awaitExclusive(final int target)
    {
        words.getAndAddLong(target * STRIDE, WAITER);
    }

    /** One attempt at the exclusive lock announced with {@link #awaitExclusive}: true when taken. */
    boolean tryExclusive(final int target)
    {
        final int at = target * STRIDE;
        final long v = words.getLongVolatile(at);
        return (v & HOLDERS) == 0 && words.compareAndSetLong(at, v, v - WAITER + EXCLUSIVE_HELD);
    }

    /** Releases a shared lock: this process's stores before it are visible to the next holder. */
    void releaseShared(final int target)
    {
        words.getAndAddLong(target * STRIDE, -1);
    }

    void releaseExclusive(final int target)
    {
        words.getAndAddLong(target * STRIDE, -EXCLUSIVE_HELD);
    }
}
