package io.mpi4j.p2p;

import io.mpi4j.datatype.BasicTypes;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static io.mpi4j.p2p.FrameDescriptor.CTS;
import static io.mpi4j.p2p.FrameDescriptor.RTS;
import static io.mpi4j.p2p.FrameDescriptor.RTS_READ;
import static io.mpi4j.p2p.LoopbackFixture.CHUNK_LENGTH;
import static io.mpi4j.p2p.LoopbackFixture.EAGER_LIMIT;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Non-contiguous layouts through every protocol: the sender packs its items into the frames and the receiver
 * unpacks them into place, chunk by chunk, whatever the other side's layout; bytes between the items stay as
 * they were.
 */
class DerivedLayoutTest
{
    /** One item: ints 0 and 1 of every 3 in 5 rows (a column pair of a 5x3 int matrix), 40 packed bytes. */
    private static final TypeMap COLUMNS = TypeMap.vector(5, 2, 3, BasicTypes.INT);
    /** Another layout of the same stream: 3 single ints, 2 ints apart, then one int after a gap. */
    private static final TypeMap SCATTERED = TypeMap.indexed(new int[]{ 1, 1, 1, 2 }, new int[]{ 0, 2, 4, 7 },
        BasicTypes.INT);

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
    @ValueSource(ints = {1, 3, 4, 5, 30, 1000})
    void columnsSentPackedArriveContiguousAndBack(final int items)
    {
        fixture = new LoopbackFixture(2);
        final long packed = COLUMNS.packedSize(items);
        final byte[] matrix = pattern(items, (int)COLUMNS.highestOffset(items));
        final byte[] expected = new byte[(int)packed];
        Packer.pack(COLUMNS, items, matrix, Memory.BYTE_ARRAY_BASE, expected, 0);
        for (final boolean postFirst : new boolean[]{ true, false })
        {
            final byte[] landing = new byte[(int)packed];
            final Operation send;
            final Operation recv;
            if (postFirst)
            {
                recv = fixture.irecv(1, 0, 4, WORLD, UserMemory.of(landing));
                send = fixture.isend(0, 1, 4, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, packed);
            }
            else
            {
                send = fixture.isend(0, 1, 4, SendMode.STANDARD, UserMemory.of(matrix), COLUMNS, packed);
                fixture.settle();
                recv = fixture.irecv(1, 0, 4, WORLD, UserMemory.of(landing));
            }
            fixture.await(send, recv);
            assertEquals(0, recv.status().error);
            assertEquals(packed, recv.status().byteCount);
            assertArrayEquals(expected, landing);

            // and back: contiguous bytes into the columns of a matrix whose other bytes must survive
            final byte[] target = pattern(99, matrix.length);
            final byte[] untouched = target.clone();
            final Operation back = fixture.irecv(0, 1, 5, UserMemory.of(target), COLUMNS, packed);
            fixture.await(fixture.isend(1, 0, 5, landing), back);
            assertEquals(0, back.status().error);
            final byte[] want = untouched.clone();
            Packer.unpack(expected, 0, COLUMNS, items, want, Memory.BYTE_ARRAY_BASE);
            assertArrayEquals(want, target);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, EAGER_LIMIT / 20 + 1, CHUNK_LENGTH / 20 + 1, 2000})
    void differentLayoutsOnBothSidesSeeOneStream(final int items)
    {
        fixture = new LoopbackFixture(2);
        // COLUMNS packs 40 bytes per item, SCATTERED 20: twice as many items on the receiving side
        final long packed = COLUMNS.packedSize(items);
        final byte[] source = pattern(7, (int)COLUMNS.highestOffset(items));
        final byte[] target = new byte[(int)SCATTERED.highestOffset(2L * items)];
        final Operation recv = fixture.irecv(1, 0, 1, UserMemory.of(target), SCATTERED, packed);
        final Operation send = fixture.isend(0, 1, 1, SendMode.SYNCHRONOUS, UserMemory.of(source), COLUMNS, packed);
        fixture.await(send, recv);
        assertEquals(0, recv.status().error);
        final byte[] sent = new byte[(int)packed];
        Packer.pack(COLUMNS, items, source, Memory.BYTE_ARRAY_BASE, sent, 0);
        final byte[] got = new byte[(int)packed];
        Packer.pack(SCATTERED, 2L * items, target, Memory.BYTE_ARRAY_BASE, got, 0);
        assertArrayEquals(sent, got);
    }

