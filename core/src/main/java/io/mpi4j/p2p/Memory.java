package io.mpi4j.p2p;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Copies between user memory, given as (base, address) — a primitive array and an Unsafe offset into it, or null
 * and a native address — and transport buffers. Raw bytes in native order: no conversion, no allocation.
 */
public final class Memory
{
    public static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private Memory()
    {
    }

    public static void copy(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final long bytes)
    {
        if (bytes > 0)
        {
            UnsafeApi.copyMemory(srcBase, srcAddress, dstBase, dstAddress, bytes);
        }
    }

    /** Copy {@code bytes} from user memory into {@code buffer} at {@code index}. */
    public static void toBuffer(
        final Object base, final long address, final DirectBuffer buffer, final int index, final int bytes)
    {
        if (bytes > 0)
        {
            UnsafeApi.copyMemory(base, address, buffer.byteArray(), buffer.addressOffset() + index, bytes);
        }
    }

    /** Copy {@code bytes} from {@code buffer} at {@code index} into user memory. */
    public static void fromBuffer(
        final DirectBuffer buffer, final int index, final Object base, final long address, final int bytes)
    {
        if (bytes > 0)
        {
            UnsafeApi.copyMemory(buffer.byteArray(), buffer.addressOffset() + index, base, address, bytes);
        }
    }
}
