package io.mpi4j.shm;

import org.junit.jupiter.api.Test;

import static io.mpi4j.shm.InboxDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Pins the inbox file layout that processes of a job map from each other. A change here is a change of
 * {@link InboxDescriptor#VERSION}; this test fails first so that it is made on purpose.
 */
class InboxDescriptorTest
{
    @Test
    void headerFieldOffsets()
    {
        assertEquals(0, MAGIC_OFFSET);
        assertEquals(8, VERSION_OFFSET);
        assertEquals(12, SLOT_COUNT_OFFSET);
        assertEquals(16, RING_CAPACITY_OFFSET);
        assertEquals(20, OWNER_CLOSED_OFFSET);
        assertEquals(24, OWNER_PID_OFFSET);
        assertEquals(32, OWNER_START_TIME_OFFSET);
        assertEquals(40, OWNER_FIELDS_LENGTH);
        assertEquals(128, HIGH_WATER_MARK_OFFSET);
        assertEquals(256, SLOT_TABLE_OFFSET);
        assertEquals(2, VERSION);
    }

    @Test
    void slotEntryLayout()
    {
        assertEquals(0, SLOT_STATE_OFFSET);
        assertEquals(8, SLOT_SENDER_PID_OFFSET);
        assertEquals(16, SLOT_ENTRY_LENGTH);
        assertEquals(256, slotEntryOffset(0));
        assertEquals(256 + 5 * 16, slotEntryOffset(5));
        assertEquals(0, SLOT_FREE);
        assertEquals(1, SLOT_CLAIMED);
        assertEquals(2, SLOT_RELEASED);
    }

    @Test
    void headerIsPageAlignedAroundTheSlotTable()
    {
        assertEquals(4096, headerLength(1));
        assertEquals(4096, headerLength((4096 - 256) / 16));
        assertEquals(8192, headerLength((4096 - 256) / 16 + 1));
    }

    /**
     * The ring regions include the ring's trailer, so a change of its length moves every ring in the file: both ends
     * of a job then must agree, which is what the layout version is for.
     */
    @Test
    void ringRegionsFollowTheRingTrailer()
    {
        assertEquals(256, RingDescriptor.TRAILER_LENGTH, "the ring's trailer changed: bump VERSION");
        assertEquals(128, RingDescriptor.CONSUMER_POSITION_OFFSET);
        assertEquals(8, RingDescriptor.HEADER_LENGTH);
        assertEquals(4096 + 256, ringBufferLength(4096));
        assertEquals(8192, ringRegionLength(4096));
        assertEquals(4096 + 8192, ringOffset(1, 4096, 1));
        assertEquals(4096 + 3L * 8192, fileLength(3, 4096));
        assertEquals(512, InboxDescriptor.maxFrameLength(4096));
    }

    @Test
    void ringCapacityMustBeAPowerOfTwoInRange()
    {
        assertNull(checkRingCapacity(MIN_RING_CAPACITY));
        assertNull(checkRingCapacity(MAX_RING_CAPACITY));
        assertNotNull(checkRingCapacity(MIN_RING_CAPACITY / 2));
        assertNotNull(checkRingCapacity(MIN_RING_CAPACITY + 64));
    }
}
