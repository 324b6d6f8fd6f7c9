package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.mpi4j.p2p.FrameDescriptor.CTS;
import static io.mpi4j.p2p.FrameDescriptor.DATA;
import static io.mpi4j.p2p.FrameDescriptor.EAGER;
import static io.mpi4j.p2p.FrameDescriptor.EAGER_SYNC;
import static io.mpi4j.p2p.FrameDescriptor.READ_DONE;
import static io.mpi4j.p2p.FrameDescriptor.RTS;
import static io.mpi4j.p2p.FrameDescriptor.RTS_READ;
import static io.mpi4j.p2p.FrameDescriptor.SYNC_ACK;
import static io.mpi4j.p2p.LoopbackFixture.CHUNK_LENGTH;
import static io.mpi4j.p2p.LoopbackFixture.EAGER_LIMIT;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.direct;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eager, synchronous and rendezvous protocols: which one a message takes, that its bytes arrive whole whatever
 * the memory on either side, that back-pressure stalls nothing, and what truncation does.
 */
class ProtocolTest
{
    /** Bytes before and after a receive region, which no receive may touch. */
    private static final int GUARD = 16;
    private static final byte GUARD_BYTE = (byte)0xEE;

    private LoopbackFixture fixture;

    @AfterEach
    void close()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, EAGER_LIMIT - 1, EAGER_LIMIT, EAGER_LIMIT + 1, CHUNK_LENGTH, CHUNK_LENGTH + 1,
        3 * CHUNK_LENGTH, 3 * CHUNK_LENGTH - 1, 100_000})
    void sizesAroundTheThresholdsArriveWholeWithTheRightProtocol(final int size)
    {
        fixture = new LoopbackFixture(2);
        for (final boolean postFirst : new boolean[]{true, false})
        {
            final byte[] data = pattern(size, size);
            final byte[] landing = guarded(size);
            final Operation recv;
            final Operation send;
            if (postFirst)
            {
                recv = fixture.irecv(1, 0, 3, WORLD, inside(landing, size));
                send = fixture.isend(0, 1, 3, data);
            }
            else
            {
                send = fixture.isend(0, 1, 3, data);
                fixture.settle();
                recv = fixture.irecv(1, 0, 3, WORLD, inside(landing, size));
            }
            fixture.await(send, recv);
            assertReceived(recv, 0, 3, data, landing);
            assertEquals(0, send.status().error);
        }
        final boolean eager = size <= EAGER_LIMIT;
        assertEquals(eager ? 2 : 0, fixture.sentFrames(0, EAGER), "eager frames");
        assertEquals(eager ? 0 : 2, fixture.sentFrames(0, RTS), "rendezvous requests");
        assertEquals(eager ? 0 : 2, fixture.sentFrames(1, CTS), "clear-to-send answers");
        final long chunks = eager ? 0 : 2L * ((size + CHUNK_LENGTH - 1) / CHUNK_LENGTH);
        assertEquals(chunks, fixture.sentFrames(0, DATA), "DATA chunks");
    }

    /** Array to direct, direct to array, direct to direct, with offsets inside arrays: the same bytes arrive. */
    @Test
    void arrayAndDirectBuffersOnEitherSide()
    {
        fixture = new LoopbackFixture(2);
        int seed = 0;
        for (final int size : new int[]{5, EAGER_LIMIT, 2500})
        {
            for (int kinds = 0; kinds < 4; kinds++)
            {
                final byte[] data = pattern(++seed, size);
                final boolean directSend = (kinds & 1) != 0;
                final boolean directRecv = (kinds & 2) != 0;
                final byte[] sendArray = new byte[size + 11];
                System.arraycopy(data, 0, sendArray, 11, size);
                final UserMemory source = directSend ? UserMemory.of(direct(data)) :
                    UserMemory.of(sendArray, 11, size);
                final ByteBuffer directLanding = ByteBuffer.allocateDirect(size + 8);
                directLanding.position(8);
                final byte[] arrayLanding = guarded(size);
                final UserMemory target = directRecv ? UserMemory.of(directLanding.slice()) :
                    inside(arrayLanding, size);

                final Operation recv = fixture.irecv(1, 0, seed, WORLD, target);
                final Operation send = fixture.isend(0, 1, seed, WORLD, SendMode.STANDARD, source);
                fixture.await(send, recv);
                assertEquals(0, recv.status().error);
                assertEquals(size, recv.status().byteCount);
                assertArrayEquals(data, target.toArray(), "size " + size + " kinds " + kinds);
                if (!directRecv)
                {
                    assertGuardsIntact(arrayLanding, size);
                }
            }
        }
    }

    /** A synchronous send completes only once a receive matched it, eager-sized or not. */
    @ParameterizedTest
    @ValueSource(ints = {0, 10, EAGER_LIMIT, 1000})
    void synchronousSendCompletesOnlyOnMatch(final int size)
    {
        fixture = new LoopbackFixture(2);
        final Operation send = fixture.issend(0, 1, 4, pattern(1, size));
        for (int i = 0; i < 50; i++)
        {
            fixture.progressAll();
        }
        assertFalse(send.isComplete(), "no receive posted yet");
        assertTrue(fixture.iprobe(1, 0, 4, WORLD) != null, "the envelope did arrive");
        final byte[] landing = new byte[size];
        final Operation recv = fixture.irecv(1, 0, 4, landing);
        fixture.await(send, recv);
        assertArrayEquals(pattern(1, size), landing);
        final boolean eager = size <= EAGER_LIMIT;
        assertEquals(eager ? 1 : 0, fixture.sentFrames(0, EAGER_SYNC));
        assertEquals(eager ? 1 : 0, fixture.sentFrames(1, SYNC_ACK));
    }

    /** A standard eager send completes at once, without a receiver: the receiver keeps a copy. */
    @Test
    void standardEagerSendDoesNotWaitForTheReceiver()
    {
        fixture = new LoopbackFixture(2);
        final byte[] data = pattern(3, EAGER_LIMIT);
        final Operation send = fixture.isend(0, 1, 1, data);
        fixture.progress(0);
        assertTrue(send.isComplete());
        Arrays.fill(data, (byte)0);
        final byte[] landing = new byte[EAGER_LIMIT];
        final Operation recv = fixture.irecv(1, 0, 1, landing);
        fixture.await(recv);
        assertArrayEquals(pattern(3, EAGER_LIMIT), landing, "the copy was taken at send time");
    }

    /** A rendezvous send keeps the user's buffer until matched: completion means the data has left it. */
    @Test
    void rendezvousSendWaitsForTheReceiver()
    {
        fixture = new LoopbackFixture(2);
        final Operation send = fixture.isend(0, 1, 1, pattern(4, 5000));
        for (int i = 0; i < 50; i++)
        {
            fixture.progressAll();
        }
        assertFalse(send.isComplete());
        final byte[] landing = new byte[5000];
        final Operation recv = fixture.irecv(1, 0, 1, landing);
        fixture.await(send, recv);
        assertArrayEquals(pattern(4, 5000), landing);
    }

    /**
     * Many large messages at once through connections that hold a few frames: the outbox holds back what does not
     * fit and everything arrives, in order, in both directions at once.
     */
    @Test
    void backPressureInBothDirectionsLosesNothing()
    {
        fixture = new LoopbackFixture(2);
        final int count = 6;
        final int size = 20_000;
        final Operation[] ops = new Operation[4 * count];
        final byte[][] landings = new byte[2 * count][size];
        for (int i = 0; i < count; i++)
        {
            ops[4 * i] = fixture.isend(0, 1, i, pattern(i, size));
            ops[4 * i + 1] = fixture.isend(1, 0, i, pattern(100 + i, size));
            ops[4 * i + 2] = fixture.irecv(1, 0, i, landings[i]);
            ops[4 * i + 3] = fixture.irecv(0, 1, i, landings[count + i]);
        }
        fixture.await(ops);
        for (int i = 0; i < count; i++)
        {
            assertArrayEquals(pattern(i, size), landings[i], "0 -> 1 message " + i);
            assertArrayEquals(pattern(100 + i, size), landings[count + i], "1 -> 0 message " + i);
        }
        assertTrue(fixture.fullCount(0, 1) > 0 && fixture.fullCount(1, 0) > 0, "both connections were full");
    }

    /** Eager frames that find the connection full wait in the outbox, behind which later sends queue in order. */
    @Test
    void eagerSendsQueueBehindAFullConnection()
    {
        fixture = new LoopbackFixture(2);
        final int count = 100;
        final Operation[] sends = new Operation[count];
        for (int i = 0; i < count; i++)
        {
            sends[i] = fixture.isend(0, 1, 0, pattern(i, 100));
        }
        assertFalse(sends[count - 1].isComplete(), "the connection cannot hold 100 frames of 132 bytes");
        assertTrue(fixture.fullCount(0, 1) > 0);
        final byte[][] landings = new byte[count][100];
        final Operation[] recvs = new Operation[count];
        for (int i = 0; i < count; i++)
        {
            recvs[i] = fixture.irecv(1, 0, 0, landings[i]);
        }
        fixture.await(sends);
        fixture.await(recvs);
        for (int i = 0; i < count; i++)
        {
            assertArrayEquals(pattern(i, 100), landings[i], "message " + i);
        }
    }

    // ------------------------------------------------------------------------------------------------ truncation

    @ParameterizedTest
    @ValueSource(ints = {50, EAGER_LIMIT, 1000, 10_000})
    void truncationFillsWhatFitsReportsTheErrorAndLosesNothingAfter(final int size)
    {
        fixture = new LoopbackFixture(2);
        final int capacity = size / 3;
        for (final boolean postFirst : new boolean[]{true, false})
        {
            final byte[] landing = guarded(capacity);
            final byte[] after = new byte[100];
            Operation recv = null;
            if (postFirst)
            {
                recv = fixture.irecv(1, 0, 8, WORLD, inside(landing, capacity));
            }
            final Operation send = fixture.isend(0, 1, 8, pattern(size, size));
            final Operation next = fixture.isend(0, 1, 8, pattern(-1, 100));
            fixture.settle();
            if (!postFirst)
            {
                recv = fixture.irecv(1, 0, 8, WORLD, inside(landing, capacity));
            }
            fixture.await(recv, send);
            final StatusRecord status = recv.status();
            assertEquals(ErrorClass.ERR_TRUNCATE, status.error);
            assertTrue(recv.errorDetail().contains("truncated"), recv.errorDetail());
            assertEquals(0, status.source);
            assertEquals(8, status.tag);
            assertEquals(capacity, status.byteCount, "bytes actually received");
            assertArrayEquals(Arrays.copyOf(pattern(size, size), capacity), Arrays.copyOfRange(landing, GUARD,
                GUARD + capacity));
            assertGuardsIntact(landing, capacity);
            assertEquals(0, send.status().error, "the sender is not told");

            final Operation recvNext = fixture.irecv(1, 0, 8, after);
            fixture.await(recvNext, next);
            assertEquals(0, recvNext.status().error);
            assertArrayEquals(pattern(-1, 100), after, "the next message is intact");
        }
        if (size > EAGER_LIMIT)
        {
            final long chunksPerMessage = (capacity + CHUNK_LENGTH - 1) / CHUNK_LENGTH;
            assertEquals(2 * chunksPerMessage, fixture.sentFrames(0, DATA), "only what fits was sent");
        }
    }

    /** A zero-byte receive of a rendezvous message: nothing moves, both sides complete. */
    @Test
    void rendezvousIntoAnEmptyBufferCompletesBothSides()
    {
        fixture = new LoopbackFixture(2);
        final Operation send = fixture.isend(0, 1, 1, pattern(1, 3000));
        final Operation recv = fixture.irecv(1, 0, 1, new byte[0]);
        fixture.await(send, recv);
        assertEquals(ErrorClass.ERR_TRUNCATE, recv.status().error);
        assertEquals(0, recv.status().byteCount);
        assertEquals(0, fixture.sentFrames(0, DATA));
    }

    // --------------------------------------------------------------------------------------- rendezvous by read

    /** Native to native with one-sided reads: RTS_READ, the receiver reads, READ_DONE; no DATA frame. */
    @Test
    void nativeBuffersGoByOneSidedRead()
    {
        fixture = new LoopbackFixture(2, true);
        final byte[] data = pattern(7, 50_000);
        final ByteBuffer landing = ByteBuffer.allocateDirect(data.length);
        final UserMemory target = UserMemory.of(landing);
        final Operation send = fixture.isend(0, 1, 2, WORLD, SendMode.STANDARD, UserMemory.of(direct(data)));
        fixture.settle();
        assertFalse(send.isComplete());
        final Operation recv = fixture.irecv(1, 0, 2, WORLD, target);
        fixture.await(send, recv);
        assertArrayEquals(data, target.toArray());
        assertEquals(data.length, recv.status().byteCount);
        assertEquals(1, fixture.sentFrames(0, RTS_READ));
        assertEquals(1, fixture.sentFrames(1, READ_DONE));
        assertEquals(0, fixture.sentFrames(0, DATA));
        assertEquals(1, fixture.transport(1).readsStarted());
        assertEquals(0, fixture.network().exposedRegions(), "the sender released its region");
    }

    /** The receiver's Java array cannot be read into: it answers CTS and the data streams as DATA frames. */
    @Test
    void anArrayReceiverAnswersAReadRequestWithClearToSend()
    {
        fixture = new LoopbackFixture(2, true);
        final byte[] data = pattern(8, 3000);
        final byte[] landing = new byte[3000];
        final Operation recv = fixture.irecv(1, 0, 2, landing);
        final Operation send = fixture.isend(0, 1, 2, WORLD, SendMode.STANDARD, UserMemory.of(direct(data)));
        fixture.await(send, recv);
        assertArrayEquals(data, landing);
        assertEquals(1, fixture.sentFrames(0, RTS_READ));
        assertEquals(1, fixture.sentFrames(1, CTS));
        assertTrue(fixture.sentFrames(0, DATA) > 0);
        assertEquals(0, fixture.transport(1).readsStarted());
        assertEquals(0, fixture.network().exposedRegions(), "released on CTS");
    }

    /** A read the transport cannot start now falls back to CTS and DATA. */
    @Test
    void aRefusedReadFallsBackToStreaming()
    {
        fixture = new LoopbackFixture(2, true);
        fixture.transport(1).refuseReads(true);
        final byte[] data = pattern(9, 3000);
        final ByteBuffer landing = ByteBuffer.allocateDirect(3000);
        final UserMemory target = UserMemory.of(landing);
        final Operation recv = fixture.irecv(1, 0, 2, WORLD, target);
        final Operation send = fixture.isend(0, 1, 2, WORLD, SendMode.STANDARD, UserMemory.of(direct(data)));
        fixture.await(send, recv);
        assertArrayEquals(data, target.toArray());
        assertEquals(1, fixture.sentFrames(1, CTS));
        assertEquals(0, fixture.network().exposedRegions());
    }

    /** A region the sender could not expose goes as a plain RTS. */
    @Test
    void aRegionThatCannotBeExposedGoesAsPlainRendezvous()
    {
        fixture = new LoopbackFixture(2, true);
        fixture.transport(0).refuseExposure(true);
        final byte[] data = pattern(10, 3000);
        final ByteBuffer landing = ByteBuffer.allocateDirect(3000);
        final UserMemory target = UserMemory.of(landing);
        final Operation send = fixture.isend(0, 1, 2, WORLD, SendMode.STANDARD, UserMemory.of(direct(data)));
        final Operation recv = fixture.irecv(1, 0, 2, WORLD, target);
        fixture.await(send, recv);
        assertArrayEquals(data, target.toArray());
        assertEquals(0, fixture.sentFrames(0, RTS_READ));
        assertEquals(1, fixture.sentFrames(0, RTS));
    }

    /** Truncation by read: only what fits is read, the status says so, the sender's region is released. */
    @Test
    void truncatedReadTakesOnlyWhatFits()
    {
        fixture = new LoopbackFixture(2, true);
        final byte[] data = pattern(11, 4000);
        final ByteBuffer landing = ByteBuffer.allocateDirect(1000 + GUARD);
        for (int i = 0; i < landing.capacity(); i++)
        {
            landing.put(i, GUARD_BYTE);
        }
        landing.limit(1000);
        final UserMemory target = UserMemory.of(landing);
        final Operation send = fixture.isend(0, 1, 2, WORLD, SendMode.STANDARD, UserMemory.of(direct(data)));
        final Operation recv = fixture.irecv(1, 0, 2, WORLD, target);
        fixture.await(send, recv);
        assertEquals(ErrorClass.ERR_TRUNCATE, recv.status().error);
        assertEquals(1000, recv.status().byteCount);
        assertArrayEquals(Arrays.copyOf(data, 1000), target.toArray());
        landing.limit(landing.capacity());
        for (int i = 1000; i < landing.capacity(); i++)
        {
            assertEquals(GUARD_BYTE, landing.get(i), "byte " + i + " past the receive buffer");
        }
        assertEquals(1, fixture.transport(1).readsStarted());
        assertEquals(0, fixture.network().exposedRegions());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** An array with {@link #GUARD} guard bytes on both sides of a {@code size}-byte region. */
    static byte[] guarded(final int size)
    {
        final byte[] array = new byte[GUARD + size + GUARD];
        Arrays.fill(array, GUARD_BYTE);
        return array;
    }

    static UserMemory inside(final byte[] guarded, final int size)
    {
        return UserMemory.of(guarded, GUARD, size);
    }

    static void assertGuardsIntact(final byte[] guarded, final int size)
    {
        for (int i = 0; i < GUARD; i++)
        {
            assertEquals(GUARD_BYTE, guarded[i], "guard byte before the buffer");
            assertEquals(GUARD_BYTE, guarded[GUARD + size + i], "guard byte after the buffer");
        }
    }

    private static void assertReceived(
        final Operation recv, final int source, final int tag, final byte[] data, final byte[] guarded)
    {
        final StatusRecord status = recv.status();
        assertEquals(0, status.error, recv.errorDetail());
        assertEquals(source, status.source);
        assertEquals(tag, status.tag);
        assertEquals(data.length, status.byteCount);
        assertFalse(status.cancelled);
        assertArrayEquals(data, Arrays.copyOfRange(guarded, GUARD, GUARD + data.length));
        assertGuardsIntact(guarded, data.length);
    }
}
