package io.mpi4j.p2p;

import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.datatype.BasicTypes;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.transport.Connection;
import org.agrona.MutableDirectBuffer;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.mpi4j.p2p.FrameDescriptor.CONTEXT_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.EAGER_FIRST;
import static io.mpi4j.p2p.FrameDescriptor.FIRST_FRAGMENT_LENGTH_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.EAGER_MORE;
import static io.mpi4j.p2p.FrameDescriptor.HEADER_LENGTH;
import static io.mpi4j.p2p.FrameDescriptor.LENGTH_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.MORE_CONTEXT_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.MORE_LENGTH_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.MORE_OFFSET_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.MORE_PAYLOAD_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.MORE_SOURCE_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.PAYLOAD_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.RTS;
import static io.mpi4j.p2p.FrameDescriptor.SOURCE_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.TAG_OFFSET;
import static io.mpi4j.p2p.FrameDescriptor.TYPE_OFFSET;
import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.CONNECTION_CAPACITY;
import static io.mpi4j.p2p.LoopbackFixture.EAGER_LIMIT;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed messages through a transport with a pipeline chunk: below the eager limit they travel as an EAGER_FIRST
 * frame and EAGER_MORE fragments, which the receiver unpacks as they come, whether its receive was posted before
 * the first fragment, after the last, or in between; above it, rendezvous DATA chunks of the same length.
 */
