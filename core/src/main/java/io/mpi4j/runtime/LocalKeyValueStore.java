package io.mpi4j.runtime;

import io.mpi4j.errors.ErrorClass;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key-value exchange of a singleton process (started without {@code mpi4jrun}): the job is this process alone,
 * so a fence has nobody to wait for and every put is visible at once.
 * <p>
 * Dynamic processes need a real service: on the first {@link #spawn}, {@link #take} or {@link #remove} the
 * singleton starts the launcher's service in its own JVM (a {@link SingletonLauncher}, found through
 * {@link ServiceLoader} so that the core does not depend on the launcher), copies its entries there, and from then on
 * every call goes to it. Without one on the class path a spawn fails with {@code MPI_ERR_SPAWN} saying what to add,
 * and the process goes on as before.
 */
public final class LocalKeyValueStore implements KeyValueStore
{
    /** Why a singleton without the launcher on its class path cannot spawn, and what to do about it. */
    static final String NO_LAUNCHER = "a process started without mpi4jrun needs the launcher on its class path to " +
        "spawn or to connect through ports: add mpi4j-launcher (launcher/target/mpi4j-launcher-*.jar and picocli, " +
        "or the io.mpi4j:mpi4j-launcher dependency), or start the program with bin/mpi4jrun -n 1";

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
        final KeyValueStore s = startedService();
        if (s == null)
        {
            final int[] codes = new int[request.totalMaxprocs()];
            Arrays.fill(codes, ErrorClass.ERR_SPAWN);
            return new SpawnResult(ErrorClass.ERR_SPAWN, "", 0, codes, NO_LAUNCHER);
        }
        return s.spawn(request);
    }

    /** {@inheritDoc} A singleton's communicators of its own job have no other member to tell. */
    @Override
    public void revoke(final int contextId, final int[] ranks) throws IOException
    {
        requireOnlyThisProcess(ranks);
    }

    /** {@inheritDoc} Over this process alone: its own value, nobody failed. */
    @Override
    public Agreement agree(final int contextId, final int sequence, final int[] ranks, final long value,
        final Runnable whileWaiting) throws IOException
    {
        requireOnlyThisProcess(ranks);
        return new Agreement(value, new int[0]);
    }

    private static void requireOnlyThisProcess(final int[] ranks) throws IOException
    {
        for (final int rank : ranks)
        {
            if (rank != 0)
            {
                throw new IOException("a process started without mpi4jrun has no other rank in its job");
            }
        }
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

    private KeyValueStore service() throws IOException
    {
        final KeyValueStore s = startedService();
        if (s == null)
        {
            throw new IOException(NO_LAUNCHER);
        }
        return s;
    }

    /** The service, started on first use; null when no {@link SingletonLauncher} is on the class path. */
    private synchronized KeyValueStore startedService() throws IOException
    {
        if (service == null)
        {
            if (jobId == null)
            {
                throw new IOException("this key-value store cannot start a service");
            }
            final SingletonLauncher launcher = ServiceLoader.load(SingletonLauncher.class,
                LocalKeyValueStore.class.getClassLoader()).findFirst().orElse(null);
            if (launcher == null)
            {
                return null;
            }
            service = launcher.start(jobId, universeSize, Map.copyOf(entries));
        }
        return service;
    }
}
