package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/**
 * Rank 1 dies in the middle of the job (args[0]: "exit" = System.exit(3), "halt" = Runtime.halt(3)) while the
 * others wait for a message from it.
 */
public final class Crash
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        final int[] v = new int[1];
        // Make sure every connection exists (and so every shm file) before the crash.
        for (int p = 0; p < MPI.COMM_WORLD.getSize(); p++)
        {
            MPI.COMM_WORLD.sendRecv(v, 1, MPI.INT, p, 9, new int[1], 1, MPI.INT, p, 9);
        }
        MPI.COMM_WORLD.barrier();
        if (rank == 1)
        {
            System.out.println("DYING_AT " + System.currentTimeMillis());
            System.out.flush();
            if ("halt".equals(args.length > 0 ? args[0] : "exit"))
            {
                Runtime.getRuntime().halt(3);
            }
            System.exit(3);
        }
        MPI.COMM_WORLD.recv(v, 1, MPI.INT, 1, 0);
        System.out.println("NOT REACHED");
        MPI.Finalize();
    }
}
