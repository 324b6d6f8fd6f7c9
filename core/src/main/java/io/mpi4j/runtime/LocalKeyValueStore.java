package io.mpi4j.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key-value exchange of a singleton process (started without {@code mpi4jrun}): the job is this process alone,
 * so a fence has nobody to wait for and every put is visible at once.
 */
public final class LocalKeyValueStore implements KeyValueStore
{
    private final Map<String, String> entries = new ConcurrentHashMap<>();

    @Override
    public void put(final String key, final String value)
    {
        entries.put(key, value);
    }

    @Override
    public void fence()
    {
        // A job of one process: nobody else to wait for.
    }

    @Override
    public String get(final String key)
    {
        return entries.get(key);
    }

    /** {@inheritDoc} No launcher to tell: the caller halts its own process with the error code. */
    @Override
    public void abort(final int errorCode, final String message)
    {
    }

    @Override
    public void finalized()
    {
    }

    @Override
    public void close()
    {
    }
}
