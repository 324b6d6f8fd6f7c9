package io.mpi4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real jobs: {@code mpi4jrun} in a child JVM starting {@link RankProbe} ranks. */
@Timeout(60)
class Mpi4jRunLaunchTest
{
    /** Fast-starting JVMs: the ranks run for milliseconds. */
    private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");

    @TempDir
    Path dir;

    private record Result(int status, String out, String err, long exitMillis)
    {
    }

    private Result mpi4jrun(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(RuntimeJvmFlags.FLAGS);
        command.addAll(QUICK_JVM);
        command.add("-cp");
        command.add(classPath());
        command.add(Mpi4jRun.class.getName());
        command.addAll(Arrays.asList(args));
        final Path out = Files.createTempFile(dir, "out", ".txt");
        final Path err = Files.createTempFile(dir, "err", ".txt");
        final Process launcher = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        launcher.getOutputStream().close();
        assertTrue(launcher.waitFor(40, TimeUnit.SECONDS), "mpi4jrun did not finish");
        final long exitMillis = System.currentTimeMillis();
        return new Result(launcher.exitValue(), Files.readString(out), Files.readString(err), exitMillis);
    }

    private static String classPath() throws URISyntaxException
    {
        final List<String> entries = new ArrayList<>();
        // As bin/mpi4jrun orders it: what the ranks need (the core, the probe), then the launcher and picocli.
        for (final Class<?> type : List.of(io.mpi4j.runtime.MpiRuntime.class, RankProbe.class, Mpi4jRun.class,
            CommandLine.class))
        {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> probe(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(QUICK_JVM);
        command.add(RankProbe.class.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    private static String[] concat(final List<String> options, final List<String> program)
    {
        final List<String> all = new ArrayList<>(options);
        all.addAll(program);
        return all.toArray(new String[0]);
    }

    @Test
    void forwardsTaggedWholeLinesAndEnvironment() throws Exception
    {
        final Result result = mpi4jrun(concat(
            List.of("-n", "3", "--tag-output", "-x", "PROBE_X=42", "--universe-size", "8"), probe("print")));
        assertEquals(0, result.status(), result.err());
        final List<String> out = result.out().lines().sorted().toList();
        assertEquals(List.of(
            "[1,0]<stdout>: rank 0 of 3 universe 8 x 42", "[1,0]<stdout>: tail 0",
            "[1,1]<stdout>: rank 1 of 3 universe 8 x 42", "[1,1]<stdout>: tail 1",
            "[1,2]<stdout>: rank 2 of 3 universe 8 x 42", "[1,2]<stdout>: tail 2"), out);
        assertEquals(List.of("[1,0]<stderr>: complaint 0", "[1,1]<stderr>: complaint 1",
            "[1,2]<stderr>: complaint 2"), result.err().lines().sorted().toList());
    }

    @Test
    void shortFormWithoutTags() throws Exception
    {
        final Result result = mpi4jrun("-n", "2", RankProbe.class.getName(), "print");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("rank 0 of 2 universe"), result.out());
        assertTrue(result.out().contains("rank 1 of 2 universe"), result.out());
        assertTrue(result.out().contains("tail 0") && result.out().contains("tail 1"), result.out());
        assertEquals(List.of("complaint 0", "complaint 1"), result.err().lines().sorted().toList());
    }

    @Test
    void failingRankKillsTheOthersWithinASecond() throws Exception
    {
        final Result result = mpi4jrun(concat(List.of("-n", "4"), probe("fail")));
        assertEquals(3, result.status(), result.err());
        final Matcher exiting = Pattern.compile("exiting at (\\d+)").matcher(result.out());
        assertTrue(exiting.find(), result.out());
        final long sinceFailure = result.exitMillis() - Long.parseLong(exiting.group(1));
        assertTrue(sinceFailure < 1500, "job ended " + sinceFailure + " ms after rank 2 failed");
        assertTrue(Pattern.compile("mpi4jrun: rank 2 \\(pid \\d+\\) exited with status 3; killed the other 3 ranks")
            .matcher(result.err()).find(), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
        final Matcher pids = Pattern.compile("pid (\\d+)").matcher(result.out());
        int seen = 0;
        while (pids.find())
        {
            seen++;
            assertFalse(ProcessHandle.of(Long.parseLong(pids.group(1))).map(ProcessHandle::isAlive).orElse(false));
        }
        assertEquals(4, seen, result.out());
    }

    @Test
    void unknownTransportIsRefusedBeforeAnythingStarts() throws Exception
    {
        final Result result = mpi4jrun(concat(List.of("-n", "2", "--transport", "carrier-pigeon"), probe("print")));
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("--transport carrier-pigeon: no such transport"), result.err());
    }

    @Test
    void timeoutKillsTheJob() throws Exception
    {
        final long start = System.currentTimeMillis();
        final Result result = mpi4jrun("-n", "2", "--timeout", "1", "sleep", "30");
        assertEquals(JobOutcome.TIMEOUT_STATUS, result.status());
        assertTrue(result.exitMillis() - start < 10_000);
        assertTrue(result.err().contains("timed out after 1 s; killed 2 ranks"), result.err());
    }

    @Test
    void keyValueExchangeFinalizeAndSharedMemoryCleanup() throws Exception
    {
        final Result result = mpi4jrun(concat(List.of("-n", "3"), probe("kvs")));
        assertEquals(0, result.status(), result.err());
        assertEquals(List.of("rank 0 sees address-of-1 and null", "rank 1 sees address-of-2 and null",
            "rank 2 sees address-of-0 and null"), result.out().lines().sorted().toList());
        assertJobFilesRemoved(result, 3);
    }

    @Test
    void exitWithoutFinalizeIsAFailure() throws Exception
    {
        final Result result = mpi4jrun(concat(List.of("-n", "2"), probe("kvs", "nofinalize")));
        assertEquals(JobOutcome.NOT_FINALIZED_STATUS, result.status(), result.err());
        assertTrue(Pattern.compile("mpi4jrun: rank 0 \\(pid \\d+\\) exited without calling MPI_Finalize; " +
            "killed the other 1 rank").matcher(result.err()).find(), result.err());
        assertJobFilesRemoved(result, 2);
    }

    @Test
    void abortKillsTheJobWithItsErrorCode() throws Exception
    {
        final Result result = mpi4jrun(concat(List.of("-n", "3"), probe("kvs", "abort")));
        assertEquals(5, result.status(), result.err());
        assertTrue(result.err().contains("mpi4jrun: rank 1 called MPI_Abort with error code 5: bad input"),
            result.err());
        assertJobFilesRemoved(result, 1);
    }

    /** Every RankProbe "kvs" rank created /dev/shm/mpi4j-<jobId>-<rank>; the launcher must have removed them. */
    private static void assertJobFilesRemoved(final Result result, final int atLeast)
    {
        final Matcher files = Pattern.compile("shm (/dev/shm/mpi4j-\\S+)").matcher(result.err());
        int seen = 0;
        while (files.find())
        {
            seen++;
            assertFalse(Files.exists(Path.of(files.group(1))), files.group(1) + " was left behind");
        }
        assertTrue(seen >= atLeast, result.err());
    }
}