class FragmentedEagerTest
{
    private static final int PIPELINE = 32;
    /** Ints 0 and 1 of every 3 in 5 rows: 40 packed bytes an item, so 1-3 items are eager, 4 or more rendezvous. */
    private static final TypeMap COLUMNS = TypeMap.vector(5, 2, 3, BasicTypes.INT);
    /** 20 packed bytes an item, in another arrangement. */
    private static final TypeMap SCATTERED = TypeMap.indexed(new int[]{ 1, 1, 1, 2 }, new int[]{ 0, 2, 4, 7 },
        BasicTypes.INT);
    /** 120 bytes: a first fragment and three more. */
    private static final int ITEMS = 3;
    private static final int PACKED = (int)COLUMNS.packedSize(ITEMS);

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
    @ValueSource(ints = {1, 2, 3, 4, 30})
    void packedMessagesArriveWholeInEveryOrderAndLayout(final int items)
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final int packed = (int)COLUMNS.packedSize(items);
        final byte[] matrix = pattern(items, (int)COLUMNS.highestOffset(items));
        final byte[] expected = packed(matrix, items);
        for (final boolean postFirst : new boolean[]{ true, false })
        {
            for (final boolean intoLayout : new boolean[]{ false, true })
            {
                final byte[] target = new byte[intoLayout ? (int)SCATTERED.highestOffset(2L * items) : packed];
                final Operation send;
                final Operation recv;
                if (postFirst)
                {
                    recv = receive(target, intoLayout, packed);
                    send = fixture.isend(0, 1, 4, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, packed);
                }
                else
                {
                    send = fixture.isend(0, 1, 4, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, packed);
                    fixture.settle();
                    recv = receive(target, intoLayout, packed);
                }
                fixture.await(send, recv);
                assertEquals(0, send.status().error);
                assertEquals(0, recv.status().error);
                assertEquals(packed, recv.status().byteCount);
                assertArrayEquals(expected, intoLayout ? unscatter(target, packed) : target);
            }
        }
        final boolean eager = packed <= EAGER_LIMIT;
        assertEquals(eager ? 4 : 0, fixture.sentFrames(0, EAGER_FIRST));
        assertEquals(eager ? 4L * ((packed + PIPELINE - 1) / PIPELINE - 1) : 0, fixture.sentFrames(0, EAGER_MORE));
        assertEquals(eager ? 0 : 4, fixture.sentFrames(0, RTS));
        assertNothingInFlight();
    }

    @Test
    void aMessageFromNativeMemoryIntoNativeMemory()
    {
        fixture = new LoopbackFixture(2, true, PIPELINE);
        final byte[] matrix = pattern(9, (int)COLUMNS.highestOffset(ITEMS));
        final ByteBuffer source = LoopbackFixture.direct(matrix);
        final ByteBuffer target = ByteBuffer.allocateDirect(PACKED);
        final Operation recv = fixture.irecv(1, 0, 2, WORLD, UserMemory.of(target));
        final Operation send = fixture.isend(0, 1, 2, SendMode.STANDARD, UserMemory.of(source), COLUMNS, PACKED);
        fixture.await(send, recv);
        final byte[] got = new byte[PACKED];
        target.get(got);
        assertArrayEquals(packed(matrix, ITEMS), got);
        assertEquals(1, fixture.sentFrames(0, EAGER_FIRST));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aReceiveTakesOverAnUnexpectedMessageHalfArrived(final boolean probeFirst)
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final byte[] matrix = pattern(5, (int)COLUMNS.highestOffset(ITEMS));
        final Operation[] fillers = fillConnection();
        final Operation send = fixture.isend(0, 1, 7, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, PACKED);
        assertEquals(1, fixture.sentFrames(0, EAGER_FIRST));
        final long moreSent = fixture.sentFrames(0, EAGER_MORE);
        assertTrue(moreSent < 3, "the connection had room for the whole message");
        drain(1);

        final byte[] target = new byte[PACKED];
        final Operation recv;
        if (probeFirst)
        {
            final StatusRecord status = new StatusRecord();
            final MatchedMessage message = fixture.improbe(1, 0, 7, WORLD, status);
            assertNotNull(message);
            assertEquals(PACKED, status.byteCount);
            recv = fixture.imrecv(1, message, UserMemory.of(target));
        }
        else
        {
            recv = fixture.irecv(1, 0, 7, target);
        }
        assertEquals(moreSent, fixture.sentFrames(0, EAGER_MORE), "the rest was still to come when it matched");
        fixture.await(send, recv);
        assertEquals(0, recv.status().error);
        assertEquals(PACKED, recv.status().byteCount);
        assertArrayEquals(packed(matrix, ITEMS), target);
        receiveFillers(fillers);
        assertNothingInFlight();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void truncationKeepsWhatFitsWhenTheReceiveComesBeforeDuringOrAfter(final int when)
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final byte[] matrix = pattern(6, (int)COLUMNS.highestOffset(ITEMS));
        final int capacity = 50;
        final byte[] target = new byte[capacity + 10];
        final byte[] untouched = target.clone();
        Operation recv = null;
        Operation[] fillers = null;
        if (when == 0)
        {
            recv = fixture.irecv(1, 0, 3, UserMemory.of(target, 0, capacity), null, capacity);
        }
        else if (when == 1)
        {
            fillers = fillConnection();
        }
        final Operation send = fixture.isend(0, 1, 3, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, PACKED);
        if (when == 1)
        {
            drain(1);
        }
        else if (when == 2)
        {
            fixture.settle();
        }
        if (recv == null)
        {
            recv = fixture.irecv(1, 0, 3, UserMemory.of(target, 0, capacity), null, capacity);
        }
        fixture.await(send, recv);
        assertEquals(0, send.status().error);
        assertEquals(ErrorClass.ERR_TRUNCATE, recv.status().error);
        final byte[] want = untouched.clone();
        System.arraycopy(packed(matrix, ITEMS), 0, want, 0, capacity);
        assertArrayEquals(want, target);
        if (fillers != null)
        {
            receiveFillers(fillers);
        }
        // the stream is intact after the truncated message
        final byte[] next = pattern(8, 16);
        final byte[] landing = new byte[16];
        fixture.await(fixture.isend(0, 1, 3, next), fixture.irecv(1, 0, 3, landing));
        assertArrayEquals(next, landing);
        assertNothingInFlight();
    }

    @Test
    void twoSendersInterleaveTheirFragmentsToAnySourceReceives()
    {
        fixture = new LoopbackFixture(3, false, PIPELINE);
        final byte[] first = pattern(1, (int)COLUMNS.highestOffset(ITEMS));
        final byte[] second = pattern(2, (int)COLUMNS.highestOffset(ITEMS));
        final byte[][] targets = new byte[4][PACKED];
        final Operation[] recvs = new Operation[4];
        for (int i = 0; i < recvs.length; i++)
        {
            recvs[i] = fixture.irecv(0, ANY_SOURCE, 1, targets[i]);
        }
        final Operation[] sends = new Operation[4];
        for (int i = 0; i < 2; i++)
        {
            sends[2 * i] = fixture.isend(1, 0, 1, SendMode.STANDARD, UserMemory.of(first), COLUMNS, PACKED);
            sends[2 * i + 1] = fixture.isend(2, 0, 1, SendMode.STANDARD, UserMemory.of(second), COLUMNS, PACKED);
        }
        final Operation[] all = Arrays.copyOf(recvs, 8);
        System.arraycopy(sends, 0, all, 4, 4);
        fixture.await(all);
        final int[] fromRank = new int[3];
        for (int i = 0; i < recvs.length; i++)
        {
            final int source = recvs[i].status().source;
            fromRank[source]++;
            assertArrayEquals(packed(source == 1 ? first : second, ITEMS), targets[i], "receive " + i);
        }
        assertEquals(2, fromRank[1]);
        assertEquals(2, fromRank[2]);
        assertNothingInFlight();
    }

    @Test
    void messagesAfterAFragmentedOneKeepTheirOrder()
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final byte[] matrix = pattern(4, (int)COLUMNS.highestOffset(ITEMS));
        final Operation[] fillers = fillConnection();
        final Operation packedSend =
            fixture.isend(0, 1, 5, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, PACKED);
        final byte[] small = pattern(3, 24);
        final Operation smallSend = fixture.isend(0, 1, 5, small);
        final byte[] synced = pattern(7, 40);
        final Operation syncSend = fixture.issend(0, 1, 5, synced);
        final byte[] a = new byte[PACKED];
        final byte[] b = new byte[PACKED];
        final byte[] c = new byte[PACKED];
        final Operation ra = fixture.irecv(1, 0, 5, a);
        final Operation rb = fixture.irecv(1, ANY_SOURCE, 5, b);
        final Operation rc = fixture.irecv(1, 0, 5, c);
        fixture.await(packedSend, smallSend, syncSend, ra, rb, rc);
        assertArrayEquals(packed(matrix, ITEMS), a);
        assertEquals(small.length, rb.status().byteCount);
        assertArrayEquals(small, Arrays.copyOf(b, small.length));
        assertEquals(synced.length, rc.status().byteCount);
        assertArrayEquals(synced, Arrays.copyOf(c, synced.length));
        receiveFillers(fillers);
        assertNothingInFlight();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aReceiveWhoseSenderDiesBetweenFragmentsFails(final boolean posted)
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final byte[] matrix = pattern(3, (int)COLUMNS.highestOffset(ITEMS));
        final byte[] target = new byte[PACKED];
        Operation recv = posted ? fixture.irecv(1, 0, 7, target) : null;
        fillConnection();
        fixture.isend(0, 1, 7, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, PACKED);
        drain(1);
        fixture.p2p(1).noticeProcessFailure(ProcessKeys.key(0, 0));
        fixture.progress(1);
        if (!posted)
        {
            recv = fixture.irecv(1, 0, 7, target);
        }
        assertTrue(recv.isComplete());
        assertEquals(ErrorClass.ERR_PROC_FAILED, recv.status().error);
        // fragments the dead process wrote before it died are dropped, not taken for corruption
        fixture.progressAll();
        fixture.progressAll();
    }

    @Test
    void aFragmentOfNoMessageOrBeyondItsMessageIsAnInternalError()
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final Connection stranger = fixture.network().open().connect(fixture.transport(1).address());

        // the rest of a message that never began
        int index = stranger.tryClaim(MORE_PAYLOAD_OFFSET + 8);
        final MutableDirectBuffer buffer = stranger.buffer();
        buffer.putInt(index + TYPE_OFFSET, EAGER_MORE);
        buffer.putInt(index + MORE_CONTEXT_OFFSET, WORLD);
        buffer.putInt(index + MORE_SOURCE_OFFSET, 0);
        buffer.putInt(index + MORE_LENGTH_OFFSET, 8);
        buffer.putLong(index + MORE_OFFSET_OFFSET, 32);
        stranger.commit(index);
        final MpiError orphan = assertThrows(MpiError.class, () -> drain(1));
        assertEquals(ErrorClass.ERR_INTERN, orphan.errorClass());
        assertTrue(orphan.getMessage().contains("no message in flight from rank 0"), orphan.getMessage());

        // a first fragment longer than its message
        index = stranger.tryClaim(PAYLOAD_OFFSET + 16);
        buffer.putInt(index + TYPE_OFFSET, EAGER_FIRST);
        buffer.putInt(index + CONTEXT_OFFSET, WORLD);
        buffer.putInt(index + SOURCE_OFFSET, 0);
        buffer.putInt(index + TAG_OFFSET, 1);
        buffer.putLong(index + LENGTH_OFFSET, 8);
        buffer.putLong(index + FIRST_FRAGMENT_LENGTH_OFFSET, 16);
        stranger.commit(index);
        final MpiError corrupt = assertThrows(MpiError.class, () -> drain(1));
        assertEquals(ErrorClass.ERR_INTERN, corrupt.errorClass());
        assertTrue(corrupt.getMessage().contains("corrupt fragment from rank 0"), corrupt.getMessage());

        // the process goes on: a real message still arrives whole
        final byte[] data = pattern(4, 24);
        final byte[] target = new byte[24];
        fixture.await(fixture.isend(0, 1, 2, data), fixture.irecv(1, 0, 2, target));
        assertArrayEquals(data, target);
    }

    @Test
    void aSynchronousPackedSendIsNotFragmented()
    {
        fixture = new LoopbackFixture(2, false, PIPELINE);
        final byte[] matrix = pattern(2, (int)COLUMNS.highestOffset(ITEMS));
        final Operation send = fixture.isend(0, 1, 6, SendMode.SYNCHRONOUS, UserMemory.of(matrix), COLUMNS, PACKED);
        fixture.settle();
        assertTrue(!send.isComplete(), "a synchronous send completes only once matched");
        final byte[] target = new byte[PACKED];
        final Operation recv = fixture.irecv(1, 0, 6, target);
        fixture.await(send, recv);
        assertArrayEquals(packed(matrix, ITEMS), target);
        assertEquals(0, fixture.sentFrames(0, EAGER_FIRST));
    }

    /**
     * Unexpected eager messages (tag 99) from rank 0 that leave room in the connection to rank 1 for a first
     * fragment and less than the rest of a packed message.
     */
    private Operation[] fillConnection()
    {
        final int frame = HEADER_LENGTH + EAGER_LIMIT;
        final int count = (CONNECTION_CAPACITY - 3 * (HEADER_LENGTH + PIPELINE)) / frame + 1;
        final Operation[] fillers = new Operation[count];
        for (int i = 0; i < count; i++)
        {
            fillers[i] = fixture.isend(0, 1, 99, pattern(100 + i, EAGER_LIMIT));
        }
        return fillers;
    }

    private void receiveFillers(final Operation[] fillers)
    {
        for (int i = 0; i < fillers.length; i++)
        {
            final byte[] landing = new byte[EAGER_LIMIT];
            fixture.await(fillers[i], fixture.irecv(1, 0, 99, landing));
            assertArrayEquals(pattern(100 + i, EAGER_LIMIT), landing);
        }
    }

    /** Nothing of the finished messages stays behind in any process (no cookie, no fragment route). */
    private void assertNothingInFlight()
    {
        for (int rank = 0; rank < fixture.size(); rank++)
        {
            assertEquals(0, fixture.p2p(rank).operationsInFlight(), "operations kept by rank " + rank);
        }
    }

    /** Turn {@code rank}'s engine until it has handled every frame that reached it. */
    private void drain(final int rank)
    {
        int turns = 0;
        while (fixture.progress(rank) > 0 || turns++ < 3)
        {
            // keep turning: a turn that found nothing may precede frames the transport delivers on the next
        }
    }

    private Operation receive(final byte[] target, final boolean intoLayout, final int packed)
    {
        return intoLayout ?
            fixture.irecv(1, 0, 4, UserMemory.of(target), SCATTERED, packed) : fixture.irecv(1, 0, 4, target);
    }

    private static byte[] packed(final byte[] matrix, final int items)
    {
        final byte[] bytes = new byte[(int)COLUMNS.packedSize(items)];
        Packer.pack(COLUMNS, items, matrix, Memory.BYTE_ARRAY_BASE, bytes, 0);
        return bytes;
    }

    private static byte[] unscatter(final byte[] target, final int packed)
    {
        final byte[] bytes = new byte[packed];
        Packer.pack(SCATTERED, packed / 20, target, Memory.BYTE_ARRAY_BASE, bytes, 0);
        return bytes;
    }
}
