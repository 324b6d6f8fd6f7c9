package io.mpi4j.datatype;

import org.agrona.UnsafeApi;

/**
 * Raw byte copies between (base, address) locations: a primitive array and an Unsafe offset into it, or null and a
 * native address. Small copies (a small message's payload, a put of a few items into a shared window) are made with
 * the JIT's own loads and stores; large ones between native addresses, or between an array and a native address,
 * by the C library ({@link NativeCopy}); the others through {@code copyMemory}.
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
        if (bytes >= NativeCopy.MIN_BYTES && NativeCopy.AVAILABLE && copyLarge(srcBase, srcAddress, dstBase,
            dstAddress, bytes))
        {
            return;
        }
        if (bytes > INLINE_COPY_MAX)
        {
            UnsafeApi.copyMemory(srcBase, srcAddress, dstBase, dstAddress, bytes);
        }
        else if (bytes > 0)
        {
            copySmall(srcBase, srcAddress, dstBase, dstAddress, (int)bytes);
        }
    }

    /** Through {@link NativeCopy} where it is faster: false when the caller has to copy. */
    private static boolean copyLarge(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final long bytes)
    {
        if (null == srcBase && null == dstBase)
        {
            NativeCopy.copy(srcAddress, dstAddress, bytes);
            return true;
        }
        if (bytes > NativeCopy.MAX_ARRAY_BYTES || (null != srcBase && null != dstBase))
        {
            return false;
        }
        return null == srcBase
            ? NativeCopy.copyArray(dstBase, dstAddress, srcAddress, bytes, true)
            : NativeCopy.copyArray(srcBase, srcAddress, dstAddress, bytes, false);
    }

    /**
     * 1 to {@link #INLINE_COPY_MAX} bytes: longs from the start, then an int, a short and a byte as the length asks
     * (unaligned accesses: one instruction each on x86 and aarch64). Every byte is written once, so an element that a
     * window's atomics may change meanwhile is never written twice; every load comes before the first store, so
     * overlapping locations are copied as {@code copyMemory} copies them.
     */
    private static void copySmall(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final int bytes)
    {
        final int longs = bytes >>> 3;
        final long tail = (long)longs << 3;
        final long shortAt = tail + (bytes & Integer.BYTES);
        final long first = longs > 0 ? UnsafeApi.getLongUnaligned(srcBase, srcAddress) : 0;
        final long second = longs > 1 ? UnsafeApi.getLongUnaligned(srcBase, srcAddress + Long.BYTES) : 0;
        final long third = longs > 2 ? UnsafeApi.getLongUnaligned(srcBase, srcAddress + 2 * Long.BYTES) : 0;
        final long fourth = longs > 3 ? UnsafeApi.getLongUnaligned(srcBase, srcAddress + 3 * Long.BYTES) : 0;
        final int anInt = 0 != (bytes & Integer.BYTES) ? UnsafeApi.getIntUnaligned(srcBase, srcAddress + tail) : 0;
        final short aShort =
            0 != (bytes & Short.BYTES) ? UnsafeApi.getShortUnaligned(srcBase, srcAddress + shortAt) : 0;
        final byte aByte = 0 != (bytes & 1) ? UnsafeApi.getByte(srcBase, srcAddress + bytes - 1) : 0;
        if (longs > 0)
        {
            UnsafeApi.putLongUnaligned(dstBase, dstAddress, first);
        }
        if (longs > 1)
        {
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + Long.BYTES, second);
        }
        if (longs > 2)
        {
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + 2 * Long.BYTES, third);
        }
        if (longs > 3)
        {
            UnsafeApi.putLongUnaligned(dstBase, dstAddress + 3 * Long.BYTES, fourth);
        }
        if (0 != (bytes & Integer.BYTES))
        {
            UnsafeApi.putIntUnaligned(dstBase, dstAddress + tail, anInt);
        }
        if (0 != (bytes & Short.BYTES))
        {
            UnsafeApi.putShortUnaligned(dstBase, dstAddress + shortAt, aShort);
        }
        if (0 != (bytes & 1))
        {
            UnsafeApi.putByte(dstBase, dstAddress + bytes - 1, aByte);
        }
    }

    private ByteCopy()
    {
    }
}
