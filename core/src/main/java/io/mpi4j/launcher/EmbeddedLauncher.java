package io.mpi4j.launcher;

import io.mpi4j.runtime.KeyValueClient;
import io.mpi4j.runtime.KeyValueStore;

import java.io.IOException;
import java.util.Map;

/**
 * The launcher a singleton starts inside its own JVM on its first {@code MPI_Comm_spawn}: a key-value service and
 * a process manager, so that its children find the same services as under {@code mpi4jrun}. The singleton joins
 * it as rank 0 of its own job. At exit the JVM waits a few seconds for the children to end, then kills them.
 * Found by name (reflection) from {@code io.mpi4j.runtime}, which must not depend on the launcher.
 */
public final class EmbeddedLauncher
{
    private static final long EXIT_WAIT_MS = 5_000;

    private EmbeddedLauncher()
    {
    }

    /**
     * Start the service, publish {@code entries} (what the singleton put so far) and connect the singleton to it.
     *
     * @return the singleton's new key-value store
     */
    public static KeyValueStore start(final String jobId, final int universeSize, final Map<String, String> entries)
        throws IOException
    {
        final KeyValueServer server = KeyValueServer.start();
        final ProcessManager manager = new ProcessManager(server);
        final String secret = manager.newSecret();
        manager.adoptSingleton(jobId, secret, universeSize);
        entries.forEach(server::put);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                manager.awaitSpawned(EXIT_WAIT_MS);
            }
            catch (final InterruptedException ex)
            {
                manager.killAll();
            }
            server.close();
        }, "mpi4j-singleton-launcher"));
        return new KeyValueClient(server.address(), secret, jobId, 0, () -> { });
    }
}
