package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.ShmCleaner;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;

import java.io.File;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every job the launcher started (the initial one, and later the spawned ones): registers each with the key-value
 * service, starts it, and cleans up after it. On SIGINT/SIGTERM ({@link #installShutdownHook()}) it kills all of
 * them and removes their shared-memory files.
 * <p>
 * Spawned jobs ({@link #spawn}) are started on behalf of a rank's {@code MPI_Comm_spawn}. How a command is found:
 * "java" starts the parent's JVM with the runtime's flags and a class path of the runtime followed by the parent's
 * class path (unless the arguments give {@code -cp}); any other command containing '/' is taken relative to
 * {@code wdir} (else the parent's directory); a bare name is looked up in {@code wdir}, then in each directory of
 * the {@code path} info key, then in each directory of {@code PATH}. It must be an executable file: that is
 * checked before anything starts, so a missing command fails at once. A "java" rank that would not see the
 * difference runs on one of the launcher's warm spare JVMs ({@link SpareJvmPool}, {@code MPI4J_SPAWN_SPARES}).
 */
public final class ProcessManager
{
    private static final int JOB_ID_BYTES = 5;
    private static final int SECRET_BYTES = 32;
    private static final long KILL_WAIT_MS = 1_000;

    private final KeyValueServer server;
    private final OutputSink out;
    private final OutputSink err;
    private final SecureRandom random = new SecureRandom();
    private final List<Job> jobs = new CopyOnWriteArrayList<>();
    private final List<Thread> spawnedWatchers = new CopyOnWriteArrayList<>();
    private final AtomicInteger jobNumbers = new AtomicInteger(1);
    /** Exit status of the first spawned job that failed after its spawn succeeded; 0 while none did. */
    private final AtomicInteger spawnedFailure = new AtomicInteger();
    /** Warm JVMs for spawned Java ranks ({@code MPI4J_SPAWN_SPARES}). */
    private final SpareJvmPool spares = SpareJvmPool.fromEnvironment();
    private final Object spawnLock = new Object();
    private volatile int universeSize = Integer.MAX_VALUE;
    private volatile JobSpec initialSpec;
    private volatile Job initialJob;
    /** Multi-node: where the initial job's ranks run (null: all on this machine); set before {@link #run}. */
    private volatile RankPlacement initialPlacement;
    /** {@code --peer-timeout} in nanoseconds, 0: ranks are not watched for being stopped. */
    private volatile long peerTimeoutNanos;
    /** {@code --enable-recovery}: the initial job survives rank deaths, which the other ranks are told of. */
    private volatile boolean recovery;
    /** {@code --oversubscribe}: spawns may start more processes than the universe has room for, as Open MPI's. */
    private volatile boolean oversubscribe;

    public ProcessManager(final KeyValueServer server)
    {
        this.server = server;
        this.out = new OutputSink(System.out);
        this.err = new OutputSink(System.err);
    }

    /** A fresh job id: "j" and 10 hex digits, short enough for shared-memory file names. */
    public String newJobId()
    {
        final byte[] bytes = new byte[JOB_ID_BYTES];
        random.nextBytes(bytes);
        return "j" + HexFormat.of().formatHex(bytes);
    }

    /** A fresh job secret: 32 random bytes in hex. */
    public String newSecret()
    {
        final byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Start the job and wait for it to end; always unregisters it and removes its shared-memory files.
     *
     * @param timeoutNanos kill the job after this long, 0 for no limit
     * @return how it ended; the summary line (if any) is already printed on stderr
     */
    public JobOutcome run(final JobSpec spec, final long timeoutNanos) throws InterruptedException
    {
        final long start = System.nanoTime();
        final Job job = new Job(spec, server.address(), out, err, null, 1, initialPlacement);
        if (recovery)
        {
            job.recovery(rank -> server.processFailed(spec.jobId(), rank));
        }
        initialSpec = spec;
        initialJob = job;
        universeSize = spec.universeSize();
        server.spawnHandler(this::spawn);
        jobs.add(job);
        server.registerJob(spec.jobId(), spec.size(), spec.secret(), job);
        JobOutcome outcome;
        try
        {
            try
            {
                job.start();
                watch(job);
                primeSpares(spec);
            }
            catch (final IOException ex)
            {
                // Already recorded as the job's failure; the ranks started so far are being killed.
            }
            outcome = job.awaitCompletion(timeoutNanos);
            awaitSpawned(outcome, timeoutNanos == 0 ? 0 : Math.max(1, timeoutNanos - (System.nanoTime() - start)));
        }
        finally
        {
            server.unregisterJob(spec.jobId());
            ShmCleaner.removeJobFiles(spec.jobId());
            jobs.remove(job);
            spares.close();
        }
        final String summary = job.claimSummary();
        if (summary != null)
        {
            printErr(summary);
        }
        final int spawnedStatus = spawnedFailure.get();
        if (outcome.succeeded() && spawnedStatus != 0)
        {
            // The initial job ended well, a job it spawned did not (its summary is printed): the run failed.
            return new JobOutcome(spawnedStatus, "");
        }
        return outcome;
    }

    /**
     * When the initial job is a Java program of this JVM whose classes call {@code MPI_Comm_spawn}
     * ({@link SpawnCallScanner}), start spare JVMs for the children a plain {@code spawn("java", ...)} of it would
     * start ({@link SpareJvmPool#prime}), in the background: its first spawn then finds a warm JVM instead of
     * starting one. The prediction goes through the same code as a real spawn ({@link #argv}, {@link Job}), with
     * placeholder identity variables, which the pool ignores.
     */
    private void primeSpares(final JobSpec spec)
    {
        final List<String> rankArgv = spec.argv();
        final int cp = rankArgv.indexOf("-cp");
        if (cp < 0 || cp + 2 >= rankArgv.size() || !rankArgv.get(0).equals(System.getProperty("java.home") + "/bin/java"))
        {
            return;
        }
        final String classPath = rankArgv.get(cp + 1);
        final String mainClass = rankArgv.get(cp + 2);
        final Thread primer = new Thread(() -> primeSpares(spec, classPath, mainClass), "mpi4jrun-spare-primer");
        primer.setDaemon(true);
        primer.start();
    }

    private void primeSpares(final JobSpec spec, final String classPath, final String mainClass)
    {
        if (!SpawnCallScanner.callsSpawn(classPath, mainClass))
        {
            return;
        }
        final SpawnRequest.App app = new SpawnRequest.App("java", List.of(mainClass), 1, new int[0], "", "", List.of());
        final SpawnRequest request = new SpawnRequest("", System.getProperty("java.home"), classPath,
            System.getProperty("user.dir"), List.of(app));
        try
        {
            final Job.RankLaunch launch = new Job.RankLaunch(argv(app, request, null),
                Map.of(io.mpi4j.runtime.JobEnvironment.PARENT_PORT, ""), null, 0);
            final JobSpec expected = new JobSpec("jprediction", "", 1, List.of(), spec.env(), universeSize, 0, false);
            spares.prime(new Job(expected, server.address(), out, err, List.of(launch), 0, null).localRankBuilder(0));
        }
        catch (final IOException ex)
        {
            // No prediction: the first spawn starts cold.
        }
    }

    /**
     * Serve spawn requests of a singleton (a program started without mpi4jrun, which starts this manager in its own
     * JVM on its first spawn). The singleton occupies one place of {@code universeSize}.
     */
    public void adoptSingleton(final String jobId, final String secret, final int universeSize)
    {
        initialSpec = new JobSpec(jobId, secret, 1, List.of(), Map.of(), universeSize, 0, false);
        this.universeSize = Math.max(0, universeSize - 1);
        server.registerJob(jobId, 1, secret, new JobListener()
        {
            @Override
            public void onHello(final int rank)
            {
            }

            @Override
            public void onAbort(final int rank, final int errorCode, final String message)
            {
                killAll();
            }

            @Override
            public void onFinalized(final int rank)
            {
            }
        });
        server.spawnHandler(this::spawn);
    }

    /** Wait up to {@code millis} for the spawned jobs to end, then kill what is left (a singleton exiting). */
    public void awaitSpawned(final long millis) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + millis;
        for (final Thread watcher : spawnedWatchers)
        {
            watcher.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        killAll();
    }

    /**
     * Spawned jobs outlive no job: they are waited for after the initial one, killed when it failed or when the
     * time is up.
     */
    private void awaitSpawned(final JobOutcome outcome, final long timeoutNanos) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        for (final Job spawned : jobs)
        {
            if (spawned != initialJob && !spawned.isDone() && outcome.exitStatus() != 0)
            {
                spawned.killAll("job " + spawned.jobId() + " killed: its parent job failed", KILL_WAIT_MS);
            }
        }
        for (final Thread watcher : spawnedWatchers)
        {
            final long left = deadline - System.nanoTime();
            if (timeoutNanos > 0 && left <= 0)
            {
                killAll();
            }
            watcher.join(timeoutNanos > 0 ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)) : 0);
            if (watcher.isAlive())
            {
                killAll();
                watcher.join(2 * KILL_WAIT_MS);
            }
        }
    }

    /**
     * {@code MPI_Comm_spawn}: start the applications of {@code request} as one new job; returns once all its
     * processes joined the key-value exchange (then their root connects to the parents' port), or failed.
     */
    public SpawnResult spawn(final String parentJobId, final SpawnRequest request)
    {
        final String sizeError = request.sizeError();
        if (sizeError != null)
        {
            // A rank of this runtime never sends such a request; anything else gets an answer, not an allocation.
            return SpawnHandler.failure(request, ErrorClass.ERR_SPAWN, sizeError);
        }
        final JobSpec parent = initialSpec;
        final int total = request.totalMaxprocs();
        final int[] codes = new int[total];
        Arrays.fill(codes, ErrorClass.ERR_SPAWN);
        final List<Job.RankLaunch> launches = new ArrayList<>();
        final String jobId = newJobId();
        final Job job;
        synchronized (spawnLock)
        {
            int available = oversubscribe ? Integer.MAX_VALUE : universeSize - liveProcesses();
            boolean hard = false;
            String why = null;
            int codeIndex = 0;
            for (int appnum = 0; appnum < request.apps().size(); appnum++)
            {
                final SpawnRequest.App app = request.apps().get(appnum);
                hard |= app.allowed().length == 0;
                final int count = chooseCount(app, available);
                List<String> argv = null;
                File directory = null;
                if (count < 0)
                {
                    why = app.allowed().length == 0
                        ? "cannot start " + app.maxprocs() + " processes of " + app.command() + ": the universe (" +
                        universeSize + " processes) has room for " + Math.max(0, available) +
                        " (mpi4jrun's --universe-size makes it larger, --oversubscribe lifts the limit)"
                        : "no process count allowed by the soft spawn of " + app.command() + " fits in the universe";
                }
                else if (count > 0)
                {
                    try
                    {
                        directory = workingDirectory(app, request);
                        argv = argv(app, request, directory);
                    }
                    catch (final IOException ex)
                    {
                        why = ErrorText.of(ex);
                    }
                }
                if (why != null)
                {
                    return new SpawnResult(ErrorClass.ERR_SPAWN, "", 0, codes, why);
                }
                final Map<String, String> env = new LinkedHashMap<>();
                for (final String line : app.env())
                {
                    final int eq = line.indexOf('=');
                    if (eq > 0)
                    {
                        env.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
                env.put(io.mpi4j.runtime.JobEnvironment.PARENT_PORT, request.parentPort());
                for (int i = 0; i < count; i++)
                {
                    launches.add(new Job.RankLaunch(argv, env, directory, appnum));
                    codes[codeIndex + i] = ErrorClass.SUCCESS;
                }
                codeIndex += app.maxprocs();
                available -= count;
            }
            if (launches.isEmpty())
            {
                return new SpawnResult(ErrorClass.ERR_SPAWN, "", 0, codes, "no process to start");
            }
            final JobSpec spec = new JobSpec(jobId, newSecret(), launches.size(), List.of(),
                parent == null ? Map.of() : parent.env(), universeSize, 0, parent == null || parent.tagOutput());
            final RankPlacement placement;
            try
            {
                // Multi-node hook: the host/hostfile info keys place children on those hosts' agents.
                final RankPlacement initial = initialPlacement;
                placement = RankPlacement.forSpawn(initial == null ? null : initial.agents(), request, launches);
            }
            catch (final IOException ex)
            {
                Arrays.fill(codes, ErrorClass.ERR_SPAWN);
                return new SpawnResult(ErrorClass.ERR_SPAWN, "", 0, codes, ErrorText.of(ex));
            }
            job = new Job(spec, server.address(), out, err, launches, jobNumbers.incrementAndGet(), placement);
            job.rankStarter(spares::start);
            jobs.add(job);
            server.registerJob(jobId, spec.size(), spec.secret(), job);
            try
            {
                job.start();
                watch(job);
            }
            catch (final IOException ex)
            {
                // Recorded as the job's failure: joined() completes false below.
            }
        }
        boolean joined;
        try
        {
            joined = job.joined().get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            joined = false;
        }
        catch (final ExecutionException ex)
        {
            joined = false;
        }
        // The spares this spawn used are replaced now, between it and the next.
        spares.spawnSettled();
        if (!joined)
        {
            final String summary = job.claimSummary();
            try
            {
                job.killAll("spawn of job " + jobId + " failed", KILL_WAIT_MS);
                job.awaitCompletion(TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            finishSpawned(job);
            Arrays.fill(codes, ErrorClass.ERR_SPAWN);
            return new SpawnResult(ErrorClass.ERR_SPAWN, "", 0, codes,
                summary == null ? "a spawned process ended before MPI_Init" : summary.replace("mpi4jrun: ", ""));
        }
        final Thread watcher = new Thread(() -> watchSpawned(job), "mpi4jrun-spawned-" + jobId);
        watcher.setDaemon(true);
        spawnedWatchers.add(watcher);
        watcher.start();
        return new SpawnResult(ErrorClass.SUCCESS, jobId, launches.size(), codes, "");
    }

    /** Largest process count the app allows that fits in {@code available}; -1 if none does. */
    private static int chooseCount(final SpawnRequest.App app, final int available)
    {
        if (app.allowed().length == 0)
        {
            return app.maxprocs() <= available ? app.maxprocs() : -1;
        }
        for (int i = app.allowed().length - 1; i >= 0; i--)
        {
            final int n = app.allowed()[i];
            if (n <= available && n <= app.maxprocs())
            {
                return n;
            }
        }
        return -1;
    }

    private static File workingDirectory(final SpawnRequest.App app, final SpawnRequest request) throws IOException
    {
        if (app.wdir().isEmpty())
        {
            return null;
        }
        File dir = new File(app.wdir());
        if (!dir.isAbsolute())
        {
            dir = new File(request.parentDir(), app.wdir());
        }
        if (!dir.isDirectory())
        {
            throw new IOException("wdir " + app.wdir() + " is not a directory");
        }
        return dir;
    }

    private static List<String> argv(final SpawnRequest.App app, final SpawnRequest request, final File directory)
        throws IOException
    {
        if (app.command().equals("java"))
        {
            final List<String> words = new ArrayList<>();
            words.add("java");
            words.addAll(app.argv());
            try
            {
                final AppCommand java = AppCommand.parse(words, Map.of("CLASSPATH", request.classPath()), n -> false);
                return java.argv(request.javaHome() + "/bin/java", RuntimeClassPath.ofRanks());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IOException("java: " + ErrorText.of(ex));
            }
        }
        final File executable = findExecutable(app, request, directory);
        final List<String> argv = new ArrayList<>();
        argv.add(executable.getPath());
        argv.addAll(app.argv());
        return argv;
    }

    private static File findExecutable(final SpawnRequest.App app, final SpawnRequest request, final File directory)
        throws IOException
    {
        final String command = app.command();
        final File base = directory != null ? directory : new File(request.parentDir());
        final List<File> candidates = new ArrayList<>();
        if (command.isEmpty())
        {
            throw new IOException("empty command");
        }
        if (command.indexOf('/') >= 0)
        {
            final File file = new File(command);
            candidates.add(file.isAbsolute() ? file : new File(base, command));
        }
        else
        {
            if (directory != null)
            {
                candidates.add(new File(directory, command));
            }
            for (final String dir : app.path().split(File.pathSeparator))
            {
                if (!dir.isEmpty())
                {
                    candidates.add(new File(dir, command));
                }
            }
            final String path = System.getenv("PATH");
            for (final String dir : path == null ? new String[0] : path.split(File.pathSeparator))
            {
                candidates.add(new File(dir.isEmpty() ? "." : dir, command));
            }
        }
        for (final File candidate : candidates)
        {
            if (candidate.isFile() && candidate.canExecute())
            {
                return candidate.getAbsoluteFile();
            }
        }
        throw new IOException("command " + command + " not found or not executable (looked in wdir, path, PATH)");
    }

    private int liveProcesses()
    {
        int live = 0;
        for (final Job job : jobs)
        {
            live += job.liveCount();
        }
        return live;
    }

    private void watchSpawned(final Job job)
    {
        try
        {
            final JobOutcome outcome = job.awaitCompletion(0);
            final String summary = job.claimSummary();
            if (summary != null)
            {
                printErr(summary);
            }
            final Job initial = initialJob;
            if (outcome.exitStatus() != 0)
            {
                // The children belong to the job: one of them failing fails the job, with its status, as in Open MPI.
                spawnedFailure.compareAndSet(0, outcome.exitStatus());
                if (initial != null && !initial.isDone())
                {
                    initial.killAll("spawned job " + job.jobId() + " failed", outcome.exitStatus(), KILL_WAIT_MS);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            finishSpawned(job);
        }
    }

    private void finishSpawned(final Job job)
    {
        server.put(FAILED_KEY_PREFIX + job.jobId(), "ended");
        server.unregisterJob(job.jobId());
        ShmCleaner.removeJobFiles(job.jobId());
        jobs.remove(job);
    }

    /** Key the launcher puts when a spawned job ended, so a port rendezvous waiting for it stops waiting. */
    public static final String FAILED_KEY_PREFIX = "mpi4j.ended.";

    /** Kill every job still running, remove their files; for the shutdown hook. */
    public void killAll()
    {
        spares.close();
        for (final Job job : jobs)
        {
            if (!job.isDone())
            {
                try
                {
                    job.killAll("interrupted: job " + job.jobId() + " was killed", KILL_WAIT_MS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                final String summary = job.claimSummary();
                if (summary != null)
                {
                    printErr(summary);
                }
                ShmCleaner.removeJobFiles(job.jobId());
            }
        }
    }

    /**
     * {@code --oversubscribe}: a spawn is no longer limited by the universe size (which the UNIVERSE_SIZE attribute
     * still reports); a soft spawn then gets the largest count it allows. Call before {@link #run}.
     */
    void oversubscribe(final boolean allowed)
    {
        this.oversubscribe = allowed;
    }

    /** {@code --peer-timeout}: fail a job whose rank stays stopped this long (0: off); call before {@link #run}. */
    void peerTimeout(final long nanos)
    {
        this.peerTimeoutNanos = nanos;
    }

    /** {@code --enable-recovery} for the initial job; call before {@link #run}. */
    void recovery(final boolean enabled)
    {
        this.recovery = enabled;
    }

    private void watch(final Job job)
    {
        if (peerTimeoutNanos > 0)
        {
            job.watchStopped(peerTimeoutNanos);
        }
    }

    /** Multi-node hook: the initial job's ranks run where {@code placement} says (call before {@link #run}). */
    void placement(final RankPlacement placement)
    {
        this.initialPlacement = placement;
    }

    /** Kill all jobs when the launcher is interrupted or terminated (SIGINT, SIGTERM). */
    public void installShutdownHook()
    {
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "mpi4jrun-shutdown"));
    }

    private void printErr(final String line)
    {
        final byte[] bytes = (line + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        err.write(bytes, bytes.length);
    }
}
