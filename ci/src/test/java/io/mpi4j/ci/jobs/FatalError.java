package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/** Default error handler (ERRORS_ARE_FATAL): rank 1 sends to a rank that does not exist; the job aborts. */
public final class FatalError
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        MPI.COMM_WORLD.barrier();
        final int[] v = new int[1];
        if (rank == 1)
        {
            MPI.COMM_WORLD.send(v, 1, MPI.INT, 99, 0);
            System.out.println("NOT REACHED: the fatal handler returned");
        }
        else
        {
            MPI.COMM_WORLD.recv(v, 1, MPI.INT, 1, 0);
            System.out.println("NOT REACHED: received a message nobody sent");
        }
        MPI.Finalize();
    }
}
