package io.mpi4j.datatype;

import org.agrona.UnsafeApi;

/**
 * Raw byte copies between (base, address) locations: a primitive array and an Unsafe offset into it, or null and a
 * native address. Small copies (a small message's payload, a put of a few items into a shared window) are made with
 * the JIT's own loads and stores; larger ones through {@code copyMemory}.
 */
public final class ByteCopy
{
    /**
     * Copies up to this many bytes with loads and stores of the JIT's own, not through the JDK's copy stub: the
     * stub's call and its checks cost more than a small message's payload (a tenth of a ping-pong's software time at
     * 8 B).
     */
    public static final int INLINE_COPY_MAX = 4 * Long.BYTES;

    /** Copies {@code bytes} bytes (none when 0 or less). */
    public static void copy(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final long bytes)
    {
        if (bytes > INLINE_COPY_MAX)
        {
            UnsafeApi.copyMemory(srcBase, srcAddress, dstBase, dstAddress, bytes);
        }
        else if (bytes > 0)
        {
            copySmall(srcBase, srcAddress, dstBase, dstAddress, (int)bytes);
        }
    }

    /**
     * 1 to {@link #INLINE_COPY_MAX} bytes, as loads and stores of the widest size that fits, from both ends and
     * overlapping in the middle (unaligned accesses: one instruction each on x86 and aarch64); every load comes
     * before the first store, so overlapping locations are copied as {@code copyMemory} copies them.
     */
    private static void copySmall(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final int bytes)
    {
        if (bytes > 2 * Long.BYTES)
        {
            final long first = UnsafeApi.getLongUnaligned(srcBase, srcAddress);
            final long second = UnsafeApi.getLongUnaligned(srcBase, srcAddress + Long.BYTES);
            final long third = UnsafeApi.getLongUnaligned(srcBase, srcAddress + bytes - 2 * Long.BYTES);
            final long fourth = UnsafeApi.getLongUnaligned(srcBase, srcAddress + bytes - Long.BYTES);
            UnsafeApi.putLongUnaligned(dstBase, dstAddress, first);
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + Long.BYTES, second);
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + bytes - 2 * Long.BYTES, third);
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + bytes - Long.BYTES, fourth);
        }
        else if (bytes >= Long.BYTES)
        {
            final long head = UnsafeApi.getLongUnaligned(srcBase, srcAddress);
            final long tail = UnsafeApi.getLongUnaligned(srcBase, srcAddress + bytes - Long.BYTES);
            UnsafeApi.putLongUnaligned(dstBase, dstAddress, head);
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + bytes - Long.BYTES, tail);
        }
        else if (bytes >= Integer.BYTES)
        {
            final int head = UnsafeApi.getIntUnaligned(srcBase, srcAddress);
            final int tail = UnsafeApi.getIntUnaligned(srcBase, srcAddress + bytes - Integer.BYTES);
            UnsafeApi.putIntUnaligned(dstBase, dstAddress, head);
            UnsafeApi.putIntUnaligned(dstBase, dstAddress + bytes - Integer.BYTES, tail);
        }
        else
        {
            final int middle = bytes >> 1;
            final byte first = UnsafeApi.getByte(srcBase, srcAddress);
            final byte between = UnsafeApi.getByte(srcBase, srcAddress + middle);
            final byte last = UnsafeApi.getByte(srcBase, srcAddress + bytes - 1);
            UnsafeApi.putByte(dstBase, dstAddress, first);
            UnsafeApi.putByte(dstBase, dstAddress + middle, between);
            UnsafeApi.putByte(dstBase, dstAddress + bytes - 1, last);
        }
    }

    private ByteCopy()
    {
    }
}
