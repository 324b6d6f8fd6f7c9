package io.mpi4j.transport;

import java.io.IOException;
import java.util.List;

/**
 * Entry point of a transport, found with {@link java.util.ServiceLoader}.
 * <p>
 * Implementations are stateless factories: the progress engine asks each one whether it is usable here and opens the
 * usable ones once per process, highest {@link #priority()} first.
 */
public interface TransportProvider
{
    /** Short stable name, used in addresses, logs and {@code MPI4J_TRANSPORT} ("shm", "rdma", "tcp"). */
    String name();

    /** Higher wins when several transports reach the same peer. shm = 100, rdma = 50, tcp = 10. */
    int priority();

    /**
     * Why this transport cannot be used in this process, or {@code null} when it can.
     * Called before {@link #open}; must be cheap and must not throw.
     */
    String unavailableReason();

    /**
     * JVM options every process using this transport needs (a native library path, say). The launcher adds them to
     * the command line of the processes it starts, so users never type them. Must be cheap and must not throw.
     */
    default List<String> jvmOptions()
    {
        return List.of();
    }

    /** Open the transport for this process. The returned transport is polled by one progress engine. */
    Transport open(TransportContext context) throws IOException;
}
