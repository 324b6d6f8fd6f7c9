package io.mpi4j.ci;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a real MPI job: {@code mpi4jrun -n N --tag-output --timeout T java [opts] -cp <test cp> Main args} in a
 * child JVM, over the real shared-memory transport, and captures what each rank printed.
 * <p>
 * The harness has its own deadline (the launcher's timeout plus a grace period): if the launcher itself hangs,
 * the whole process tree is killed and the result is marked {@link Result#timedOut()}.
 */
public final class MpiJob
{
    /** Flags every JVM running mpi4j code needs (same as the parent pom's {@code mpi4j.jvm.flags}). */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    public static final String LAUNCHER_MAIN = "io.mpi4j.launcher.Mpi4jRun";

    private static final Pattern TAGGED = Pattern.compile("^\\[1,(\\d+)\\]<(stdout|stderr)>: ?(.*)$");
    private static final Duration HARNESS_GRACE = Duration.ofSeconds(20);

    /**
     * Multiplies every job's deadline: set by ci/rdma-vm-tests.sh, whose virtual machines emulate their CPUs and run
     * the same jobs several times slower.
     */
    /** One line on stderr per job (MPI4J_CI_PROGRESS=1): where a long run in a virtual machine has got to. */
    private static final boolean PROGRESS = "1".equals(System.getenv("MPI4J_CI_PROGRESS"));

    /**
     * How often a job whose JVM crashed in Java or JVM code is run again (MPI4J_CI_JVM_CRASH_RETRIES, set by
     * ci/rdma-vm-tests.sh only: under CPU emulation such crashes are the emulator's; on real hardware every crash
     * fails the test).
     */
    private static final int JVM_CRASH_RETRIES =
        Integer.parseInt(System.getenv().getOrDefault("MPI4J_CI_JVM_CRASH_RETRIES", "0"));

    private static final long TIME_SCALE = Long.getLong("mpi4j.ci.timeScale",
        Long.parseLong(System.getenv().getOrDefault("MPI4J_CI_TIME_SCALE", "1")));

    /**
     * MPI_Init's rehearsal, which jobs of more ranks than this machine's cores run without unless a test sets it:
     * there it takes its whole budget (~2.5 s a job, five minutes of the job tests on two cores) and the jobs test
     * something else; InitRehearsalJobsTest runs it with up to two ranks per core and forced beyond.
     */
    private static final String INIT_REHEARSAL = "MPI4J_INIT_REHEARSAL";
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private final int ranks;
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> rankJvmOptions = new ArrayList<>();
    private final List<String> exports = new ArrayList<>();
    private final List<String> launcherOptions = new ArrayList<>();
    private final Map<String, String> launcherEnv = new TreeMap<>();
    private final List<String> launcherPrefix = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60).multipliedBy(TIME_SCALE);
    private boolean viaLauncher = true;
    private String rankClassPath;
    private boolean defaultInitRehearsal;

    private MpiJob(final int ranks, final String mainClass)
    {
        this.ranks = ranks;
        this.mainClass = mainClass;
    }

    /** A job of {@code ranks} processes running {@code main}. */
    public static MpiJob of(final int ranks, final Class<?> main)
    {
        return new MpiJob(ranks, main.getName());
    }

    /** The program run as a plain {@code java} process, without the launcher (MPI singleton). */
    public static MpiJob singleton(final Class<?> main)
    {
        final MpiJob job = new MpiJob(1, main.getName());
        job.viaLauncher = false;
        return job;
    }

    /** The program's class path instead of the test class path (a singleton without the launcher, say). */
    public MpiJob classPath(final String classPath)
    {
        rankClassPath = classPath;
        return this;
    }

    public MpiJob args(final String... programArgs)
    {
        args.addAll(Arrays.asList(programArgs));
        return this;
    }

    /** JVM options of each rank, e.g. {@code -Xmx1g}. */
    public MpiJob jvm(final String... options)
    {
        rankJvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /** {@code -x NAME=value}: an environment variable set in every rank. */
    public MpiJob env(final String name, final String value)
    {
        exports.add(name + "=" + value);
        return this;
    }

    /** MPI_Init's rehearsal as a user's job has it, even with more ranks than cores. */
    public MpiJob defaultInitRehearsal()
    {
        defaultInitRehearsal = true;
        return this;
    }

    /** Extra {@code mpi4jrun} options, e.g. {@code --universe-size 8} for spawn. */
    public MpiJob launcherOptions(final String... options)
    {
        launcherOptions.addAll(Arrays.asList(options));
        return this;
    }

    /** An environment variable of the launcher itself (not exported to the ranks), e.g. MPI4J_HOSTS_FILE. */
    public MpiJob launcherEnv(final String name, final String value)
    {
        launcherEnv.put(name, value);
        return this;
    }

    /** A command the launcher runs under, e.g. {@code salloc -N 2}: it gets the launcher's command as arguments. */
    public MpiJob launcherPrefix(final String... command)
    {
        launcherPrefix.addAll(Arrays.asList(command));
        return this;
    }

    /** The launcher's {@code --timeout}; the harness waits this plus a grace period. */
    public MpiJob timeout(final Duration timeout)
    {
        this.timeout = timeout.multipliedBy(TIME_SCALE);
        return this;
    }

    public static String testClassPath()
    {
        // Surefire may start the test JVM through a manifest-only jar; this property always holds the real path.
        final String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public static String javaExecutable()
    {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    List<String> command()
    {
        final String cp = testClassPath();
        final List<String> cmd = new ArrayList<>(launcherPrefix);
        cmd.add(javaExecutable());
        cmd.addAll(JVM_FLAGS);
        if (viaLauncher)
        {
            cmd.add("-cp");
            cmd.add(cp);
            cmd.add(LAUNCHER_MAIN);
            cmd.add("-n");
            cmd.add(Integer.toString(ranks));
            cmd.add("--tag-output");
            cmd.add("--timeout");
            cmd.add(Long.toString(Math.max(1, timeout.toSeconds())));
            for (final String x : exports)
            {
                cmd.add("-x");
                cmd.add(x);
            }
            if (ranks > CORES && !defaultInitRehearsal &&
                exports.stream().noneMatch(x -> x.startsWith(INIT_REHEARSAL + "=")))
            {
                cmd.add("-x");
                cmd.add(INIT_REHEARSAL + "=0");
            }
            cmd.addAll(launcherOptions);
            cmd.add("java");
            cmd.addAll(JVM_FLAGS);
        }
        // A rank JVM that crashes writes its hs_err file under target/, not into the source tree.
        cmd.add("-XX:ErrorFile=" + Paths.get("target", "hs_err_pid%p.log").toAbsolutePath());
        cmd.addAll(rankJvmOptions);
        cmd.add("-cp");
        cmd.add(rankClassPath != null ? rankClassPath : cp);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the job to completion (or the harness deadline) and returns what happened. */
    public Result run()
    {
        Result result = runOnce();
        for (int retry = 0; retry < JVM_CRASH_RETRIES && crashedInJavaCode(result); retry++)
        {
            System.err.println("mpi4j-ci: a JVM of the job crashed in JIT-compiled or VM code (emulated CPU); " +
                "running the job again:\n" + String.join("\n", crashLines(result)));
            result = runOnce();
        }
        return result;
    }

    /**
     * A HotSpot crash report whose problematic frame is Java ("J", "j") or the JVM itself ("V"), not native code
     * ("C": our libdisni among others, which is never retried).
     */
    private static boolean crashedInJavaCode(final Result result)
    {
        final List<String> lines = crashLines(result);
        return result.exitCode() != 0 && !lines.isEmpty() &&
            lines.stream().noneMatch(l -> l.contains("# C ") || l.contains("# c "));
    }

    private static List<String> crashLines(final Result result)
    {
        final List<String> all = new ArrayList<>(result.stdout());
        all.addAll(result.stderr());
        final List<String> crash = new ArrayList<>();
        for (int i = 0; i < all.size(); i++)
        {
            if (all.get(i).contains("# Problematic frame:") && i + 1 < all.size())
            {
                crash.add(all.get(i + 1));
            }
        }
        return crash;
    }

    private Result runOnce()
    {
        final List<String> cmd = command();
        final ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().putAll(launcherEnv);
        if (!viaLauncher)
        {
            for (final String x : exports)
            {
                final int eq = x.indexOf('=');
                builder.environment().put(x.substring(0, eq), x.substring(eq + 1));
            }
        }
        final long start = System.nanoTime();
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot start " + cmd, e);
        }
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignored)
        {
            // no stdin for the job
        }
        final LineCollector out = new LineCollector(process.getInputStream(), "mpijob-stdout");
        final LineCollector err = new LineCollector(process.getErrorStream(), "mpijob-stderr");
        boolean timedOut = false;
        int exit;
        try
        {
            if (!process.waitFor(timeout.plus(HARNESS_GRACE).toMillis(), TimeUnit.MILLISECONDS))
            {
                timedOut = true;
                killTree(process.toHandle());
                process.waitFor(10, TimeUnit.SECONDS);
            }
            exit = process.isAlive() ? -1 : process.exitValue();
            out.join(5_000);
            err.join(5_000);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            killTree(process.toHandle());
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        final long endedAtMillis = System.currentTimeMillis();
        final String shown = String.join(" ", cmd).replace(testClassPath(), "<test classpath>");
        if (PROGRESS)
        {
            System.err.printf("mpi4j-ci: %s x%d %s: exit %d%s after %.1f s%n", mainClass, ranks, args, exit,
                timedOut ? " (timed out)" : "", elapsed.toMillis() / 1000.0);
        }
        return new Result(shown, exit, timedOut, elapsed, endedAtMillis, out.lines(), err.lines());
    }

    static void killTree(final ProcessHandle root)
    {
        root.descendants().forEach(ProcessHandle::destroyForcibly);
        root.destroyForcibly();
    }

    /** Files in /dev/shm that belong to job {@code jobId}. */
    public static List<String> shmFilesOf(final String jobId)
    {
        final Path shm = Paths.get("/dev/shm");
        if (!Files.isDirectory(shm))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(shm))
        {
            return files.map(p -> p.getFileName().toString())
                .filter(name -> name.startsWith("mpi4j-" + jobId))
                .sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /** Pids (from {@code pids}) still alive after waiting up to {@code patience} for them to go. */
    public static List<Long> survivors(final List<Long> pids, final Duration patience) throws InterruptedException
    {
        final long deadline = System.nanoTime() + patience.toNanos();
        List<Long> alive;
        do
        {
            alive = pids.stream()
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .collect(Collectors.toList());
            if (alive.isEmpty())
            {
                break;
            }
            Thread.sleep(50);
        }
        while (System.nanoTime() < deadline);
        return alive;
    }

    /** What a job did: exit status, output by rank, elapsed time. */
    public static final class Result
    {
        private final String command;
        private final int exitCode;
        private final boolean timedOut;
        private final Duration elapsed;
        private final long endedAtMillis;
        private final List<String> stdout;
        private final List<String> stderr;
        private final Map<Integer, List<String>> rankOut = new TreeMap<>();
        private final Map<Integer, List<String>> rankErr = new TreeMap<>();
        private final List<String> untaggedOut = new ArrayList<>();
        private final List<String> untaggedErr = new ArrayList<>();

        Result(final String command, final int exitCode, final boolean timedOut, final Duration elapsed,
            final long endedAtMillis, final List<String> stdout, final List<String> stderr)
        {
            this.endedAtMillis = endedAtMillis;
            this.command = command;
            this.exitCode = exitCode;
            this.timedOut = timedOut;
            this.elapsed = elapsed;
            this.stdout = stdout;
            this.stderr = stderr;
            split(stdout, untaggedOut);
            split(stderr, untaggedErr);
        }

        private void split(final List<String> lines, final List<String> untagged)
        {
            for (final String line : lines)
            {
                final Matcher m = TAGGED.matcher(line);
                if (m.matches())
                {
                    final Map<Integer, List<String>> target = "stdout".equals(m.group(2)) ? rankOut : rankErr;
                    target.computeIfAbsent(Integer.parseInt(m.group(1)), r -> new ArrayList<>()).add(m.group(3));
                }
                else
                {
                    untagged.add(line);
                }
            }
        }

        public int exitCode()
        {
            return exitCode;
        }

        /** Wall-clock time (epoch ms, same clock as the ranks' System.currentTimeMillis) when the job ended. */
        public long endedAtMillis()
        {
            return endedAtMillis;
        }

        public boolean timedOut()
        {
            return timedOut;
        }

        public Duration elapsed()
        {
            return elapsed;
        }

        /** Lines rank {@code rank} printed on stdout (tag removed). A singleton's stdout is rank 0's. */
        public List<String> out(final int rank)
        {
            if (rankOut.isEmpty() && rank == 0)
            {
                return Collections.unmodifiableList(untaggedOut);
            }
            return rankOut.getOrDefault(rank, List.of());
        }

        public List<String> err(final int rank)
        {
            if (rankErr.isEmpty() && rank == 0)
            {
                return Collections.unmodifiableList(untaggedErr);
            }
            return rankErr.getOrDefault(rank, List.of());
        }

        /** Raw stdout of the launcher, tags included. */
        public List<String> stdout()
        {
            return stdout;
        }

        /** Raw stderr of the launcher (ranks' tagged lines and the launcher's own messages). */
        public List<String> stderr()
        {
            return stderr;
        }

        /** Lines the launcher printed itself (not forwarded from a rank), stdout and stderr. */
        public List<String> launcherLines()
        {
            final List<String> all = new ArrayList<>(untaggedOut);
            all.addAll(untaggedErr);
            return all;
        }

        /** First stdout line of {@code rank} starting with {@code prefix}, without the prefix; null if none. */
        public String value(final int rank, final String prefix)
        {
            for (final String line : out(rank))
            {
                if (line.startsWith(prefix))
                {
                    return line.substring(prefix.length()).trim();
                }
            }
            return null;
        }

        /** Everything the job printed, for assertion messages. */
        public String describe()
        {
            final StringBuilder sb = new StringBuilder(4096);
            sb.append("command: ").append(command).append('\n')
                .append("exit: ").append(exitCode).append(timedOut ? " (HARNESS TIMEOUT, tree killed)" : "")
                .append(", elapsed ").append(elapsed.toMillis()).append(" ms\n")
                .append("--- stdout ---\n");
            tail(sb, stdout);
            sb.append("--- stderr ---\n");
            tail(sb, stderr);
            return sb.toString();
        }

        private static void tail(final StringBuilder sb, final List<String> lines)
        {
            final int max = 200;
            final int from = Math.max(0, lines.size() - max);
            if (from > 0)
            {
                sb.append("... (").append(from).append(" lines omitted)\n");
            }
            for (int i = from; i < lines.size(); i++)
            {
                sb.append(lines.get(i)).append('\n');
            }
        }
    }

    /** Drains one stream of the child into lines, on its own thread, so the child never blocks on a full pipe. */
    private static final class LineCollector extends Thread
    {
        private final InputStream in;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        LineCollector(final InputStream in, final String name)
        {
            super(name);
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run()
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // the child is gone; what was read so far is the result
            }
        }

        List<String> lines()
        {
            synchronized (lines)
            {
                return new ArrayList<>(lines);
            }
        }
    }
}
