package io.mpi4j.rdma;

import io.mpi4j.rdma.natives.NativeLibraryLocator;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;
import io.mpi4j.transport.TransportProvider;

import java.io.IOException;
import java.util.List;

/**
 * RDMA transport between nodes: reliable-connected queue pairs through rdma_cm and DiSNI's verbs, with pre-posted
 * receive buffers, credit-based flow control and RDMA READ for rendezvous. See {@link RdmaTransport} and
 * {@link RdmaConfiguration}. Ranks on one node use it only when {@code MPI4J_TRANSPORT=rdma} forces it (shared
 * memory has the higher priority).
 */
public final class RdmaTransportProvider implements TransportProvider
{
    public static final String NAME = "rdma";
    public static final int PRIORITY = 50;

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

    /**
     * {@inheritDoc}
     * <p>
     * In order: the rdma_cm device node, the RDMA device list (both from the kernel, no native code), the settings,
     * then whether the JNI library loads.
     */
    public String unavailableReason()
    {
        try
        {
            final RdmaConfiguration configuration = RdmaConfiguration.fromEnvironment();
            final String nodeProblem = RdmaDevices.nodeProblem(configuration.device());
            if (null != nodeProblem)
            {
                return nodeProblem;
            }
            final String nativeProblem = NativeLibraryLocator.loadCheck();
            if (null != nativeProblem)
            {
                return "DiSNI native library: " + nativeProblem;
            }
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            return ex.getMessage();
        }
        catch (final Throwable ex)
        {
            return "cannot check RDMA support: " + ex;
        }
    }

    /** {@inheritDoc} The native library's directory, when the JVM was not started with it. */
    public List<String> jvmOptions()
    {
        try
        {
            return NativeLibraryLocator.jvmOptions();
        }
        catch (final Throwable ex)
        {
            return List.of();
        }
    }

    /** {@inheritDoc} */
    public Transport open(final TransportContext context) throws IOException
    {
        return RdmaTransport.open(context, RdmaConfiguration.fromEnvironment());
    }
}
