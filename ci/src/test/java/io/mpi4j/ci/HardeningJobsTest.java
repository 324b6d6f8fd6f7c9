package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import io.mpi4j.ci.jobs.ExitAfterInit;
import io.mpi4j.ci.jobs.HoldAfterTraffic;
import io.mpi4j.ci.jobs.HugeSpawn;
import io.mpi4j.ci.jobs.KvsFlood;
import io.mpi4j.ci.jobs.LongLine;
import io.mpi4j.ci.jobs.SpawnKilled;
import io.mpi4j.ci.jobs.StopSelf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a careless user or a hostile local process can do to a job, and must not bring it down. */
@Timeout(180)
class HardeningJobsTest
{
    @Test
    void hugeSpawnsFailWithErrSpawnAndLeaveTheJobUsable()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, HugeSpawn.class)
            .launcherOptions("--universe-size", "8").timeout(Duration.ofSeconds(90)).run(), 2);
        assertFalse(launcherText(result).contains("OutOfMemoryError"), result::describe);
    }

    @Test
    void connectionsWithoutTheSecretNeitherExhaustTheLauncherNorStopTheJob()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, KvsFlood.class).args("400")
            .launcherOptions("--universe-size", "8").timeout(Duration.ofSeconds(90)).run(), 2);
        assertFalse(launcherText(result).contains("stopped accepting"), result::describe);
        assertFalse(launcherText(result).contains("OutOfMemoryError"), result::describe);
    }

    /**
     * 200 MiB without a newline: forwarded completely (counted as it streams, not kept), in bounded launcher
     * memory and reasonable time, every forwarded line tagged.
     */
    @Test
    void aRankWritingAHugeLineIsForwardedCompletelyInBoundedMemory() throws Exception
    {
        final int mib = 200;
        final List<String> command = MpiJob.of(2, LongLine.class).args(Integer.toString(mib))
            .timeout(Duration.ofSeconds(120)).command();
        final File stderr = File.createTempFile("mpi4j-longline", ".err");
        final Process launcher = new ProcessBuilder(command).redirectError(stderr)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        final TaggedCount count = new TaggedCount();
        final long start = System.nanoTime();
        try (InputStream in = new BufferedInputStream(launcher.getInputStream(), 1 << 16))
        {
            count.read(in);
        }
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "launcher did not end");
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        final String errors = Files.readString(stderr.toPath());
        stderr.delete();
        final String what = "exit " + launcher.exitValue() + " after " + seconds + " s, short lines " + count.shortLines
            + ", untagged " + count.untagged + "\n" + errors;
        assertEquals(0, launcher.exitValue(), what);
        assertEquals(0, count.untagged, what);
        assertEquals((long)mib << 20, count.xs, what);
        assertTrue(count.shortLines.contains("[1,0]<stdout>: OK") && count.shortLines.contains("[1,1]<stdout>: OK"),
            what);
        assertTrue(seconds < 90, what);
        final long hwmKb = count.shortLines.stream().filter(l -> l.startsWith("[1,0]<stdout>: LAUNCHER_HWM_KB "))
            .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        assertTrue(hwmKb > 0 && hwmKb < (mib << 10), "launcher peak RSS " + hwmKb + " kB; " + what);
    }

    /** Reads the launcher's tagged stdout as it streams: counts payload 'x' bytes, keeps lines without any. */
    private static final class TaggedCount
    {
        long xs;
        int untagged;
        final List<String> shortLines = new ArrayList<>();

        void read(final InputStream in) throws IOException
        {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean hasX = false;
            int previous = '\n';
            int b;
            while ((b = in.read()) >= 0)
            {
                if (b == '\n')
                {
                    final String text = line.toString(StandardCharsets.UTF_8);
                    if (!text.startsWith("[1,") && !text.startsWith("[2,"))
                    {
                        untagged++;
                    }
                    if (!hasX)
                    {
                        shortLines.add(text);
                    }
                    line.reset();
                    hasX = false;
                }
                else if (b == 'x' && (hasX || previous == ' '))
                {
                    hasX = true;
                    xs++;
                }
                else
                {
                    line.write(b);
                }
                previous = b;
            }
        }
    }

    /**
     * {@code kill -9} of the launcher mid-job: its ranks halt, and no inbox file of the job is left, in /dev/shm or
     * in an {@code MPI4J_SHM_DIR}, although no launcher is left to remove them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void killingTheLauncherLeavesNoSharedMemoryFileAndNoRank(final boolean ownDirectory, @TempDir final Path tmp)
        throws Exception
    {
        final int ranks = 3;
        final Path directory = ownDirectory ? tmp : Paths.get("/dev/shm");
        final MpiJob job = MpiJob.of(ranks, HoldAfterTraffic.class).timeout(Duration.ofSeconds(60));
        if (ownDirectory)
        {
            job.env("MPI4J_SHM_DIR", tmp.toString());
        }
        final Process launcher = new ProcessBuilder(job.command())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Void> reading = CompletableFuture.runAsync(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignore)
            {
                // The launcher was killed.
            }
        });
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines.stream().filter(l -> l.endsWith(": READY")).count() < ranks && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertEquals(ranks, lines.stream().filter(l -> l.endsWith(": READY")).count(), lines::toString);
            final String jobId = lines.stream().filter(l -> l.contains(": JOB ")).findFirst().orElseThrow()
                .replaceFirst(".*: JOB ", "");
            final List<Long> pids = lines.stream().filter(l -> l.contains(": PID "))
                .map(l -> Long.parseLong(l.replaceFirst(".*: PID ", ""))).collect(Collectors.toList());
            assertEquals(ranks, pids.size(), lines::toString);
            assertEquals(ranks, filesOf(directory, jobId).size(), "one inbox per rank while the job runs");

            launcher.destroyForcibly();
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS));
            final List<Long> alive = MpiJob.survivors(pids, Duration.ofSeconds(5));
            assertTrue(alive.isEmpty(), "ranks still alive: " + alive);
            List<String> left = filesOf(directory, jobId);
            for (int i = 0; i < 40 && !left.isEmpty(); i++)
            {
                Thread.sleep(50);
                left = filesOf(directory, jobId);
            }
            assertTrue(left.isEmpty(), "left in " + directory + ": " + left);
        }
        finally
        {
            MpiJob.killTree(launcher.toHandle());
            reading.get(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> filesOf(final Path directory, final String jobId) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mpi4j-" + jobId))
                .collect(Collectors.toList());
        }
    }

    /** The first rank that failed is blamed with its own status, not a peer whose barrier could not reach it. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void theRankThatExitedIsBlamedNotThePeerThatAbortedBecauseOfIt(final int ranks)
    {
        final MpiJob.Result result = MpiJob.of(ranks, ExitAfterInit.class).timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), result::describe);
        final String summary = launcherText(result);
        assertEquals(3, result.exitCode(), result::describe);
        assertTrue(summary.contains("rank 1 (pid") && summary.contains("exited with status 3"), result::describe);
        assertFalse(summary.contains("MPI_Abort"), result::describe);
    }

    /** A spawned child killed by a signal ends the job with 128+signal, as a rank of the job would. */
    @Test
    void aSpawnedChildKilledByASignalEndsTheJobWith128PlusTheSignal()
    {
        final MpiJob.Result result = MpiJob.of(1, SpawnKilled.class).launcherOptions("--universe-size", "4")
            .timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), result::describe);
        assertEquals(128 + 9, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("killed by signal 9"), result::describe);
    }

    /** --peer-timeout: a rank stopped by SIGSTOP ends the job, named, long before --timeout. */
    @Test
    void aStoppedRankEndsTheJobAfterThePeerTimeout() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(3, StopSelf.class).launcherOptions("--peer-timeout", "2")
            .timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), result::describe);
        assertEquals(124, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("rank 1 (pid") && launcherText(result).contains("stopped"),
            result::describe);
        assertTrue(result.elapsed().compareTo(Duration.ofSeconds(20)) < 0, result::describe);
        final List<Long> alive = MpiJob.survivors(JobAssertions.pids(result, 3), Duration.ofSeconds(3));
        assertTrue(alive.isEmpty(), "still alive: " + alive);
    }
}
