package io.mpi4j.ci.jobs;

import mpi.MPI;

/** Rank 1 stops itself with SIGSTOP after MPI_Init while the others wait for it in a barrier. */
public final class StopSelf
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        if (MPI.COMM_WORLD.getRank() == 1)
        {
            System.out.println("PID " + ProcessHandle.current().pid());
            System.out.flush();
            new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("NOT REACHED");
        MPI.Finalize();
    }
}
