package io.mpi4j.shm;

import io.mpi4j.runtime.HaltCleanup;
import io.mpi4j.transport.FrameHandler;
import org.agrona.IoUtil;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

import static io.mpi4j.shm.InboxDescriptor.*;

/**
 * Receiving side of the shared-memory transport: the process's inbox file and the rings peers write into.
 * <p>
 * The file is created under a temporary name with mode 0600 from the start, sized sparsely (pages exist only once
 * written), initialised, and then renamed into place, so a peer never sees a half-written header. Rings are mapped
 * lazily as the high-water mark of claimed slots rises. Single-threaded: the progress engine serialises callers.
 */
final class Inbox implements AutoCloseable
{
    static final String FILE_PREFIX = "mpi4j-";
    private static final String INIT_SUFFIX = ".init";

    private final Path path;
    private final Path initPath;
    private final int slotCount;
    private final int ringCapacity;
    private final FileChannel channel;
    private final MappedByteBuffer headerMapping;
    private final UnsafeBuffer header;
    private final MappedByteBuffer[] ringMappings;
    private final RingConsumer[] rings;
    private final Thread cleanupHook;
    private int mappedSlots;
    private int nextStartSlot;
    private boolean closed;

    private Inbox(
        final Path path,
        final Path initPath,
        final int slotCount,
        final int ringCapacity,
        final FileChannel channel,
        final MappedByteBuffer headerMapping,
        final Thread cleanupHook)
    {
        this.path = path;
        this.initPath = initPath;
        this.slotCount = slotCount;
        this.ringCapacity = ringCapacity;
        this.channel = channel;
        this.headerMapping = headerMapping;
        this.header = new UnsafeBuffer(headerMapping, 0, headerLength(slotCount));
        this.ringMappings = new MappedByteBuffer[slotCount];
        this.rings = new RingConsumer[slotCount];
        this.cleanupHook = cleanupHook;
    }

    static Path inboxPath(final Path directory, final String jobId, final int processIndex)
    {
        return directory.resolve(FILE_PREFIX + jobId + "-" + processIndex);
    }

