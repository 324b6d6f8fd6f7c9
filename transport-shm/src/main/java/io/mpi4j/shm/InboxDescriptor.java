package io.mpi4j.shm;

import org.agrona.BitUtil;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.align;

/**
 * Layout of one process's inbox file {@code mpi4j-<jobId>-<processIndex>}: a header, a slot table, then one
 * page-aligned ring region per slot.
 * <pre>
 *   0                      header: magic, version, slot count, ring capacity, owner pid and start time, closed flag
 *   HIGH_WATER_MARK_OFFSET  number of slots ever claimed (own 128-byte line: senders CAS it, the receiver reads it)
 *   SLOT_TABLE_OFFSET       slotCount x {state int, pad int, sender pid long}
 *   headerLength(n)         slot 0 ring (capacity + trailer), padded to a page
 *   ...                     slot i ring at headerLength(n) + i * slotLength(capacity)
 * </pre>
 * The slot table lives in the header, not in front of each ring, so that a sender finds a free slot by mapping one
 * small region instead of every slot. Entries are packed: they change only on connect, close and recycle, never per
 * frame, so sharing cache lines between them costs nothing on the hot path. Each ring ({@link RingDescriptor}) starts
 * on its own page; its consumer position sits on cache lines of its own in the ring's trailer.
 * <p>
 * Slot state machine: {@link #SLOT_FREE} -(sender CAS)-&gt; {@link #SLOT_CLAIMED} -(sender close, release store)-&gt;
 * {@link #SLOT_RELEASED} -(receiver, once the ring is drained: release store)-&gt; {@link #SLOT_FREE}.
 * Only the receiver makes a slot free again, so a new sender never starts on a ring the receiver is still reading.
 * The ring itself is not reset: the consumer position in its trailer is its only state, so the next sender's
 * {@link RingProducer} carries on from where the last one stopped.
 */
public final class InboxDescriptor
{
    /** "MPI4JSHM" in ASCII, written last (release) once the header is complete. */
    public static final long MAGIC = 0x4D48_534A_3449_504DL;
    /** 2: rings of {@link RingDescriptor} instead of Agrona's {@code OneToOneRingBuffer}. */
    public static final int VERSION = 2;

    public static final int PAGE_SIZE = 4096;
    /** Two cache lines: the adjacent-line prefetcher pairs 64-byte lines. */
    public static final int FALSE_SHARING_PAD = 128;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + SIZE_OF_LONG;
    public static final int SLOT_COUNT_OFFSET = VERSION_OFFSET + SIZE_OF_INT;
    public static final int RING_CAPACITY_OFFSET = SLOT_COUNT_OFFSET + SIZE_OF_INT;
    /** Non-zero once the owner closed the inbox: senders stop waiting for it. */
    public static final int OWNER_CLOSED_OFFSET = RING_CAPACITY_OFFSET + SIZE_OF_INT;
    public static final int OWNER_PID_OFFSET = OWNER_CLOSED_OFFSET + SIZE_OF_INT;
    /** Owner start time in epoch milliseconds, or {@link #UNKNOWN_START_TIME}; guards against pid reuse. */
    public static final int OWNER_START_TIME_OFFSET = OWNER_PID_OFFSET + SIZE_OF_LONG;
    public static final long UNKNOWN_START_TIME = -1L;
    /** End of the fields written once at creation. */
    public static final int OWNER_FIELDS_LENGTH = OWNER_START_TIME_OFFSET + SIZE_OF_LONG;

    /** Number of slots ever claimed, on a line of its own: senders CAS it, the receiver reads it on every poll. */
    public static final int HIGH_WATER_MARK_OFFSET = align(OWNER_FIELDS_LENGTH, FALSE_SHARING_PAD);
    /** The rest of the high-water mark's line stays empty; the slot table starts on the next one. */
    public static final int SLOT_TABLE_OFFSET = HIGH_WATER_MARK_OFFSET + FALSE_SHARING_PAD;

    public static final int SLOT_STATE_OFFSET = 0;
    /** After padding that keeps the pid 8-byte aligned, as the atomic long access needs. */
    public static final int SLOT_SENDER_PID_OFFSET = align(SLOT_STATE_OFFSET + SIZE_OF_INT, SIZE_OF_LONG);
    public static final int SLOT_ENTRY_LENGTH = SLOT_SENDER_PID_OFFSET + SIZE_OF_LONG;

    public static final int SLOT_FREE = 0;
    public static final int SLOT_CLAIMED = 1;
    public static final int SLOT_RELEASED = 2;

    public static final int MIN_RING_CAPACITY = Math.max(PAGE_SIZE, RingDescriptor.MIN_CAPACITY);
    public static final int MAX_RING_CAPACITY = 1 << 30;
    public static final int MAX_SLOTS = 1 << 16;

    private InboxDescriptor()
    {
    }

    /** Bytes from the file start to slot 0's ring: header plus slot table, page aligned. */
    public static int headerLength(final int slotCount)
    {
        return align(SLOT_TABLE_OFFSET + slotCount * SLOT_ENTRY_LENGTH, PAGE_SIZE);
    }

    /** Offset, inside the header mapping, of slot {@code slot}'s table entry. */
    public static int slotEntryOffset(final int slot)
    {
        return SLOT_TABLE_OFFSET + slot * SLOT_ENTRY_LENGTH;
    }

    /** Bytes one ring occupies: records, trailer, padding to a page. */
    public static int ringRegionLength(final int ringCapacity)
    {
        return align(ringBufferLength(ringCapacity), PAGE_SIZE);
    }

    /** Length of the buffer a ring's producer and consumer work on. */
    public static int ringBufferLength(final int ringCapacity)
    {
        return RingDescriptor.bufferLength(ringCapacity);
    }

    public static long ringOffset(final int slotCount, final int ringCapacity, final int slot)
    {
        return headerLength(slotCount) + (long)slot * ringRegionLength(ringCapacity);
    }

    public static long fileLength(final int slotCount, final int ringCapacity)
    {
        return ringOffset(slotCount, ringCapacity, slotCount);
    }

    /** Largest frame a ring of {@code ringCapacity} accepts: an eighth of the capacity. */
    public static int maxFrameLength(final int ringCapacity)
    {
        return RingDescriptor.maxFrameLength(ringCapacity);
    }

    /**
     * @return why {@code ringCapacity} cannot be used, or {@code null}.
     */
    public static String checkRingCapacity(final int ringCapacity)
    {
        if (!BitUtil.isPowerOfTwo(ringCapacity) || ringCapacity < MIN_RING_CAPACITY || ringCapacity > MAX_RING_CAPACITY)
        {
            return "ring capacity must be a power of two in [" + MIN_RING_CAPACITY + ", " + MAX_RING_CAPACITY +
                "], got " + ringCapacity;
        }
        return null;
    }
}
