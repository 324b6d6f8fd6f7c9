package io.mpi4j.coll;

import static io.mpi4j.coll.StagedKernelsTest.BYTE_BASE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;

/**
 * The JNI library's reductions give what Java's element-by-element kernels give, bit for bit, for every pair it
 * handles: on arrays at odd offsets, on native memory at odd addresses, and on one of each; over lengths that are
 * not a multiple of a vector and that span several calls into the library. Skipped where the build had no C
 * compiler (the reason is printed); a build with gcc always runs it.
 */
class NativeKernelsTest
{
    private static final int[] TYPES = {
        ReductionType.BYTE, ReductionType.SHORT, ReductionType.INT, ReductionType.LONG, ReductionType.FLOAT,
        ReductionType.DOUBLE };
    private static final int[] OPS = {
        ReductionOp.SUM, ReductionOp.PROD, ReductionOp.MIN, ReductionOp.MAX, ReductionOp.BAND, ReductionOp.BOR,
        ReductionOp.BXOR };

    @Test
    void nativeResultsEqualJavaResults()
    {
        assumeTrue(NativeKernels.available(), () -> "libmpi4jreduce: " + NativeKernels.unavailableReason());
        final Random random = new Random(7);
        int pairs = 0;
        for (final int type : TYPES)
        {
            final int size = StagedKernels.elementBytes(type);
            for (final int op : OPS)
            {
                if (!NativeKernels.handles(op, type))
                {
                    continue;
                }
                pairs++;
                for (final int count : new int[]{ NativeKernels.MIN_NATIVE_ITEMS + 1,
                    NativeKernels.MIN_NATIVE_BYTES / size + 1,
                    NativeKernels.MIN_BYTES / size + 3,
                    NativeKernels.CALL_BYTES / size * 2 + 11 })
                {
                    final byte[] in = StagedKernelsTest.values(random, type, count * size);
                    final byte[] inout = StagedKernelsTest.values(random, type, count * size);
                    final byte[] expected = StagedKernelsTest.reference(op, type, in, inout, count);
                    final String what = "op " + op + " type " + type + " count " + count;

                    final byte[] heapIn = new byte[in.length + 3];
                    final byte[] heapInout = new byte[inout.length + 3];
                    System.arraycopy(in, 0, heapIn, 3, in.length);
                    System.arraycopy(inout, 0, heapInout, 3, inout.length);
                    NativeKernels.apply(op, type, heapIn, BYTE_BASE + 3, heapInout, BYTE_BASE + 3, (long)count * size);
                    final byte[] got = new byte[inout.length];
                    System.arraycopy(heapInout, 3, got, 0, got.length);
                    assertArrayEquals(expected, got, what + " (arrays)");

                    final ByteBuffer nativeIn = ByteBuffer.allocateDirect(in.length + 5);
                    final ByteBuffer nativeInout = ByteBuffer.allocateDirect(inout.length + 5);
                    final long inAddress = BufferUtil.address(nativeIn) + 5;
                    final long inoutAddress = BufferUtil.address(nativeInout) + 5;
                    UnsafeApi.copyMemory(in, BYTE_BASE, null, inAddress, in.length);
                    UnsafeApi.copyMemory(inout, BYTE_BASE, null, inoutAddress, inout.length);
                    NativeKernels.apply(op, type, null, inAddress, null, inoutAddress, (long)count * size);
                    final byte[] fromNative = new byte[inout.length];
                    UnsafeApi.copyMemory(null, inoutAddress, fromNative, BYTE_BASE, fromNative.length);
                    assertArrayEquals(expected, fromNative, what + " (native memory)");

                    UnsafeApi.copyMemory(inout, BYTE_BASE, null, inoutAddress, inout.length);
                    NativeKernels.apply(op, type, heapIn, BYTE_BASE + 3, null, inoutAddress, (long)count * size);
                    UnsafeApi.copyMemory(null, inoutAddress, fromNative, BYTE_BASE, fromNative.length);
                    assertArrayEquals(expected, fromNative, what + " (array into native memory)");
                }
            }
        }
        assertEquals(4 * 7 + 2 * 2, pairs, "every pair the library claims was checked");
    }

    @Test
    void floatingPointMinAndMaxStayInJava()
    {
        // Java's Math.min/max order NaN and -0.0 in ways C's comparisons do not
        for (final int type : new int[]{ ReductionType.FLOAT, ReductionType.DOUBLE })
        {
            assertFalse(NativeKernels.handles(ReductionOp.MIN, type));
            assertFalse(NativeKernels.handles(ReductionOp.MAX, type));
        }
        assertFalse(NativeKernels.handles(ReductionOp.SUM, ReductionType.CHAR));
        assertFalse(NativeKernels.handles(ReductionOp.SUM, ReductionType.DOUBLE_INT));
    }
}
