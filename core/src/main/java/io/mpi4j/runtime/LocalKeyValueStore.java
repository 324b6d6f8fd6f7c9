package io.mpi4j.runtime;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key-value exchange of a singleton process (started without {@code mpi4jrun}): the job is this process alone,
 * so a fence has nobody to wait for and every put is visible at once.
 * <p>
 * Dynamic processes need a real service: on the first {@link #spawn}, {@link #take} or {@link #remove} the
 * singleton starts the launcher's service in its own JVM ({@code io.mpi4j.launcher.EmbeddedLauncher}, found by
 * name so that this package does not depend on the launcher), copies its entries there, and from then on every
 * call goes to it.
 */
public final class LocalKeyValueStore implements KeyValueStore
{
    private static final String EMBEDDED_LAUNCHER = "io.mpi4j.launcher.EmbeddedLauncher";

    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private final String jobId;
    private final int universeSize;
    private volatile KeyValueStore service;

    /** A store that cannot start a service (tests). */
    public LocalKeyValueStore()
    {
        this(null, 1);
    }

    /** The store of singleton job {@code jobId}, which may start a service for dynamic processes. */
    public LocalKeyValueStore(final String jobId, final int universeSize)
    {
        this.jobId = jobId;
        this.universeSize = universeSize;
    }

    @Override
    public void put(final String key, final String value) throws IOException
    {
        final KeyValueStore s = service;
        if (s != null)
        {
            s.put(key, value);
            return;
        }
        entries.put(key, value);
    }

    @Override
    public void fence() throws IOException
    {
        final KeyValueStore s = service;
        if (s != null)
        {
            s.fence();
        }
    }

    @Override
    public String get(final String key) throws IOException
    {
        final KeyValueStore s = service;
        return s != null ? s.get(key) : entries.get(key);
    }

    @Override
    public void remove(final String key) throws IOException
    {
        service().remove(key);
    }

    @Override
    public String take(final String prefix, final String abortKey, final long timeoutMs) throws IOException
    {
        return service().take(prefix, abortKey, timeoutMs);
    }

    @Override
    public SpawnResult spawn(final SpawnRequest request) throws IOException
    {
        return service().spawn(request);
    }

    /** {@inheritDoc} No launcher to tell: the caller halts its own process with the error code. */
    @Override
    public void abort(final int errorCode, final String message)
    {
        final KeyValueStore s = service;
        if (s != null)
        {
            s.abort(errorCode, message);
        }
    }

    @Override
    public void finalized() throws IOException
    {
        final KeyValueStore s = service;
        if (s != null)
        {
            s.finalized();
        }
    }

    @Override
    public void close()
    {
        final KeyValueStore s = service;
        if (s != null)
        {
            s.close();
        }
    }

    private synchronized KeyValueStore service() throws IOException
    {
        if (service == null)
        {
            if (jobId == null)
            {
                throw new IOException("this key-value store cannot start a service");
            }
            try
            {
                service = (KeyValueStore)Class.forName(EMBEDDED_LAUNCHER)
                    .getMethod("start", String.class, int.class, Map.class)
                    .invoke(null, jobId, universeSize, Map.copyOf(entries));
            }
            catch (final ReflectiveOperationException ex)
            {
                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                throw cause instanceof IOException io ? io : new IOException("cannot start the key-value service " +
                    "of a singleton: " + cause, cause);
            }
        }
        return service;
    }
}
