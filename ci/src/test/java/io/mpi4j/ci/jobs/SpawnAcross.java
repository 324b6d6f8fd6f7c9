package io.mpi4j.ci.jobs;

import mpi.Info;
import mpi.Intercomm;
import mpi.MPI;

/**
 * Spawn onto the host of the {@code host} info key (args[0]): two children, each sends the parent its processor
 * name and then a 1 MiB message, which the parent checks; the parent prints "PARENT_NODE", one "CHILD_NODE" line per
 * child, and "OK spawn across".
 */
public final class SpawnAcross
{
    private static final int LARGE = 1 << 20;

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        if (args[0].equals("child"))
        {
            final Intercomm parent = Intercomm.getParent();
            final char[] name = MPI.getProcessorName().toCharArray();
            parent.send(new int[]{ name.length }, 1, MPI.INT, 0, 7);
            parent.send(name, name.length, MPI.CHAR, 0, 8);
            final byte[] data = new byte[LARGE];
            for (int i = 0; i < LARGE; i++)
            {
                data[i] = (byte)(i ^ parent.getRank());
            }
            parent.send(data, LARGE, MPI.BYTE, 0, 9);
            parent.disconnect();
            MPI.Finalize();
            return;
        }
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("PARENT_NODE " + MPI.getProcessorName());
        final Info info = new Info();
        info.set("host", args[0]);
        final int[] codes = new int[2];
        final Intercomm children = MPI.COMM_WORLD.spawn("java", new String[]{ SpawnAcross.class.getName(), "child" },
            2, info, 0, codes);
        for (int child = 0; child < 2; child++)
        {
            final int[] length = new int[1];
            children.recv(length, 1, MPI.INT, child, 7);
            final char[] name = new char[length[0]];
            children.recv(name, name.length, MPI.CHAR, child, 8);
            System.out.println("CHILD_NODE " + new String(name));
            final byte[] data = new byte[LARGE];
            children.recv(data, LARGE, MPI.BYTE, child, 9);
            for (int i = 0; i < LARGE; i++)
            {
                if (data[i] != (byte)(i ^ child))
                {
                    System.out.println("FAIL child " + child + " byte " + i);
                    Runtime.getRuntime().halt(3);
                }
            }
        }
        children.disconnect();
        System.out.println("OK spawn across");
        MPI.Finalize();
    }
}
