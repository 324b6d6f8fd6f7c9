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

    /**
     * Copies up to this many bytes with loads and stores of the JIT's own, not through the JDK's copy stub: the
     * stub's call and its checks cost more than a small message's payload (a tenth of a ping-pong's software time at
     * 8 B).
     */
    static final int INLINE_COPY_MAX = 4 * Long.BYTES;

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

    /** Copy {@code bytes} from user memory into {@code buffer} at {@code index}. */
    public static void toBuffer(
        final Object base, final long address, final DirectBuffer buffer, final int index, final int bytes)
    {
        copy(base, address, buffer.byteArray(), buffer.addressOffset() + index, bytes);
    }

    /** Copy {@code bytes} from {@code buffer} at {@code index} into user memory. */
    public static void fromBuffer(
        final DirectBuffer buffer, final int index, final Object base, final long address, final int bytes)
    {
        copy(buffer.byteArray(), buffer.addressOffset() + index, base, address, bytes);
    }

    /**
     * Where the JDK keeps the buffer a direct slice, duplicate or view was made of ({@code att}), per buffer class;
     * -1 where it has none.
     */
    private static final ClassValue<Long> ATTACHMENT_OFFSET = new ClassValue<>()
    {
        @Override
        protected Long computeValue(final Class<?> type)
        {
            for (Class<?> c = type; null != c && Buffer.class != c; c = c.getSuperclass())
            {
                try
                {
                    return UnsafeApi.objectFieldOffset(c, "att");
                }
                catch (final RuntimeException | Error ex)
                {
                    // not declared here: try the superclass
                }
            }
            return -1L;
        }
    };

    /**
     * Bytes of native memory before a direct buffer's first element that still belong to the buffer it was sliced
     * from (0 for a buffer that was allocated, not sliced): memory a datatype with negative displacements may reach.
     */
    public static long directHeadroom(final Buffer buffer)
    {
        final long address = directAddress(buffer);
        long lowest = address;
        Object current = buffer;
        for (int depth = 0; depth < 8 && current instanceof Buffer && ((Buffer)current).isDirect(); depth++)
        {
            lowest = Math.min(lowest, directAddress((Buffer)current));
            final long offset = ATTACHMENT_OFFSET.get(current.getClass());
            if (offset < 0)
            {
                break;
            }
            current = UnsafeApi.getReference(current, offset);
        }
        return address - lowest;
    }

    /** Native address of the first element of a direct buffer (of any element type), ignoring its position. */
    public static long directAddress(final Buffer buffer)
    {
        return UnsafeApi.getLong(buffer, BUFFER_ADDRESS_OFFSET);
    }
}
