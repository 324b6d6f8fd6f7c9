package io.mpi4j.launcher;

import io.mpi4j.runtime.KeyValueClient;
import io.mpi4j.runtime.KeyValueStore;
import io.mpi4j.runtime.SingletonLauncher;

import java.io.IOException;
import java.util.Map;

/**
 * The launcher a singleton starts inside its own JVM on its first {@code MPI_Comm_spawn}: a key-value service and
 * a process manager, so that its children find the same services as under {@code mpi4jrun}. The singleton joins
 * it as rank 0 of its own job. At exit the JVM waits a few seconds for the children to end, then kills them.
 * The core finds it through {@link java.util.ServiceLoader} (META-INF/services), since it does not depend on the
 * launcher.
 */
public final class EmbeddedLauncher implements SingletonLauncher
{
    private static final long EXIT_WAIT_MS = 5_000;

    /** For {@link java.util.ServiceLoader}. */
    public EmbeddedLauncher()
    {
    }

    @Override
    public KeyValueStore start(final String jobId, final int universeSize, final Map<String, String> entries)
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
