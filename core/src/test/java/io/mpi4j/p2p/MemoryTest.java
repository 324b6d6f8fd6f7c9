package io.mpi4j.p2p;

import io.mpi4j.datatype.ByteCopy;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryTest
{
    private static final int MOST = ByteCopy.INLINE_COPY_MAX + 9;

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(31 * i + 7);
        }
        return bytes;
    }

    @Test
    void copiesEverySmallLengthAtEveryAlignmentAndNothingAround()
    {
        final byte[] source = pattern(MOST + 16);
        for (int bytes = 0; bytes <= MOST; bytes++)
        {
            for (int from = 0; from < 8; from++)
            {
                for (int to = 0; to < 8; to++)
                {
                    final byte[] target = new byte[MOST + 16];
                    Memory.copy(source, Memory.BYTE_ARRAY_BASE + from, target, Memory.BYTE_ARRAY_BASE + to, bytes);
                    final byte[] expected = new byte[MOST + 16];
                    System.arraycopy(source, from, expected, to, bytes);
                    assertArrayEquals(expected, target, bytes + " bytes from " + from + " to " + to);
                }
            }
        }
    }

    @Test
    void overlappingLocationsAreCopiedAsIfThroughATemporary()
    {
        for (int bytes = 1; bytes <= MOST; bytes++)
        {
            for (int shift = -9; shift <= 9; shift++)
            {
                final byte[] memory = pattern(MOST + 32);
                final byte[] expected = memory.clone();
                System.arraycopy(memory, 12, expected, 12 + shift, bytes);
                Memory.copy(memory, Memory.BYTE_ARRAY_BASE + 12, memory, Memory.BYTE_ARRAY_BASE + 12 + shift, bytes);
                assertArrayEquals(expected, memory, bytes + " bytes moved by " + shift);
            }
        }
    }

    @Test
    void copiesBetweenNativeMemoryAndArraysOfOtherTypes()
    {
        final ByteBuffer direct = BufferUtil.allocateDirectAligned(64, 64).order(ByteOrder.nativeOrder());
        final UnsafeBuffer ring = new UnsafeBuffer(direct);
        final int[] ints = {0x01020304, 0x05060708, 0x090a0b0c};
        for (int bytes = 1; bytes <= 12; bytes++)
        {
            ring.setMemory(0, 64, (byte)0);
            Memory.toBuffer(ints, Memory.INT_ARRAY_BASE, ring, 3, bytes);
            final int[] back = new int[3];
            Memory.fromBuffer(ring, 3, back, Memory.INT_ARRAY_BASE, bytes);
            final ByteBuffer sent = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            sent.asIntBuffer().put(ints);
            final ByteBuffer received = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            received.asIntBuffer().put(back);
            for (int i = 0; i < 12; i++)
            {
                assertEquals(i < bytes ? sent.get(i) : 0, received.get(i), bytes + " bytes, byte " + i);
                assertEquals(i < bytes ? sent.get(i) : 0, ring.getByte(3 + i), bytes + " bytes, ring byte " + i);
            }
        }
    }
}
