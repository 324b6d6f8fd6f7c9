package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.JobEnvironment;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The processes of one job: starts its ranks, watches them, and on the first failure kills the rest.
 * <p>
 * A rank fails when it exits non-zero, dies of a signal, calls MPI_Abort, or exits 0 after joining the key-value
 * exchange without reaching MPI_Finalize. Exits are seen through {@link Process#onExit()}, so the rest of the job
 * is killed as soon as the operating system reports the exit, not at the next poll.
 * <p>
 * With {@link #recovery recovery} ({@code --enable-recovery}), a rank that dies once every rank joined is not the
 * end of the job: the others are told (through the key-value service) and go on; the job's exit status is still the
 * first dead rank's, unless a later failure ends the job. MPI_Abort, a timeout, a stopped rank past
 * {@code --peer-timeout} and a death before every rank joined end the job as without it.
 * <p>
 * The summary names the first rank that failed. A rank often aborts because a peer died (it cannot reach it), and
 * its MPI_Abort may reach the launcher before the peer's exit does; so an abort is held for
 * {@link #ABORT_GRACE_MS}, and a rank that exits or dies meanwhile (not through MPI_Abort) is blamed instead, with
 * its own status.
 */
final class Job implements JobListener
{
    private static final long FORWARDER_DRAIN_MS = 2_000;
    /** How long an MPI_Abort waits for the exit of a peer that may have caused it, before it is the failure. */
    static final long ABORT_GRACE_MS = 400;
    private static final File DEV_NULL = new File("/dev/null");
    private static final int JOINED = 1;
    private static final int FINALIZED = 2;
    private static final int ABORTED = 4;

    private final JobSpec spec;
    private final String kvsAddress;
    private final OutputSink out;
    private final OutputSink err;
    private final RankProcess[] ranks;
    /** Per rank, what it told the key-value service; indexed by rank so a HELLO never races the start. */
    private final AtomicIntegerArray reported;
    private final List<CompletableFuture<?>> exits = new CopyOnWriteArrayList<>();
    private JobOutcome failure;
    /** Recovery: the first rank death the job survived; the outcome unless a failure ended the job. */
    private JobOutcome survivedFailure;
    /** Recovery: who is told that a rank died (the key-value service), or null when a death ends the job. */
    private volatile java.util.function.IntConsumer recovery;
    /** The first MPI_Abort, while its grace runs: the job's failure if every rank is gone before the grace ends. */
    private JobOutcome pendingAbort;
    private final AtomicBoolean summaryClaimed = new AtomicBoolean();
    private volatile boolean done;
    /** Spawned jobs: how each rank starts (argv, environment, directory, APPNUM); null for a uniform job. */
    private final List<RankLaunch> launches;
    /** 1 for the job mpi4jrun started, 2, 3... for spawned ones: the first number of output tags. */
    private final int jobNumber;
    /** Completes true once every rank joined the key-value exchange, false when a rank failed first. */
    private final CompletableFuture<Boolean> joined = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicInteger joinedCount = new java.util.concurrent.atomic.AtomicInteger();
    /** Ranks that run on other hosts, through their agents; null when every rank runs here. */
    private final RankPlacement placement;
    /** Per rank, its place among the job's ranks on its host, and how many there are. */
    private final int[] localRanks;
    private final int[] localSizes;

    /** Starts a rank's process from its prepared builder (a spare JVM may stand in: {@link SpareJvmPool}). */
    @FunctionalInterface
    interface RankStarter
    {
        Process start(ProcessBuilder builder) throws IOException;
    }

    private volatile RankStarter rankStarter = ProcessBuilder::start;

    /** How one rank of a spawned job starts. */
    record RankLaunch(List<String> argv, Map<String, String> env, File directory, int appnum)
    {
    }

    Job(final JobSpec spec, final String kvsAddress, final OutputSink out, final OutputSink err)
    {
        this(spec, kvsAddress, out, err, null, 1);
    }

    Job(final JobSpec spec, final String kvsAddress, final OutputSink out, final OutputSink err,
        final List<RankLaunch> launches, final int jobNumber)
    {
        this(spec, kvsAddress, out, err, launches, jobNumber, null);
    }

    /** A job whose ranks may run on other hosts ({@code placement}, null: all here). */
    Job(final JobSpec spec, final String kvsAddress, final OutputSink out, final OutputSink err,
        final List<RankLaunch> launches, final int jobNumber, final RankPlacement placement)
    {
        this.placement = placement;
        this.spec = spec;
        this.kvsAddress = kvsAddress;
        this.out = out;
        this.err = err;
        this.ranks = new RankProcess[spec.size()];
        this.reported = new AtomicIntegerArray(spec.size());
        this.launches = launches;
        this.jobNumber = jobNumber;
        this.localRanks = new int[spec.size()];
        this.localSizes = new int[spec.size()];
        placeOnHosts();
    }

    /** {@link #localRanks} and {@link #localSizes}: the ranks of one host are those its placement names alike. */
    private void placeOnHosts()
    {
        final Map<String, Integer> counts = new HashMap<>();
        for (int rank = 0; rank < localRanks.length; rank++)
        {
            localRanks[rank] = counts.merge(hostOf(rank), 1, Integer::sum) - 1;
        }
        for (int rank = 0; rank < localSizes.length; rank++)
        {
            localSizes[rank] = counts.get(hostOf(rank));
        }
    }

    /** The host of {@code rank} as the placement names it, "" for this machine. */
    private String hostOf(final int rank)
    {
        final String host = placement == null ? null : placement.remoteHost(rank);
        return host == null ? "" : host;
    }

    /** Start ranks with {@code starter} instead of {@code ProcessBuilder.start()}; call before {@link #start()}. */
    void rankStarter(final RankStarter starter)
    {
        this.rankStarter = starter;
    }

    /**
     * {@code --enable-recovery}: once every rank joined, a rank's death is reported to {@code onRankDeath} and the
     * job goes on. Call before {@link #start()}.
     */
    void recovery(final java.util.function.IntConsumer onRankDeath)
    {
        this.recovery = onRankDeath;
    }

    /** True once every rank joined, false as soon as one failed before (spawned jobs: the spawn's outcome). */
    CompletableFuture<Boolean> joined()
    {
        return joined;
    }

    /**
     * Ranks that still occupy the universe: alive and not past MPI_Finalize (a finalized process is no MPI process
     * any more; counting it until its JVM is gone would make spawn-disconnect loops fail for a few milliseconds).
     */
    int liveCount()
    {
        int live = 0;
        for (final RankProcess rank : ranks)
        {
            if (rank != null && rank.process.isAlive() && (reported.get(rank.rank) & FINALIZED) == 0)
            {
                live++;
            }
        }
        return live;
    }

    String jobId()
    {
        return spec.jobId();
    }

    boolean isDone()
    {
        return done;
    }

    /** Start every rank; if one cannot be started, the ones already running are killed and the error thrown. */
    void start() throws IOException
    {
        for (int rank = 0; rank < spec.size(); rank++)
        {
            final RankProcess started;
            synchronized (this)
            {
                if (failure != null)
                {
                    break;
                }
                try
                {
                    started = startRank(rank);
                }
                catch (final IOException ex)
                {
                    fail(rank, 1, "could not start rank " + rank + " (" + String.join(" ", spec.argv()) + "): " +
                        ErrorText.of(ex), false);
                    throw ex;
                }
                ranks[rank] = started;
            }
            exits.add(started.onExit().whenComplete((process, ex) -> rankExited(started)));
        }
    }

    private RankProcess startRank(final int rank) throws IOException
    {
        final RankLaunch launch = launches == null ? null : launches.get(rank);
        final String remoteHost = placement == null ? null : placement.remoteHost(rank);
        if (remoteHost != null)
        {
            return startRemoteRank(rank, launch, remoteHost);
        }
        final Process process = rankStarter.start(localRankBuilder(rank));
        final String tagOut = spec.tagOutput() ? OutputForwarder.tag(jobNumber, rank, false) : null;
        final String tagErr = spec.tagOutput() ? OutputForwarder.tag(jobNumber, rank, true) : null;
        final OutputForwarder stdout = new OutputForwarder(process.getInputStream(), out, tagOut,
            "mpi4jrun-" + spec.jobId() + "-" + rank + "-out");
        final OutputForwarder stderr = new OutputForwarder(process.getErrorStream(), err, tagErr,
            "mpi4jrun-" + spec.jobId() + "-" + rank + "-err");
        stdout.start();
        stderr.start();
        return new RankProcess(rank, process, stdout, stderr);
    }

    /** {@code MPI4J_APP_SIZES}: how many of the job's ranks (consecutive, in order) each application has. */
    private String appSizes()
    {
        if (launches == null || launches.isEmpty())
        {
            return Integer.toString(spec.size());
        }
        final StringBuilder sizes = new StringBuilder();
        int rank = 0;
        while (rank < launches.size())
        {
            final int appnum = launches.get(rank).appnum();
            int count = 0;
            while (rank + count < launches.size() && launches.get(rank + count).appnum() == appnum)
            {
                count++;
            }
            sizes.append(sizes.length() == 0 ? "" : ",").append(count);
            rank += count;
        }
        return sizes.toString();
    }

    /**
     * {@code MPI4J_LOCAL_RANK} and {@code MPI4J_LOCAL_SIZE}: {@code rank}'s place among the job's ranks on its host,
     * and how many there are.
     */
    private void putLocalPlace(final Map<String, String> env, final int rank)
    {
        env.put(JobEnvironment.LOCAL_RANK, Integer.toString(localRanks[rank]));
        env.put(JobEnvironment.LOCAL_SIZE, Integer.toString(localSizes[rank]));
    }

    /** How rank {@code rank} starts on this machine: argv, environment, directory and standard input. */
    ProcessBuilder localRankBuilder(final int rank)
    {
        final RankLaunch launch = launches == null ? null : launches.get(rank);
        final ProcessBuilder builder = new ProcessBuilder(launch == null ? spec.argv() : launch.argv());
        final Map<String, String> env = builder.environment();
        env.putAll(spec.env());
        if (launch != null)
        {
            env.putAll(launch.env());
            if (launch.directory() != null)
            {
                builder.directory(launch.directory());
            }
        }
        env.put(JobEnvironment.JOB_ID, spec.jobId());
        env.put(JobEnvironment.RANK, Integer.toString(rank));
        env.put(JobEnvironment.SIZE, Integer.toString(spec.size()));
        env.put(JobEnvironment.KVS, kvsAddress);
        env.put(JobEnvironment.SECRET, spec.secret());
        env.put(JobEnvironment.UNIVERSE_SIZE, Integer.toString(spec.universeSize()));
        env.put(JobEnvironment.APPNUM, Integer.toString(launch == null ? spec.appnum() : launch.appnum()));
        env.put(JobEnvironment.APP_SIZES, appSizes());
        putLocalPlace(env, rank);
        // Open MPI forwards the launcher's stdin to rank 0 only; inheriting it is the same without a copy thread.
        builder.redirectInput(rank == 0 && launches == null ?
            ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(DEV_NULL));
        return builder;
    }

    /**
     * Start {@code rank} through the agent of {@code host}: the launcher's own environment stays here (as with
     * Open MPI, only {@code -x} variables travel), the directory is the launcher's unless the launch names one.
     */
    private RankProcess startRemoteRank(final int rank, final RankLaunch launch, final String host) throws IOException
    {
        final Map<String, String> env = new java.util.LinkedHashMap<>(spec.env());
        String wdir = System.getProperty("user.dir", "");
        if (launch != null)
        {
            env.putAll(launch.env());
            if (launch.directory() != null)
            {
                wdir = launch.directory().getAbsolutePath();
            }
        }
        env.put(JobEnvironment.JOB_ID, spec.jobId());
        env.put(JobEnvironment.RANK, Integer.toString(rank));
        env.put(JobEnvironment.SIZE, Integer.toString(spec.size()));
        env.put(JobEnvironment.KVS, placement.agents().kvsAddress(host));
        env.put(JobEnvironment.SECRET, spec.secret());
        env.put(JobEnvironment.UNIVERSE_SIZE, Integer.toString(spec.universeSize()));
        env.put(JobEnvironment.APPNUM, Integer.toString(launch == null ? spec.appnum() : launch.appnum()));
        env.put(JobEnvironment.APP_SIZES, appSizes());
        putLocalPlace(env, rank);
        final String tagOut = spec.tagOutput() ? OutputForwarder.tag(jobNumber, rank, false) : null;
        final String tagErr = spec.tagOutput() ? OutputForwarder.tag(jobNumber, rank, true) : null;
        final RemoteProcess process = placement.agents().agent(host).launch(spec.jobId(),
            launch == null ? spec.argv() : launch.argv(), env, wdir, tagOut, tagErr);
        // The agent forwards the output; these forwarders see empty streams and end at once.
        final OutputForwarder stdout = new OutputForwarder(process.getInputStream(), out, null,
            "mpi4jrun-" + spec.jobId() + "-" + rank + "-out");
        final OutputForwarder stderr = new OutputForwarder(process.getErrorStream(), err, null,
            "mpi4jrun-" + spec.jobId() + "-" + rank + "-err");
        stdout.start();
        stderr.start();
        return new RankProcess(rank, process, stdout, stderr);
    }

    /** "pid 123", or "pid 123 on node1" for a rank on another host, for messages. */
    private static String where(final RankProcess rank)
    {
        return rank.process instanceof RemoteProcess remote ? "pid " + remote.pid() + " on " + remote.host() :
            "pid " + rank.pid();
    }

    /**
     * Wait for every rank to exit and their output to be forwarded. After {@code timeoutNanos} (0: no limit) the
     * job is killed as timed out.
     */
    JobOutcome awaitCompletion(final long timeoutNanos) throws InterruptedException
    {
        final CompletableFuture<Void> all = CompletableFuture.allOf(exits.toArray(new CompletableFuture<?>[0]));
        try
        {
            if (timeoutNanos > 0)
            {
                try
                {
                    all.get(timeoutNanos, TimeUnit.NANOSECONDS);
                }
                catch (final TimeoutException ex)
                {
                    fail(-1, JobOutcome.TIMEOUT_STATUS, "job " + spec.jobId() + " timed out after " +
                        formatSeconds(timeoutNanos), true);
                }
            }
            all.get();
        }
        catch (final ExecutionException ex)
        {
            // The futures complete normally (whenComplete), so this cannot happen; treat as done.
        }
        for (final RankProcess rank : ranks)
        {
            if (rank != null)
            {
                rank.waitForForwarders(FORWARDER_DRAIN_MS);
            }
        }
        if (placement != null && placement.anyRemote() && !done)
        {
            placement.agents().jobEnded(spec.jobId());
        }
        synchronized (this)
        {
            done = true;
            if (failure == null && pendingAbort != null)
            {
                // every rank is gone, so nobody else is to blame: ranks that all abort at once fail the job
                failure = pendingAbort;
            }
            return failure != null ? failure : survivedFailure != null ? survivedFailure : JobOutcome.SUCCESS;
        }
    }

    /**
     * {@code --peer-timeout}: fail the job, naming the rank, once a rank has stayed stopped (SIGSTOP, a debugger:
     * state T in /proc, read here or by the rank's node agent) for {@code timeoutNanos}; a stopped rank otherwise hangs its peers until
     * {@code --timeout}. Checked by a daemon thread until the job is done.
     */
    void watchStopped(final long timeoutNanos)
    {
        final Thread watch = new Thread(() -> watchStoppedLoop(timeoutNanos), "mpi4jrun-peer-watch-" + spec.jobId());
        watch.setDaemon(true);
        watch.start();
    }

    private void watchStoppedLoop(final long timeoutNanos)
    {
        final long[] stoppedSince = new long[ranks.length];
        final long period = Math.max(50, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
        try
        {
            while (!done)
            {
                Thread.sleep(period);
                final long now = System.nanoTime();
                for (int r = 0; r < ranks.length; r++)
                {
                    final RankProcess rank = ranks[r];
                    if (rank == null || !rank.process.isAlive() || !isStopped(rank))
                    {
                        stoppedSince[r] = 0;
                        continue;
                    }
                    if (stoppedSince[r] == 0)
                    {
                        stoppedSince[r] = now;
                    }
                    else if (now - stoppedSince[r] >= timeoutNanos)
                    {
                        fail(r, JobOutcome.TIMEOUT_STATUS, "rank " + r + " (" + where(rank) + ") has been stopped " +
                            "for " + formatSeconds(now - stoppedSince[r]) + ", over --peer-timeout " +
                            formatSeconds(timeoutNanos), false);
                        return;
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A local rank by its state in /proc; a rank on another host as its agent last reported it. */
    private static boolean isStopped(final RankProcess rank)
    {
        return rank.process instanceof RemoteProcess remote ? remote.isStopped() :
            ProcessState.isStopped(ProcessState.of(rank.pid()));
    }

    /** Kill every rank (launcher interrupted) and wait up to {@code millis} for them to be gone. */
    void killAll(final String why, final long millis) throws InterruptedException
    {
        killAll(why, 1, millis);
    }

    /** As {@link #killAll(String, long)}, the job failing with {@code status} (a spawned job's failure, say). */
    void killAll(final String why, final int status, final long millis) throws InterruptedException
    {
        fail(-1, status, why, true);
        try
        {
            CompletableFuture.allOf(exits.toArray(new CompletableFuture<?>[0])).get(millis, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // Killed with SIGKILL: they are going; the caller has no more time to wait.
        }
    }

    /**
     * The failure summary to print, the first time it is asked for (the main thread and the shutdown hook may both
     * ask), else null.
     */
    String claimSummary()
    {
        final String summary;
        synchronized (this)
        {
            summary = failure != null ? failure.summary() : survivedFailure != null ? survivedFailure.summary() : null;
        }
        return summary != null && summaryClaimed.compareAndSet(false, true) ? summary : null;
    }

    @Override
    public void onHello(final int rank)
    {
        report(rank, JOINED);
        if (joinedCount.incrementAndGet() == spec.size())
        {
            joined.complete(true);
        }
    }

    @Override
    public void onAbort(final int rank, final int errorCode, final String message)
    {
        report(rank, ABORTED);
        final String what = "rank " + rank + " called MPI_Abort with error code " + errorCode +
            (message == null || message.isEmpty() ? "" : ": " + message);
        if (spec.size() == 1)
        {
            fail(rank, errorCode, what, false);
            return;
        }
        synchronized (this)
        {
            if (pendingAbort == null)
            {
                pendingAbort = new JobOutcome(errorCode, "mpi4jrun: " + what);
            }
        }
        // A peer's exit that caused this abort, if it is reported within the grace, is the failure (fail: first wins).
        CompletableFuture.delayedExecutor(ABORT_GRACE_MS, TimeUnit.MILLISECONDS)
            .execute(() -> fail(rank, errorCode, what, false));
    }

    @Override
    public void onFinalized(final int rank)
    {
        report(rank, FINALIZED);
    }

    private void report(final int rank, final int flag)
    {
        if (rank >= 0 && rank < reported.length())
        {
            reported.getAndUpdate(rank, bits -> bits | flag);
        }
    }

    private void rankExited(final RankProcess rank)
    {
        final int status = rank.process.exitValue();
        final int bits = reported.get(rank.rank);
        if ((bits & JOINED) == 0)
        {
            // A spawned process that ends before MPI_Init: the spawn failed, whatever its exit status.
            joined.complete(false);
        }
        if ((bits & ABORTED) != 0)
        {
            return;
        }
        if (rank.process instanceof RemoteProcess remote && remote.failure() != null)
        {
            // A lost host names itself; a process that could not start is named by its rank.
            fail(rank.rank, status, status == RemoteProcess.HOST_LOST_STATUS ? remote.failure() :
                "rank " + rank.rank + " " + remote.failure(), false);
            return;
        }
        final int signal = SignalNames.signalOf(status);
        if (signal != 0)
        {
            rankDied(rank.rank, status, "rank " + rank.rank + " (" + where(rank) + ") was killed by signal " +
                signal + " (" + SignalNames.name(signal) + ")");
        }
        else if (status != 0)
        {
            rankDied(rank.rank, status, "rank " + rank.rank + " (" + where(rank) + ") exited with status " + status);
        }
        else if ((bits & JOINED) != 0 && (bits & FINALIZED) == 0)
        {
            rankDied(rank.rank, JobOutcome.NOT_FINALIZED_STATUS, "rank " + rank.rank + " (" + where(rank) +
                ") exited without calling MPI_Finalize");
        }
    }

    /** A rank died: the job fails, or with recovery (every rank joined) the others are told and go on. */
    private void rankDied(final int rank, final int status, final String what)
    {
        final java.util.function.IntConsumer onRankDeath = recovery;
        if (onRankDeath == null || !Boolean.TRUE.equals(joined.getNow(false)))
        {
            fail(rank, status, what, false);
            return;
        }
        final String summary = "mpi4jrun: " + what + "; the other ranks went on (--enable-recovery)";
        synchronized (this)
        {
            if (failure != null || done)
            {
                return;
            }
            if (survivedFailure == null)
            {
                survivedFailure = new JobOutcome(status, summary);
            }
        }
        final byte[] line = ("mpi4jrun: " + what + "; telling the other ranks (--enable-recovery)" +
            System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        err.write(line, line.length);
        onRankDeath.accept(rank);
    }

    /**
     * Record the job's first failure and kill every rank still running. Later failures (mostly the ranks this
     * killed) are not reported. Returns the summary line, or null when the job had already failed.
     */
    private String fail(final int failedRank, final int status, final String what, final boolean killedAll)
    {
        final RankProcess[] snapshot;
        synchronized (this)
        {
            if (failure != null || done)
            {
                return null;
            }
            snapshot = ranks.clone();
            joined.complete(false);
            // Placeholder so concurrent failures stop here while this thread kills outside the lock.
            failure = new JobOutcome(status, "mpi4jrun: " + what);
        }
        int killed = 0;
        for (final RankProcess rank : snapshot)
        {
            if (rank != null && rank.kill() && rank.rank != failedRank)
            {
                killed++;
            }
        }
        final String summary = "mpi4jrun: " + what + (killed == 0 ? "" :
            (killedAll ? "; killed " : "; killed the other ") + killed + (killed == 1 ? " rank" : " ranks"));
        synchronized (this)
        {
            failure = new JobOutcome(status, summary);
        }
        return summary;
    }

    private static String formatSeconds(final long nanos)
    {
        final double seconds = nanos / 1e9;
        return (seconds == Math.rint(seconds) ? Long.toString((long)seconds) : Double.toString(seconds)) + " s";
    }
}
