package io.mpi4j.ci.jobs;

import mpi.Intercomm;
import mpi.MPI;

import java.nio.charset.StandardCharsets;

/**
 * Child of {@link SpawnSpares}: reports what a spawned rank can see of itself (world rank and size, APPNUM, argv,
 * environment, working directory, {@code sun.java.command}, standard input) and whether it runs in a spare JVM of
 * the launcher (its command line names {@code io.mpi4j.runtime.SpareJvm}); prints one line on each stream.
 */
public final class SpareChild
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final Intercomm parent = Intercomm.getParent();
        Expect.that(!parent.isNull(), "spawned process has a parent");
        final int rank = MPI.COMM_WORLD.getRank();
        // The kernel's copy of argv (ProcessHandle.Info gives up on a command line as long as the test class path).
        final boolean spare = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline")),
            StandardCharsets.UTF_8).contains("io.mpi4j.runtime.SpareJvm");
        System.out.println("CHILD-OUT rank " + rank + " spare=" + spare);
        System.err.println("CHILD-ERR rank " + rank);
        final String report = rank + "|" + MPI.COMM_WORLD.getSize() + "|" + MPI.COMM_WORLD.getAttr(MPI.APPNUM) + "|" +
            spare + "|" + System.getenv("MPI4J_RANK") + "|" + System.getenv("MPI4J_JOB_ID") + "|" +
            System.getenv("MPI4J_TEST_VAR") + "|" + System.getProperty("user.dir") + "|" +
            System.getProperty("sun.java.command") + "|" + System.in.read() + "|" + String.join("\u0001", args);
        final byte[] bytes = report.getBytes(StandardCharsets.UTF_8);
        parent.send(new int[]{ bytes.length }, 1, MPI.INT, 0, 3);
        parent.send(bytes, bytes.length, MPI.BYTE, 0, 4);
        parent.disconnect();
        MPI.Finalize();
    }
}
