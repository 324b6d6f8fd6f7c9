package io.mpi4j.ci.jobs;

import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;

import java.nio.charset.StandardCharsets;

/**
 * Child of the spawn jobs. argv[0] is the mode: "echo" (answer every parent, report identity and argv), "crash"
 * (exit 3 before MPI_Init), "nested" (spawn one grandchild first, then echo), "merge" (echo, then merge high).
 */
public final class SpawnChild
{
    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && args[0].equals("crash"))
        {
            System.exit(3);
        }
        MPI.Init(args);
        final Intercomm parent = Intercomm.getParent();
        Expect.that(!parent.isNull(), "spawned process has a parent");
        Expect.that(parent == Intercomm.getParent(), "getParent returns the same object");
        Expect.that("MPI_COMM_PARENT".equals(parent.getName()), "parent named MPI_COMM_PARENT");
        final String mode = args.length > 0 ? args[0] : "echo";
        if (mode.equals("hold"))
        {
            System.out.println("CHILDPID " + ProcessHandle.current().pid());
            System.out.flush();
            parent.recv(new int[1], 1, MPI.INT, 0, 99);
        }
        if (mode.equals("nested"))
        {
            final int[] codes = new int[1];
            final Intercomm grand = MPI.COMM_WORLD.spawn("java", new String[]{ SpawnChild.class.getName(), "echo" },
                1, MPI.INFO_NULL, 0, codes);
            SpawnParent.exchange(grand, 1, new String[]{ "echo" });
            grand.disconnect();
            System.out.println("NESTED-OK");
        }
        echo(parent, args);
        if (mode.equals("mergeSameHigh"))
        {
            final Intracomm merged = parent.merge(false);
            final int[] mine = { merged.getRank(), 0 };
            final int[] all = new int[2 * merged.getSize()];
            merged.allGather(mine, 2, MPI.INT, all, 2, MPI.INT);
            for (int i = 0; i < merged.getSize(); i++)
            {
                Expect.equal(i, all[2 * i], "allgather over merged (ranks agree)");
            }
            merged.free();
        }
        if (mode.equals("merge"))
        {
            final Intracomm merged = parent.merge(true);
            final int[] rank = { merged.getRank() };
            final int[] all = new int[merged.getSize()];
            merged.allGather(rank, 1, MPI.INT, all, 1, MPI.INT);
            merged.free();
        }
        parent.disconnect();
        Expect.that(Intercomm.getParent().isNull(), "getParent is null after disconnect");
        MPI.Finalize();
    }

    /** For every parent p: receive an int, answer it plus 1000 * world rank; then tell parent 0 who this is. */
    static void echo(final Intercomm parent, final String[] args) throws Exception
    {
        final int rank = MPI.COMM_WORLD.getRank();
        for (int p = 0; p < parent.getRemoteSize(); p++)
        {
            final int[] value = new int[1];
            parent.recv(value, 1, MPI.INT, p, 1);
            value[0] += 1000 * rank;
            parent.send(value, 1, MPI.INT, p, 2);
        }
        final String appnum = String.valueOf(MPI.COMM_WORLD.getAttr(MPI.APPNUM));
        final String report = rank + "|" + MPI.COMM_WORLD.getSize() + "|" + appnum + "|" +
            System.getProperty("user.dir") + "|" + System.getenv("MPI4J_TEST_VAR") + "|" +
            ProcessHandle.current().pid() + ":" + System.getenv("MPI4J_JOB_ID") + "|" +
            MPI.INFO_ENV.get("ompi_np") + "," + MPI.INFO_ENV.get("ompi_first_rank") + "," +
            MPI.INFO_ENV.get("ompi_num_apps") + "," + MPI.INFO_ENV.get("maxprocs") + "|" + String.join("\u0001", args);
        final byte[] bytes = report.getBytes(StandardCharsets.UTF_8);
        parent.send(new int[]{ bytes.length }, 1, MPI.INT, 0, 3);
        parent.send(bytes, bytes.length, MPI.BYTE, 0, 4);
    }
}
