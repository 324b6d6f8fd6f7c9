package io.mpi4j.ci.jobs;

import mpi.Info;
import mpi.Intercomm;
import mpi.MPI;
import mpi.MPIException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parent of the spare-JVM jobs (launcher's {@code MPI4J_SPAWN_SPARES}). The launcher sees that this program calls
 * spawn and starts spares with the job; a first spawn confirms their configuration; args[0] selects what follows:
 * "spare" (spawnMultiple of two apps, three ranks, on spares: each sees its rank, size, APPNUM, argv, identity
 * variables, command and an empty stdin as a cold rank would) or "cold" (an {@code env} info key, then a
 * different {@code wdir}: both start cold). "primed" skips that first spawn: the launcher saw that this program
 * calls spawn and started spares with the job, so the very first spawn, three seconds in, runs on one.
 * "mispredicted": the first spawn fits no spare and replaces the prediction, so the next one like it runs on a
 * spare. Prints "OK <case>" when it passed.
 */
public final class SpawnSpares
{
    static final String CHILD = SpareChild.class.getName();
    static final String[] TRICKY = { " leading space", "a=b", "--dash", "", "two words" };

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final String mode = args[0];
        if (mode.equals("mispredicted"))
        {
            // The first spawn asks for another configuration than the one the launcher predicted (a wdir): it
            // starts cold and replaces the prediction at once, so the second spawn like it runs on a spare.
            final Path dir = Files.createTempDirectory("mpi4j-spare-wdir");
            try
            {
                final Info wdir = new Info();
                wdir.set("wdir", dir.toString());
                Thread.sleep(3000);
                Expect.that(one(wdir)[3].equals("false"), "a first spawn the prediction does not fit starts cold");
                Thread.sleep(3000);
                Expect.that(one(wdir)[3].equals("true"), "the next spawn like it runs on a spare");
            }
            finally
            {
                Files.deleteIfExists(dir);
            }
            System.out.println("OK " + mode);
            MPI.Finalize();
            return;
        }
        if (mode.equals("primed"))
        {
            Thread.sleep(3000);
            Expect.that(one(MPI.INFO_NULL)[3].equals("true"), "the first spawn runs on a spare started with the job");
            System.out.println("OK " + mode);
            MPI.Finalize();
            return;
        }
        spawn("java", new String[]{ CHILD }, 1, MPI.INFO_NULL);
        // Give the spares time to be ready (they are used anyway).
        Thread.sleep(3000);
        switch (mode)
        {
            case "spare" -> spare();
            case "cold" -> cold();
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.println("OK " + mode);
        MPI.Finalize();
    }

    static void spare() throws MPIException
    {
        final String[] app1 = new String[TRICKY.length + 1];
        app1[0] = CHILD;
        System.arraycopy(TRICKY, 0, app1, 1, TRICKY.length);
        final Intercomm inter = MPI.COMM_WORLD.spawnMultiple(new String[]{ "java", "java" },
            new String[][]{ { CHILD, "app0" }, app1 }, new int[]{ 1, 2 }, new Info[]{ MPI.INFO_NULL, MPI.INFO_NULL },
            0, null);
        final List<String[]> reports = reports(inter, 3);
        inter.disconnect();
        int spares = 0;
        for (int c = 0; c < 3; c++)
        {
            final String[] r = reports.get(c);
            Expect.equal(c, Integer.parseInt(r[0]), "world rank");
            Expect.equal(3, Integer.parseInt(r[1]), "world size");
            Expect.equal(c == 0 ? 0 : 1, Integer.parseInt(r[2]), "APPNUM");
            spares += Boolean.parseBoolean(r[3]) ? 1 : 0;
            Expect.that(r[4].equals(Integer.toString(c)), "MPI4J_RANK in the environment: " + r[4]);
            Expect.that(r[5].matches("j[0-9a-f]+"), "MPI4J_JOB_ID in the environment: " + r[5]);
            Expect.that(r[7].equals(System.getProperty("user.dir")), "working directory: " + r[7]);
            Expect.that(r[9].equals("-1"), "stdin at end of file: " + r[9]);
            final String[] argv = r[10].split("\u0001", -1);
            if (c == 0)
            {
                Expect.that(Arrays.equals(new String[]{ "app0" }, argv), "argv of app 0: " + Arrays.toString(argv));
                Expect.that(r[8].equals(CHILD + " app0"), "sun.java.command: " + r[8]);
            }
            else
            {
                Expect.that(Arrays.equals(TRICKY, argv), "argv verbatim: " + Arrays.toString(argv));
            }
        }
        Expect.that(spares >= 2, "at least two of the three ranks ran on the two spares: " + spares);
        System.out.println("SPARES " + spares);
    }

    static void cold() throws Exception
    {
        final Info env = new Info();
        env.set("env", "MPI4J_TEST_VAR=cold start");
        String[] r = one(env);
        Expect.that(r[3].equals("false"), "a spawn with an env info key starts cold");
        Expect.that(r[6].equals("cold start"), "env reached the child: " + r[6]);

        final Path dir = Files.createTempDirectory("mpi4j-spare-wdir");
        try
        {
            final Info wdir = new Info();
            wdir.set("wdir", dir.toString());
            r = one(wdir);
            Expect.that(r[3].equals("false"), "a spawn with another wdir starts cold");
            Expect.that(r[7].equals(dir.toRealPath().toString()) || r[7].equals(dir.toString()), "wdir: " + r[7]);
        }
        finally
        {
            Files.deleteIfExists(dir);
        }
        // The spares are still there for a spawn they fit.
        r = one(MPI.INFO_NULL);
        Expect.that(r[3].equals("true"), "a plain spawn after the cold ones runs on a spare");
    }

    private static String[] one(final Info info) throws MPIException
    {
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 1, info, 0, null);
        final String[] report = reports(inter, 1).get(0);
        inter.disconnect();
        return report;
    }

    private static void spawn(final String command, final String[] argv, final int n, final Info info)
        throws MPIException
    {
        final Intercomm inter = MPI.COMM_WORLD.spawn(command, argv, n, info, 0, null);
        reports(inter, n);
        inter.disconnect();
    }

    private static List<String[]> reports(final Intercomm inter, final int children) throws MPIException
    {
        final List<String[]> reports = new ArrayList<>();
        for (int c = 0; c < children; c++)
        {
            final int[] length = new int[1];
            inter.recv(length, 1, MPI.INT, c, 3);
            final byte[] bytes = new byte[length[0]];
            inter.recv(bytes, bytes.length, MPI.BYTE, c, 4);
            reports.add(new String(bytes, StandardCharsets.UTF_8).split("\\|", 11));
        }
        return reports;
    }
}
