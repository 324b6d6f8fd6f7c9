package io.mpi4j.coll;

import io.mpi4j.p2p.Memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Memory that every process of a communicator on one node maps: the memory of an {@code MPI_Win_allocate_shared}
 * window, and the flags and buffers of the on-node collectives ({@link NodeCollectives}). One file in /dev/shm,
 * each process's part at a 64-byte aligned offset ({@link #layout}). The first process creates it owner-only
 * and removes its name as soon as everyone has mapped it, so nothing is left behind even if the job is killed
 * later (the launcher's cleanup removes {@code mpi4j-<job>-*} files in between). The mapping is
 * never unmapped explicitly: buffers the program got from {@code sharedQuery} may outlive the window, and the
 * memory goes when the last of them is collected.
 */
public final class SharedSegment
{
    /** Parts start on their own cache line. */
    public static final int ALIGNMENT = 64;
    public static final Path DIRECTORY = Path.of("/dev/shm");

    private final MappedByteBuffer mapping;
    private final long address;
    private final long[] offsets;
    private final long[] sizes;

    private SharedSegment(final MappedByteBuffer mapping, final long[] offsets, final long[] sizes)
    {
        this.mapping = mapping;
        this.address = Memory.directAddress(mapping);
        this.offsets = offsets;
        this.sizes = sizes;
    }

    /** Offsets of each process's part, and the file length as the last element. */
    public static long[] layout(final long[] sizes)
    {
        final long[] offsets = new long[sizes.length + 1];
        long at = 0;
        for (int i = 0; i < sizes.length; i++)
        {
            offsets[i] = at;
            at += (sizes[i] + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        }
        offsets[sizes.length] = Math.max(at, ALIGNMENT);
        return offsets;
    }

    /** Creates the file (owner-only), sized, not yet mapped. */
    public static void create(final Path file, final long length) throws IOException
    {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            // writing the last byte sizes the file; tmpfs keeps the rest sparse (zero pages)
            channel.write(ByteBuffer.allocate(1), length - 1);
        }
    }

    /** Maps the file made by {@link #create}. */
    public static SharedSegment map(final Path file, final long[] sizes) throws IOException
    {
        final long[] layout = layout(sizes);
        final long length = layout[sizes.length];
        if (length > Integer.MAX_VALUE)
        {
            throw new IOException("the shared segment's " + length + " bytes exceed what one mapping holds (2 GiB)");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            if (channel.size() != length)
            {
                throw new IOException(file + " is " + channel.size() + " bytes, expected " + length);
            }
            final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            return new SharedSegment(mapping, layout, sizes.clone());
        }
    }

    /**
     * Unmaps the segment now rather than when the collector finds the buffer: for a segment nobody will use (its
     * making failed elsewhere), whose mapping must not linger in the process.
     */
    public void unmap()
    {
        org.agrona.IoUtil.unmap(mapping);
    }

    /** Native address of process {@code rank}'s part. */
    public long address(final int rank)
    {
        return address + offsets[rank];
    }

    public long size(final int rank)
    {
        return sizes[rank];
    }

    /** Process {@code rank}'s part as a direct buffer in native order (MPI_Win_shared_query). */
    public ByteBuffer slice(final int rank)
    {
        return mapping.slice((int)offsets[rank], (int)sizes[rank]).order(ByteOrder.nativeOrder());
    }
}
