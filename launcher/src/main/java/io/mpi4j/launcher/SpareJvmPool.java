package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.ShmCleaner;
import io.mpi4j.runtime.SpareJvm;

import io.mpi4j.runtime.JobEnvironment;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Warm JVMs for {@code MPI_Comm_spawn} of Java programs: up to {@code K} {@link SpareJvm} processes started ahead
 * of time with the configuration a spawned child would get, so that a spawn skips the JVM's start-up and the
 * loading of the runtime. {@code K} is {@value #SPARES_ENV} (default {@value #DEFAULT_SPARES}; 0 disables).
 * <p>
 * A spare replaces a rank's start only when the rank would not see the difference ({@link #start}): the same argv
 * up to the main class (so the same {@code java}, runtime flags, no JVM options of the user's, the same class
 * path), the same working directory, the same environment apart from the job identity variables (so no {@code env}
 * info key), and standard input from /dev/null. Anything else starts cold, as without the pool. The pool learns its
 * configuration from the spawns: the first Java rank that could have used a spare starts cold and sets it, and
 * spares of it are started a moment later; two spawns in a row of another configuration switch to it. The launcher
 * may also predict it ({@link #prime}): when the initial job is a Java program that calls spawn, spares of the
 * configuration a plain {@code spawn("java", ...)} of that program would get are started with the job, so that its
 * first spawn finds one too; a first spawn that asks for anything else replaces the prediction at once. Nothing is
 * started for a job that never spawns: on two cores, idle-looking spare JVMs starting next to a job would slow it.
 * <p>
 * Spares are no ranks: they are not in any job and do not count in the universe. A used spare is replaced once the
 * spawn it served has settled ({@link #spawnSettled}: its children are through MPI_Init's key-value exchange, or
 * failed), {@value #REFILL_DELAY_MS} ms later, so that starting its replacement competes neither with that spawn nor,
 * as far as the gap allows, with the next one; at the latest {@value #USE_REFILL_MS} ms after the use. They end with
 * the launcher: {@link #close()} (end of the job, kill, shutdown hook)
 * kills them, and a spare whose launcher died reads end of file and exits.
 */
final class SpareJvmPool implements AutoCloseable
{
    /** Environment variable of the launcher: how many spare JVMs to keep (0: none). */
    static final String SPARES_ENV = "MPI4J_SPAWN_SPARES";
    static final int DEFAULT_SPARES = 2;
    /**
     * Environment variable of the launcher: milliseconds between a spawn's settling and the start of the spares it
     * used up. 150 ms after the use, as before spawns settled, started the refill just as the next spawn of a loop
     * 100 ms apart came in (spawns take 40-60 ms on spares), and cost one-child spawns a third more.
     */
    static final String REFILL_ENV = "MPI4J_SPAWN_REFILL_MS";
    static final long REFILL_DELAY_MS = 40;
    /** Refill at the latest this long after a use, should the spawn never settle. */
    private static final long USE_REFILL_MS = 1_000;
    /** Primed pool: delay between its first spare and the others. */
    private static final long PRIME_STAGGER_MS = 500;
    private static final int MAX_SPARES = 64;
    /** Consecutive spares dying before use after which the pool gives up (a JDK it cannot work with, say). */
    private static final int MAX_EARLY_DEATHS = 3;
    /** Variables that make a rank what it is: set by the assignment, ignored when comparing environments. */
    private static final Set<String> IDENTITY = Set.of(JobEnvironment.JOB_ID, JobEnvironment.RANK,
        JobEnvironment.SIZE, JobEnvironment.KVS, JobEnvironment.SECRET, JobEnvironment.UNIVERSE_SIZE,
        JobEnvironment.APPNUM, JobEnvironment.APP_SIZES, JobEnvironment.LOCAL_RANK, JobEnvironment.LOCAL_SIZE,
        JobEnvironment.PARENT_PORT);
    private static final File DEV_NULL = new File("/dev/null");
    private static final long KILL_WAIT_MS = 1_000;

    /** What a spare is started with: argv up to (excluding) the main class, environment, directory (null: ours). */
    record Configuration(List<String> prefix, Map<String, String> environment, File directory)
    {
    }

    private final int capacity;
    private final long refillDelayMs;
    private final Deque<Process> spares = new ArrayDeque<>();
    private final ScheduledExecutorService refiller;
    private Configuration configuration;
    /** The configuration came from {@link #prime} and no spawn has asked for it yet. */
    private boolean predicted;
    /** The configuration the last start that fitted no spare asked for, and its job (learning, see start). */
    private Configuration missed;
    private String missedJob;
    private int earlyDeaths;
    private boolean closed;
    /** The refill scheduled next; null when none is. */
    private ScheduledFuture<?> pendingRefill;

    SpareJvmPool(final int capacity, final long refillDelayMs)
    {
        this.capacity = Math.max(0, Math.min(MAX_SPARES, capacity));
        this.refillDelayMs = Math.max(0, refillDelayMs);
        this.refiller = this.capacity == 0 ? null : Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread thread = new Thread(r, "mpi4jrun-spares");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A pool sized by {@value #SPARES_ENV} of the launcher's environment. */
    static SpareJvmPool fromEnvironment()
    {
        return new SpareJvmPool((int)setting(SPARES_ENV, DEFAULT_SPARES), setting(REFILL_ENV, REFILL_DELAY_MS));
    }

    private static long setting(final String name, final long defaultValue)
    {
        final String value = System.getenv(name);
        if (value != null && !value.isBlank())
        {
            try
            {
                return Long.parseLong(value.trim());
            }
            catch (final NumberFormatException ex)
            {
                System.err.println("mpi4jrun: ignoring " + name + "=" + value + " (not a number)");
            }
        }
        return defaultValue;
    }

    /**
     * Start the rank {@code builder} describes: on a spare when that is indistinguishable for the rank, else
     * {@code builder.start()}. Used as the {@link Job}'s rank starter of spawned jobs.
     */
    Process start(final ProcessBuilder builder) throws IOException
    {
        final Configuration wanted = configurationOf(builder);
        if (wanted == null)
        {
            return builder.start();
        }
        while (true)
        {
            final Process spare;
            synchronized (this)
            {
                if (closed || capacity == 0)
                {
                    return builder.start();
                }
                if (!wanted.equals(configuration))
                {
                    // Learn from the spawns: the first one sets the configuration; a different one takes over only
                    // when two spawns in a row ask for it, so that one odd spawn does not throw the spares away.
                    final String job = builder.environment().get(JobEnvironment.JOB_ID);
                    if (configuration == null || predicted || (wanted.equals(missed) && !job.equals(missedJob)))
                    {
                        dropAll();
                        configuration = wanted;
                        predicted = false;
                        missed = null;
                        scheduleRefill(USE_REFILL_MS);
                    }
                    else if (!wanted.equals(missed))
                    {
                        missed = wanted;
                        missedJob = job;
                    }
                    return builder.start();
                }
                missed = null;
                predicted = false;
                spare = spares.pollFirst();
                scheduleRefill(USE_REFILL_MS);
                if (spare == null)
                {
                    return builder.start();
                }
            }
            if (assign(spare, builder, wanted.prefix().size()))
            {
                return spare;
            }
        }
    }

    /** A spawn has settled: its children are through MPI_Init's key-value exchange, or it failed. */
    synchronized void spawnSettled()
    {
        if (pendingRefill != null)
        {
            scheduleRefill(refillDelayMs);
        }
    }

    /**
     * Start spares now for the ranks {@code builder} describes, a spawn the launcher expects: only while the pool
     * has learnt nothing yet. A wrong guess costs the spares it started; the first real spawn takes over.
     */
    void prime(final ProcessBuilder builder)
    {
        final Configuration wanted = configurationOf(builder);
        synchronized (this)
        {
            if (wanted == null || closed || capacity == 0 || configuration != null)
            {
                return;
            }
            configuration = wanted;
            predicted = true;
            scheduleRefill(0);
        }
    }

    /**
     * Kill every spare and remove what their rehearsals may have left (the launcher may exit right after, before
     * {@link #spareExited} would run); no more are started.
     */
    @Override
    public void close()
    {
        final List<Process> killed;
        synchronized (this)
        {
            closed = true;
            killed = new ArrayList<>(spares);
            dropAll();
        }
        if (refiller != null)
        {
            refiller.shutdownNow();
        }
        for (final Process spare : killed)
        {
            try
            {
                spare.onExit().get(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                // Killed with SIGKILL: it is going; remove its files anyway.
            }
            ShmCleaner.removeJobFiles(SpareJvm.rehearsalJobId(spare.pid()));
        }
    }

    private static boolean assign(final Process spare, final ProcessBuilder builder, final int mainIndex)
    {
        if (!spare.isAlive())
        {
            return false;
        }
        final List<String> argv = builder.command();
        final Map<String, String> variables = new LinkedHashMap<>();
        for (final Map.Entry<String, String> variable : builder.environment().entrySet())
        {
            if (IDENTITY.contains(variable.getKey()))
            {
                variables.put(variable.getKey(), variable.getValue());
            }
        }
        final SpareJvm.Assignment assignment = new SpareJvm.Assignment(variables, argv.get(mainIndex),
            List.copyOf(argv.subList(mainIndex + 1, argv.size())));
        try (OutputStream in = spare.getOutputStream())
        {
            assignment.writeTo(in);
        }
        catch (final IOException ex)
        {
            // Died between the liveness check and the write: take the next one.
            spare.destroyForcibly();
            return false;
        }
        return true;
    }

    /** The spare configuration {@code builder} would match, or null when it is no candidate at all. */
    private static Configuration configurationOf(final ProcessBuilder builder)
    {
        final List<String> argv = builder.command();
        final int cp = argv.indexOf("-cp");
        if (argv.isEmpty() || !argv.get(0).endsWith("/bin/java") || cp < 0 || cp + 2 >= argv.size() ||
            argv.get(cp + 2).startsWith("-") || !Objects.equals(builder.redirectInput(), ProcessBuilder.Redirect.from(DEV_NULL)) ||
            builder.redirectErrorStream())
        {
            return null;
        }
        final Map<String, String> env = new HashMap<>(builder.environment());
        if (!env.keySet().containsAll(IDENTITY))
        {
            return null;
        }
        env.keySet().removeAll(IDENTITY);
        File directory = builder.directory();
        if (directory != null && directory.getAbsoluteFile().equals(new File(System.getProperty("user.dir")).getAbsoluteFile()))
        {
            directory = null;
        }
        return new Configuration(List.copyOf(argv.subList(0, cp + 2)), env, directory);
    }

    /** Refill in {@code delayMs}, unless one is due sooner; one pending refill at a time. */
    private void scheduleRefill(final long delayMs)
    {
        if (closed)
        {
            return;
        }
        if (pendingRefill != null &&
            (pendingRefill.getDelay(TimeUnit.MILLISECONDS) <= delayMs || !pendingRefill.cancel(false)))
        {
            return;
        }
        pendingRefill = refiller.schedule(this::refill, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Start the spares missing, outside the lock: a spawn asking for one meanwhile is not held up. */
    private void refill()
    {
        final Configuration target;
        int missing;
        synchronized (this)
        {
            pendingRefill = null;
            spares.removeIf(process -> !process.isAlive());
            target = configuration;
            missing = closed || target == null || earlyDeaths >= MAX_EARLY_DEATHS ? 0 : capacity - spares.size();
            // Primed with the job: one spare now, the others a moment later, so that the job's own start-up and
            // the first spare do not share the cores with more JVMs starting (a first spawn soon after
            // MPI_Init then finds that one spare further along).
            if (predicted && missing > 1 && spares.isEmpty())
            {
                missing = 1;
                scheduleRefill(PRIME_STAGGER_MS);
            }
        }
        for (int i = 0; i < missing; i++)
        {
            final Process spare;
            try
            {
                spare = startSpare(target);
            }
            catch (final IOException ex)
            {
                synchronized (this)
                {
                    earlyDeaths = MAX_EARLY_DEATHS;
                }
                System.err.println("mpi4jrun: cannot start spare JVMs (" + ErrorText.of(ex) + "); spawns start cold");
                return;
            }
            synchronized (this)
            {
                if (closed || !target.equals(configuration) || spares.size() >= capacity)
                {
                    spare.destroyForcibly();
                }
                else
                {
                    spares.addLast(spare);
                }
            }
            // Registered for every spare, kept or not: its exit also removes what its rehearsal may have left.
            spare.onExit().thenAccept(this::spareExited);
        }
    }

    private static Process startSpare(final Configuration configuration) throws IOException
    {
        final List<String> argv = new ArrayList<>(configuration.prefix());
        argv.add(SpareJvm.class.getName());
        final ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(configuration.environment());
        builder.directory(configuration.directory());
        return builder.start();
    }

    private synchronized void spareExited(final Process process)
    {
        ShmCleaner.removeJobFiles(SpareJvm.rehearsalJobId(process.pid()));
        if (spares.remove(process) && !closed)
        {
            // Died unused: not a rank, nothing to report but a JDK that cannot run spares.
            if (process.exitValue() == SpareJvm.UNUSABLE_STATUS || ++earlyDeaths >= MAX_EARLY_DEATHS)
            {
                earlyDeaths = MAX_EARLY_DEATHS;
                dropAll();
            }
        }
    }

    private void dropAll()
    {
        for (final Process spare : spares)
        {
            spare.destroyForcibly();
        }
        spares.clear();
    }
}
