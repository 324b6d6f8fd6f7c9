package io.mpi4j.ci.jobs;

import mpi.Intercomm;
import mpi.MPI;

/**
 * The parent spawns one child of this class ("child"), which kills itself with SIGKILL after MPI_Init while the
 * parent waits for a message from it: the launcher must end the job with 128+9, as for a rank killed so.
 */
public final class SpawnKilled
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        if (args.length > 0 && args[0].equals("child"))
        {
            final long pid = ProcessHandle.current().pid();
            new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor();
            Thread.sleep(60_000);
            return;
        }
        final Intercomm children = MPI.COMM_WORLD.spawn("java", new String[]{ SpawnKilled.class.getName(), "child" },
            1, MPI.INFO_NULL, 0, null);
        children.recv(new int[1], 1, MPI.INT, 0, 5);
        System.out.println("NOT REACHED");
        MPI.Finalize();
    }
}
