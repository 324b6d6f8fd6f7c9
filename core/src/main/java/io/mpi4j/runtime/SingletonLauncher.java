package io.mpi4j.runtime;

import java.io.IOException;
import java.util.Map;

/**
 * The launcher's services inside a singleton's own JVM (a process started without {@code mpi4jrun}): a key-value
 * service and a process manager, started on the singleton's first {@code MPI_Comm_spawn} or port rendezvous so that
 * its children find what they find under {@code mpi4jrun}. Found with {@link java.util.ServiceLoader}, as transports
 * are: the launcher module ({@code mpi4j-launcher}) provides it, and the core does not depend on it. Without one on
 * the class path a singleton stays a job of one process that cannot spawn.
 */
public interface SingletonLauncher
{
    /**
     * Start the services, publish {@code entries} (what the singleton put so far) and connect the singleton to them
     * as rank 0 of its job {@code jobId}.
     *
     * @param universeSize value of the singleton's MPI_UNIVERSE_SIZE, itself included
     * @return the singleton's key-value store from now on
     * @throws IOException when the services cannot start
     */
    KeyValueStore start(String jobId, int universeSize, Map<String, String> entries) throws IOException;
}
