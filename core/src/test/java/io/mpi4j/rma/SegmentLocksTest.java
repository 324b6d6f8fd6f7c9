package io.mpi4j.rma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpi4j.p2p.Memory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

/** The lock words a shared segment's control part holds: {@link AccumulateLocks} and {@link PassiveLocks}. */
class SegmentLocksTest
{
    private static final int MEMBERS = 3;

    @Test
    void sharedHoldersCoexistAndExcludeAnExclusiveOne()
    {
        final PassiveLocks locks = new PassiveLocks(zeroed(PassiveLocks.bytes(MEMBERS)), MEMBERS);
        assertTrue(locks.tryShared(1));
        assertTrue(locks.tryShared(1));
        locks.awaitExclusive(1);
        assertFalse(locks.tryExclusive(1), "two shared holders");
        assertFalse(locks.tryShared(1), "an exclusive request waits: no new shared holder");
        assertTrue(locks.tryShared(2), "other targets are not affected");
        locks.releaseShared(1);
        assertFalse(locks.tryExclusive(1), "one shared holder left");
        locks.releaseShared(1);
        assertTrue(locks.tryExclusive(1));
        assertFalse(locks.tryShared(1), "held exclusively");
        locks.awaitExclusive(1);
        assertFalse(locks.tryExclusive(1), "held exclusively");
        locks.releaseExclusive(1);
        assertTrue(locks.tryExclusive(1), "the waiting exclusive request next");
        locks.releaseExclusive(1);
        assertTrue(locks.tryShared(1), "free again");
    }

    @Test
    void exclusiveHoldersOfManyThreadsLoseNoIncrement() throws InterruptedException
    {
        final long address = zeroed(PassiveLocks.bytes(MEMBERS) + Long.BYTES);
        final PassiveLocks locks = new PassiveLocks(address, MEMBERS);
        final UnsafeBuffer counter = new UnsafeBuffer(address + PassiveLocks.bytes(MEMBERS), Long.BYTES);
        final int perThread = 20_000;
        runThreads(4, () ->
        {
            for (int i = 0; i < perThread; i++)
            {
                locks.awaitExclusive(0);
                while (!locks.tryExclusive(0))
                {
                    Thread.onSpinWait();
                }
                counter.putLong(0, counter.getLong(0) + 1);
                locks.releaseExclusive(0);
            }
        });
        assertEquals(4L * perThread, counter.getLong(0));
        assertTrue(locks.tryShared(0), "every lock given back");
    }

    @Test
    void accumulateLockHoldersLoseNoIncrement() throws InterruptedException
    {
        final long address = zeroed(AccumulateLocks.bytes(MEMBERS) + Long.BYTES);
        final AccumulateLocks locks = new AccumulateLocks(address, MEMBERS);
        final UnsafeBuffer counter = new UnsafeBuffer(address + AccumulateLocks.bytes(MEMBERS), Long.BYTES);
        final int perThread = 50_000;
        runThreads(4, () ->
        {
            for (int i = 0; i < perThread; i++)
            {
                locks.acquire(2, 0);
                counter.putLong(0, counter.getLong(0) + 1);
                locks.release(2);
            }
        });
        assertEquals(4L * perThread, counter.getLong(0));
    }

    private static void runThreads(final int n, final Runnable body) throws InterruptedException
    {
        final Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++)
        {
            threads[t] = new Thread(body);
            threads[t].start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
    }

    /** Zeroed native memory, 64-byte aligned, kept alive by the test class for the JVM's life. */
    private static long zeroed(final int bytes)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(bytes + 64);
        KEEP.add(memory);
        final long address = Memory.directAddress(memory);
        return (address + 63) & ~63L;
    }

    private static final java.util.List<ByteBuffer> KEEP = new java.util.ArrayList<>();
}
