package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static io.mpi4j.shm.InboxDescriptor.*;

/**
 * Sending side: one claimed slot in a peer's inbox, i.e. one single-producer ring that only this connection writes.
 * Maps only the peer's header (slot table included) and that one ring.
 */
final class ShmConnection implements Connection
{
    /** How often a sender facing a full ring checks that the receiver still exists. */
    static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int NO_PENDING_CLAIM = -1;

    private final Path path;
    private final int slot;
    private final int maxFrameLength;
    private final MappedByteBuffer headerMapping;
    private final UnsafeBuffer header;
    private final MappedByteBuffer ringMapping;
    private final RingProducer ring;
    private final AtomicBuffer buffer;
    private int pendingClaim = NO_PENDING_CLAIM;
    private boolean waitingForSpace;
    private long lastLivenessCheckNs;
    private boolean closed;

    private ShmConnection(
        final Path path,
        final int slot,
        final int maxFrameLength,
        final MappedByteBuffer headerMapping,
        final UnsafeBuffer header,
        final MappedByteBuffer ringMapping,
        final RingProducer ring)
    {
        this.path = path;
        this.slot = slot;
        this.maxFrameLength = maxFrameLength;
        this.headerMapping = headerMapping;
        this.header = header;
        this.ringMapping = ringMapping;
        this.ring = ring;
        this.buffer = ring.buffer();
    }

    /**
     * Claim a free slot in the inbox at {@code path} and map its ring.
     *
     * @param maxFrameLength largest frame the local transport promises; the peer's rings must accept it.
     * @throws IOException when the inbox is missing, malformed, too small, or has no free slot.
     */
    static ShmConnection open(final Path path, final int maxFrameLength) throws IOException
    {
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException("no shm inbox " + path + ": the peer has not opened its transport or has closed it");
        }

        try (channel)
        {
            final ByteBuffer fields = ByteBuffer.allocate(SLOT_TABLE_OFFSET).order(ByteOrder.nativeOrder());
            while (fields.hasRemaining() && channel.read(fields, fields.position()) > 0)
            {
                // read(2) on a regular file only returns short at end of file
            }
            if (fields.hasRemaining() || MAGIC != fields.getLong(MAGIC_OFFSET))
            {
                throw new IOException("not an mpi4j shm inbox: " + path);
            }
            if (VERSION != fields.getInt(VERSION_OFFSET))
            {
                throw new IOException("shm inbox " + path + " has layout version " + fields.getInt(VERSION_OFFSET) +
                    ", this process speaks " + VERSION + " (mixed mpi4j versions in one job?)");
            }
            final int slotCount = fields.getInt(SLOT_COUNT_OFFSET);
            final int ringCapacity = fields.getInt(RING_CAPACITY_OFFSET);
            if (slotCount < 1 || slotCount > MAX_SLOTS || null != checkRingCapacity(ringCapacity) ||
                channel.size() < fileLength(slotCount, ringCapacity))
            {
                throw new IOException("corrupt shm inbox header in " + path);
            }
            if (InboxDescriptor.maxFrameLength(ringCapacity) < maxFrameLength)
            {
                throw new IOException("shm inbox " + path + " has rings of " + ringCapacity + " bytes, too small for " +
                    "frames of " + maxFrameLength + " bytes: set " + ShmConfiguration.RING_SIZE +
                    " to the same value for every process of the job");
            }
            if (0 != fields.getInt(OWNER_CLOSED_OFFSET))
            {
                throw new IOException("shm inbox " + path + " is closed: the peer has finalized");
            }

            final int headerLength = headerLength(slotCount);
            final MappedByteBuffer headerMapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, headerLength);
            final UnsafeBuffer header = new UnsafeBuffer(headerMapping, 0, headerLength);
            final int slot = claimSlot(header, slotCount);
            if (slot < 0)
            {
                IoUtil.unmap(headerMapping);
                throw new IOException("all " + slotCount + " slots of shm inbox " + path + " are in use: the peer " +
                    "accepts at most " + slotCount + " connections (raise " + ShmConfiguration.SLOTS + ")");
            }

            final int entry = slotEntryOffset(slot);
            final MappedByteBuffer ringMapping;
            try
            {
                ringMapping = channel.map(FileChannel.MapMode.READ_WRITE,
                    ringOffset(slotCount, ringCapacity, slot), ringRegionLength(ringCapacity));
            }
            catch (final IOException | RuntimeException ex)
            {
                // Nothing was written to the ring and the high-water mark was not raised: hand the slot straight back.
                header.putIntRelease(entry + SLOT_STATE_OFFSET, SLOT_FREE);
                IoUtil.unmap(headerMapping);
                throw ex;
            }
            header.putLongRelease(entry + SLOT_SENDER_PID_OFFSET, ProcessHandle.current().pid());
            raiseHighWaterMark(header, slot + 1);

