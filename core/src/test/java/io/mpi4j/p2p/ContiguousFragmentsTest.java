package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.mpi4j.p2p.FrameDescriptor.DATA;
import static io.mpi4j.p2p.FrameDescriptor.EAGER;
import static io.mpi4j.p2p.FrameDescriptor.EAGER_FIRST;
import static io.mpi4j.p2p.FrameDescriptor.EAGER_MORE;
import static io.mpi4j.p2p.FrameDescriptor.RTS;
import static io.mpi4j.p2p.LoopbackFixture.EAGER_LIMIT;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contiguous messages through a transport with a fragment length: above it an eager message travels as EAGER_FIRST
 * and EAGER_MORE fragments and rendezvous data in chunks of that length, whatever the order in which send and
 * receive come, into arrays and native memory, truncated or not.
 */
class ContiguousFragmentsTest
{
    private static final int FRAGMENT = 64;

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
    @ValueSource(ints = {FRAGMENT, FRAGMENT + 1, EAGER_LIMIT, EAGER_LIMIT + 1, 1000})
    void messagesArriveWholeInEveryOrderIntoArraysAndNativeMemory(final int bytes)
    {
        fixture = new LoopbackFixture(2, false, 0, FRAGMENT);
        final byte[] data = pattern(bytes, bytes);
        int messages = 0;
        for (final boolean postFirst : new boolean[]{ true, false })
        {
            for (final boolean direct : new boolean[]{ false, true })
            {
                final ByteBuffer nativeTarget = ByteBuffer.allocateDirect(bytes);
                final byte[] arrayTarget = new byte[bytes];
                final UserMemory target = direct ? UserMemory.of(nativeTarget) : UserMemory.of(arrayTarget);
                final UserMemory source = direct ? UserMemory.of(LoopbackFixture.direct(data)) : UserMemory.of(data);
                final Operation send;
                final Operation recv;
                if (postFirst)
                {
                    recv = fixture.irecv(1, 0, 4, WORLD, target);
                    send = fixture.isend(0, 1, 4, WORLD, SendMode.STANDARD, source);
                }
                else
                {
                    send = fixture.isend(0, 1, 4, WORLD, SendMode.STANDARD, source);
                    fixture.settle();
                    recv = fixture.irecv(1, 0, 4, WORLD, target);
                }
                fixture.await(send, recv);
                messages++;
                assertEquals(0, recv.status().error);
                assertEquals(bytes, recv.status().byteCount);
                final byte[] got = direct ? new byte[bytes] : arrayTarget;
                if (direct)
                {
                    nativeTarget.get(got);
                }
                assertArrayEquals(data, got);
            }
        }
        final boolean fragmented = bytes > FRAGMENT && bytes <= EAGER_LIMIT;
        assertEquals(fragmented ? messages : 0, fixture.sentFrames(0, EAGER_FIRST));
        assertEquals(fragmented ? messages * ((bytes - 1) / FRAGMENT) : 0, fixture.sentFrames(0, EAGER_MORE));
        assertEquals(bytes <= FRAGMENT ? messages : 0, fixture.sentFrames(0, EAGER));
        if (bytes > EAGER_LIMIT)
        {
            assertEquals(messages, fixture.sentFrames(0, RTS));
            assertEquals(messages * ((bytes + FRAGMENT - 1) / FRAGMENT), fixture.sentFrames(0, DATA),
                "rendezvous data in chunks of the fragment length");
        }
        assertNothingInFlight();
    }

    @Test
    void aReceiveTakesOverAMessageHalfArrived()
    {
        fixture = new LoopbackFixture(2, false, 0, FRAGMENT);
        // leave room in the connection for the first fragment only: 9 frames of 96 bytes of 1024
        final Operation[] fillers = new Operation[9];
        for (int i = 0; i < fillers.length; i++)
        {
            fillers[i] = fixture.isend(0, 1, 99, pattern(100 + i, FRAGMENT));
        }
        final byte[] data = pattern(7, EAGER_LIMIT);
        final Operation send = fixture.isend(0, 1, 7, data);
        assertEquals(1, fixture.sentFrames(0, EAGER_FIRST));
        assertEquals(0, fixture.sentFrames(0, EAGER_MORE), "the connection had room for the whole message");
        int turns = 0;
        while (fixture.progress(1) > 0 || turns++ < 3)
        {
            // rank 1 takes every frame that reached it: the fillers and the first fragment
        }
        final byte[] target = new byte[EAGER_LIMIT];
        final Operation recv = fixture.irecv(1, 0, 7, target);
        assertEquals(0, fixture.sentFrames(0, EAGER_MORE), "the rest was still to come when it matched");
        fixture.await(send, recv);
        assertArrayEquals(data, target);
        for (int i = 0; i < fillers.length; i++)
        {
            final byte[] landing = new byte[EAGER_LIMIT];
            final Operation filler = fixture.irecv(1, 0, 99, landing);
            fixture.await(fillers[i], filler);
            final byte[] want = pattern(100 + i, FRAGMENT);
            assertArrayEquals(want, Arrays.copyOf(landing, want.length));
        }
        assertNothingInFlight();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncationKeepsWhatFits(final boolean postFirst)
    {
        fixture = new LoopbackFixture(2, false, 0, FRAGMENT);
        final byte[] data = pattern(3, EAGER_LIMIT);
        final int capacity = 80;
        final byte[] target = new byte[capacity + 8];
        Operation recv = postFirst ? fixture.irecv(1, 0, 2, WORLD, UserMemory.of(target, 0, capacity)) : null;
        final Operation send = fixture.isend(0, 1, 2, data);
        fixture.settle();
        if (!postFirst)
        {
            recv = fixture.irecv(1, 0, 2, WORLD, UserMemory.of(target, 0, capacity));
        }
        fixture.await(send, recv);
        assertEquals(ErrorClass.ERR_TRUNCATE, recv.status().error);
        final byte[] want = new byte[target.length];
        System.arraycopy(data, 0, want, 0, capacity);
        assertArrayEquals(want, target);
        assertNothingInFlight();
    }

    @Test
    void aBufferedSendOfMoreThanOneFragmentIsCopiedAndArrives()
    {
        fixture = new LoopbackFixture(2, false, 0, FRAGMENT);
        final byte[] data = pattern(9, 100);
        fixture.bufferedSends(0).attach(data.length + BufferedSendSpace.BSEND_OVERHEAD);
        final Operation send = fixture.isend(0, 1, 6, WORLD, SendMode.BUFFERED, UserMemory.of(data));
        final byte[] sent = data.clone();
        Arrays.fill(data, (byte)0);
        final byte[] target = new byte[100];
        final Operation recv = fixture.irecv(1, 0, 6, target);
        fixture.await(send, recv);
        assertArrayEquals(sent, target);
        assertTrue(fixture.sentFrames(0, EAGER_FIRST) > 0);
        assertNothingInFlight();
    }

    private void assertNothingInFlight()
    {
        for (int rank = 0; rank < fixture.size(); rank++)
        {
            assertEquals(0, fixture.p2p(rank).operationsInFlight(), "operations kept by rank " + rank);
        }
    }
}
