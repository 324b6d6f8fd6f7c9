package io.mpi4j.shm;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;
import io.mpi4j.transport.TransportProvider;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * Shared-memory transport between processes of one node: single-producer rings in memory-mapped files under
 * {@code /dev/shm} (or {@code java.io.tmpdir} when {@code /dev/shm} is unusable). See {@link ShmConfiguration}.
 */
public final class ShmTransportProvider implements TransportProvider
{
    public static final String NAME = "shm";
    public static final int PRIORITY = 100;

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

    /** {@inheritDoc} */
    public String unavailableReason()
    {
        try
        {
            final ShmConfiguration configuration = ShmConfiguration.fromEnvironment();
            final String directoryProblem = ShmConfiguration.directoryProblem(configuration.directory());
            if (null != directoryProblem)
            {
                return directoryProblem;
            }
            new UnsafeBuffer(new byte[8]).putLongVolatile(0, 1L);
            return null;
        }
        catch (final IllegalArgumentException ex)
        {
            // Never null: a null reason would read as "available".
            return ErrorText.of(ex);
        }
        catch (final Throwable ex)
        {
            return "Agrona cannot reach Unsafe (start the JVM with --add-opens " +
                "java.base/jdk.internal.misc=ALL-UNNAMED): " + ex;
        }
    }

    /** {@inheritDoc} */
    public Transport open(final TransportContext context) throws IOException
    {
        return ShmTransport.open(context, ShmConfiguration.fromEnvironment());
    }
}
