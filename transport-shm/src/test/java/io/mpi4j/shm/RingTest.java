package io.mpi4j.shm;

import io.mpi4j.transport.FrameHandler;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.mpi4j.shm.RingDescriptor.*;
import static org.agrona.BitUtil.align;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The ring on its own: one process, producer and consumer over one buffer, on one thread or on two.
 */
class RingTest
{
    private static final int CAPACITY = 4096;
    private static final int MAX_FRAME = maxFrameLength(CAPACITY);

    private static UnsafeBuffer newRing(final int capacity)
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(bufferLength(capacity), 64));
    }

    /** Frame bytes that tell which frame they belong to and where in it they are. */
    private static byte expectedByte(final long sequence, final int i)
    {
        return (byte)(sequence * 31 + i * 7 + (i >> 8));
    }

    private static int send(final RingProducer producer, final long sequence, final int length)
    {
        final int index = producer.tryClaim(length);
        if (index < 0)
        {
            return index;
        }
        fill(producer.buffer(), index, sequence, length);
        producer.commit(index);
        return index;
    }

    private static void fill(final UnsafeBuffer buffer, final int index, final long sequence, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(index + i, expectedByte(sequence, i));
        }
    }

    private static void check(final long sequence, final DirectBuffer buffer, final int index, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (expectedByte(sequence, i) != buffer.getByte(index + i))
            {
                fail("frame " + sequence + " of " + length + " bytes differs at byte " + i);
            }
        }
    }

    /** Collects frame copies. */
    private static final class Collector implements FrameHandler
    {
        final List<byte[]> frames = new ArrayList<>();

        public void onFrame(final DirectBuffer buffer, final int index, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(index, copy);
            frames.add(copy);
        }
    }

    private static byte[] expected(final long sequence, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = expectedByte(sequence, i);
        }
        return bytes;
    }

    @Test
    void layoutConstantsFollowFromOneAnother()
    {
        assertEquals(8, HEADER_LENGTH);
        assertEquals(ALIGNMENT, HEADER_LENGTH);
        assertEquals(TRAILER_LENGTH, CONSUMER_POSITION_OFFSET + FALSE_SHARING_PAD);
        assertEquals(CAPACITY + TRAILER_LENGTH, bufferLength(CAPACITY));
        assertEquals(CAPACITY, RingDescriptor.capacity(bufferLength(CAPACITY)));
        assertThrows(IllegalArgumentException.class, () -> RingDescriptor.capacity(CAPACITY + 8 + TRAILER_LENGTH));
        assertThrows(IllegalArgumentException.class, () -> RingDescriptor.capacity(2048 + TRAILER_LENGTH));
        assertEquals(512, MAX_FRAME);
        for (final int length : new int[] {-8, -1, 0, 8, 13, Integer.MAX_VALUE})
        {
            for (final int type : new int[] {FRAME_TYPE, PADDING_TYPE})
            {
                final long word = headerWord(length, type);
                assertEquals(length, recordLength(word));
                assertEquals(type, recordType(word));
            }
        }
        assertEquals(0, recordLength(NOT_COMMITTED));
    }

    @Test
    void everyRecordSizeAroundTheAlignmentArrivesWholeAndAdvancesByItsAlignedLength()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        long sequence = 0;
        final int[] lengths = new int[2 * 40 + 20];
        int n = 0;
        for (int length = 0; length < 40; length++)
        {
            lengths[n++] = length;
        }
        for (int length = MAX_FRAME - 19; length <= MAX_FRAME; length++)
        {
            lengths[n++] = length;
        }
        for (int length = CAPACITY / 16 - 20; length < CAPACITY / 16 + 20; length++)
        {
            lengths[n++] = length;
        }
        // Three rounds: the ring wraps, so each length also lands at other offsets and next to the end.
        for (int round = 0; round < 3; round++)
        {
            for (int k = 0; k < n; k++)
            {
                final int length = lengths[k];
                final long before = producer.position();
                final int index = send(producer, sequence, length);
                assertTrue(index >= 0, "an empty ring takes " + length + " bytes");
                assertEquals(0, (index - HEADER_LENGTH) % ALIGNMENT, "records are aligned");
                final long advance = producer.position() - before;
                final long aligned = align(length + HEADER_LENGTH, ALIGNMENT);
                assertTrue(advance == aligned || (advance > aligned && 0 == (producer.position() - aligned) % CAPACITY),
                    "a record of " + length + " bytes takes its aligned length, or pads to the end first");

                final Collector collector = new Collector();
                assertEquals(1, consumer.read(collector, 10));
                assertArrayEquals(expected(sequence, length), collector.frames.get(0), "length " + length);
                assertEquals(producer.position(), consumer.position());
                assertEquals(0, consumer.read(collector, 10), "nothing else is committed");
                sequence++;
            }
        }
        assertTrue(producer.position() > 3L * CAPACITY, "several laps");
    }

    @Test
    void aFullRingRefusesUntilTheConsumerPublishesWhatItRead()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        final int length = 100;
        final int aligned = align(length + HEADER_LENGTH, ALIGNMENT);
        int sent = 0;
        while (send(producer, sent, length) >= 0)
        {
            sent++;
        }
        // Room for every whole record but the one whose successor's header word would not fit.
        assertEquals((CAPACITY - HEADER_LENGTH) / aligned, sent);
        assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(length), "full");

        // The next record wraps: it needs the padding to the end as well, more than one record's room.
        final Collector two = new Collector();
        assertEquals(1, consumer.read(two, 1));
        assertEquals(aligned, ring.getLongVolatile(consumerPositionOffset(CAPACITY)), "published at the read's end");
        assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(length), "padding and record do not fit");
        assertEquals(1, consumer.read(two, 1));
        assertEquals(HEADER_LENGTH, send(producer, sent, length), "after the padding, at the ring's start");
        sent++;
        assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(length));

        final Collector rest = new Collector();
        assertEquals(sent - 2, consumer.read(rest, Integer.MAX_VALUE));
        for (int i = 0; i < rest.frames.size(); i++)
        {
            assertArrayEquals(expected(i + 2, length), rest.frames.get(i), "frame " + (i + 2) + " was not overwritten");
        }
    }

    @Test
    void theNextRecordsHeaderWordIsPartOfTheRoomAClaimNeeds()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final int aligned = align(MAX_FRAME + HEADER_LENGTH, ALIGNMENT);
        final int records = CAPACITY / aligned;
        for (int i = 0; i < records; i++)
        {
            assertTrue(send(producer, i, MAX_FRAME) >= 0);
        }
        final int free = CAPACITY - records * aligned;
        assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(free - 2 * HEADER_LENGTH + 1));
        final int last = producer.tryClaim(free - 2 * HEADER_LENGTH);
        assertTrue(last >= 0, "a frame that fills the ring up to the next header word fits");
        assertEquals(RingProducer.INSUFFICIENT_CAPACITY, producer.tryClaim(0));
        producer.commit(last);
        assertEquals(CAPACITY - HEADER_LENGTH, producer.position());
        final Collector collector = new Collector();
        assertEquals(records + 1, new RingConsumer(ring).read(collector, Integer.MAX_VALUE));
    }

    @Test
    void wrapsPadTheEndOfTheRingAndNeverSplitARecord()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        final Collector collector = new Collector();
        long sequence = 0;
        int paddings = 0;
        for (int i = 0; i < 2000; i++)
        {
            // Lengths that do not divide the capacity, sent in bursts, so the ring wraps in every state.
            final int burst = 1 + i % 5;
            final long first = sequence;
            for (int b = 0; b < burst; b++)
            {
                final int length = 8 + (int)(sequence * 29 % 300);
                final long before = producer.position();
                final int index = send(producer, sequence, length);
                assertTrue(index >= 0);
                assertTrue(index - HEADER_LENGTH + length + HEADER_LENGTH <= CAPACITY, "a record never wraps");
                if (producer.position() - before > align(length + HEADER_LENGTH, ALIGNMENT))
                {
                    paddings++;
                    assertEquals(HEADER_LENGTH, index, "after padding, a record starts the ring");
                }
                sequence++;
            }
            collector.frames.clear();
            assertEquals(burst, consumer.read(collector, Integer.MAX_VALUE), "padding records are not frames");
            for (int b = 0; b < burst; b++)
            {
                final long s = first + b;
                assertArrayEquals(expected(s, 8 + (int)(s * 29 % 300)), collector.frames.get(b), "frame " + s);
            }
        }
        assertTrue(paddings > 50, "wrapped with padding " + paddings + " times");
    }

    @Test
    void abortedClaimsAreSkippedAndAClaimIsPublishedOnce()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);

        final int aborted = producer.tryClaim(40);
        fill(ring, aborted, 99, 40);
        producer.abort(aborted);
        assertThrows(IllegalStateException.class, () -> producer.commit(aborted));
        assertThrows(IllegalStateException.class, () -> producer.abort(aborted));
        final int committed = send(producer, 1, 24);
        assertThrows(IllegalStateException.class, () -> producer.commit(committed));
        assertThrows(IllegalStateException.class, () -> producer.abort(committed));
        assertThrows(IllegalStateException.class, () -> producer.commit(3));
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(MAX_FRAME + 1));
        assertThrows(IllegalArgumentException.class, () -> producer.tryClaim(-1));

        final Collector collector = new Collector();
        assertEquals(1, consumer.read(collector, 10));
        assertArrayEquals(expected(1, 24), collector.frames.get(0));
        assertEquals(producer.position(), consumer.position());
    }

    @Test
    void claimsCommittedOutOfOrderArriveInClaimOrderOnceTheFirstIsCommitted()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        final int first = producer.tryClaim(16);
        final int second = producer.tryClaim(17);
        final int third = producer.tryClaim(18);
        fill(ring, first, 0, 16);
        fill(ring, second, 1, 17);
        fill(ring, third, 2, 18);
        producer.commit(third);
        producer.abort(second);
        final Collector collector = new Collector();
        assertEquals(0, consumer.read(collector, 10), "the first claim is not committed");
        assertFalse(consumer.hasCommitted());
        producer.commit(first);
        assertTrue(consumer.hasCommitted());
        assertEquals(2, consumer.read(collector, 10));
        assertArrayEquals(expected(0, 16), collector.frames.get(0));
        assertArrayEquals(expected(2, 18), collector.frames.get(1));
        assertFalse(consumer.hasCommitted());
    }

    /**
     * A ring whose memory is full of words that look like committed headers (as old frames' bytes may) delivers only
     * what was committed: only the word at position 0 must say "not committed", as in a new (zeroed) file.
     */
    @Test
    void staleBytesThatLookLikeCommittedRecordsAreNeverDelivered()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < CAPACITY; i += ALIGNMENT)
        {
            ring.putLong(i, headerWord(HEADER_LENGTH + random.nextInt(64), FRAME_TYPE));
        }
        ring.putLong(0, NOT_COMMITTED);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        final Collector collector = new Collector();
        assertEquals(0, consumer.read(collector, 10));

        long sequence = 0;
        for (int i = 0; i < 5000; i++)
        {
            final int burst = 1 + random.nextInt(6);
            for (int b = 0; b < burst; b++)
            {
                final int length = random.nextInt(MAX_FRAME / 4);
                final int index = producer.tryClaim(length);
                assertTrue(index >= 0);
                // A frame whose bytes are themselves committed-looking header words, for later laps to trip on.
                for (int k = 0; k + ALIGNMENT <= length; k += ALIGNMENT)
                {
                    ring.putLong(index + k, headerWord(HEADER_LENGTH + random.nextInt(64), FRAME_TYPE));
                }
                final long checksum = checksum(ring, index, length);
                producer.commit(index);
                assertTrue(consumer.hasCommitted());
                collector.frames.clear();
                assertEquals(1, consumer.read(collector, Integer.MAX_VALUE), "frame " + sequence + " alone");
                assertEquals(length, collector.frames.get(0).length);
                assertEquals(checksum, checksum(new UnsafeBuffer(collector.frames.get(0)), 0, length));
                assertEquals(0, consumer.read(collector, Integer.MAX_VALUE), "no stale record after frame " + sequence);
                sequence++;
            }
        }
    }

    private static long checksum(final DirectBuffer buffer, final int index, final int length)
    {
        long sum = 17;
        for (int i = 0; i < length; i++)
        {
            sum = sum * 31 + buffer.getByte(index + i);
        }
        return sum;
    }

    /** An inbox slot handed to a new sender: the drained ring is not reset, the new producer carries on. */
    @Test
    void aNewProducerOverADrainedRingCarriesOnAndSeesNoStaleFrames()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingConsumer consumer = new RingConsumer(ring);
        final RingProducer first = new RingProducer(ring);
        final Collector collector = new Collector();
        long sequence = 0;
        for (int i = 0; i < 100; i++)
        {
            assertTrue(send(first, sequence++, 40 + i % 13) >= 0);
            assertEquals(1, consumer.read(collector, 10));
        }
        first.abort(first.tryClaim(24));
        assertEquals(0, consumer.read(collector, 10), "an aborted claim is skipped, never delivered");
        assertFalse(consumer.hasCommitted(), "drained");
        assertTrue(first.position() > CAPACITY, "the first producer wrapped");

        final RingProducer next = new RingProducer(ring);
        assertEquals(first.position(), next.position(), "the next producer starts where the last one stopped");
        assertEquals(0, consumer.read(collector, 10));
        final long start = sequence;
        for (int i = 0; i < 500; i++)
        {
            collector.frames.clear();
            final int length = 8 + i * 29 % 300;
            assertTrue(send(next, sequence, length) >= 0);
            assertEquals(1, consumer.read(collector, 10));
            assertArrayEquals(expected(sequence, length), collector.frames.get(0));
            sequence++;
        }
        assertEquals(500, sequence - start);
        assertEquals(next.position(), consumer.position());
    }

    @Test
    void aFrameWhoseHandlerThrowsIsConsumedAndTheRestStayForTheNextRead()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        for (int i = 0; i < 3; i++)
        {
            send(producer, i, 10);
        }
        assertThrows(IllegalStateException.class, () -> consumer.read((buffer, index, length) ->
        {
            throw new IllegalStateException("handler");
        }, 10));
        assertEquals(consumer.position(), ring.getLongVolatile(consumerPositionOffset(CAPACITY)));
        final Collector collector = new Collector();
        assertEquals(2, consumer.read(collector, 10));
        assertArrayEquals(expected(1, 10), collector.frames.get(0));
    }

    @Test
    void aCorruptRecordIsAnErrorNotADelivery()
    {
        final UnsafeBuffer ring = newRing(CAPACITY);
        final RingConsumer consumer = new RingConsumer(ring);
        ring.putLongVolatile(0, headerWord(CAPACITY + 8, FRAME_TYPE));
        final Collector collector = new Collector();
        assertThrows(IllegalStateException.class, () -> consumer.read(collector, 10));
        ring.putLongVolatile(0, headerWord(3, FRAME_TYPE));
        assertThrows(IllegalStateException.class, () -> consumer.read(collector, 10));
        ring.putLongVolatile(0, headerWord(16, 5));
        assertThrows(IllegalStateException.class, () -> consumer.read(collector, 10));
        assertEquals(List.of(), collector.frames);
    }

    /** A long read lets a waiting producer go on before it ends: the position is published every quarter ring. */
    @Test
    void aLongReadPublishesItsPositionEveryQuarterRing()
    {
        final int capacity = 64 * 1024;
        final UnsafeBuffer ring = newRing(capacity);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        int sent = 0;
        while (send(producer, sent, 56) >= 0)
        {
            sent++;
        }
        final List<Long> published = new ArrayList<>();
        final long[] last = {-1};
        assertEquals(sent, consumer.read((buffer, index, length) ->
        {
            final long position = ring.getLongVolatile(consumerPositionOffset(capacity));
            if (position != last[0])
            {
                published.add(position);
                last[0] = position;
            }
        }, Integer.MAX_VALUE));
        assertEquals(4, published.size(), "start, then three quarters, each published once: " + published);
        for (int i = 1; i < published.size(); i++)
        {
            assertEquals(capacity / 4, published.get(i) - published.get(i - 1), 64, "" + published);
        }
        assertEquals(consumer.position(), ring.getLongVolatile(consumerPositionOffset(capacity)));
    }

    @Test
    void producerAndConsumerOnTwoThreadsMoveEveryByteInOrder() throws Exception
    {
        runTwoThreads(CAPACITY, 150_000, 1);
    }

    @Test
    void producerAndConsumerOnTwoThreadsWithALargerRingAndLargeFrames() throws Exception
    {
        runTwoThreads(256 * 1024, 25_000, 2);
    }

    /**
     * The producer sends frames of random lengths (mostly small, some up to the largest), aborts some claims, and
     * keeps several claims outstanding at times; the consumer reads in batches of random sizes and checks the
     * sequence and every byte. The ring starts full of committed-looking garbage.
     */
    private static void runTwoThreads(final int capacity, final int frames, final long seed) throws Exception
    {
        final UnsafeBuffer ring = newRing(capacity);
        final SplittableRandom garbage = new SplittableRandom(seed);
        for (int i = 0; i < capacity; i += ALIGNMENT)
        {
            ring.putLong(i, headerWord(HEADER_LENGTH + garbage.nextInt(capacity / 8), FRAME_TYPE));
        }
        ring.putLong(0, NOT_COMMITTED);
        final RingProducer producer = new RingProducer(ring);
        final RingConsumer consumer = new RingConsumer(ring);
        final int maxFrame = maxFrameLength(capacity);
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        final Thread producerThread = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(seed * 1000 + 1);
            final int[] pending = new int[3];
            final long[] pendingSequence = new long[3];
            long sequence = 0;
            try
            {
                while (sequence < frames && null == failure.get())
                {
                    final int outstanding = 0 == random.nextInt(50) ? 1 + random.nextInt(3) : 1;
                    int claimed = 0;
                    while (claimed < outstanding && sequence < frames)
                    {
                        final int length = lengthOf(random, maxFrame);
                        final int index = producer.tryClaim(length);
                        if (index < 0)
                        {
                            break;
                        }
                        if (0 == random.nextInt(100))
                        {
                            fill(ring, index, -1, length);
                            producer.abort(index);
                            continue;
                        }
                        fill(ring, index, sequence, length);
                        if (length >= 4)
                        {
                            // The frame carries its own length: a record delivered with a wrong one is caught too.
                            ring.putInt(index, length);
                        }
                        pending[claimed] = index;
                        pendingSequence[claimed] = sequence++;
                        claimed++;
                    }
                    // Commit in reverse order: the consumer must still see them in claim order.
                    for (int k = claimed - 1; k >= 0; k--)
                    {
                        producer.commit(pending[k]);
                    }
                    if (0 == claimed)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        }, "ring-producer");

        final long[] received = {0};
        final FrameHandler checker = (buffer, index, length) ->
        {
            final long sequence = received[0]++;
            if (length >= 4)
            {
                assertEquals(length, buffer.getInt(index), "frame " + sequence + " length");
                final byte[] copy = new byte[length];
                buffer.getBytes(index, copy);
                new UnsafeBuffer(copy).putInt(0, (expectedByte(sequence, 0) & 0xFF) |
                    (expectedByte(sequence, 1) & 0xFF) << 8 | (expectedByte(sequence, 2) & 0xFF) << 16 |
                    (expectedByte(sequence, 3) & 0xFF) << 24);
                check(sequence, new UnsafeBuffer(copy), 0, length);
            }
            else
            {
                check(sequence, buffer, index, length);
            }
        };

        producerThread.start();
        final SplittableRandom random = new SplittableRandom(seed * 1000 + 2);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try
        {
            while (received[0] < frames && null == failure.get())
            {
                if (0 == consumer.read(checker, 1 + random.nextInt(64)))
                {
                    Thread.onSpinWait();
                }
                assertTrue(System.nanoTime() < deadline, "stuck after " + received[0] + " frames");
            }
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
        }
        producerThread.join(TimeUnit.SECONDS.toMillis(30));
        if (null != failure.get())
        {
            throw new AssertionError("after " + received[0] + " frames", failure.get());
        }
        assertEquals(frames, received[0]);
        final Collector rest = new Collector();
        assertEquals(0, consumer.read(rest, Integer.MAX_VALUE), "nothing after the last frame");
        assertEquals(producer.position(), consumer.position());
    }

    private static int lengthOf(final SplittableRandom random, final int maxFrame)
    {
        final int bucket = random.nextInt(10);
        if (bucket < 6)
        {
            return random.nextInt(64);
        }
        if (bucket < 9)
        {
            return random.nextInt(Math.min(maxFrame, 2048) + 1);
        }
        return maxFrame - random.nextInt(16);
    }
}
