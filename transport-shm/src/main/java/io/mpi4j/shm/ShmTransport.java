package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.PeerLossListener;
import io.mpi4j.transport.RemoteMemory;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;
import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shared-memory endpoint of one process: an {@link Inbox} that peers on the same node write into, and the
 * {@link ShmConnection}s this process opened to other inboxes (its own included).
 * <p>
 * A peer that dies leaves no end of stream behind as a socket does. With a {@link PeerLossListener} set, a poll that
 * delivers nothing looks, at most every {@link #PEER_CHECK_INTERVAL_NS}, for the owners of the inboxes this process
 * writes to and the senders holding a slot of its own inbox that no longer run without having closed.
 */
public final class ShmTransport implements Transport
{
    /**
     * Fragment of a packed message: long enough that a fragment's frame costs little beside its pack (a 1 KiB
     * strided column is ~128 cache misses), short enough that the receiver starts after a few hundred nanoseconds
     * (a 1024-row double column halo measured 7.9-8.0 us with 512 B or 1 KiB fragments, 8.7 with 2 KiB, 10.1 with 4 KiB,
     * 17.4 as one frame).
     */
    static final int PIPELINE_CHUNK_LENGTH = 1024;
    static final long PEER_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private final TransportContext context;
    private final ShmConfiguration configuration;
    private final Inbox inbox;
    private final String address;
    private final List<ShmConnection> connections = new ArrayList<>();
    /** Single-copy reads of peers' memory, or null when configured off or without the native library. */
    private final ShmRemoteMemory remoteMemory;
    /** Pids already reported lost: each is reported once. */
    private final LongHashSet lostPids = new LongHashSet();
    private PeerLossListener peerLossListener;
    private long nextPeerCheckNs;
    private boolean closed;

    private ShmTransport(final TransportContext context, final ShmConfiguration configuration, final Inbox inbox)
    {
        this.context = context;
        this.configuration = configuration;
        this.inbox = inbox;
        this.address = ShmAddress.format(context.nodeId(), inbox.path());
        this.remoteMemory = ShmConfiguration.NO_SINGLE_COPY != configuration.singleCopyMin() &&
            CrossMemoryAttach.available() ? new ShmRemoteMemory(configuration.singleCopyMin()) : null;
        if (null != remoteMemory)
        {
            // Peers read this process's memory: under Yama's ptrace_scope 1 they may not unless it says so.
            CrossMemoryAttach.allowReaders();
        }
    }

    /** [A-Za-z0-9_-]+ without java.util.regex, whose first use costs a new process tens of milliseconds. */
    private static boolean isFileNameSafe(final String name)
    {
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Create this process's inbox {@code mpi4j-<jobId>-<processIndex>} in the configured directory.
     *
     * @throws IOException when the inbox cannot be created.
     */
    public static ShmTransport open(final TransportContext context, final ShmConfiguration configuration)
        throws IOException
    {
        final String jobId = context.jobId();
        if (null == jobId || jobId.isEmpty() || !isFileNameSafe(jobId))
        {
            throw new IOException("job id is not safe in a file name: '" + jobId + "'");
        }
        if (context.processIndex() < 0)
        {
            throw new IOException("negative process index " + context.processIndex());
        }
        final String nodeId = context.nodeId();
        if (null == nodeId || nodeId.isEmpty() || nodeId.contains(":/"))
        {
            throw new IOException("node id unusable in an shm address: '" + nodeId + "'");
        }

        final Inbox inbox = Inbox.create(
            Inbox.inboxPath(configuration.directory().toAbsolutePath(), jobId, context.processIndex()),
            configuration.slotCount(),
            configuration.ringCapacity());
        if (context.processIndex() == 0)
        {
            // Once per job: files of jobs whose every process was killed (launcher included) go now.
            StaleInboxSweep.startInBackground(configuration.directory().toAbsolutePath());
        }
        try
        {
            return new ShmTransport(context, configuration, inbox);
        }
        catch (final RuntimeException ex)
        {
            inbox.close();
            throw ex;
        }
    }

    /** {@inheritDoc} */
    public String name()
    {
        return ShmTransportProvider.NAME;
    }

    /** {@inheritDoc} */
    public String address()
    {
        return address;
    }

    /** {@inheritDoc} Same node id: the inbox file is in this node's shared memory. */
    public boolean reaches(final String peerAddress)
    {
        return ShmAddress.isOnNode(peerAddress, context.nodeId());
    }

    /** {@inheritDoc} */
    public Connection connect(final String peerAddress) throws IOException
    {
        if (closed)
        {
            throw new IllegalStateException("shm transport is closed");
        }
        if (!ShmAddress.isValid(peerAddress))
        {
            throw new IOException("not an shm address: " + peerAddress);
        }
        if (!reaches(peerAddress))
        {
            throw new IOException("shm peer " + peerAddress + " is on another node than " + context.nodeId());
        }

        final ShmConnection connection = ShmConnection.open(ShmAddress.path(peerAddress), maxFrameLength());
        connections.removeIf(ShmConnection::isClosed);
        connections.add(connection);
        return connection;
    }

    /** {@inheritDoc} */
    public int poll(final FrameHandler handler, final int frameLimit)
    {
        final int read = null == remoteMemory ? 0 : remoteMemory.reportCompletions(handler);
        final int delivered = read + inbox.poll(handler, frameLimit);
        if (0 == delivered && null != peerLossListener)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - nextPeerCheckNs >= 0)
            {
                nextPeerCheckNs = nowNs + PEER_CHECK_INTERVAL_NS;
                checkPeers();
            }
        }
        return delivered;
    }

    /** {@inheritDoc} */
    public void peerLossListener(final PeerLossListener listener)
    {
        this.peerLossListener = listener;
    }

    /** Slow path (reads /proc): report each peer found dead once. */
    private void checkPeers()
    {
        for (int i = 0; i < connections.size(); i++)
        {
            final ShmConnection connection = connections.get(i);
            if (!connection.isClosed() && !lostPids.contains(connection.ownerPid()) && connection.ownerLost())
            {
                lostPids.add(connection.ownerPid());
                report(connection.ownerPid(), connection, "its process is gone without closing its inbox");
            }
        }
        long pid;
        while (0 != (pid = inbox.deadSender(lostPids)))
        {
            lostPids.add(pid);
            ShmConnection toIt = null;
            for (int i = 0; i < connections.size() && null == toIt; i++)
            {
                toIt = connections.get(i).ownerPid() == pid ? connections.get(i) : null;
            }
            report(pid, toIt, "its process is gone while it held a connection to this process");
        }
    }

    /** Name the peer by its inbox when this process writes to it, else by its pid alone. */
    private void report(final long pid, final ShmConnection toIt, final String reason)
    {
        if (null != remoteMemory)
        {
            remoteMemory.forget(pid);
        }
        final String host = context.nodeId() + ", pid " + pid;
        final String name = null == toIt ? "" : toIt.path().getFileName().toString();
        final int separator = name.lastIndexOf('-');
        if (name.startsWith(Inbox.FILE_PREFIX) && separator > Inbox.FILE_PREFIX.length())
        {
            try
            {
                peerLossListener.peerLost(name.substring(Inbox.FILE_PREFIX.length(), separator),
                    Integer.parseInt(name.substring(separator + 1)), host, reason);
                return;
            }
            catch (final NumberFormatException ex)
            {
                // Not an inbox name of this layout: named by its pid below.
            }
        }
        peerLossListener.peerLost(null, -1, host, reason);
    }

    /** {@inheritDoc} An eighth of the ring capacity. */
    public int maxFrameLength()
    {
        return configuration.maxFrameLength();
    }

    /** {@inheritDoc} */
    public int eagerLimit()
    {
        return configuration.eagerLimit();
    }

    /**
     * {@inheritDoc} The receiver polls the ring and takes each frame as soon as it is committed, so a packed message
     * in fragments of {@link #PIPELINE_CHUNK_LENGTH} is unpacked while the sender packs the next one.
     */
    @Override
    public int pipelineChunkLength()
    {
        return PIPELINE_CHUNK_LENGTH;
    }

    /**
     * {@inheritDoc} The receiver takes each frame as soon as it is committed, so with fragments the copy out of the
     * ring runs beside the copy into it.
     */
    @Override
    public int fragmentLength()
    {
        return configuration.fragmentLength();
    }

    /**
     * {@inheritDoc} Single copy: a receiver reads a large message from native memory straight out of its sender's
     * memory ({@link ShmRemoteMemory}), unless {@link ShmConfiguration#SINGLE_COPY} is off or the library
     * that does it ({@link CrossMemoryAttach}) is missing.
     */
    @Override
    public RemoteMemory remoteMemory()
    {
        return remoteMemory;
    }

    public ShmConfiguration configuration()
    {
        return configuration;
    }

    Inbox inbox()
    {
        return inbox;
    }

    /** {@inheritDoc} Closes the connections first so nothing touches the mappings once they are gone. */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final ShmConnection connection : connections)
        {
            connection.close();
        }
        connections.clear();
        inbox.close();
    }

    public String toString()
    {
        return "ShmTransport{" + address + ", " + configuration + '}';
    }
}
