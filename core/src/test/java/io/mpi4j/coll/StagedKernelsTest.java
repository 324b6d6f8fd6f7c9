package io.mpi4j.coll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;

/**
 * Staged (vectorisable) reductions give what the element-by-element kernels give, for every pair they handle, on
 * heap and native memory at unaligned offsets, over lengths that end inside, at and after a chunk boundary.
 */
class StagedKernelsTest
{
    static final long BYTE_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final int[] TYPES = {
        ReductionType.BYTE, ReductionType.SHORT, ReductionType.INT, ReductionType.LONG, ReductionType.FLOAT,
        ReductionType.DOUBLE };
    private static final int[] OPS = {
        ReductionOp.SUM, ReductionOp.PROD, ReductionOp.MIN, ReductionOp.MAX, ReductionOp.BAND, ReductionOp.BOR,
        ReductionOp.BXOR };

    @Test
    void stagedResultsEqualElementByElementResults()
    {
        final Random random = new Random(42);
        int pairs = 0;
        for (final int type : TYPES)
        {
            final int size = StagedKernels.elementBytes(type);
            for (final int op : OPS)
            {
                if (!StagedKernels.handles(op, type))
                {
                    continue;
                }
                pairs++;
                for (final int count : new int[]{ StagedKernels.MIN_BYTES / size,
                    StagedKernels.CHUNK_BYTES / size, 3 * StagedKernels.CHUNK_BYTES / size + 5 })
                {
                    final byte[] in = values(random, type, count * size);
                    final byte[] inout = values(random, type, count * size);
                    final byte[] expected = reference(op, type, in, inout, count);

                    // heap, at an odd offset of a larger array
                    final byte[] heapIn = new byte[in.length + 3];
                    final byte[] heapInout = new byte[inout.length + 3];
                    System.arraycopy(in, 0, heapIn, 3, in.length);
                    System.arraycopy(inout, 0, heapInout, 3, inout.length);
                    assertTrue(ReductionKernels.apply(op, type, heapIn, BYTE_BASE + 3, heapInout, BYTE_BASE + 3,
                        count));
                    final byte[] got = new byte[inout.length];
                    System.arraycopy(heapInout, 3, got, 0, got.length);
                    assertArrayEquals(expected, got, "op " + op + " type " + type + " count " + count + " (heap)");

                    // native memory
                    final ByteBuffer nativeIn = ByteBuffer.allocateDirect(in.length + 5);
                    final ByteBuffer nativeInout = ByteBuffer.allocateDirect(inout.length + 5);
                    final long inAddress = BufferUtil.address(nativeIn) + 5;
                    final long inoutAddress = BufferUtil.address(nativeInout) + 5;
                    UnsafeApi.copyMemory(in, BYTE_BASE, null, inAddress, in.length);
                    UnsafeApi.copyMemory(inout, BYTE_BASE, null, inoutAddress, inout.length);
                    assertTrue(ReductionKernels.apply(op, type, null, inAddress, null, inoutAddress, count));
                    final byte[] fromNative = new byte[inout.length];
                    UnsafeApi.copyMemory(null, inoutAddress, fromNative, BYTE_BASE, fromNative.length);
                    assertArrayEquals(expected, fromNative,
                        "op " + op + " type " + type + " count " + count + " (native)");
                }
            }
        }
        assertEquals(3 * 6 + 7 + 2 * 4, pairs, "every pair the staged kernels claim was checked");
    }

    /** The element-by-element kernels, applied in pieces below {@link StagedKernels#MIN_BYTES} (Java only). */
    static byte[] reference(final int op, final int type, final byte[] in, final byte[] inout, final int count)
    {
        final byte[] result = inout.clone();
        final int size = StagedKernels.elementBytes(type);
        final int piece = StagedKernels.MIN_BYTES / size - 1;
        for (int first = 0; first < count; first += piece)
        {
            final int n = Math.min(piece, count - first);
            assertTrue(ReductionKernels.apply(op, type, in, BYTE_BASE + (long)first * size, result,
                BYTE_BASE + (long)first * size, n));
        }
        return result;
    }

    /** Random values, with NaN, signed zeros and infinities among the floating-point ones. */
    static byte[] values(final Random random, final int type, final int bytes)
    {
        final byte[] values = new byte[bytes];
        random.nextBytes(values);
        if (type == ReductionType.FLOAT || type == ReductionType.DOUBLE)
        {
            final int size = StagedKernels.elementBytes(type);
            final double[] specials = { Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5 };
            for (int at = 0; at + size <= bytes; at += size)
            {
                final double v = random.nextInt(4) == 0 ? specials[random.nextInt(specials.length)] :
                    random.nextGaussian() * 1e3;
                if (size == Float.BYTES)
                {
                    UnsafeApi.putFloat(values, BYTE_BASE + at, (float)v);
                }
                else
                {
                    UnsafeApi.putDouble(values, BYTE_BASE + at, v);
                }
            }
        }
        return values;
    }
}