            final RingProducer ring =
                new RingProducer(new UnsafeBuffer(ringMapping, 0, ringBufferLength(ringCapacity)));
            return new ShmConnection(path, slot, maxFrameLength, headerMapping, header, ringMapping, ring);
        }
    }

    /** Lowest free slot, so reuse keeps the high-water mark (and the receiver's scan) short. */
    private static int claimSlot(final UnsafeBuffer header, final int slotCount)
    {
        for (int slot = 0; slot < slotCount; slot++)
        {
            final int stateOffset = slotEntryOffset(slot) + SLOT_STATE_OFFSET;
            if (SLOT_FREE == header.getIntVolatile(stateOffset) &&
                header.compareAndSetInt(stateOffset, SLOT_FREE, SLOT_CLAIMED))
            {
                return slot;
            }
        }
        return -1;
    }

    private static void raiseHighWaterMark(final UnsafeBuffer header, final int atLeast)
    {
        int current;
        while ((current = header.getIntVolatile(HIGH_WATER_MARK_OFFSET)) < atLeast)
        {
            if (header.compareAndSetInt(HIGH_WATER_MARK_OFFSET, current, atLeast))
            {
                return;
            }
        }
    }

    /** {@inheritDoc} */
    public int tryClaim(final int length)
    {
        if (closed)
        {
            throw new IllegalStateException("shm connection to " + path + " is closed");
        }
        if (length > maxFrameLength)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes exceeds maxFrameLength " + maxFrameLength);
        }

        final int index = ring.tryClaim(length);
        if (index >= 0)
        {
            pendingClaim = index;
            waitingForSpace = false;
            return index;
        }

        onRingFull();
        return INSUFFICIENT_CAPACITY;
    }

    /**
     * Slow path. A receiver that died never drains its ring, so once the ring has stayed full for a while, and then
     * at most every {@link #LIVENESS_CHECK_INTERVAL_NS}, ask whether the owner still runs.
     */
    private void onRingFull()
    {
        final long nowNs = System.nanoTime();
        if (!waitingForSpace)
        {
            waitingForSpace = true;
            lastLivenessCheckNs = nowNs;
        }
        else if (nowNs - lastLivenessCheckNs >= LIVENESS_CHECK_INTERVAL_NS)
        {
            lastLivenessCheckNs = nowNs;
            checkPeer();
        }
    }

    private void checkPeer()
    {
        final long pid = header.getLongVolatile(OWNER_PID_OFFSET);
        if (0 != header.getIntVolatile(OWNER_CLOSED_OFFSET))
        {
            throw new IllegalStateException("peer process " + pid + " closed its shm inbox " + path);
        }
        if (!ProcessLiveness.isAlive(pid, header.getLongVolatile(OWNER_START_TIME_OFFSET)))
        {
            throw new IllegalStateException("peer process " + pid + " is gone");
        }
    }

    /** {@inheritDoc} */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** {@inheritDoc} */
    public void commit(final int index)
    {
        ring.commit(index);
        pendingClaim = NO_PENDING_CLAIM;
    }

    /** {@inheritDoc} */
    public void abort(final int index)
    {
        ring.abort(index);
        pendingClaim = NO_PENDING_CLAIM;
    }

    int slot()
    {
        return slot;
    }

    boolean isClosed()
    {
        return closed;
    }

    /** Pid of the inbox's owner, the peer this connection writes to. */
    long ownerPid()
    {
        return header.getLongVolatile(OWNER_PID_OFFSET);
    }

    /** The owner no longer runs and never closed its inbox: it died. Slow (reads /proc). */
    boolean ownerLost()
    {
        return 0 == header.getIntVolatile(OWNER_CLOSED_OFFSET) &&
            !ProcessLiveness.isAlive(ownerPid(), header.getLongVolatile(OWNER_START_TIME_OFFSET));
    }

    /** The inbox file, {@code mpi4j-<jobId>-<processIndex>}: whose inbox it is. */
    Path path()
    {
        return path;
    }

    /**
     * Abort a frame left claimed (it would block the ring forever), then mark the slot released: the receiver
     * drains what was committed and only then makes the slot free again.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;

        if (NO_PENDING_CLAIM != pendingClaim)
        {
            try
            {
                ring.abort(pendingClaim);
            }
            catch (final IllegalStateException ignore)
            {
                // Already committed or aborted through another path.
            }
            pendingClaim = NO_PENDING_CLAIM;
        }
        header.putIntRelease(slotEntryOffset(slot) + SLOT_STATE_OFFSET, SLOT_RELEASED);
        IoUtil.unmap(ringMapping);
        IoUtil.unmap(headerMapping);
    }
}
