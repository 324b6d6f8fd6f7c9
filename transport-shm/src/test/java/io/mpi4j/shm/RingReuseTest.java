package io.mpi4j.shm;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.mpi4j.shm.InboxDescriptor.FRAME_MSG_TYPE_ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What recycling an inbox slot relies on, checked against the Agrona on the class path: a drained
 * {@code OneToOneRingBuffer} needs no reset, because a new instance over the same memory (the next sender's, the
 * receiver's long-lived one) carries on from the positions kept in the trailer, whatever the last sender left
 * behind: wrapped positions, padding records, an aborted claim.
 */
class RingReuseTest
{
    private static final int CAPACITY = 4096;

    private final UnsafeBuffer memory = new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64));
    private final OneToOneRingBuffer receiver = new OneToOneRingBuffer(memory);

    @Test
    void aDrainedRingCarriesOnForTheNextSender()
    {
        final OneToOneRingBuffer first = new OneToOneRingBuffer(memory);
        int sequence = 0;
        for (int i = 0; i < 100; i++)
        {
            sequence = sendAndReceive(first, sequence, 40);
        }
        final int pending = first.tryClaim(FRAME_MSG_TYPE_ID, 24);
        assertTrue(pending >= 0);
        first.abort(pending);
        assertEquals(List.of(), drain(), "an aborted claim is skipped, never delivered");

        final long position = receiver.producerPosition();
        assertTrue(position > CAPACITY, "the first sender wrapped");
        assertEquals(position, receiver.consumerPosition(), "drained");

        final OneToOneRingBuffer next = new OneToOneRingBuffer(memory);
        assertEquals(position, next.producerPosition(), "the next sender starts at the tail, not at 0");
        assertEquals(position, next.consumerPosition());

        // Lengths that do not divide the capacity, over several wraps: each wrap needs a padding record.
        for (int i = 0; i < 500; i++)
        {
            sequence = sendAndReceive(next, sequence, 8 + i * 29 % 300);
        }
        assertEquals(receiver.producerPosition(), receiver.consumerPosition());
        assertTrue(receiver.producerPosition() > position + 10L * CAPACITY);
    }

    @Test
    void theNextSenderSeesNoStaleFrames()
    {
        final OneToOneRingBuffer first = new OneToOneRingBuffer(memory);
        for (int i = 0; i < 30; i++)
        {
            assertTrue(first.write(FRAME_MSG_TYPE_ID, frame(i, 100), 0, 100));
        }
        final List<byte[]> leftOver = drain();
        assertEquals(30, leftOver.size());

        final OneToOneRingBuffer next = new OneToOneRingBuffer(memory);
        for (int i = 0; i < 30; i++)
        {
            assertTrue(next.write(FRAME_MSG_TYPE_ID, frame(1000 + i, 100), 0, 100));
        }
        final List<byte[]> fresh = drain();
        assertEquals(30, fresh.size());
        for (int i = 0; i < 30; i++)
        {
            assertArrayEquals(frame(1000 + i, 100).byteArray(), fresh.get(i), "frame " + i);
        }
    }

    private int sendAndReceive(final OneToOneRingBuffer sender, final int sequence, final int length)
    {
        final int index = sender.tryClaim(FRAME_MSG_TYPE_ID, length);
        assertTrue(index >= 0, "room in a drained ring");
        sender.buffer().putBytes(index, frame(sequence, length), 0, length);
        sender.commit(index);
        final List<byte[]> received = drain();
        assertEquals(1, received.size());
        assertArrayEquals(frame(sequence, length).byteArray(), received.get(0), "frame " + sequence);
        return sequence + 1;
    }

    private List<byte[]> drain()
    {
        final List<byte[]> frames = new ArrayList<>();
        // A read stops at the end of the buffer (after a padding record, with no frame delivered): go on until the
        // consumer meets the producer.
        while (receiver.consumerPosition() != receiver.producerPosition())
        {
            receiver.read((type, buffer, index, length) ->
            {
                assertEquals(FRAME_MSG_TYPE_ID, type);
                final byte[] bytes = new byte[length];
                buffer.getBytes(index, bytes);
                frames.add(bytes);
            });
        }
        return frames;
    }

    private static UnsafeBuffer frame(final int sequence, final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            frame.putByte(i, (byte)(sequence * 31 + i));
        }
        return frame;
    }
}
