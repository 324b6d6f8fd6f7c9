package io.mpi4j.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mpi4j.ci.jobs.AcrossNodes;
import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.HaltMidLoop;
import io.mpi4j.ci.jobs.SpawnRefused;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs on a real Slurm cluster ({@code ci/slurm.sh}: slurmctld, one slurmd per network-namespace node, munge), the
 * two ways in: an allocation ({@code salloc}, {@code sbatch}) in which {@code mpi4jrun} places ranks by the
 * allocation and starts its agents through srun, and direct launch ({@code srun --mpi=pmi2 java ...}) in which the
 * ranks bootstrap through PMI-2 without {@code mpi4jrun}.
 */
@Timeout(120)
class SlurmJobsTest
{
    private static final Pattern LABELLED = Pattern.compile("^\\s*(\\d+): ?(.*)$");

    private static NetnsFixture cluster;

    @BeforeAll
    static void up() throws Exception
    {
        cluster = NetnsFixture.slurmOrSkip(2);
    }

    @AfterAll
    static void down() throws Exception
    {
        if (cluster != null)
        {
            cluster.close();
            final List<String> namespaces = cluster.namespacesLeft();
            cluster = null;
            assertTrue(namespaces.isEmpty(), "namespaces left after ci/slurm.sh down: " + namespaces);
        }
    }

    private static MpiJob inAllocation(final String... allocator)
    {
        return MpiJob.of(4, AcrossNodes.class).launcherPrefix(allocator)
            .launcherEnv("SLURM_CONF", cluster.slurmConf()).launcherEnv("MPI4J_HOSTS_FILE", cluster.hostsFile())
            .launcherOptions("--report-transports").timeout(Duration.ofSeconds(60));
    }

    @Test
    void sallocThenMpi4jrunPlacesRanksOnTheAllocatedNodes() throws InterruptedException
    {
        final MpiJob.Result result = inAllocation("salloc", "--quiet", "-N", "2", "-n", "4").run();
        JobAssertions.assertAllOk(result, 4);
        assertAcrossTwoNodes(allLines(result), result::describe);
        JobAssertions.assertNothingLeft(result, 4);
    }

