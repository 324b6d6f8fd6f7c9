package io.mpi4j.p2p;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.RemoteMemory;

import java.util.ArrayDeque;

/**
 * Another process as the point-to-point layer sees it: the connection frames to it go through, and its outbox of
 * frames that did not fit yet. While the outbox is not empty every new frame queues behind it, which keeps the
 * order MPI promises between two processes.
 */
public final class Peer
{
    final long processKey;
    final Connection connection;
    final String transportName;
    final int eagerLimit;
    final int chunkLength;
    /**
     * Fragment length of a packed (non-contiguous) message so that packing and unpacking overlap, or 0: such a
     * message then travels as one eager frame or in {@link #chunkLength} DATA chunks.
     */
    final int pipelineChunkLength;
    /**
     * Fragment length of a contiguous message (eager fragments and rendezvous chunks) so that the two sides' copies
     * overlap, or 0: one eager frame, rendezvous chunks of {@link #chunkLength}.
     */
    final int fragmentLength;
    /** One-sided reads through this peer's transport, or null: rendezvous then streams DATA frames. */
    final RemoteMemory remoteMemory;
    /** The transport's {@link RemoteMemory#readThreshold}: Long.MAX_VALUE where reads wait for the eager limit. */
    private final long transportReadThreshold;
    /**
     * Contiguous messages in native memory from this length on are offered for reading (see {@link #eager}): the
     * transport's threshold, except while MPI_Init rehearses the read path ({@link #rehearseReads}).
     */
    long readThreshold;
    final ArrayDeque<Object> outbox = new ArrayDeque<>();
    boolean inBacklog;

    public Peer(final long processKey, final Connection connection, final String transportName,
        final int eagerLimit, final int maxFrameLength)
    {
        this(processKey, connection, transportName, eagerLimit, maxFrameLength, null, 0, 0);
    }

    public Peer(final long processKey, final Connection connection, final String transportName,
        final int eagerLimit, final int maxFrameLength, final RemoteMemory remoteMemory,
        final int pipelineChunkLength, final int fragmentLength)
    {
        this.remoteMemory = remoteMemory;
        this.transportReadThreshold = null == remoteMemory ? Long.MAX_VALUE : remoteMemory.readThreshold();
        this.readThreshold = transportReadThreshold;
        this.processKey = processKey;
        this.connection = connection;
        this.transportName = transportName;
        this.eagerLimit = Math.min(eagerLimit, maxFrameLength - FrameDescriptor.HEADER_LENGTH);
        this.chunkLength = (maxFrameLength - FrameDescriptor.HEADER_LENGTH) & ~63;
        this.pipelineChunkLength = Math.max(0, Math.min(pipelineChunkLength, chunkLength)) & ~7;
        this.fragmentLength = Math.max(0, Math.min(fragmentLength, chunkLength)) & ~63;
    }

    public long processKey()
    {
        return processKey;
    }

    public String transportName()
    {
        return transportName;
    }

    public Connection connection()
    {
        return connection;
    }

    /**
     * Whether a message of {@code bytes} goes eager (in the frame itself): up to the eager limit, except a contiguous
     * one in native memory ({@code base} null, no {@code layout}) that the transport reads more cheaply than it copies
     * through frames from {@link RemoteMemory#readThreshold} on.
     */
    boolean eager(final long bytes, final Object base, final Object layout)
    {
        return bytes <= eagerLimit && (bytes < readThreshold || null != base || null != layout);
    }

    /**
     * {@code on}: every contiguous message of a byte or more between native buffers is offered for reading, as
     * only large ones are otherwise; off: the transport's threshold again. Only where the transport reads below
     * its eager limit (shared memory): elsewhere a read registers memory, which small messages should not rehearse.
     * Under the engine's lock.
     */
    void rehearseReads(final boolean on)
    {
        if (Long.MAX_VALUE != transportReadThreshold)
        {
            readThreshold = on ? 1 : transportReadThreshold;
        }
    }

    /** One-sided access through this peer's transport, or null. */
    public RemoteMemory remoteMemory()
    {
        return remoteMemory;
    }

    /** A CTS or SYNC_ACK that found the ring full. Rare: allocated only then. */
    static final class ControlFrame
    {
        final int type;
        final long senderCookie;
        final long receiverCookie;
        final long bytes;

        ControlFrame(final int type, final long senderCookie, final long receiverCookie, final long bytes)
        {
            this.type = type;
            this.senderCookie = senderCookie;
            this.receiverCookie = receiverCookie;
            this.bytes = bytes;
        }
    }
}