    @Test
    void nativeMemoryWithRemoteReadsFallsBackToStreamingForAPackedLayout()
    {
        fixture = new LoopbackFixture(2, true);
        final int items = 100;
        final long packed = COLUMNS.packedSize(items);
        final byte[] content = pattern(3, (int)COLUMNS.highestOffset(items));
        final ByteBuffer source = LoopbackFixture.direct(content);
        final ByteBuffer target = ByteBuffer.allocateDirect((int)packed);
        final Operation recv = fixture.irecv(1, 0, 2, WORLD, UserMemory.of(target));
        final Operation send = fixture.isend(0, 1, 2, SendMode.STANDARD, UserMemory.of(source), COLUMNS, packed);
        fixture.await(send, recv);
        assertEquals(0, recv.status().error);
        assertEquals(0, fixture.sentFrames(0, RTS_READ), "a packed layout is never exposed for reading");
        assertEquals(1, fixture.sentFrames(0, RTS));
        assertEquals(1, fixture.sentFrames(1, CTS));
        final byte[] expected = new byte[(int)packed];
        Packer.pack(COLUMNS, items, content, Memory.BYTE_ARRAY_BASE, expected, 0);
        final byte[] got = new byte[(int)packed];
        target.get(got);
        assertArrayEquals(expected, got);
    }

    @Test
    void truncationFillsWhatFitsAndNothingElse()
    {
        fixture = new LoopbackFixture(2);
        final byte[] data = pattern(5, 400);
        final byte[] target = new byte[(int)COLUMNS.highestOffset(3)];
        final Operation recv = fixture.irecv(1, 0, 0, UserMemory.of(target), COLUMNS, COLUMNS.packedSize(3));
        fixture.await(fixture.isend(0, 1, 0, data), recv);
        assertEquals(ErrorClass.ERR_TRUNCATE, recv.status().error);
        assertEquals(COLUMNS.packedSize(3), recv.status().byteCount);
        final byte[] want = new byte[target.length];
        Packer.unpack(data, 0, COLUMNS, 3, want, Memory.BYTE_ARRAY_BASE);
        assertArrayEquals(want, target);
    }

    @Test
    void aMatchedProbeReceivesIntoALayout()
    {
        fixture = new LoopbackFixture(2);
        for (final int size : new int[]{ 60, 4000 })
        {
            final byte[] data = pattern(size, size);
            final Operation send = fixture.isend(0, 1, 8, data);
            fixture.settle();
            final StatusRecord status = new StatusRecord();
            final MatchedMessage message = fixture.improbe(1, 0, 8, WORLD, status);
            assertTrue(null != message);
            assertEquals(size, status.byteCount);
            final int items = size / 20;
            final byte[] target = new byte[(int)SCATTERED.highestOffset(items)];
            final Operation recv = fixture.imrecv(1, message, UserMemory.of(target), SCATTERED, size);
            fixture.await(send, recv);
            assertEquals(0, recv.status().error);
            final byte[] got = new byte[size];
            Packer.pack(SCATTERED, items, target, Memory.BYTE_ARRAY_BASE, got, 0);
            assertArrayEquals(data, got);
        }
    }

    @Test
    void bufferedSendPacksItsCopy()
    {
        fixture = new LoopbackFixture(2);
        final int items = 10;
        final long packed = COLUMNS.packedSize(items);
        final byte[] matrix = pattern(11, (int)COLUMNS.highestOffset(items));
        final byte[] expected = new byte[(int)packed];
        Packer.pack(COLUMNS, items, matrix, Memory.BYTE_ARRAY_BASE, expected, 0);
        fixture.bufferedSends(0).attach(packed + BufferedSendSpace.BSEND_OVERHEAD);
        final Operation send = fixture.isend(0, 1, 6, SendMode.BUFFERED, UserMemory.of(matrix), COLUMNS, packed);
        // the copy was packed when the send started: the matrix may change at once
        java.util.Arrays.fill(matrix, (byte)0);
        final byte[] landing = new byte[(int)packed];
        final Operation recv = fixture.irecv(1, 0, 6, WORLD, UserMemory.of(landing));
        fixture.await(send, recv);
        assertArrayEquals(expected, landing);
    }
}
