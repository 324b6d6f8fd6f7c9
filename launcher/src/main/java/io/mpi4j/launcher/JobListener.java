package io.mpi4j.launcher;

/**
 * What {@link KeyValueServer} tells the owner of a job about its ranks. Called on the server's connection threads;
 * implementations must not block for long.
 */
public interface JobListener
{
    /** Rank {@code rank} connected with the job's secret: from now on it is an MPI process (it must finalize). */
    void onHello(int rank);

    /** Rank {@code rank} called MPI_Abort; the reply to the rank is sent after this returns. */
    void onAbort(int rank, int errorCode, String message);

    /** Rank {@code rank} reached MPI_Finalize; the reply to the rank is sent after this returns. */
    void onFinalized(int rank);
}
