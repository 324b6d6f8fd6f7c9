package io.mpi4j.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContextIdAllocatorTest
{
    /** Picks the lowest bit of an offer and settles, as a one-member agreement does. */
    private static int take(final ContextIdAllocator allocator)
    {
        final int window = allocator.lowestOpenWindow();
        final long offered = allocator.offer(window);
        final int slot = window * 64 + Long.numberOfTrailingZeros(offered);
        allocator.settle(window, offered, slot);
        return slot;
    }

    @Test
    void predefinedSlotsAreTakenAndIdsAreReusedAfterRelease()
    {
        final ContextIdAllocator allocator = new ContextIdAllocator();
        assertEquals(2, allocator.inUse());
        assertEquals(2, take(allocator));
        assertEquals(3, take(allocator));
        allocator.release(2);
        assertEquals(2, take(allocator));
        assertEquals(4, allocator.inUse());
    }

    @Test
    void heldBitsAreNotOfferedTwice()
    {
        final ContextIdAllocator allocator = new ContextIdAllocator();
        final long first = allocator.offer(0);
        assertEquals(0L, allocator.offer(0), "a window offered to one agreement is not offered to another");
        allocator.settle(0, first, 5);
        allocator.settle(0, 0L, -1);
        final long again = allocator.offer(0);
        assertEquals(first & ~(1L << 5), again);
        allocator.settle(0, again, -1);
    }

    @Test
    void moreThan65536AliveAndAllGivenBack()
    {
        final ContextIdAllocator allocator = new ContextIdAllocator();
        final int count = 70_000;
        final int[] slots = new int[count];
        for (int i = 0; i < count; i++)
        {
            slots[i] = take(allocator);
        }
        assertEquals(count + 2, allocator.inUse());
        assertTrue(slots[count - 1] < ContextIdAllocator.SLOTS);
        for (final int slot : slots)
        {
            allocator.release(slot);
        }
        assertEquals(2, allocator.inUse());
        assertEquals(0, allocator.lowestOpenWindow());
        assertEquals(2, take(allocator));
    }
}
