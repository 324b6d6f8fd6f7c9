package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/** Rank 2 calls MPI_Abort(5) while the others block in a receive; the whole job ends with status 5. */
public final class Abort
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        MPI.COMM_WORLD.barrier();
        final int[] v = new int[1];
        // "all": every rank aborts at once, and every rank is gone before the launcher's abort grace ends
        if (rank == 2 || (args.length > 0 && "all".equals(args[0])))
        {
            System.out.println("DYING_AT " + System.currentTimeMillis());
            System.out.flush();
            MPI.COMM_WORLD.abort(5);
            System.out.println("NOT REACHED: abort returned");
        }
        MPI.COMM_WORLD.recv(v, 1, MPI.INT, 2, 0);
        System.out.println("NOT REACHED");
        MPI.Finalize();
    }
}
