package io.mpi4j.shm;

import io.mpi4j.transport.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import static io.mpi4j.shm.RingDescriptor.*;
import static org.agrona.BitUtil.align;

/**
 * Reading end of a ring ({@link RingDescriptor}): delivers committed frames in order, in place, and leaves the bytes
 * it consumed as they are. Why stale bytes never look committed: {@link RingProducer}.
 * <p>
 * Each header word is read with an acquire load, which makes the frame behind it visible. The consumer position is
 * published with a release store, after the handler has returned for every record before it, and only once per
 * {@link #read} (or once a quarter of the ring was consumed within one, so a producer waiting for room can go on
 * while a long batch is delivered): the producer needs it only when the ring looks full, so a store per record
 * would move the position's cache line between cores for nothing.
 */
final class RingConsumer
{
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int consumerPositionOffset;
    private final int publishInterval;
    private long position;

    /**
     * @param buffer the ring's memory, {@link RingDescriptor#bufferLength} of the capacity, shared with the producer.
     * @throws IllegalArgumentException when the buffer's length is not a ring's.
     */
    RingConsumer(final UnsafeBuffer buffer)
    {
        this.buffer = buffer;
        this.capacity = RingDescriptor.capacity(buffer.capacity());
        this.mask = capacity - 1;
        this.consumerPositionOffset = RingDescriptor.consumerPositionOffset(capacity);
        this.publishInterval = capacity >> 2;
        buffer.verifyAlignment();
        this.position = buffer.getLongVolatile(consumerPositionOffset);
    }

    /**
     * Deliver up to {@code frameLimit} committed frames, in commit order of the records, to {@code handler}. The
     * buffer handed over is the ring's: a frame is valid until the handler returns. A frame whose handler throws is
     * consumed.
     *
     * @return how many frames were delivered.
     * @throws IllegalStateException when the ring holds a record no producer writes (a corrupt ring).
     */
    int read(final FrameHandler handler, final int frameLimit)
    {
        long position = this.position;
        long published = position;
        int frames = 0;
        try
        {
            while (frames < frameLimit)
            {
                final int index = (int)position & mask;
                final long word = buffer.getLongVolatile(index);
                final int recordLength = recordLength(word);
                if (recordLength <= 0)
                {
                    break;
                }
                final int alignedLength = align(recordLength, ALIGNMENT);
                final int type = recordType(word);
                if (recordLength < HEADER_LENGTH || alignedLength > capacity - index ||
                    (FRAME_TYPE != type && PADDING_TYPE != type))
                {
                    throw new IllegalStateException("corrupt shm ring: record of type " + type + " and " +
                        recordLength + " bytes at position " + position + " of a ring of " + capacity);
                }
                position += alignedLength;
                if (FRAME_TYPE == type)
                {
                    frames++;
                    handler.onFrame(buffer, index + HEADER_LENGTH, recordLength - HEADER_LENGTH);
                    if (position - published >= publishInterval)
                    {
                        published = position;
                        buffer.putLongRelease(consumerPositionOffset, position);
                    }
                }
            }
        }
        finally
        {
            this.position = position;
            if (position != published)
            {
                buffer.putLongRelease(consumerPositionOffset, position);
            }
        }
        return frames;
    }

    /** Whether a committed record (a frame or padding) waits at the consumer's position. */
    boolean hasCommitted()
    {
        return recordLength(buffer.getLongVolatile((int)position & mask)) > 0;
    }

    /** Where the next record starts; everything before it was consumed and published. */
    long position()
    {
        return position;
    }

    int capacity()
    {
        return capacity;
    }
}
