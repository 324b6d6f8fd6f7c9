package io.mpi4j.datatype;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeCopyTest
{
    private static final int LARGE = (int)NativeCopy.MIN_BYTES;

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(31 * i + 7 + (i >>> 8));
        }
        return bytes;
    }

    @Test
    void theLibraryIsBuiltWithCore()
    {
        // the build compiles it wherever gcc is (CI's machines included); a build without it says why here
        assertTrue(NativeCopy.AVAILABLE, () -> "libmpi4jcopy: " + NativeCopy.unavailableReason());
    }

    /** Lengths around the switch to the library, at odd alignments, between native buffers; nothing around moves. */
    @Test
    void nativeCopiesAroundTheThresholdCopyExactlyTheirBytes()
    {
        final int room = 3 * LARGE + 64;
        final byte[] source = pattern(room);
        final UnsafeBuffer from = new UnsafeBuffer(BufferUtil.allocateDirectAligned(room, 64));
        final UnsafeBuffer to = new UnsafeBuffer(BufferUtil.allocateDirectAligned(room, 64));
        from.putBytes(0, source);
        for (final int bytes : new int[] {LARGE - 1, LARGE, LARGE + 1, LARGE + 13, 2 * LARGE + 7})
        {
            for (final int shift : new int[] {0, 1, 7, 8, 33})
            {
                to.setMemory(0, room, (byte)0x5a);
                ByteCopy.copy(null, from.addressOffset() + shift, null, to.addressOffset() + 3, bytes);
                final byte[] expected = new byte[room];
                java.util.Arrays.fill(expected, (byte)0x5a);
                System.arraycopy(source, shift, expected, 3, bytes);
                final byte[] actual = new byte[room];
                to.getBytes(0, actual);
                assertArrayEquals(expected, actual, bytes + " bytes from offset " + shift);
            }
        }
    }

    /** As Unsafe.copyMemory: overlapping locations both ways are copied as if through a temporary. */
    @Test
    void overlappingNativeLocationsAreCopiedAsIfThroughATemporary()
    {
        assumeTrue(NativeCopy.AVAILABLE, () -> "libmpi4jcopy: " + NativeCopy.unavailableReason());
        final int room = 2 * LARGE + 8192;
        final ByteBuffer memory = BufferUtil.allocateDirectAligned(room, 64);
        final UnsafeBuffer buffer = new UnsafeBuffer(memory);
        for (final int shift : new int[] {-4095, -1, 1, 9, 4095})
        {
            final byte[] start = pattern(room);
            buffer.putBytes(0, start);
            final byte[] expected = start.clone();
            System.arraycopy(start, 4096, expected, 4096 + shift, LARGE + 5);
            NativeCopy.copy(buffer.addressOffset() + 4096, buffer.addressOffset() + 4096 + shift, LARGE + 5);
            final byte[] actual = new byte[room];
            buffer.getBytes(0, actual);
            assertArrayEquals(expected, actual, "moved by " + shift);
        }
    }

    /** Between arrays of every primitive type and native memory, both ways, at an offset into the array. */
    @Test
    void copiesBetweenArraysAndNativeMemoryBothWays()
    {
        assumeTrue(NativeCopy.AVAILABLE, () -> "libmpi4jcopy: " + NativeCopy.unavailableReason());
        final int bytes = 2 * LARGE + 8;
        final byte[] source = pattern(bytes);
        final UnsafeBuffer direct = new UnsafeBuffer(BufferUtil.allocateDirectAligned(bytes + 64, 64));
        for (final Object array : new Object[] {new byte[bytes + 16], new char[bytes / 2 + 8], new short[bytes / 2 + 8],
            new int[bytes / 4 + 4], new float[bytes / 4 + 4], new long[bytes / 8 + 2], new double[bytes / 8 + 2]})
        {
            final long first = UnsafeApi.arrayBaseOffset(array.getClass());
            direct.putBytes(1, source);
            ByteCopy.copy(null, direct.addressOffset() + 1, array, first + 8, bytes);
            direct.setMemory(0, bytes + 64, (byte)0);
            ByteCopy.copy(array, first + 8, null, direct.addressOffset() + 5, bytes);
            final byte[] back = new byte[bytes];
            direct.getBytes(5, back);
            assertArrayEquals(source, back, array.getClass().getSimpleName());
            assertEquals(0, direct.getByte(4), "the byte before is left alone");
            assertEquals(0, direct.getByte(5 + bytes), "the byte after is left alone");
        }
    }

    @Test
    void anArrayOfObjectsIsNotCopiedHere()
    {
        final UnsafeBuffer direct = new UnsafeBuffer(BufferUtil.allocateDirectAligned(LARGE, 64));
        assertFalse(NativeCopy.copyArray(new Object[LARGE], 16, direct.addressOffset(), LARGE, false));
    }

    /** A copy between two arrays stays with copyMemory and is as exact. */
    @Test
    void largeCopiesBetweenArrays()
    {
        final int bytes = 2 * LARGE + 3;
        final byte[] source = pattern(bytes);
        final byte[] target = new byte[bytes + 2];
        ByteCopy.copy(source, BufferUtil.ARRAY_BASE_OFFSET, target, BufferUtil.ARRAY_BASE_OFFSET + 1, bytes);
        assertArrayEquals(source, java.util.Arrays.copyOfRange(target, 1, bytes + 1));
    }
}
