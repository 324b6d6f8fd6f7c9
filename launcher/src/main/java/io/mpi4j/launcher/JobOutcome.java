package io.mpi4j.launcher;

/**
 * How a job ended.
 *
 * @param exitStatus the launcher's exit status: 0, the first failing rank's status, or the MPI_Abort error code
 * @param summary    the one line explaining a failure (printed on stderr), null on success
 */
public record JobOutcome(int exitStatus, String summary)
{
    /** Launcher exit status when the job ran out of {@code --timeout}, as coreutils' timeout(1) does. */
    public static final int TIMEOUT_STATUS = 124;

    /** Launcher exit status for a rank that exited 0 without MPI_Finalize after joining the job. */
    public static final int NOT_FINALIZED_STATUS = 1;

    public static final JobOutcome SUCCESS = new JobOutcome(0, null);

    public boolean succeeded()
    {
        return summary == null;
    }
}
