package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared-memory endpoint of one process: an {@link Inbox} that peers on the same node write into, and the
 * {@link ShmConnection}s this process opened to other inboxes (its own included).
 */
public final class ShmTransport implements Transport
{
    private final TransportContext context;
    private final ShmConfiguration configuration;
    private final Inbox inbox;
    private final String address;
    private final List<ShmConnection> connections = new ArrayList<>();
    private boolean closed;

    private ShmTransport(final TransportContext context, final ShmConfiguration configuration, final Inbox inbox)
    {
        this.context = context;
        this.configuration = configuration;
        this.inbox = inbox;
        this.address = ShmAddress.format(context.nodeId(), inbox.path());
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
        return inbox.poll(handler, frameLimit);
    }

    /** {@inheritDoc} Agrona's limit: an eighth of the ring capacity. */
    public int maxFrameLength()
    {
        return configuration.maxFrameLength();
    }

    /** {@inheritDoc} */
    public int eagerLimit()
    {
        return configuration.eagerLimit();
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
