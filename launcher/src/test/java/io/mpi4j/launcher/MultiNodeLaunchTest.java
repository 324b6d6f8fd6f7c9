package io.mpi4j.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
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

/**
 * The multi-node path without ssh: a fake rsh agent runs the agent's command line through {@code sh -c} on this
 * machine, so {@code 127.0.0.1} gets a real {@link NodeAgent} while {@code localhost} runs its ranks directly.
 * (ci/MultiNodeJobsTest does the same through a real sshd with MPI jobs.)
 */
@Timeout(90)
class MultiNodeLaunchTest
{
    private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k");

    @TempDir
    Path dir;
    private Path fakeRsh;

    private record Result(int status, String out, String err)
    {
    }

    @BeforeEach
    void writeFakeRsh() throws Exception
    {
        fakeRsh = dir.resolve("fake-rsh");
        // As ssh does: the words after the host form one line for the remote shell.
        Files.writeString(fakeRsh, "#!/bin/sh\nshift\nexec sh -c \"$*\"\n");
        assertTrue(fakeRsh.toFile().setExecutable(true));
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
        final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
            .redirectError(err.toFile());
        builder.environment().remove(RemoteAgentLauncher.RSH_AGENT_ENV);
        final Process launcher = builder.start();
        launcher.getOutputStream().close();
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "mpi4jrun did not finish");
        return new Result(launcher.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String classPath() throws Exception
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

    private List<String> options(final String hosts, final String... more)
    {
        final List<String> options = new ArrayList<>(List.of("--host", hosts, "--rsh-agent", fakeRsh.toString()));
        options.addAll(Arrays.asList(more));
        return options;
    }

    private static String[] concat(final List<String> options, final String... probeArgs)
    {
        final List<String> all = new ArrayList<>(options);
        all.add("java");
        all.addAll(QUICK_JVM);
        all.add(RankProbe.class.getName());
        all.addAll(Arrays.asList(probeArgs));
        return all.toArray(new String[0]);
    }

    @Test
    void keyValueExchangeAndTaggedOutputAcrossHosts() throws Exception
    {
        final Result result = mpi4jrun(concat(options("localhost,127.0.0.1:2", "-n", "3", "--tag-output"), "kvs"));
        assertEquals(0, result.status(), result.err());
        assertEquals(List.of("[1,0]<stdout>: rank 0 sees address-of-1 and null",
            "[1,1]<stdout>: rank 1 sees address-of-2 and null",
            "[1,2]<stdout>: rank 2 sees address-of-0 and null"), result.out().lines().sorted().toList());
        assertFilesRemoved(result, 3);
    }

    @Test
    void abortOnTheRemoteHostKillsTheJob() throws Exception
    {
        final Result result = mpi4jrun(concat(options("localhost,127.0.0.1:2", "-n", "3"), "kvs", "abort"));
        assertEquals(5, result.status(), result.err());
        assertTrue(result.err().contains("mpi4jrun: rank 1 called MPI_Abort with error code 5: bad input"),
            result.err());
        assertFilesRemoved(result, 1);
    }

    @Test
    void failingRemoteRankIsNamedWithItsHost() throws Exception
    {
        final Result result = mpi4jrun(concat(options("localhost:2,127.0.0.1:2", "-n", "4"), "fail"));
        assertEquals(3, result.status(), result.err());
        assertTrue(Pattern.compile("mpi4jrun: rank 2 \\(pid \\d+ on 127\\.0\\.0\\.1\\) exited with status 3; " +
            "killed the other 3 ranks").matcher(result.err()).find(), result.err());
        final Matcher pids = Pattern.compile("pid (\\d+)").matcher(result.out());
        int seen = 0;
        while (pids.find())
        {
            seen++;
            final long pid = Long.parseLong(pids.group(1));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " alive");
        }
        assertEquals(4, seen, result.out());
    }

    @Test
    void programMissingOnTheRemoteHost() throws Exception
    {
        final List<String> args = options("127.0.0.1", "-n", "1");
        args.add(dir.resolve("no-such-program").toString());
        final Result result = mpi4jrun(args.toArray(new String[0]));
        assertEquals(RemoteProcess.START_FAILED_STATUS, result.status(), result.err());
        assertTrue(result.err().contains("mpi4jrun: rank 0 could not start on host 127.0.0.1: "), result.err());
    }

    @Test
    void agentThatCannotStartNamesTheHostAndTheReason() throws Exception
    {
        final Result result = mpi4jrun("--host", "127.0.0.1", "--rsh-agent", "false", "-n", "1", "true");
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("mpi4jrun: cannot start the agent on host 127.0.0.1: end of stream " +
            "(false exited with status 1)"), result.err());
    }

    @Test
    void tooFewSlotsIsACommandLineError() throws Exception
    {
        final Result result = mpi4jrun("--host", "localhost,127.0.0.1", "-n", "3", "true");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("-n 3 is more than the 2 slots of the hosts (localhost:1,127.0.0.1:1)"),
            result.err());
    }

    @Test
    void allLocalHostsNeedNoAgent() throws Exception
    {
        final Result result = mpi4jrun(concat(List.of("--host", "localhost:3", "--rsh-agent", "false", "-n", "3"),
            "kvs"));
        assertEquals(0, result.status(), result.err());
        assertFilesRemoved(result, 3);
    }

    private static void assertFilesRemoved(final Result result, final int atLeast)
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
