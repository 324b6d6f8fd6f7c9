package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/**
 * Multi-node launch: each rank says who started it (its parent's command, to tell an agent from the launcher) and
 * which key-value address it got, then the ranks pass a token around the ring. args[0] "hang": instead of
 * finishing, every rank waits for a message that never comes (the test kills something meanwhile).
 */
public final class HostProbe
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final String parent = ProcessHandle.current().parent().flatMap(p -> p.info().commandLine()).orElse("?");
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("AGENT " + parent.contains("io.mpi4j.launcher.NodeAgent"));
        System.out.println("KVS " + System.getenv("MPI4J_KVS"));
        System.out.flush();
        final int[] token = new int[1];
        if (rank == 0)
        {
            token[0] = 1;
            MPI.COMM_WORLD.send(token, 1, MPI.INT, 1 % size, 5);
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, size - 1, 5);
        }
        else
        {
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, rank - 1, 5);
            token[0]++;
            MPI.COMM_WORLD.send(token, 1, MPI.INT, (rank + 1) % size, 5);
        }
        System.out.println("TOKEN " + token[0]);
        System.out.flush();
        if (args.length > 0 && args[0].equals("hang"))
        {
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, (rank + 1) % size, 99);
        }
        MPI.Finalize();
    }
}
