package io.mpi4j.ci.jobs;

import mpi.Info;
import mpi.Intercomm;
import mpi.MPI;

/**
 * Spawn placed by the {@code host} info key (args[0]): two children; each tells the parent whether an agent
 * started it (its parent process runs io.mpi4j.launcher.NodeAgent). The parent prints "CHILDREN_BY_AGENT n".
 */
public final class SpawnOnHost
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        if (args[0].equals("child"))
        {
            final String parentCommand = ProcessHandle.current().parent()
                .flatMap(p -> p.info().commandLine()).orElse("");
            final Intercomm parent = Intercomm.getParent();
            parent.send(new int[]{ parentCommand.contains("io.mpi4j.launcher.NodeAgent") ? 1 : 0 }, 1, MPI.INT, 0, 7);
            parent.disconnect();
            MPI.Finalize();
            return;
        }
        final Info info = new Info();
        info.set("host", args[0]);
        final int[] codes = new int[2];
        final Intercomm children = MPI.COMM_WORLD.spawn("java", new String[]{ SpawnOnHost.class.getName(), "child" },
            2, info, 0, codes);
        int byAgent = 0;
        for (int child = 0; child < 2; child++)
        {
            final int[] flag = new int[1];
            children.recv(flag, 1, MPI.INT, child, 7);
            byAgent += flag[0];
        }
        children.disconnect();
        System.out.println("CHILDREN_BY_AGENT " + byAgent);
        System.out.println("OK spawn on " + args[0]);
        MPI.Finalize();
    }
}
