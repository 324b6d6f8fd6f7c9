package io.mpi4j.runtime;

/**
 * Removes a job's shared-memory files on this node when this process ends without {@code MPI_Finalize}, for jobs
 * that no {@code mpi4jrun} cleans up after ({@code srun --mpi=pmi2}): when one rank dies the manager kills the
 * others, and whichever of them runs this last leaves nothing of the job behind, the dead rank's inbox included. A
 * process that finalized leaves the others' files alone: they may still be running.
 */
final class FailedJobCleanup implements Runnable
{
    private final String jobId;

    FailedJobCleanup(final String jobId)
    {
        this.jobId = jobId;
    }

    @Override
    public void run()
    {
        if (!MpiRuntime.isFinalized())
        {
            ShmCleaner.removeJobFiles(jobId);
        }
    }
}
