package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/**
 * Rank 1 halts in the middle of a loop of allreduces (Runtime.halt: no MPI_Finalize, no shutdown hook) while rank 0
 * and rank 2 wait in a receive from it and rank 3 in the next allreduce.
 */
public final class HaltMidLoop
{
    private static final int HALT_AT = 20;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        final int[] one = new int[1];
        // Every pair has its connection before the halt, so every rank has a connection from rank 1 to lose.
        for (int p = 0; p < MPI.COMM_WORLD.getSize(); p++)
        {
            MPI.COMM_WORLD.sendRecv(one, 1, MPI.INT, p, 9, new int[1], 1, MPI.INT, p, 9);
        }
        final int[] sum = new int[1];
        for (int i = 0; ; i++)
        {
            if (i == HALT_AT)
            {
                if (rank == 1)
                {
                    System.out.println("HALTING_AT " + System.currentTimeMillis());
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
                if (rank == 0 || rank == 2)
                {
                    MPI.COMM_WORLD.recv(one, 1, MPI.INT, 1, 0);
                    System.out.println("NOT REACHED");
                }
            }
            one[0] = 1;
            MPI.COMM_WORLD.allReduce(one, sum, 1, MPI.INT, MPI.SUM);
            if (sum[0] != MPI.COMM_WORLD.getSize())
            {
                System.out.println("WRONG SUM " + sum[0]);
            }
        }
    }
}
