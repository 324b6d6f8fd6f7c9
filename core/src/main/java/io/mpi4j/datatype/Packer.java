package io.mpi4j.datatype;

import org.agrona.UnsafeApi;

/**
 * Whole-message packing: what {@code MPI_Pack}, {@code MPI_Unpack} and {@code MPI_Pack_size} do, and the local
 * copy between two typed buffers that a send to oneself or a collective's local step needs. User buffers are
 * {@code (base, address)} as in {@link PackCursor}; the caller has checked they are large enough.
 */
public final class Packer
{
    /** Staging chunk of a typed copy between two non-contiguous types. */
    private static final int COPY_CHUNK = 16 * 1024;

    private Packer()
    {
    }

    /** {@code MPI_Pack_size}: bytes {@code count} items of {@code type} pack to (no header: one data format). */
    public static long packedSize(final TypeMap type, final long count)
    {
        return type.packedSize(count);
    }

    /**
     * {@code MPI_Pack}: packs {@code count} items at {@code (base, address)} into {@code out} at {@code position}.
     *
     * @return the position after the packed bytes
     * @throws IndexOutOfBoundsException if they do not fit {@code out}
     */
    public static int pack(
        final TypeMap type, final long count, final Object base, final long address, final byte[] out,
        final int position)
    {
        final long bytes = type.packedSize(count);
        if (position < 0 || bytes > out.length - (long)position)
        {
            throw new IndexOutOfBoundsException(bytes + " packed bytes at position " + position +
                " do not fit a buffer of " + out.length + " bytes");
        }
        new PackCursor().reset(type, count, base, address).pack(out, position, (int)bytes);
        return position + (int)bytes;
    }

    /**
     * {@code MPI_Unpack}: unpacks {@code count} items from {@code in} at {@code position} into
     * {@code (base, address)}.
     *
     * @return the position after the unpacked bytes
     * @throws IndexOutOfBoundsException if {@code in} holds fewer bytes after {@code position}
     */
    public static int unpack(
        final byte[] in, final int position, final TypeMap type, final long count, final Object base,
        final long address)
    {
        final long bytes = type.packedSize(count);
        if (position < 0 || bytes > in.length - (long)position)
        {
            throw new IndexOutOfBoundsException(bytes + " bytes to unpack at position " + position +
                " exceed a buffer of " + in.length + " bytes");
        }
        new PackCursor().reset(type, count, base, address).unpack(in, position, (int)bytes);
        return position + (int)bytes;
    }

    /**
     * Copies the packed stream of {@code srcCount} items of {@code srcType} into {@code dstCount} items of
     * {@code dstType}, as a message from one buffer to the other would: as many bytes as both streams hold.
     *
     * @return bytes copied: {@code min} of the two packed sizes
     */
    public static long copy(
        final TypeMap srcType, final long srcCount, final Object srcBase, final long srcAddress,
        final TypeMap dstType, final long dstCount, final Object dstBase, final long dstAddress)
    {
        final long bytes = Math.min(srcType.packedSize(srcCount), dstType.packedSize(dstCount));
        if (0 == bytes)
        {
            return 0;
        }
        if (srcType.isContiguous() && dstType.isContiguous())
        {
            ByteCopy.copy(srcBase, srcAddress + srcType.firstDisplacement(), dstBase,
                dstAddress + dstType.firstDisplacement(), bytes);
            return bytes;
        }
        final PackCursor from = new PackCursor().reset(srcType, srcCount, srcBase, srcAddress);
        final PackCursor to = new PackCursor().reset(dstType, dstCount, dstBase, dstAddress);
        final byte[] stage = new byte[(int)Math.min(COPY_CHUNK, bytes)];
        long done = 0;
        while (done < bytes)
        {
            final int n = from.pack(stage, 0, (int)Math.min(stage.length, bytes - done));
            to.unpack(stage, 0, n);
            done += n;
        }
        return bytes;
    }
}