    @Test
    void sbatchThenMpi4jrunRunsFromTheFirstNode() throws Exception
    {
        final Path dir = Files.createTempDirectory("mpi4j-sbatch");
        try
        {
            final Path script = dir.resolve("job.sh");
            final Path output = dir.resolve("job.out");
            final List<String> launcher = new ArrayList<>(MpiJob.of(4, AcrossNodes.class)
                .launcherOptions("--report-transports").timeout(Duration.ofSeconds(60)).command());
            final StringBuilder text = new StringBuilder("#!/bin/sh\n");
            for (final String word : launcher)
            {
                text.append('\'').append(word.replace("'", "'\\''")).append("' ");
            }
            Files.writeString(script, text.append('\n').toString());
            final ProcessResult sbatch = run(List.of("sbatch", "--wait", "--quiet", "-N", "2", "-n", "4",
                "-o", output.toString(), "-D", dir.toString(), script.toString()), Duration.ofSeconds(90));
            final String out = Files.exists(output) ? Files.readString(output) : "(no output file)";
            assertEquals(0, sbatch.status, () -> sbatch.output + "\njob output:\n" + out);
            final List<String> lines = out.lines().toList();
            for (int rank = 0; rank < 4; rank++)
            {
                final String ok = "[1," + rank + "]<stdout>: OK across rank=" + rank + " size=4";
                assertTrue(lines.contains(ok), () -> "missing '" + ok + "' in\n" + out);
            }
            assertAcrossTwoNodes(lines, () -> out);
        }
        finally
        {
            try (java.util.stream.Stream<Path> files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void srunWithPmi2StartsTheRanksWithoutMpi4jrun() throws Exception
    {
        final ProcessResult srun = srun(4, AcrossNodes.class, "-N", "2", "-n", "4");
        assertEquals(0, srun.status, srun.output);
        final Map<Integer, List<String>> byRank = byRank(srun.output);
        for (int r = 0; r < 4; r++)
        {
            final int rank = r;
            final List<String> lines = byRank.getOrDefault(rank, List.of());
            assertTrue(lines.contains("OK across rank=" + rank + " size=4"), srun.output);
            assertTrue(lines.contains("NODE " + cluster.node(rank / 2 + 1)), srun.output);
            final String expected = rank / 2 == 0 ? "0:shm, 1:shm, 2:tcp, 3:tcp" : "0:tcp, 1:tcp, 2:shm, 3:shm";
            assertTrue(lines.stream().anyMatch(l -> l.contains("rank " + rank + " on ") && l.endsWith(expected)),
                "rank " + rank + " should reach " + expected + "\n" + srun.output);
        }
        assertEquals(List.of(), leftInShm("mpi4j-pmi-"), "shared-memory files left by the direct launch");
    }

    @Test
    void spawnUnderDirectLaunchIsErrSpawnAndTheJobGoesOn() throws Exception
    {
        final ProcessResult srun = srun(2, SpawnRefused.class, "-N", "1", "-n", "2");
        assertEquals(0, srun.status, srun.output);
        final Map<Integer, List<String>> byRank = byRank(srun.output);
        for (int rank = 0; rank < 2; rank++)
        {
            final List<String> lines = byRank.getOrDefault(rank, List.of());
            final String error = lines.stream().filter(l -> l.startsWith("SPAWN_ERROR ")).findFirst().orElse("");
            // MPI_ERR_SPAWN is 50 in Open MPI's numbering (ErrorClass); every errcode carries it too.
            assertTrue(error.startsWith("SPAWN_ERROR 50 50 ") && error.contains("srun --mpi=pmi2") &&
                error.contains("mpi4jrun"), "rank " + rank + ": " + error + "\n" + srun.output);
            assertTrue(lines.contains("OK after spawn sum=2"), srun.output);
        }
    }

    @Test
    void aRankDyingUnderDirectLaunchEndsTheStepAndLeavesNothing() throws Exception
    {
        final long start = System.nanoTime();
        final ProcessResult srun = srun(4, Crash.class, "-N", "2", "-n", "4");
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(srun.status != 0, srun.output);
        assertTrue(srun.output.contains("task 1: Exited with exit code 3"), srun.output);
        assertTrue(seconds < 30, "the step took " + seconds + " s to end after rank 1 died\n" + srun.output);
        final List<Long> pids = new ArrayList<>();
        byRank(srun.output).values().forEach(lines -> lines.stream().filter(l -> l.startsWith("PID "))
            .forEach(l -> pids.add(Long.parseLong(l.substring(4).trim()))));
        assertEquals(4, pids.size(), srun.output);
        assertEquals(List.of(), MpiJob.survivors(pids, Duration.ofSeconds(5)), "ranks alive after the step");
        // The dead rank halted: its inbox is removed by the others of its node, which end without MPI_Finalize.
        assertEquals(List.of(), leftInShm("mpi4j-pmi-"), "shared-memory files left by the failed step");
    }

    @Test
    void aRankHaltingUnderDirectLaunchWithoutKillOnBadExitIsAnErrorNotAHang() throws Exception
    {
        // Nobody watches the ranks and Slurm leaves the step running when a task fails: the survivors themselves
        // must notice the lost connection and end the step. Ranks 2 and 3 reach rank 1 over TCP (the end of its
        // streams), rank 0 over shared memory (its process gone): whichever notices first names it and ends the job.
        assertAHaltEndsTheStep("^\\s*([23]: mpi4j: rank [23] lost rank 1 \\(host 10\\.251\\.[0-9.]+:[0-9]+\\)|" +
            "0: mpi4j: rank 0 lost rank 1 \\(host [^,]+, pid [0-9]+\\)): .*; aborting the job$", "-N", "2", "-n", "4");
    }

    @Test
    void aRankHaltingOnOneNodeUnderDirectLaunchIsFoundDeadOverSharedMemory() throws Exception
    {
        // No socket to break: the survivors find rank 1's process gone behind its inbox and its slots in theirs.
        assertAHaltEndsTheStep("^\\s*[023]: mpi4j: rank [023] lost rank 1 \\(host [^,]+, pid [0-9]+\\): .*; " +
            "aborting the job$", "-N", "1", "-n", "4", "--overcommit");
    }

    private static void assertAHaltEndsTheStep(final String lostLine, final String... options) throws Exception
    {
        final ProcessResult srun = srun(false, 4, HaltMidLoop.class, options);
        final long endedMs = System.currentTimeMillis();
        assertTrue(srun.status != 0, srun.output);
        final Map<Integer, List<String>> byRank = byRank(srun.output);
        final String halting = byRank.getOrDefault(1, List.of()).stream().filter(l -> l.startsWith("HALTING_AT "))
            .findFirst().orElseThrow(() -> new AssertionError("rank 1 did not reach the halt\n" + srun.output));
        final long seconds = TimeUnit.MILLISECONDS.toSeconds(endedMs - Long.parseLong(halting.substring(11).trim()));
        assertTrue(seconds < 15, "the step took " + seconds + " s to end after rank 1 halted\n" + srun.output);
        assertTrue(srun.output.contains("task 1: Exited with exit code 3"), srun.output);
        assertTrue(srun.output.lines().anyMatch(l -> l.matches(lostLine)), srun.output);
        assertTrue(!srun.output.contains("NOT REACHED") && !srun.output.contains("WRONG SUM"), srun.output);
        final List<Long> pids = new ArrayList<>();
        byRank.values().forEach(lines -> lines.stream().filter(l -> l.startsWith("PID "))
            .forEach(l -> pids.add(Long.parseLong(l.substring(4).trim()))));
        assertEquals(4, pids.size(), srun.output);
        assertEquals(List.of(), MpiJob.survivors(pids, Duration.ofSeconds(5)), "ranks alive after the step");
        assertEquals(List.of(), leftInShm("mpi4j-pmi-"), "shared-memory files left by the failed step");
    }

    private static void assertAcrossTwoNodes(final List<String> lines, final java.util.function.Supplier<String> what)
    {
        for (int r = 0; r < 4; r++)
        {
            final int rank = r;
            final String node = cluster.node(rank / 2 + 1);
            final String expected = rank / 2 == 0 ? "0:shm, 1:shm, 2:tcp, 3:tcp" : "0:tcp, 1:tcp, 2:shm, 3:shm";
            final String prefix = "[1," + rank + "]";
            assertTrue(lines.contains(prefix + "<stdout>: NODE " + node), () -> "rank " + rank + " not on " + node +
                "\n" + what.get());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix) && l.contains("rank " + rank + " on ") &&
                l.endsWith(expected)), () -> "rank " + rank + " should reach " + expected + "\n" + what.get());
        }
    }

