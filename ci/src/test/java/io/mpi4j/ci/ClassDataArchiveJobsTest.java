package io.mpi4j.ci;

import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.Ring;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's class-data archive ({@code io.mpi4j.launcher.ClassDataArchive}): made once for a runtime class path
 * of jars, in an owner-only cache, and mapped by every rank the launcher starts (the JVM's own class-loading log says
 * where {@code mpi.MPI} came from); {@code MPI4J_CDS=0} turns it off; a launcher that finds none makes it for the next
 * jobs and leaves no process behind. The launcher runs here on the runtime's jars and its own, as {@code bin/mpi4jrun}
 * starts it; the ranks get the runtime's jars (no launcher) and the test classes as their own class path.
 */
class ClassDataArchiveJobsTest
{
    private static final String ARCHIVE_MAIN = "io.mpi4j.launcher.ClassDataArchive";
    private static String runtimeClassPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void runtimeJars()
    {
        final List<String> jars = new ArrayList<>();
        final List<String> launcherJars = new ArrayList<>();
        for (final String entry : MpiJob.testClassPath().split(File.pathSeparator))
        {
            final String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && Stream.of("mpi4j-core-", "mpi4j-transport-", "agrona-", "disni-", "slf4j-")
                .anyMatch(name::startsWith))
            {
                jars.add(entry);
            }
            else if (name.endsWith(".jar") && Stream.of("mpi4j-launcher-", "picocli-").anyMatch(name::startsWith))
            {
                launcherJars.add(entry);
            }
        }
        // The ranks' jars first, the launcher's after them: what the archive is made for is then a prefix of both
        // the ranks' and the launcher's class paths.
        jars.addAll(launcherJars);
        // Under `mvn test` the modules are class directories, which the JDK cannot archive; `mvn verify` (CI) has jars.
        Assumptions.assumeTrue(jars.stream().anyMatch(j -> Path.of(j).getFileName().toString().startsWith("mpi4j-core-")),
            "the runtime is not packaged as jars on this class path");
        runtimeClassPath = String.join(File.pathSeparator, jars);
    }

    @Test
    void ranksMapTheArchiveMadeOnceForTheRuntimeJars() throws Exception
    {
        final Path cache = dir.resolve("cache");
        final Run create = run(cache, List.of(), ARCHIVE_MAIN, "--create");
        assertEquals(0, create.status, create.describe());
        final Path archive = Path.of(create.out.trim());
        assertTrue(archive.startsWith(cache.resolve("mpi4j").resolve("cds")) && Files.isRegularFile(archive),
            create.describe());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive.getParent())));
        final Run again = run(cache, List.of(), ARCHIVE_MAIN, "--create");
        assertEquals(archive.toString(), again.out.trim(), "the second --create finds the first one's archive");

        final Run job = job(cache, List.of());
        assertEquals(0, job.status, job.describe());
        assertEquals(List.of("shared objects file (top)", "shared objects file (top)"), whereMpiCameFrom(), job.describe());
    }

    @Test
    void mpi4jCdsZeroKeepsRanksOnTheJars() throws Exception
    {
        final Path cache = dir.resolve("cache");
        assertEquals(0, run(cache, List.of(), ARCHIVE_MAIN, "--create").status);
        final Run job = job(cache, List.of("MPI4J_CDS=0"));
        assertEquals(0, job.status, job.describe());
        assertTrue(whereMpiCameFrom().stream().allMatch(source -> source.startsWith("file:") && source.contains("mpi4j-core-")),
            whereMpiCameFrom() + "\n" + job.describe());
    }

    @Test
    void aLauncherWithoutArchiveMakesOneForTheNextJobsAndLeavesNothingRunning() throws Exception
    {
        final Path cache = dir.resolve("fresh");
        final Run first = job(cache, List.of());
        assertEquals(0, first.status, first.describe());
        assertTrue(whereMpiCameFrom().stream().allMatch(source -> source.startsWith("file:")), first.describe());
        final List<Path> made;
        try (Stream<Path> files = Files.list(cache.resolve("mpi4j").resolve("cds")))
        {
            made = files.collect(Collectors.toList());
        }
        assertEquals(1, made.size(), "one archive, no lock or partial file left: " + made);
        assertTrue(made.get(0).getFileName().toString().endsWith(".jsa"), made.toString());
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(cache.toString())),
            "no dumping JVM outlives the launcher");

        final Run second = job(cache, List.of());
        assertEquals(0, second.status, second.describe());
        assertEquals(List.of("shared objects file (top)", "shared objects file (top)"), whereMpiCameFrom(), second.describe());
    }

    @Test
    void aFailedJobKillsTheDumpAndLeavesNeitherItsProcessNorItsFiles() throws Exception
    {
        final Path cache = dir.resolve("failed");
        final Run failed = run(cache, List.of(), MpiJob.LAUNCHER_MAIN, "-n", "2", "--timeout", "60", "java", "-cp",
            MpiJob.testClassPath(), Crash.class.getName(), "exit");
        assertNotEquals(0, failed.status, failed.describe());
        try (Stream<Path> files = Files.list(cache.resolve("mpi4j").resolve("cds")))
        {
            final List<Path> left = files.filter(p -> !p.getFileName().toString().endsWith(".jsa")).toList();
            assertEquals(List.of(), left, "no lock or partial file of a killed dump");
        }
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(cache.toString())),
            "the dumping JVM is killed with the failed job");
    }

    /** A 2-rank job whose ranks log where each class came from into dir/rank.PID.log. */
    private Run job(final Path cache, final List<String> env) throws Exception
    {
        try (Stream<Path> old = Files.list(dir))
        {
            for (final Path log : old.filter(p -> p.getFileName().toString().startsWith("rank.")).toList())
            {
                Files.delete(log);
            }
        }
        final List<String> args = new ArrayList<>(List.of(MpiJob.LAUNCHER_MAIN, "-n", "2", "--timeout", "60", "java",
            "-Xlog:class+load=info:file=" + dir.resolve("rank.%p.log"), "-cp", MpiJob.testClassPath(),
            Ring.class.getName()));
        return run(cache, env, args.toArray(new String[0]));
    }

    /** For each rank's log: the source of mpi.MPI. */
    private List<String> whereMpiCameFrom() throws IOException
    {
        final List<String> sources = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir))
        {
            for (final Path log : logs.filter(p -> p.getFileName().toString().startsWith("rank.")).sorted().toList())
            {
                for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
                {
                    final int at = line.indexOf(" mpi.MPI source: ");
                    if (at >= 0)
                    {
                        sources.add(line.substring(at + " mpi.MPI source: ".length()));
                    }
                }
            }
        }
        return sources;
    }

    private record Run(int status, String out, String err)
    {
        String describe()
        {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Run run(final Path cache, final List<String> env, final String... mainAndArgs) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(MpiJob.javaExecutable());
        command.addAll(MpiJob.JVM_FLAGS);
        command.add("-cp");
        command.add(runtimeClassPath);
        command.addAll(Arrays.asList(mainAndArgs));
        final Path out = Files.createTempFile(dir, "out", ".txt");
        final Path err = Files.createTempFile(dir, "err", ".txt");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().remove("MPI4J_CDS");
        for (final String variable : env)
        {
            final int eq = variable.indexOf('=');
            builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        final Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
