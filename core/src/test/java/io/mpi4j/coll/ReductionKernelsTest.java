package io.mpi4j.coll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;

/** The kernels in one process: operator semantics per type, pairs, and which pairs MPI leaves undefined. */
class ReductionKernelsTest
{
    private static final long INT_BASE = UnsafeApi.arrayBaseOffset(int[].class);
    private static final long BYTE_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final long DOUBLE_BASE = UnsafeApi.arrayBaseOffset(double[].class);
    private static final long BOOLEAN_BASE = UnsafeApi.arrayBaseOffset(boolean[].class);

    @Test
    void integerOperatorsCombineInIntoInout()
    {
        final int[] in = {3, -4, 0, 7};
        check(ReductionOp.SUM, in, new int[] {1, 1, 1, 1}, new int[] {4, -3, 1, 8});
        check(ReductionOp.PROD, in, new int[] {2, 2, 2, 2}, new int[] {6, -8, 0, 14});
        check(ReductionOp.MIN, in, new int[] {1, 1, 1, 1}, new int[] {1, -4, 0, 1});
        check(ReductionOp.MAX, in, new int[] {1, 1, 1, 1}, new int[] {3, 1, 1, 7});
        check(ReductionOp.LAND, in, new int[] {1, 0, 1, 5}, new int[] {1, 0, 0, 1});
        check(ReductionOp.LOR, in, new int[] {0, 0, 0, 0}, new int[] {1, 1, 0, 1});
        check(ReductionOp.LXOR, in, new int[] {1, 1, 1, 0}, new int[] {0, 0, 1, 1});
        check(ReductionOp.BAND, in, new int[] {1, -1, 5, 3}, new int[] {1, -4, 0, 3});
        check(ReductionOp.BOR, in, new int[] {4, 1, 5, 8}, new int[] {7, -3, 5, 15});
        check(ReductionOp.BXOR, in, new int[] {1, -1, 5, 7}, new int[] {2, 3, 5, 0});
    }

    @Test
    void complexNumbersAddAndMultiplyAsComplexNumbers()
    {
        // (1 + 2i)(3 - i) = 5 + 5i; (0.5 + 0i)(-2 + 4i) = -1 + 2i
        final double[] x = {1, 2, 0.5, 0};
        final double[] y = {3, -1, -2, 4};
        assertTrue(ReductionKernels.apply(ReductionOp.PROD, ReductionType.DOUBLE_COMPLEX, x, DOUBLE_BASE, y,
            DOUBLE_BASE, 2));
        assertArrayEquals(new double[] {5, 5, -1, 2}, y);
        final float[] f = {1, 2};
        final float[] g = {3, -1};
        final long floatBase = UnsafeApi.arrayBaseOffset(float[].class);
        assertTrue(ReductionKernels.apply(ReductionOp.PROD, ReductionType.FLOAT_COMPLEX, f, floatBase, g, floatBase,
            1));
        assertArrayEquals(new float[] {5, 5}, g);
        assertTrue(ReductionKernels.apply(ReductionOp.SUM, ReductionType.FLOAT_COMPLEX, f, floatBase, g, floatBase,
            1));
        assertArrayEquals(new float[] {6, 7}, g);
        assertFalse(ReductionKernels.apply(ReductionOp.MAX, ReductionType.DOUBLE_COMPLEX, x, DOUBLE_BASE, y,
            DOUBLE_BASE, 2));
    }

    private static void check(final int op, final int[] in, final int[] inout, final int[] expected)
    {
        assertTrue(ReductionKernels.apply(op, ReductionType.INT, in, INT_BASE, inout, INT_BASE, in.length));
        assertArrayEquals(expected, inout);
    }

    @Test
    void narrowTypesWrapAndBooleansAreLogical()
    {
        final byte[] a = {127, -128};
        final byte[] b = {1, -1};
        ReductionKernels.apply(ReductionOp.SUM, ReductionType.BYTE, a, BYTE_BASE, b, BYTE_BASE, 2);
        assertArrayEquals(new byte[] {-128, 127}, b);
        final boolean[] x = {true, false, true};
        final boolean[] y = {true, true, false};
        ReductionKernels.apply(ReductionOp.LXOR, ReductionType.BOOLEAN, x, BOOLEAN_BASE, y, BOOLEAN_BASE, 3);
        assertArrayEquals(new boolean[] {false, true, true}, y);
        final double[] d = {1.5, -2};
        final double[] e = {2, 3};
        ReductionKernels.apply(ReductionOp.PROD, ReductionType.DOUBLE, d, DOUBLE_BASE, e, DOUBLE_BASE, 2);
        assertArrayEquals(new double[] {3, -6}, e);
    }

    @Test
    void minlocAndMaxlocPreferTheLowerIndexOnTies()
    {
        final int[] in = {5, 2, 7, 0, 1, 9};   // (value, index) pairs
        final int[] io = {5, 1, 7, 3, 4, 2};
        assertTrue(ReductionKernels.apply(ReductionOp.MINLOC, ReductionType.INT2, in, INT_BASE, io, INT_BASE, 3));
        assertArrayEquals(new int[] {5, 1, 7, 0, 1, 9}, io);
        final ByteBuffer a = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        final ByteBuffer b = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        a.putDouble(0, 2.5).putInt(8, 4).putDouble(16, -1).putInt(24, 0);
        b.putDouble(0, 2.5).putInt(8, 6).putDouble(16, 3).putInt(24, 1);
        final long aa = BufferUtil.address(a);
        final long ba = BufferUtil.address(b);
        assertTrue(ReductionKernels.apply(ReductionOp.MAXLOC, ReductionType.DOUBLE_INT, null, aa, null, ba, 2));
        assertTrue(b.getDouble(0) == 2.5 && b.getInt(8) == 4 && b.getDouble(16) == 3 && b.getInt(24) == 1);
    }

    @Test
    void undefinedPairsAreRefused()
    {
        assertNull(Reduction.predefined(ReductionOp.SUM, ReductionType.BOOLEAN, 1));
        assertNull(Reduction.predefined(ReductionOp.BAND, ReductionType.DOUBLE, 1));
        assertNull(Reduction.predefined(ReductionOp.MINLOC, ReductionType.INT, 1));
        assertNull(Reduction.predefined(ReductionOp.SUM, ReductionType.DOUBLE_INT, 1));
        assertNotNull(Reduction.predefined(ReductionOp.LOR, ReductionType.LONG, 1));
        assertFalse(ReductionKernels.apply(ReductionOp.PROD, ReductionType.BOOLEAN, null, 0, null, 0, 0));
    }
}
