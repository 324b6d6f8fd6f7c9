package io.mpi4j.p2p;

import io.mpi4j.datatype.ByteCopy;
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

    /** Copy {@code bytes} between two locations (see {@link ByteCopy}: small copies are inlined). */
    public static void copy(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final long bytes)
    {
        ByteCopy.copy(srcBase, srcAddress, dstBase, dstAddress, bytes);
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