    /**
     * Create and publish this process's inbox.
     *
     * @throws IOException when the file exists already or cannot be created; the message says which file.
     */
    static Inbox create(final Path path, final int slotCount, final int ringCapacity) throws IOException
    {
        final Path initPath = path.resolveSibling(path.getFileName() + INIT_SUFFIX);
        if (Files.exists(path))
        {
            throw new IOException("shm inbox " + path + " already exists: another process uses the same job id " +
                "and index, or a crashed job left it behind (remove it)");
        }

        final Thread cleanupHook = new Thread(() -> deleteQuietly(path, initPath), "mpi4j-shm-inbox-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        // A halting process runs no shutdown hook: a rank whose launcher was killed halts, and must not leave this.
        HaltCleanup.add(cleanupHook);

        FileChannel channel = null;
        MappedByteBuffer headerMapping = null;
        boolean published = false;
        try
        {
            Files.deleteIfExists(initPath);
            Files.createFile(initPath, PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            channel = FileChannel.open(initPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            // Writing the last byte sizes the file without touching any other page: tmpfs keeps it sparse.
            channel.write(ByteBuffer.allocate(1), fileLength(slotCount, ringCapacity) - 1);

            final int headerLength = headerLength(slotCount);
            headerMapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, headerLength);
            final UnsafeBuffer header = new UnsafeBuffer(headerMapping, 0, headerLength);
            header.putInt(VERSION_OFFSET, VERSION);
            header.putInt(SLOT_COUNT_OFFSET, slotCount);
            header.putInt(RING_CAPACITY_OFFSET, ringCapacity);
            header.putInt(OWNER_CLOSED_OFFSET, 0);
            header.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
            header.putLong(OWNER_START_TIME_OFFSET, ProcessLiveness.currentStartTime());
            header.putIntRelease(HIGH_WATER_MARK_OFFSET, 0);
            header.putLongRelease(MAGIC_OFFSET, MAGIC);

            Files.move(initPath, path, StandardCopyOption.ATOMIC_MOVE);
            final Inbox inbox = new Inbox(path, initPath, slotCount, ringCapacity, channel, headerMapping, cleanupHook);
            published = true;
            return inbox;
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot create shm inbox " + path + ": " + ex, ex);
        }
        finally
        {
            if (!published)
            {
                if (null != headerMapping)
                {
                    IoUtil.unmap(headerMapping);
                }
                if (null != channel)
                {
                    channel.close();
                }
                deleteQuietly(path, initPath);
                removeHook(cleanupHook);
            }
        }
    }

    Path path()
    {
        return path;
    }

    int slotCount()
    {
        return slotCount;
    }

    int ringCapacity()
    {
        return ringCapacity;
    }

    /**
     * Deliver up to {@code frameLimit} frames, visiting the claimed slots round-robin from a start slot that advances
     * by one per call, so a sender that always has frames cannot starve the others.
     */
    int poll(final FrameHandler handler, final int frameLimit)
    {
        if (closed || frameLimit <= 0)
        {
            return 0;
        }

        final int highWaterMark = Math.min(header.getIntVolatile(HIGH_WATER_MARK_OFFSET), slotCount);
        if (highWaterMark > mappedSlots)
        {
            mapSlots(highWaterMark);
        }
        final int slots = mappedSlots;
        if (0 == slots)
        {
            return 0;
        }

        int slot = nextStartSlot < slots ? nextStartSlot : 0;
        nextStartSlot = slot + 1;
        int delivered = 0;
        for (int visited = 0; visited < slots && delivered < frameLimit; visited++)
        {
            final int read = rings[slot].read(handler, frameLimit - delivered);
            delivered += 0 != read ? read : drainIfReleased(slot, handler, frameLimit - delivered);
            if (++slot == slots)
            {
                slot = 0;
            }
        }

        return delivered;
    }

    /**
     * An idle ring may belong to a sender that closed. The state is read with acquire semantics, so a second read of
     * the ring sees every frame committed before the release (a closing sender aborted what it had claimed, so
     * everything is committed); once no committed record is left the slot can be recycled.
     */
    private int drainIfReleased(final int slot, final FrameHandler handler, final int frameLimit)
    {
        final int stateOffset = slotEntryOffset(slot) + SLOT_STATE_OFFSET;
        if (SLOT_RELEASED != header.getIntVolatile(stateOffset))
        {
            return 0;
        }

        final RingConsumer ring = rings[slot];
        final int read = ring.read(handler, frameLimit);
        if (!ring.hasCommitted())
        {
            recycle(slot);
        }
        return read;
    }

    /**
     * Make a drained slot claimable again. The ring is left as it is: its consumer position, published by the read
     * that drained it, is where the last sender stopped, and the header word there says "not committed", so the next
     * sender's {@link RingProducer} carries on from it as the last sender would have. The release store of FREE
     * publishes that position to the next sender's claiming CAS.
     */
    private void recycle(final int slot)
    {
        final int entry = slotEntryOffset(slot);
        header.putLong(entry + SLOT_SENDER_PID_OFFSET, 0L);
        header.putIntRelease(entry + SLOT_STATE_OFFSET, SLOT_FREE);
    }

    /** Slow path, once per new high-water mark: map the rings of newly claimed slots. */
    private void mapSlots(final int highWaterMark)
    {
        final int regionLength = ringRegionLength(ringCapacity);
        final int bufferLength = ringBufferLength(ringCapacity);
        for (int slot = mappedSlots; slot < highWaterMark; slot++)
        {
            final MappedByteBuffer mapping;
            try
            {
                mapping = channel.map(
                    FileChannel.MapMode.READ_WRITE, ringOffset(slotCount, ringCapacity, slot), regionLength);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot map slot " + slot + " of shm inbox " + path, ex);
            }
            ringMappings[slot] = mapping;
            rings[slot] = new RingConsumer(new UnsafeBuffer(mapping, 0, bufferLength));
            mappedSlots = slot + 1;
        }
    }

    /**
     * Pid of a sender that holds a slot and no longer runs, not among {@code known}; 0 when there is none. A sender
     * that closed released its slot, so a claimed slot of a process that is gone means it died. Slow (reads /proc).
     */
    long deadSender(final LongHashSet known)
    {
        for (int slot = 0; slot < mappedSlots; slot++)
        {
            final int entry = slotEntryOffset(slot);
            if (SLOT_CLAIMED == header.getIntVolatile(entry + SLOT_STATE_OFFSET))
            {
                final long pid = header.getLongVolatile(entry + SLOT_SENDER_PID_OFFSET);
                if (0 != pid && !known.contains(pid) && !ProcessLiveness.isAlive(pid, UNKNOWN_START_TIME) &&
                    SLOT_CLAIMED == header.getIntVolatile(entry + SLOT_STATE_OFFSET))
                {
                    return pid;
                }
            }
        }
        return 0;
    }

    /** Test hook: the header as the owner sees it. */
    UnsafeBuffer header()
    {
        return header;
    }

    /** Unmap, tell senders the inbox is gone, delete the file. Idempotent. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;

        header.putIntRelease(OWNER_CLOSED_OFFSET, 1);
        for (int slot = 0; slot < mappedSlots; slot++)
        {
            rings[slot] = null;
            IoUtil.unmap(ringMappings[slot]);
            ringMappings[slot] = null;
        }
        mappedSlots = 0;
        IoUtil.unmap(headerMapping);
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // The mappings are gone already; nothing else holds the descriptor.
        }
        deleteQuietly(path, initPath);
        removeHook(cleanupHook);
    }

    private static void deleteQuietly(final Path path, final Path initPath)
    {
        try
        {
            Files.deleteIfExists(path);
            Files.deleteIfExists(initPath);
        }
        catch (final IOException ignore)
        {
            // Best effort: the launcher removes mpi4j-<jobId>* after the job.
        }
    }

    private static void removeHook(final Thread hook)
    {
        HaltCleanup.remove(hook);
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down: the hook runs anyway and finds nothing to delete.
        }
    }
}
