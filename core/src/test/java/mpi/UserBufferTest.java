package mpi;

import io.mpi4j.errors.ErrorClass;
import org.agrona.BufferUtil;
import org.junit.jupiter.api.Test;
import sun.misc.Unsafe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserBufferTest
{
    @Test
    void arraysStartAtTheirFirstElement()
    {
        final int[] ints = new int[8];
        assertSame(ints, UserBuffer.base(ints));
        assertEquals(Unsafe.ARRAY_INT_BASE_OFFSET, UserBuffer.address(ints));
        final double[] doubles = new double[3];
        assertEquals(Unsafe.ARRAY_DOUBLE_BASE_OFFSET, UserBuffer.address(doubles));
        final boolean[] flags = new boolean[3];
        assertEquals(Unsafe.ARRAY_BOOLEAN_BASE_OFFSET, UserBuffer.address(flags));
        assertEquals(32, UserBuffer.capacityBytes(ints));
        assertEquals(24, UserBuffer.capacityBytes(doubles));
    }

    @Test
    void heapBufferStartsAtArrayOffsetIgnoringPosition()
    {
        final int[] ints = new int[10];
        final IntBuffer slice = IntBuffer.wrap(ints, 3, 7).slice();
        slice.position(2);
        assertEquals(3, slice.arrayOffset());
        assertSame(ints, UserBuffer.base(slice));
        assertEquals(Unsafe.ARRAY_INT_BASE_OFFSET + 3 * 4, UserBuffer.address(slice));
        assertEquals(7 * 4, UserBuffer.capacityBytes(slice));

        final byte[] bytes = new byte[64];
        final ByteBuffer bytesSlice = MPI.slice(bytes, 10);
        assertSame(bytes, UserBuffer.base(bytesSlice));
        assertEquals(Unsafe.ARRAY_BYTE_BASE_OFFSET + 10, UserBuffer.address(bytesSlice));
        assertEquals(54, UserBuffer.capacityBytes(bytesSlice));
    }

    @Test
    void directBufferIsItsNativeAddressIgnoringPosition()
    {
        final ByteBuffer direct = MPI.newByteBuffer(64);
        direct.position(5);
        assertNull(UserBuffer.base(direct));
        assertEquals(BufferUtil.address(direct), UserBuffer.address(direct));

        final ByteBuffer slice = MPI.slice(direct, 16);
        assertEquals(BufferUtil.address(direct) + 16, UserBuffer.address(slice));
        assertEquals(5, direct.position(), "MPI.slice leaves the original buffer alone");
        assertEquals(ByteOrder.nativeOrder(), slice.order());

        final DoubleBuffer doubles = MPI.newDoubleBuffer(8);
        final DoubleBuffer doublesSlice = MPI.slice(doubles, 3);
        assertNull(UserBuffer.base(doublesSlice));
        assertEquals(UserBuffer.address(doubles) + 3 * 8, UserBuffer.address(doublesSlice));
        assertEquals(5 * 8, UserBuffer.capacityBytes(doublesSlice));
        assertTrue(doubles.isDirect());
        assertEquals(ByteOrder.nativeOrder(), doubles.order());
    }

    @Test
    void addressesReachTheSameMemoryAsTheBuffers()
    {
        final IntBuffer direct = MPI.newIntBuffer(4);
        final int[] source = { 11, 22, 33, 44 };
        UserBuffer.copy(UserBuffer.base(source), UserBuffer.address(source),
            UserBuffer.base(direct), UserBuffer.address(direct), 16);
        assertEquals(33, direct.get(2));

        final int[] target = new int[6];
        final IntBuffer window = MPI.slice(target, 2);
        UserBuffer.copy(UserBuffer.base(direct), UserBuffer.address(direct),
            UserBuffer.base(window), UserBuffer.address(window), 16);
        assertEquals(11, target[2]);
        assertEquals(44, target[5]);
        assertEquals(0, target[1]);
    }

    @Test
    void datatypeIsCheckedInBytesAgainstAnyBuffer()
    {
        // Open MPI's quirk: the type's elements need not be the array's, the buffer is raw bytes
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[4], 4, MPI.INT));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[4], 2, MPI.DOUBLE));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[4], 3, MPI.DOUBLE));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[4], 16, MPI.BYTE));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[4], 17, MPI.BYTE));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[4], 8, MPI.CHAR));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(MPI.newIntBuffer(4), 2, MPI.LONG));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new byte[4], 2, MPI.INT));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new byte[4], 4, MPI.PACKED));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new char[4], 4, MPI.CHAR));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new boolean[4], 4, MPI.BOOLEAN));
        assertEquals(ErrorClass.ERR_TYPE, UserBuffer.verify(new int[4], 1, MPI.DATATYPE_NULL));
        assertEquals(ErrorClass.ERR_TYPE, UserBuffer.verify(new int[4], 1, null));
    }

    @Test
    void slicesLetATypeReachBackIntoTheirParent()
    {
        final ByteBuffer direct = MPI.newByteBuffer(64);
        assertEquals(0, UserBuffer.headroomBytes(direct));
        assertEquals(32, UserBuffer.headroomBytes(MPI.slice(direct, 32)));
        assertEquals(40, UserBuffer.headroomBytes(MPI.slice(MPI.slice(direct, 32), 8)));
        assertEquals(12, UserBuffer.headroomBytes(MPI.slice(new int[8], 3)));
        assertEquals(0, UserBuffer.headroomBytes(new int[8]));
        final Datatype back = Datatype.vector("test", 4, 1, -2, MPI.SHORT);
        back.markCommitted();
        // items at shorts 0, -2, -4, -6: 12 bytes before the start
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify(direct, 1, back));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(MPI.slice(direct, 12), 1, back));
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify(MPI.slice(direct, 10), 1, back));
    }

    @Test
    void byteBufferAcceptsAnyBasicType()
    {
        final ByteBuffer bytes = MPI.newByteBuffer(16);
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(bytes, 2, MPI.DOUBLE));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(bytes, 4, MPI.INT));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(bytes, 3, MPI.DOUBLE));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(ByteBuffer.allocate(8), 2, MPI.FLOAT));
    }

    @Test
    void countIsCheckedAgainstTheBuffer()
    {
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[5], -1, MPI.INT));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new int[5], 6, MPI.INT));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new int[5], 0, MPI.INT));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(new float[4], 2, MPI.FLOAT_COMPLEX));
        assertEquals(ErrorClass.ERR_COUNT, UserBuffer.verify(new float[4], 3, MPI.FLOAT_COMPLEX));
        assertEquals("MPI_Send: count 6 is larger than the buffer, which holds 5 elements of MPI_INT (int[5])",
            UserBuffer.explain(ErrorClass.ERR_COUNT, "MPI_Send", new int[5], 6, MPI.INT));
        assertEquals("MPI_Recv: count -1 is negative",
            UserBuffer.explain(ErrorClass.ERR_COUNT, "MPI_Recv", new int[5], -1, MPI.INT));
    }

    @Test
    void bufferProblems()
    {
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(null, 0, MPI.INT));
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify(null, 1, MPI.INT));
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify("text", 1, MPI.BYTE));
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify(IntBuffer.allocate(4).asReadOnlyBuffer(), 1, MPI.INT));
        assertEquals(ErrorClass.ERR_BUFFER, UserBuffer.verify(ByteBuffer.allocate(16).asIntBuffer(), 1, MPI.INT));
        assertEquals(ErrorClass.SUCCESS, UserBuffer.verify(MPI.newByteBuffer(16).asReadOnlyBuffer(), 16, MPI.BYTE));
        assertEquals("MPI_Send: buffer is null but count is 3",
            UserBuffer.explain(ErrorClass.ERR_BUFFER, "MPI_Send", null, 3, MPI.INT));
        assertTrue(UserBuffer.explain(ErrorClass.ERR_BUFFER, "MPI_Send", "text", 1, MPI.BYTE)
            .contains("java.lang.String is not supported"));
        assertEquals("MPI_Send: count 5 is larger than the buffer, " +
            "which holds 2 elements of MPI_DOUBLE (int[4])",
            UserBuffer.explain(ErrorClass.ERR_COUNT, "MPI_Send", new int[4], 5, MPI.DOUBLE));
    }
}
