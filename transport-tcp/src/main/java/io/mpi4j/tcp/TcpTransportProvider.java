package io.mpi4j.tcp;

import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;
import io.mpi4j.transport.TransportProvider;

import java.io.IOException;

/**
 * TCP transport between nodes that have no RDMA: non-blocking sockets polled by the progress engine, one connection
 * per pair of processes carrying frames both ways, authenticated before any frame is read. Lowest priority: shared memory on one node,
 * RDMA across nodes that have it, TCP otherwise; {@code MPI4J_TRANSPORT=tcp} forces it even on one node. See
 * {@link TcpTransport} and {@link TcpConfiguration}.
 */
public final class TcpTransportProvider implements TransportProvider
{
    public static final String NAME = "tcp";
    public static final int PRIORITY = 10;

    /** {@inheritDoc} */
    public String name()
    {
        return NAME;
    }

    /** {@inheritDoc} */
    public int priority()
    {
        return PRIORITY;
    }

    /** {@inheritDoc} The settings, the listening address among them, must make sense here. */
    public String unavailableReason()
    {
        try
        {
            TcpConfiguration.fromEnvironment();
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        catch (final Throwable ex)
        {
            return "cannot check TCP settings: " + ex;
        }
    }

    /** {@inheritDoc} */
    public Transport open(final TransportContext context) throws IOException
    {
        return TcpTransport.open(context, TcpConfiguration.fromEnvironment());
    }
}
