package io.mpi4j.io;

import io.mpi4j.datatype.PackCursor;
import io.mpi4j.p2p.Memory;

/**
 * The bytes of one file access as the contiguous stream that the view's ranges are written from or read into. When
 * the access's items are one block of native memory or of a {@code byte[]}, the stream is the program's memory
 * itself, and a write or read moves the data between it and the file with the kernel's one copy. Otherwise, and
 * whenever two-phase I/O must send the stream to aggregators ({@link #array}), it is a packed copy, made on demand
 * and unpacked into the program's memory by {@link #finishRead}.
 * <p>
 * A packed copy of a large access costs an allocation of its size and two passes over it (the JVM zeroes the array,
 * the pack fills it), and a heap array is staged again through the JDK's direct buffer on its way to the channel:
 * three passes over memory where the kernel needs one.
 */
final class AccessStream
{
    private final OpenFile.Access access;
    private final long bytes;
    private final boolean write;
    private Object base;
    private long address;
    private byte[] array;

    private AccessStream(final OpenFile.Access access, final long bytes, final boolean write, final boolean inPlace)
    {
        this.access = access;
        this.bytes = bytes;
        this.write = write;
        if (inPlace && access.type.isContiguous() && (null == access.base || access.base instanceof byte[]))
        {
            base = access.base;
            address = access.address + access.type.firstDisplacement();
        }
        else
        {
            array();
        }
    }

    /** The stream of a write of {@code bytes} bytes: the items of {@code access}, in place or packed. */
    static AccessStream forWrite(final OpenFile.Access access, final long bytes)
    {
        return new AccessStream(access, bytes, true, true);
    }

    /** The stream a read of {@code bytes} bytes fills: the memory of {@code access}, in place or staged. */
    static AccessStream forRead(final OpenFile.Access access, final long bytes)
    {
        return new AccessStream(access, bytes, false, true);
    }

    /**
     * The stream of a transfer that outlives the call (a non-blocking access on the I/O thread), always a packed
     * copy: a write takes its data out of the program's memory at the call, a read reaches it only in
     * {@link #finishRead}, and the file is never accessed straight from or into memory the program may have let go
     * of meanwhile.
     */
    static AccessStream staged(final OpenFile.Access access, final long bytes, final boolean write)
    {
        return new AccessStream(access, bytes, write, false);
    }

    /** Array the stream lies in, or null for native memory. */
    Object base()
    {
        return base;
    }

    /** Address of the stream's first byte, relative to {@link #base()}. */
    long address()
    {
        return address;
    }

    /**
     * The stream as a {@code byte[]} from index 0 (for two-phase I/O): a write's items packed into it, or the array
     * a read fills for {@link #finishRead}. The stream is that array from then on.
     */
    byte[] array()
    {
        if (null == array)
        {
            final byte[] staged = new byte[(int)bytes];
            if (write && bytes > 0)
            {
                new PackCursor().reset(access.type, access.count, access.base, access.address)
                    .pack(staged, 0, (int)bytes);
            }
            array = staged;
            base = staged;
            address = Memory.BYTE_ARRAY_BASE;
        }
        return array;
    }

    /** After a read of {@code got} bytes: the program's memory holds them (a staged stream is unpacked now). */
    void finishRead(final long got)
    {
        if (null != array && got > 0)
        {
            new PackCursor().reset(access.type, access.count, access.base, access.address)
                .unpack(array, 0, (int)got);
        }
    }
}
