package io.mpi4j.shm;

import org.agrona.BitUtil;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Layout of one single-producer, single-consumer ring of an inbox: {@code capacity} bytes of records, then a trailer
 * holding the consumer's position. Written by a {@link RingProducer}, read by a {@link RingConsumer}.
 * <pre>
 *   0                       records, each at an 8-byte aligned position:
 *                             header word (8 bytes): record length (int, header included) | record type (int)
 *                             frame bytes, then padding to the alignment
 *   capacity                trailer: an empty line pair, then the consumer position (long) on a line pair of its own
 * </pre>
 * The header is one 64-bit word, always read and written whole (an aligned long access is atomic), the length in
 * its low half and the type in its high half. A length above zero marks a committed record; zero (never committed)
 * and a negative length (claimed, being written) mark the end of what the consumer may read. Positions grow without
 * bound (64 bits); the index in the ring is {@code position & (capacity - 1)}.
 * <p>
 * The trailer's first line pair keeps the last records' lines, which the producer writes, off the consumer position's
 * pair: the adjacent-line prefetcher would otherwise pull the position's line along with the data.
 */
final class RingDescriptor
{
    /** Two cache lines: the adjacent-line prefetcher pairs 64-byte lines. */
    static final int FALSE_SHARING_PAD = InboxDescriptor.FALSE_SHARING_PAD;

    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = LENGTH_OFFSET + SIZE_OF_INT;
    static final int HEADER_LENGTH = TYPE_OFFSET + SIZE_OF_INT;
    /** Records start where a header word can be accessed atomically. */
    static final int ALIGNMENT = HEADER_LENGTH;

    /** Type of a record carrying a frame. */
    static final int FRAME_TYPE = 1;
    /** Type of a record the consumer skips: the end of the ring before a wrap, or an aborted claim. */
    static final int PADDING_TYPE = -1;
    /** What the producer writes where its next record will start: not committed, in any lap. */
    static final long NOT_COMMITTED = 0L;

    /** Relative to the trailer's start. */
    static final int CONSUMER_POSITION_OFFSET = FALSE_SHARING_PAD;
    static final int TRAILER_LENGTH = CONSUMER_POSITION_OFFSET + FALSE_SHARING_PAD;

    static final int MIN_CAPACITY = 4096;

    private RingDescriptor()
    {
    }

    /** The header word of a record of {@code recordLength} bytes (header included; negative while claimed). */
    static long headerWord(final int recordLength, final int type)
    {
        return ((long)type << Integer.SIZE) | (recordLength & 0xFFFF_FFFFL);
    }

    static int recordLength(final long headerWord)
    {
        return (int)headerWord;
    }

    static int recordType(final long headerWord)
    {
        return (int)(headerWord >>> Integer.SIZE);
    }

    /** Largest frame a ring of {@code capacity} takes: an eighth, so one frame never fills the ring by itself. */
    static int maxFrameLength(final int capacity)
    {
        return capacity >> 3;
    }

    /** Bytes of the buffer a ring of {@code capacity} needs: records and trailer. */
    static int bufferLength(final int capacity)
    {
        return capacity + TRAILER_LENGTH;
    }

    /**
     * The capacity of a ring laid out over {@code bufferLength} bytes.
     *
     * @throws IllegalArgumentException when the records' part is not a power of two of at least {@link #MIN_CAPACITY}.
     */
    static int capacity(final int bufferLength)
    {
        final int capacity = bufferLength - TRAILER_LENGTH;
        if (capacity < MIN_CAPACITY || !BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("ring buffer of " + bufferLength + " bytes: the records' part must be " +
                "a power of two of at least " + MIN_CAPACITY + " bytes, followed by a trailer of " + TRAILER_LENGTH);
        }
        return capacity;
    }

    static int consumerPositionOffset(final int capacity)
    {
        return capacity + CONSUMER_POSITION_OFFSET;
    }
}
