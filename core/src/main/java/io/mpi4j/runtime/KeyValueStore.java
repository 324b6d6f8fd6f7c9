package io.mpi4j.runtime;

import java.io.IOException;

/**
 * The job's key-value exchange, PMI style: every process {@link #put}s what peers need (transport addresses),
 * all {@link #fence()}, then any process may {@link #get} any key. Served by {@code mpi4jrun} over loopback TCP
 * ({@link KeyValueClient}), or in-process for a singleton ({@link LocalKeyValueStore}).
 */
public interface KeyValueStore extends AutoCloseable
{
    /** Publish {@code value} under {@code key}; visible to other processes after the next {@link #fence()}. */
    void put(String key, String value) throws IOException;

    /** Collective over the job: returns when every process of the job has called it (and their puts are visible). */
    void fence() throws IOException;

    /** Value of {@code key}, or {@code null} if nobody put it (before the last fence). */
    String get(String key) throws IOException;

    /**
     * Ask the launcher to kill the whole job ({@code MPI_Abort}); the launcher reports {@code message} and exits
     * with {@code errorCode}. Returns normally; the caller then halts its own process.
     */
    void abort(int errorCode, String message);

    /** Tell the launcher this process reached {@code MPI_Finalize}, so its exit is not a failure. */
    void finalized() throws IOException;

    /** Delete {@code key} (closed ports, unpublished names). */
    default void remove(final String key) throws IOException
    {
        throw new IOException("this key-value exchange does not support dynamic processes");
    }

    /**
     * Remove and return the value of an entry whose key starts with {@code prefix}, waiting until one exists;
     * {@code null} once {@code abortKey} (if not null) exists or after {@code timeoutMs} (0: no limit).
     */
    default String take(final String prefix, final String abortKey, final long timeoutMs) throws IOException
    {
        throw new IOException("this key-value exchange does not support dynamic processes");
    }

    /** Ask the launcher to start processes ({@code MPI_Comm_spawn}); returns once they joined or failed. */
    default SpawnResult spawn(final SpawnRequest request) throws IOException
    {
        throw new IOException("this key-value exchange does not support spawning");
    }

    /**
     * Ask the launcher to tell the other live processes of {@code ranks} (ranks of this job) that the communicator
     * of context id {@code contextId} is revoked; returns at once.
     */
    default void revoke(final int contextId, final int[] ranks) throws IOException
    {
        throw new IOException("this key-value exchange does not support fault tolerance");
    }

    /**
     * Fault-tolerant agreement among {@code ranks} (ranks of this job), run by the launcher: returns once every one
     * of them agreed on ({@code contextId}, {@code sequence}) or failed, with the AND of the values and the failed
     * ranks. {@code whileWaiting} runs between polls for the answer (progress).
     */
    default Agreement agree(final int contextId, final int sequence, final int[] ranks, final long value,
        final Runnable whileWaiting) throws IOException
    {
        throw new IOException("this key-value exchange does not support fault tolerance");
    }

    /**
     * Where the launcher's unsolicited notices go ({@link KeyValueProtocol#PROC_FAILED},
     * {@link KeyValueProtocol#REVOKED}); notices that came earlier are delivered now.
     */
    default void failureListener(final FailureListener listener)
    {
    }

    /** What an agreement returned: the AND of the values, and which of its ranks failed. */
    record Agreement(long value, int[] failedRanks)
    {
    }

    /** Receives the launcher's failure notices, on the connection's reader thread: must not block. */
    interface FailureListener
    {
        void processFailed(int rank);

        void revoked(int contextId);
    }

    @Override
    void close();
}
