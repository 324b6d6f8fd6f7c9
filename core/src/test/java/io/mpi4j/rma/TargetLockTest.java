package io.mpi4j.rma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mpi4j.coll.SharedSegment;
import org.junit.jupiter.api.Test;

class TargetLockTest
{
    @Test
    void sharedHoldersCoexistAndAnExclusiveWaitsForAllOfThem()
    {
        final TargetLock lock = new TargetLock();
        assertTrue(lock.acquire(0, TargetLock.SHARED, 10));
        assertTrue(lock.acquire(1, TargetLock.SHARED, 11));
        assertFalse(lock.acquire(2, TargetLock.EXCLUSIVE, 12));
        lock.release(TargetLock.SHARED);
        assertNull(lock.grantNext(), "one shared holder is left");
        lock.release(TargetLock.SHARED);
        assertArrayEquals(new int[] {2, TargetLock.EXCLUSIVE, 12}, lock.grantNext());
    }

    @Test
    void aWaitingExclusiveRequestIsNotOvertakenByLaterSharedOnes()
    {
        final TargetLock lock = new TargetLock();
        assertTrue(lock.acquire(0, TargetLock.SHARED, 1));
        assertFalse(lock.acquire(1, TargetLock.EXCLUSIVE, 2));
        assertFalse(lock.acquire(2, TargetLock.SHARED, 3), "queued behind the exclusive request");
        lock.release(TargetLock.SHARED);
        assertEquals(1, lock.grantNext()[0]);
        assertNull(lock.grantNext());
        lock.release(TargetLock.EXCLUSIVE);
        assertEquals(2, lock.grantNext()[0]);
    }

    @Test
    void windowMemoryResolvesOnlyExposedRanges()
    {
        final WindowMemory fixed = WindowMemory.fixed(4096, 64);
        assertEquals(4096 + 60, fixed.resolve(60, 4));
        assertEquals(-1, fixed.resolve(61, 4));
        assertEquals(-1, fixed.resolve(-1, 1));
        final WindowMemory dynamic = WindowMemory.dynamic();
        assertEquals(-1, dynamic.resolve(1000, 8));
        assertTrue(dynamic.attach(1000, 100));
        assertFalse(dynamic.attach(1050, 100), "overlap");
        assertEquals(1000, dynamic.resolve(1000, 100));
        assertEquals(-1, dynamic.resolve(1000, 101));
        assertTrue(dynamic.detach(1000));
        assertEquals(-1, dynamic.resolve(1000, 8));
    }

    @Test
    void sharedLayoutAlignsEveryPart()
    {
        assertArrayEquals(new long[] {0, 64, 64, 192}, SharedSegment.layout(new long[] {3, 0, 100}));
    }
}
