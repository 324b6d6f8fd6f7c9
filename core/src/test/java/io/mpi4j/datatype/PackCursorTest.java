package io.mpi4j.datatype;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackCursorTest
{
    private static final long INT_BASE = UnsafeApi.arrayBaseOffset(int[].class);
    private static final long BYTE_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private static int[] ints(final int n)
    {
        final int[] a = new int[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = 1000 + i;
        }
        return a;
    }

    private static int[] packedInts(final byte[] packed)
    {
        final int[] out = new int[packed.length / 4];
        ByteBuffer.wrap(packed).order(ByteOrder.nativeOrder()).asIntBuffer().get(out);
        return out;
    }

    @Test
    void packsVectorInTypeMapOrder()
    {
        final TypeMap column = TypeMap.vector(3, 1, 4, BasicTypes.INT);
        final byte[] packed = new byte[24];
        // Item 1 starts one extent (9 ints) after item 0, which starts at int 1.
        final int[] big = ints(24);
        assertEquals(24, Packer.pack(column, 2, big, INT_BASE + 4, packed, 0));
        assertArrayEquals(new int[]{ 1001, 1005, 1009, 1010, 1014, 1018 }, packedInts(packed));
    }

    @Test
    void indexedPacksInGivenOrder()
    {
        final TypeMap t = TypeMap.indexed(new int[]{ 1, 2 }, new int[]{ 5, 0 }, BasicTypes.INT);
        final byte[] packed = new byte[12];
        Packer.pack(t, 1, ints(6), INT_BASE, packed, 0);
        assertArrayEquals(new int[]{ 1005, 1000, 1001 }, packedInts(packed));
    }

    @Test
    void unpackLeavesGapsAlone()
    {
        final TypeMap t = TypeMap.vector(3, 1, 2, BasicTypes.INT);
        final byte[] packed = new byte[12];
        Packer.pack(t, 1, ints(6), INT_BASE, packed, 0);
        final int[] dst = new int[6];
        java.util.Arrays.fill(dst, -1);
        assertEquals(12, Packer.unpack(packed, 0, t, 1, dst, INT_BASE));
        assertArrayEquals(new int[]{ 1000, -1, 1002, -1, 1004, -1 }, dst);
    }

    @Test
    void transposeThroughPackUnpack()
    {
        // The ompi-java-test Loop/Transp3 pattern: pack a 3-D array with one nesting order, unpack with another.
        final int n = 6;
        final TypeMap z = TypeMap.hvector(n, 1, 4, BasicTypes.INT);
        final TypeMap y = TypeMap.hvector(n, 1, 4L * n, z);
        final TypeMap x = TypeMap.hvector(n, 1, 4L * n * n, y);
        final TypeMap c = TypeMap.hvector(n, 1, 4L * n * n, BasicTypes.INT);
        final TypeMap b = TypeMap.hvector(n, 1, 4L * n, c);
        final TypeMap a = TypeMap.hvector(n, 1, 4, b);
        final int[] src = ints(n * n * n);
        final int[] dst = new int[n * n * n];
        final byte[] packed = new byte[4 * n * n * n];
        Packer.pack(x, 1, src, INT_BASE, packed, 0);
        Packer.unpack(packed, 0, a, 1, dst, INT_BASE);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    assertEquals(src[i * n * n + j * n + k], dst[k * n * n + j * n + i]);
                }
            }
        }
    }

    @Test
    void resumesAtEveryChunkSize()
    {
        final TypeMap t = TypeMap.contiguous(3, TypeMap.struct(new int[]{ 1, 2, 1 }, new long[]{ 0, 4, 16 },
            new TypeMap[]{ BasicTypes.SHORT, BasicTypes.INT, BasicTypes.DOUBLE }));
        final int count = 3;
        final byte[] user = new byte[(int)t.highestOffset(count)];
        for (int i = 0; i < user.length; i++)
        {
            user[i] = (byte)(i * 7 + 1);
        }
        final int total = (int)t.packedSize(count);
        final byte[] whole = new byte[total];
        Packer.pack(t, count, user, BYTE_BASE, whole, 0);
        final PackCursor cursor = new PackCursor();
        for (int chunk = 1; chunk <= total; chunk++)
        {
            cursor.reset(t, count, user, BYTE_BASE);
            final byte[] out = new byte[total];
            int at = 0;
            while (!cursor.isComplete())
            {
                at += cursor.pack(out, at, Math.min(chunk, total - at));
            }
            assertArrayEquals(whole, out, "chunk " + chunk);

            final byte[] back = new byte[user.length];
            cursor.reset(t, count, back, BYTE_BASE);
            at = 0;
            while (!cursor.isComplete())
            {
                at += cursor.unpack(whole, at, chunk);
            }
            final byte[] repacked = new byte[total];
            Packer.pack(t, count, back, BYTE_BASE, repacked, 0);
            assertArrayEquals(whole, repacked, "unpack chunk " + chunk);
        }
    }

    @Test
    void seeksToEveryPosition()
    {
        final TypeMap t = TypeMap.indexed(new int[]{ 2, 1, 3 }, new int[]{ 7, 0, 3 }, BasicTypes.SHORT);
        final int count = 4;
        final short[] user = new short[(int)(t.highestOffset(count) / 2)];
        for (int i = 0; i < user.length; i++)
        {
            user[i] = (short)(i * 3 + 11);
        }
        final long shortBase = UnsafeApi.arrayBaseOffset(short[].class);
        final int total = (int)t.packedSize(count);
        final byte[] whole = new byte[total];
        Packer.pack(t, count, user, shortBase, whole, 0);
        final PackCursor cursor = new PackCursor();
        for (int p = 0; p <= total; p++)
        {
            cursor.reset(t, count, user, shortBase);
            cursor.seek(p);
            final byte[] tail = new byte[total - p];
            assertEquals(total - p, cursor.pack(tail, 0, total));
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, p, total), tail, "from " + p);
            assertTrue(cursor.isComplete());
        }
        assertThrows(IllegalArgumentException.class, () -> cursor.seek(total + 1));
    }

    @Test
    void packsIntoAgronaBufferAndDirectUserMemory()
    {
        final TypeMap t = TypeMap.vector(4, 1, 2, BasicTypes.DOUBLE);
        final ByteBuffer direct = ByteBuffer.allocateDirect(8 * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 8; i++)
        {
            direct.putDouble(8 * i, i + 0.5);
        }
        final long address = new UnsafeBuffer(direct).addressOffset();
        final MutableDirectBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final PackCursor cursor = new PackCursor().reset(t, 1, null, address);
        assertEquals(20, cursor.pack(frame, 3, 20));
        assertEquals(12, cursor.pack(frame, 23, 100));
        for (int i = 0; i < 4; i++)
        {
            assertEquals(2 * i + 0.5, frame.getDouble(3 + 8 * i, ByteOrder.nativeOrder()));
        }
        final double[] back = new double[8];
        final long doubleBase = UnsafeApi.arrayBaseOffset(double[].class);
        cursor.reset(t, 1, back, doubleBase);
        assertEquals(32, cursor.unpack(frame, 3, 64));
        assertArrayEquals(new double[]{ 0.5, 0, 2.5, 0, 4.5, 0, 6.5, 0 }, back);
        assertThrows(IndexOutOfBoundsException.class,
            () -> new PackCursor().reset(t, 1, back, doubleBase).pack(frame, 60, 32));
    }

    @Test
    void negativeDisplacementsAndLowerBound()
    {
        // Two ints at -8 and +4 relative to the address, items one extent (16) apart.
        final TypeMap t = TypeMap.hindexed(new int[]{ 1, 1 }, new long[]{ -8, 4 }, BasicTypes.INT);
        assertEquals(16, t.extent());
        final int[] a = ints(10);
        final byte[] packed = new byte[16];
        Packer.pack(t, 2, a, INT_BASE + 8, packed, 0);
        // Address at int 2: item 0 -> ints 0 and 3; item 1 (4 ints later) -> ints 4 and 7.
        assertArrayEquals(new int[]{ 1000, 1003, 1004, 1007 }, packedInts(packed));
    }

    @Test
    void contiguousFastPathHonoursFirstDisplacement()
    {
        final TypeMap t = TypeMap.resized(TypeMap.hindexed(new int[]{ 2 }, new long[]{ 8 }, BasicTypes.INT), 8, 8);
        assertTrue(t.isContiguous());
        final byte[] packed = new byte[24];
        Packer.pack(t, 3, ints(8), INT_BASE, packed, 0);
        assertArrayEquals(new int[]{ 1002, 1003, 1004, 1005, 1006, 1007 }, packedInts(packed));
    }

    @Test
    void typedCopyBetweenLayouts()
    {
        final TypeMap column = TypeMap.vector(3, 1, 3, BasicTypes.INT);
        final int[] src = ints(9);
        final int[] dst = new int[3];
        assertEquals(12, Packer.copy(column, 1, src, INT_BASE, BasicTypes.INT, 3, dst, INT_BASE));
        assertArrayEquals(new int[]{ 1000, 1003, 1006 }, dst);
        final int[] two = new int[2];
        assertEquals(8, Packer.copy(column, 1, src, INT_BASE, BasicTypes.INT, 2, two, INT_BASE));
        assertArrayEquals(new int[]{ 1000, 1003 }, two);
    }

    @Test
    void packRejectsTooSmallBuffer()
    {
        assertThrows(IndexOutOfBoundsException.class,
            () -> Packer.pack(BasicTypes.INT, 3, ints(3), INT_BASE, new byte[11], 0));
        assertThrows(IndexOutOfBoundsException.class,
            () -> Packer.unpack(new byte[12], 4, BasicTypes.INT, 3, new int[3], INT_BASE));
    }
}