    private static List<String> allLines(final MpiJob.Result result)
    {
        final List<String> lines = new ArrayList<>(result.stdout());
        lines.addAll(result.stderr());
        return lines;
    }

    /** {@code srun --label --mpi=pmi2 [options] java <flags> -cp <test class path> main}. */
    private static ProcessResult srun(final int ranks, final Class<?> main, final String... options)
        throws IOException, InterruptedException
    {
        return srun(true, ranks, main, options);
    }

    /** The same, with Slurm ending the step when a task fails ({@code --kill-on-bad-exit}) or not. */
    private static ProcessResult srun(final boolean killOnBadExit, final int ranks, final Class<?> main,
        final String... options) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("srun", "--label", "--mpi=pmi2",
            "--export=ALL,MPI4J_REPORT_TRANSPORTS=1", "--kill-on-bad-exit=" + (killOnBadExit ? 1 : 0), "--time=2"));
        command.addAll(List.of(options));
        command.add(MpiJob.javaExecutable());
        command.addAll(MpiJob.JVM_FLAGS);
        command.addAll(List.of("-cp", MpiJob.testClassPath(), main.getName()));
        return run(command, Duration.ofSeconds(90));
    }

    private static Map<Integer, List<String>> byRank(final String output)
    {
        final Map<Integer, List<String>> lines = new TreeMap<>();
        for (final String line : output.split("\n"))
        {
            final Matcher m = LABELLED.matcher(line);
            if (m.matches())
            {
                lines.computeIfAbsent(Integer.parseInt(m.group(1)), r -> new ArrayList<>()).add(m.group(2));
            }
        }
        return lines;
    }

    private static List<String> leftInShm(final String prefix) throws IOException
    {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("/dev/shm")))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    private record ProcessResult(int status, String output)
    {
    }

    private static ProcessResult run(final List<String> command, final Duration limit)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SLURM_CONF", cluster.slurmConf());
        builder.environment().put("MPI4J_HOSTS_FILE", cluster.hostsFile());
        final Process process = builder.start();
        process.getOutputStream().close();
        final java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture
            .supplyAsync(() ->
            {
                try
                {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }
                catch (final IOException ex)
                {
                    return "(output unreadable: " + ex + ")";
                }
            });
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS))
        {
            MpiJob.killTree(process.toHandle());
            process.waitFor(10, TimeUnit.SECONDS);
            return new ProcessResult(-1, "timed out after " + limit + ": " + String.join(" ", command) + "\n" +
                output.getNow(""));
        }
        try
        {
            return new ProcessResult(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            return new ProcessResult(process.exitValue(), "(output unreadable: " + ex + ")");
        }
    }
}
