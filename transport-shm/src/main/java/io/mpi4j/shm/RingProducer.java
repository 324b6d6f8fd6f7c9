package io.mpi4j.shm;

import org.agrona.concurrent.UnsafeBuffer;

import static io.mpi4j.shm.RingDescriptor.*;
import static org.agrona.BitUtil.align;

/**
 * Writing end of a ring ({@link RingDescriptor}): records are claimed, written in place, then committed or aborted.
 * One thread of one process writes a ring; the consumer is another process.
 * <h2>Why the consumer never takes stale bytes for a record</h2>
 * Nobody zeroes consumed records, so the ring is full of old headers and old frame bytes, and a frame's bytes may
 * hold any value, a valid-looking header word included. The consumer reads the header word at its position and
 * goes on only if it says "committed". That is safe because of one invariant: <em>the header word at the producer's
 * position always says "not committed"</em> ({@link RingDescriptor#NOT_COMMITTED}, or a negative length while
 * claimed), from the consumer's point of view, until the producer commits it.
 * <ul>
 *   <li>A new ring is zeroes: the word at position 0 is {@code NOT_COMMITTED}.</li>
 *   <li>Each claim of a record at position {@code p} of aligned length {@code n} writes {@code NOT_COMMITTED} into the
 *       header word at {@code p + n}, where the next record will start, before anything of this record is published
 *       (a wrap's padding record too: the word at index 0 is written before the padding header). Space for that
 *       word is part of every claim, so the word is never in a part the consumer has not consumed yet.</li>
 *   <li>A commit (or abort) publishes the header word last, with a release store. The consumer reads header words
 *       with acquire loads, so once it sees {@code p}'s committed word it also sees everything written before it:
 *       the frame, and the {@code NOT_COMMITTED} at {@code p + n}. The word at {@code p + n} it reads next is then
 *       that value or the producer's later commit of it, never the stale bytes from an earlier lap.</li>
 * </ul>
 * The claim's own header word (a negative length) is written at claim time so that {@link #commit} and
 * {@link #abort} find the length, and several claims may be outstanding and committed in any order: the consumer
 * stops at the first record not committed yet.
 * <h2>Space</h2>
 * The consumer publishes its position with a release store after it has read the records before it; the producer
 * reads it with an acquire load only when its cached copy says the ring is full, so records are overwritten only
 * after they were read, and the consumer position's line moves between cores only when the ring is close to full.
 * A record never wraps: when it does not fit before the end, the rest of the ring becomes a padding record.
 * <p>
 * A producer starts at the consumer's position: a new ring and a drained one (an inbox slot handed to a new sender
 * once its last one closed and the consumer read everything) both hold {@code NOT_COMMITTED} there.
 */
final class RingProducer
{
    /** Sentinel of {@link #tryClaim}: not enough free space now. Equal to the transport SPI's. */
    static final int INSUFFICIENT_CAPACITY = -2;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int maxFrameLength;
    private final int consumerPositionOffset;
    private long position;
    private long consumerPositionCache;

    /**
     * @param buffer the ring's memory, {@link RingDescriptor#bufferLength} of the capacity, shared with the consumer.
     * @throws IllegalArgumentException when the buffer's length is not a ring's.
     */
    RingProducer(final UnsafeBuffer buffer)
    {
        this.buffer = buffer;
        this.capacity = RingDescriptor.capacity(buffer.capacity());
        this.mask = capacity - 1;
        this.maxFrameLength = RingDescriptor.maxFrameLength(capacity);
        this.consumerPositionOffset = RingDescriptor.consumerPositionOffset(capacity);
        buffer.verifyAlignment();
        this.consumerPositionCache = buffer.getLongVolatile(consumerPositionOffset);
        this.position = consumerPositionCache;
    }

    /**
     * Claim room for a frame of {@code length} bytes.
     *
     * @return the index in {@link #buffer()} of the frame's first byte, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException when {@code length} is negative or above {@link #maxFrameLength()}.
     */
    int tryClaim(final int length)
    {
        if (length < 0 || length > maxFrameLength)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes: a ring of " + capacity +
                " bytes takes frames of 0 to " + maxFrameLength);
        }

        final int recordLength = length + HEADER_LENGTH;
        final int alignedLength = align(recordLength, ALIGNMENT);
        final long position = this.position;
        final int index = (int)position & mask;
        final int toEnd = capacity - index;
        final int padding = alignedLength > toEnd ? toEnd : 0;
        // The next record's header word is claimed too: it is written here, to keep the invariant.
        final long end = position + padding + alignedLength + HEADER_LENGTH;
        if (end - consumerPositionCache > capacity)
        {
            consumerPositionCache = buffer.getLongVolatile(consumerPositionOffset);
            if (end - consumerPositionCache > capacity)
            {
                return INSUFFICIENT_CAPACITY;
            }
        }

        int recordIndex = index;
        if (0 != padding)
        {
            buffer.putLong(0, NOT_COMMITTED);
            buffer.putLongRelease(index, headerWord(padding, PADDING_TYPE));
            recordIndex = 0;
        }
        buffer.putLong(recordIndex, headerWord(-recordLength, FRAME_TYPE));
        // A plain store: the release of this record's header word orders it before the consumer can look at it.
        buffer.putLong((recordIndex + alignedLength) & mask, NOT_COMMITTED);
        this.position = position + padding + alignedLength;

        return recordIndex + HEADER_LENGTH;
    }

    /**
     * Publish the claimed frame at {@code index}.
     *
     * @throws IllegalStateException when nothing is claimed there (committed or aborted already).
     */
    void commit(final int index)
    {
        publish(index, FRAME_TYPE);
    }

    /**
     * Give the claimed frame at {@code index} back: it becomes a padding record the consumer skips.
     *
     * @throws IllegalStateException when nothing is claimed there (committed or aborted already).
     */
    void abort(final int index)
    {
        publish(index, PADDING_TYPE);
    }

    private void publish(final int index, final int type)
    {
        final int recordIndex = index - HEADER_LENGTH;
        if (recordIndex < 0 || recordIndex > capacity - HEADER_LENGTH || 0 != (recordIndex & (ALIGNMENT - 1)))
        {
            throw new IllegalStateException("no claimed frame at index " + index);
        }
        final long claimed = buffer.getLong(recordIndex);
        final int negativeLength = recordLength(claimed);
        if (negativeLength >= 0 || FRAME_TYPE != recordType(claimed))
        {
            throw new IllegalStateException("no claimed frame at index " + index + ": committed or aborted already");
        }
        buffer.putLongRelease(recordIndex, headerWord(-negativeLength, type));
    }

    /** The ring's memory; {@link #tryClaim} indexes point into it. */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    int capacity()
    {
        return capacity;
    }

    int maxFrameLength()
    {
        return maxFrameLength;
    }

    /** Where the next claim starts; everything before it was claimed. */
    long position()
    {
        return position;
    }
}
