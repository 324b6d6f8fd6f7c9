package io.mpi4j.runtime.pmi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.KeyValueStore;
import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;

import java.io.IOException;
import java.util.Arrays;

/**
 * The key-value exchange of a process started directly by a process manager ({@code srun --mpi=pmi2}): puts,
 * fences and gets go to the manager over PMI-2. There is no {@code mpi4jrun} to start processes, so spawning
 * answers {@code MPI_ERR_SPAWN} saying how to get it, and the process goes on.
 */
public final class PmiKeyValueStore implements KeyValueStore
{
    private final Pmi2Client client;

    PmiKeyValueStore(final Pmi2Client client)
    {
        this.client = client;
    }

    @Override
    public void put(final String key, final String value) throws IOException
    {
        try
        {
            client.put(key, value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(ErrorText.of(ex), ex);
        }
    }

    @Override
    public void fence() throws IOException
    {
        client.fence();
    }

    @Override
    public String get(final String key) throws IOException
    {
        try
        {
            return client.get(key);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(ErrorText.of(ex), ex);
        }
    }

    @Override
    public void abort(final int errorCode, final String message)
    {
        try
        {
            client.abort("MPI_Abort(" + errorCode + ")" + (message.isEmpty() ? "" : ": " +
                message.replace(';', ',').replace('\n', ' ')));
        }
        catch (final IOException | RuntimeException ex)
        {
            // The caller halts this process anyway; the manager sees it die.
        }
    }

    /**
     * Ask the manager to end the whole job for {@code reason} (PMI-2 {@code abort}), as a rank does that lost a
     * peer with nobody else watching the job. Best effort: the caller halts anyway, and Slurm sees a task fail.
     */
    public void abortJob(final String reason)
    {
        try
        {
            client.abort(reason.replace(';', ',').replace('\n', ' '));
        }
        catch (final IOException | RuntimeException ex)
        {
            // The exit status still tells the manager.
        }
    }

    @Override
    public void finalized() throws IOException
    {
        client.finish();
    }

    /** No launcher: every process asked for gets ERR_SPAWN, and the reason says what to do instead. */
    @Override
    public SpawnResult spawn(final SpawnRequest request)
    {
        final int[] codes = new int[request.totalMaxprocs()];
        Arrays.fill(codes, ErrorClass.ERR_SPAWN);
        return new SpawnResult(ErrorClass.ERR_SPAWN, "", 0, codes, "MPI_Comm_spawn is not available to a job " +
            "started directly by the process manager (srun --mpi=pmi2): it has no mpi4jrun to start the children; " +
            "run the job through mpi4jrun (inside the allocation: salloc/sbatch, then mpi4jrun) to spawn");
    }

    @Override
    public void close()
    {
        client.close();
    }
}
