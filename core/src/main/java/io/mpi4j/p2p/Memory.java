package io.mpi4j.p2p;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.Buffer;

/**
 * The one way mpi4j reaches raw memory, through Agrona's {@link UnsafeApi}. User memory is given as (base, address):
 * a primitive array and an Unsafe offset into it, or null and a native address. Copies move raw bytes in native
 * order between such locations and transport buffers: no conversion, no allocation.
 */
public final class Memory
{
    public static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    public static final long CHAR_ARRAY_BASE = UnsafeApi.arrayBaseOffset(char[].class);
    public static final long SHORT_ARRAY_BASE = UnsafeApi.arrayBaseOffset(short[].class);
    public static final long BOOLEAN_ARRAY_BASE = UnsafeApi.arrayBaseOffset(boolean[].class);
    public static final long INT_ARRAY_BASE = UnsafeApi.arrayBaseOffset(int[].class);
    public static final long LONG_ARRAY_BASE = UnsafeApi.arrayBaseOffset(long[].class);
    public static final long FLOAT_ARRAY_BASE = UnsafeApi.arrayBaseOffset(float[].class);
    public static final long DOUBLE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(double[].class);

    /** Offset of {@code java.nio.Buffer.address}: every direct buffer, of any element type, keeps its memory there. */
    private static final long BUFFER_ADDRESS_OFFSET = UnsafeApi.objectFieldOffset(Buffer.class, "address");

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

    /** Native address of the first element of a direct buffer (of any element type), ignoring its position. */
    public static long directAddress(final Buffer buffer)
    {
        return UnsafeApi.getLong(buffer, BUFFER_ADDRESS_OFFSET);
    }
}
