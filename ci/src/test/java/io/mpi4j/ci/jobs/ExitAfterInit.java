package io.mpi4j.ci.jobs;

import mpi.MPI;

/**
 * Rank 1 exits with status 3 right after MPI_Init; the others go into a barrier, which cannot reach it and
 * aborts: the launcher must still blame rank 1, with its status.
 */
public final class ExitAfterInit
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        if (MPI.COMM_WORLD.getRank() == 1)
        {
            System.exit(3);
        }
        MPI.COMM_WORLD.barrier();
        MPI.COMM_WORLD.barrier();
        System.out.println("NOT REACHED");
        MPI.Finalize();
    }
}
