package io.mpi4j.rma;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The accumulate locks of a window whose memory every member maps ({@code Window.createShared}): one lock word per
 * target, each on its own cache line, in a control part of the shared segment after the members' parts. Every
 * accumulate that touches a target's memory (an origin applying it directly, or the target's own progress engine
 * serving a request) holds that target's lock for the whole operation, which is what gives MPI's element-wise
 * atomicity across processes. A critical section is a bounded memory update and never waits for anything else, so a
 * spin lock suffices: the compare-and-set is the acquire, a release store of 0 the release.
 */
final class AccumulateLocks
{
    /** One cache line per target: origins spinning on one target do not slow another's. */
    static final int STRIDE = 64;
    private static final int FREE = 0;
    /** Spins before each attempt starts yielding the core (more ranks than cores: the holder may be descheduled). */
    private static final int SPINS_BEFORE_YIELD = 64;

    private final UnsafeBuffer words;

    /** Over the lock words at {@code address} (zeroed memory: every lock free) of {@code members} targets. */
    AccumulateLocks(final long address, final int members)
    {
        this.words = new UnsafeBuffer(address, bytes(members));
    }

    /** Bytes the lock words of {@code members} targets take in the segment. */
    static int bytes(final int members)
    {
        return members * STRIDE;
    }

    /** Takes {@code target}'s lock for process {@code holder} (its rank; recorded to tell holders apart). */
    void acquire(final int target, final int holder)
    {
        final int at = target * STRIDE;
        final int mark = holder + 1;
        int spins = 0;
        while (!words.compareAndSetInt(at, FREE, mark))
        {
            if (++spins < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
        }
    }

    /** Releases {@code target}'s lock: the updates made under it are visible before the next holder's acquire. */
    void release(final int target)
    {
        words.putIntRelease(target * STRIDE, FREE);
    }
}
