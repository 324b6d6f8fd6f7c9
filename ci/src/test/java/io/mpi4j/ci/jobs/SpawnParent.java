package io.mpi4j.ci.jobs;

import mpi.Info;
import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parent side of the spawn jobs; args[0] selects the case, every rank prints "OK <case>" when it passed. */
public final class SpawnParent
{
    static final String CHILD = SpawnChild.class.getName();
    static final String[] TRICKY = { "echo", " leading space", "a=b", "--dash", "-x", "two words", "", "qu\"ote" };

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final String mode = args[0];
        final int rank = MPI.COMM_WORLD.getRank();
        switch (mode)
        {
            case "basic" -> basic(Integer.parseInt(args[1]));
            case "multi" -> multi();
            case "merge" -> merge();
            case "mergeSameHigh" -> mergeSameHigh();
            case "wdir" -> wdirPathEnv();
            case "bad" -> bad();
            case "soft" -> soft();
            case "crash" -> crash();
            case "nested" -> nested();
            case "leak" -> leak(Integer.parseInt(args[1]));
            case "ports" -> ports();
            case "abort" ->
            {
                MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "hold" }, 1, MPI.INFO_NULL, 0, null);
                Thread.sleep(500);
                MPI.COMM_WORLD.abort(5);
            }
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.println("OK " + mode + " rank " + rank);
        MPI.Finalize();
    }

    /** Every parent sends to every child and checks the answer; parent 0 collects the children's reports. */
    static List<String[]> exchange(final Intercomm inter, final int children, final String[] childArgs)
        throws MPIException
    {
        Expect.equal(children, inter.getRemoteSize(), "remote group = children");
        final int me = inter.getRank();
        for (int c = 0; c < children; c++)
        {
            inter.send(new int[]{ 7 + me }, 1, MPI.INT, c, 1);
            final int[] back = new int[1];
            inter.recv(back, 1, MPI.INT, c, 2);
            Expect.equal(7 + me + 1000L * c, back[0], "echo from child " + c + " (remote order = child world order)");
        }
        final List<String[]> reports = new ArrayList<>();
        if (me == 0)
        {
            for (int c = 0; c < children; c++)
            {
                final int[] length = new int[1];
                inter.recv(length, 1, MPI.INT, c, 3);
                final byte[] bytes = new byte[length[0]];
                inter.recv(bytes, bytes.length, MPI.BYTE, c, 4);
                final String[] fields = new String(bytes, StandardCharsets.UTF_8).split("\\|", 8);
                Expect.equal(c, Integer.parseInt(fields[0]), "child world rank");
                Expect.equal(children, Integer.parseInt(fields[1]), "child world size");
                if (childArgs != null)
                {
                    Expect.that(Arrays.equals(childArgs, fields[7].split("\u0001", -1)),
                        "argv verbatim: got " + Arrays.toString(fields[7].split("\u0001", -1)));
                }
                reports.add(fields);
            }
        }
        return reports;
    }

    static void basic(final int n) throws MPIException
    {
        final int[] codes = new int[n];
        Arrays.fill(codes, -1);
        final boolean root = MPI.COMM_WORLD.getRank() == 0;
        final Intercomm inter = MPI.COMM_WORLD.spawn(root ? "java" : null,
            root ? prepend(CHILD, TRICKY) : null, root ? n : -1, root ? MPI.INFO_NULL : null, 0, codes);
        for (final int code : codes)
        {
            Expect.equal(MPI.SUCCESS, code, "errcode");
        }
        Expect.that(inter.isInter(), "spawn returns an intercommunicator");
        Expect.equal(MPI.COMM_WORLD.getSize(), inter.getSize(), "local group = parents");
        exchange(inter, n, TRICKY);
        Expect.that(Intercomm.getParent().isNull(), "a parent that was not spawned has a null parent");
        inter.disconnect();
    }

    static void multi() throws MPIException
    {
        final int[] codes = new int[3];
        final Intercomm inter = MPI.COMM_WORLD.spawnMultiple(new String[]{ "java", "java" },
            new String[][]{ { CHILD, "echo", "app0" }, { CHILD, "echo", "app1" } }, new int[]{ 1, 2 },
            new Info[]{ MPI.INFO_NULL, MPI.INFO_NULL }, 0, codes);
        final List<String[]> reports = exchange(inter, 3, null);
        if (MPI.COMM_WORLD.getRank() == 0)
        {
            Expect.that(reports.get(0)[2].equals("0") && reports.get(1)[2].equals("1") && reports.get(2)[2].equals("1"),
                "APPNUM 0,1,1 in one COMM_WORLD");
            Expect.that(reports.get(1)[7].endsWith("app1"), "second app's argv");
            // MPI_INFO_ENV: ompi_np, ompi_first_rank, ompi_num_apps of each child's application, maxprocs of all
            Expect.that(reports.get(0)[6].equals("1,0,2,3"), "INFO_ENV of app 0's child: " + reports.get(0)[6]);
            Expect.that(reports.get(2)[6].equals("2,1,2,3"), "INFO_ENV of app 1's child: " + reports.get(2)[6]);
        }
        inter.disconnect();
    }

    static void merge() throws MPIException
    {
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "merge" }, 2, MPI.INFO_NULL, 0,
            null);
        exchange(inter, 2, null);
        final Intracomm merged = inter.merge(false);
        final int parents = MPI.COMM_WORLD.getSize();
        Expect.equal(parents + 2, merged.getSize(), "merged size");
        Expect.equal(MPI.COMM_WORLD.getRank(), merged.getRank(), "high=false group first");
        final int[] rank = { merged.getRank() };
        final int[] all = new int[merged.getSize()];
        merged.allGather(rank, 1, MPI.INT, all, 1, MPI.INT);
        for (int i = 0; i < all.length; i++)
        {
            Expect.equal(i, all[i], "allgather over merged");
        }
        merged.free();
        inter.disconnect();
    }

    /** Both groups pass high = false: the order is then the implementation's, but both groups must agree on it. */
    static void mergeSameHigh() throws MPIException
    {
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "mergeSameHigh" }, 2,
            MPI.INFO_NULL, 0, null);
        exchange(inter, 2, null);
        final Intracomm merged = inter.merge(false);
        final int parents = MPI.COMM_WORLD.getSize();
        Expect.equal(parents + 2, merged.getSize(), "merged size");
        final int[] mine = { merged.getRank(), 1 };
        final int[] all = new int[2 * merged.getSize()];
        merged.allGather(mine, 2, MPI.INT, all, 2, MPI.INT);
        int parentsSeen = 0;
        for (int i = 0; i < merged.getSize(); i++)
        {
            Expect.equal(i, all[2 * i], "allgather over merged (ranks agree)");
            parentsSeen += all[2 * i + 1];
        }
        Expect.equal(parents, parentsSeen, "every parent in the merged group once");
        final boolean parentsFirst = all[1] == 1;
        for (int i = 0; i < merged.getSize(); i++)
        {
            Expect.equal(parentsFirst == (i < parents) ? 1 : 0, all[2 * i + 1], "groups contiguous");
        }
        merged.free();
        inter.disconnect();
    }

    static void wdirPathEnv() throws Exception
    {
        final Path dir = Files.createTempDirectory("mpi4j-spawn-wdir");
        final Path bin = Files.createTempDirectory("mpi4j-spawn-bin");
        final Path script = bin.resolve("mpi4j-spawn-child");
        // Not a shell script the user's arguments go through: exec hands "$@" to java unchanged.
        Files.writeString(script, "#!/bin/sh\nexec '" + System.getProperty("java.home") + "/bin/java' " +
            "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED " +
            "-cp '" + System.getProperty("java.class.path") + "' " + CHILD + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try
        {
            final Info info = new Info();
            info.set("wdir", dir.toString());
            info.set("env", "MPI4J_TEST_VAR=hello world\nOTHER=1");
            final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "echo" }, 1, info, 0, null);
            final List<String[]> reports = exchange(inter, 1, null);
            Expect.that(reports.get(0)[3].equals(dir.toRealPath().toString()) || reports.get(0)[3].equals(dir.toString()),
                "wdir: " + reports.get(0)[3]);
            Expect.that(reports.get(0)[4].equals("hello world"), "env: " + reports.get(0)[4]);
            inter.disconnect();

            final Info byPath = new Info();
            byPath.set("path", "/nonexistent-dir" + File.pathSeparator + bin);
            final Intercomm viaPath = MPI.COMM_WORLD.spawn("mpi4j-spawn-child", new String[]{ "echo", "x y" }, 1,
                byPath, 0, null);
            final List<String[]> r2 = exchange(viaPath, 1, new String[]{ "echo", "x y" });
            viaPath.disconnect();
        }
        finally
        {
            Files.deleteIfExists(script);
            Files.deleteIfExists(bin);
            Files.deleteIfExists(dir);
        }
    }

    static void bad() throws Exception
    {
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final int[] codes = new int[2];
        long start = System.nanoTime();
        expect(MPI.ERR_SPAWN, () -> MPI.COMM_WORLD.spawn("/nonexistent/command", null, 2, MPI.INFO_NULL, 0, codes),
            "missing command");
        Expect.that(System.nanoTime() - start < 1_000_000_000L, "missing command fails in under 1 s");
        Expect.equal(MPI.ERR_SPAWN, codes[0], "errcode of missing command");
        final Path notExec = Files.createTempFile("mpi4j-notexec", "");
        start = System.nanoTime();
        expect(MPI.ERR_SPAWN, () -> MPI.COMM_WORLD.spawn(notExec.toString(), null, 1, MPI.INFO_NULL, 0, null),
            "non-executable command");
        Expect.that(System.nanoTime() - start < 1_000_000_000L, "non-executable command fails in under 1 s");
        Files.delete(notExec);
        expect(MPI.ERR_SPAWN, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 0, MPI.INFO_NULL, 0, null),
            "maxprocs 0");
        expect(MPI.ERR_SPAWN, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 1000, MPI.INFO_NULL, 0, null),
            "over the universe");
        expect(MPI.ERR_ROOT, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 1, MPI.INFO_NULL, 5, null),
            "root out of range");
        expect(MPI.ERR_ARG, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 2, MPI.INFO_NULL, 0,
            new int[1]), "errcodes too short");
        final Info soft = new Info();
        soft.set("soft", "1:x");
        expect(MPI.ERR_INFO_VALUE, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 2, soft, 0, null),
            "malformed soft");
        final Info wdir = new Info();
        wdir.set("wdir", "/nonexistent/dir");
        Arrays.fill(codes, 0);
        expect(MPI.ERR_SPAWN, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD }, 2, wdir, 0, codes),
            "nonexistent wdir");
        Expect.that(codes[0] == MPI.ERR_SPAWN && codes[1] == MPI.ERR_SPAWN, "per-process ERR_SPAWN for wdir");
        expect(MPI.ERR_PORT, () -> MPI.COMM_WORLD.connect("mpi4j-port:nojob:0:1", 0), "connect to a closed port");
        // Still usable after all that.
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "echo" }, 1, MPI.INFO_NULL, 0, null);
        exchange(inter, 1, null);
        inter.disconnect();
    }

    static void soft() throws Exception
    {
        // Run with --universe-size 3 and one parent: room for 2.
        final Info info = new Info();
        info.set("soft", "1:8");
        final int[] codes = new int[8];
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "echo" }, 8, info, 0, codes);
        Expect.equal(2, inter.getRemoteSize(), "soft spawn fills the universe");
        int ok = 0;
        for (final int code : codes)
        {
            ok += code == MPI.SUCCESS ? 1 : 0;
        }
        Expect.equal(2, ok, "errcodes: 2 successes");
        final List<String[]> reports = exchange(inter, 2, null);
        inter.disconnect();
        // The universe counts running processes: wait for the two children to exit.
        for (final String[] report : reports)
        {
            final long pid = Long.parseLong(report[5].split(":")[0]);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
        }
        final Info odd = new Info();
        odd.set("soft", "1,3:9:2");
        final Intercomm one = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "echo" }, 9, odd, 0, null);
        Expect.equal(1, one.getRemoteSize(), "soft 1,3:9:2 with room for 2 spawns 1");
        exchange(one, 1, null);
        one.disconnect();
    }

    static void crash() throws MPIException
    {
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final int[] codes = new int[2];
        final long start = System.nanoTime();
        expect(MPI.ERR_SPAWN, () -> MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "crash" }, 2, MPI.INFO_NULL, 0,
            codes), "child crashing before Init");
        Expect.equal(MPI.ERR_SPAWN, codes[0], "errcode");
        System.out.println("crash detected after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "echo" }, 1, MPI.INFO_NULL, 0, null);
        exchange(inter, 1, null);
        inter.disconnect();
    }

    static void nested() throws MPIException
    {
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "nested" }, 1, MPI.INFO_NULL, 0,
            null);
        exchange(inter, 1, null);
        inter.disconnect();
    }

    static void ports() throws MPIException
    {
        // Two groups of COMM_WORLD split in halves meet through a published port.
        final int rank = MPI.COMM_WORLD.getRank();
        final Intracomm half = MPI.COMM_WORLD.split(rank % 2, rank);
        Intercomm inter;
        if (rank % 2 == 0)
        {
            final String port = half.getRank() == 0 ? Intracomm.openPort() : null;
            if (half.getRank() == 0)
            {
                Intracomm.publishName("mpi4j-test-service", port);
            }
            MPI.COMM_WORLD.barrier();
            inter = half.accept(port, 0);
            if (half.getRank() == 0)
            {
                Intracomm.unpublishName("mpi4j-test-service", port);
                Intracomm.closePort(port);
            }
        }
        else
        {
            MPI.COMM_WORLD.barrier();
            final String port = half.getRank() == 0 ? Intracomm.lookupName("mpi4j-test-service") : null;
            inter = half.connect(port, 0);
        }
        final int[] mine = { rank };
        final int[] theirs = new int[1];
        final int partner = inter.getRank();
        inter.sendRecv(mine, 1, MPI.INT, partner, 9, theirs, 1, MPI.INT, partner, 9);
        Expect.equal(rank % 2 == 0 ? rank + 1 : rank - 1, theirs[0], "partner's world rank");
        inter.disconnect();
        half.free();
    }

    static void leak(final int cycles) throws Exception
    {
        int baseFds = -1;
        long baseShm = -1;
        final List<Long> pids = new ArrayList<>();
        final List<String> childJobs = new ArrayList<>();
        for (int i = 0; i < cycles; i++)
        {
            final Intercomm inter = MPI.COMM_WORLD.spawn("java", new String[]{ CHILD, "echo" }, 1, MPI.INFO_NULL, 0,
                null);
            final List<String[]> reports = exchange(inter, 1, null);
            final String[] pidAndJob = reports.get(0)[5].split(":");
            pids.add(Long.parseLong(pidAndJob[0]));
            childJobs.add(pidAndJob[1]);
            inter.disconnect();
            if (i == 1)
            {
                baseFds = fds();
                baseShm = shmFiles();
            }
        }
        Thread.sleep(1500);
        for (final long pid : pids)
        {
            Expect.that(!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " gone");
        }
        final int fds = fds();
        final long shm = shmFiles();
        for (final String job : childJobs)
        {
            Expect.equal(0, shmFilesOf(job), "shared-memory files of child job " + job + " removed");
        }
        final int contexts = contextsInUse();
        System.out.println("LEAK cycles=" + cycles + " fds " + baseFds + "->" + fds + " shm " + baseShm + "->" + shm +
            " contexts=" + contexts);
        Expect.that(fds <= baseFds + 2, "file descriptors do not grow: " + baseFds + " -> " + fds);
        Expect.that(shm <= baseShm, "shared-memory files do not grow: " + baseShm + " -> " + shm);
        Expect.equal(2, contexts, "only WORLD and SELF context ids in use");
    }

    static int fds() throws Exception
    {
        try (var files = Files.list(Path.of("/proc/self/fd")))
        {
            return (int)files.count();
        }
    }

    /** Shared-memory files of this job (other jobs may run on the machine at the same time). */
    static long shmFiles() throws Exception
    {
        return shmFilesOf(System.getenv("MPI4J_JOB_ID"));
    }

    static long shmFilesOf(final String jobId) throws Exception
    {
        try (var files = Files.list(Path.of("/dev/shm")))
        {
            return files.filter(p -> p.getFileName().toString().startsWith("mpi4j-" + jobId + "-")).count();
        }
    }

    static int contextsInUse() throws Exception
    {
        final java.lang.reflect.Field field = Class.forName("mpi.CommSupport").getDeclaredField("CONTEXTS");
        field.setAccessible(true);
        final Object allocator = field.get(null);
        return (Integer)allocator.getClass().getMethod("inUse").invoke(allocator);
    }

    interface Call
    {
        Object run() throws MPIException;
    }

    static void expect(final int errorClass, final Call call, final String what)
    {
        try
        {
            call.run();
        }
        catch (final MPIException ex)
        {
            Expect.equal(errorClass, ex.getErrorClass(), what + " (" + ex.getMessage() + ")");
            return;
        }
        throw new AssertionError(what + ": no error");
    }

    static String[] prepend(final String first, final String[] rest)
    {
        final String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
