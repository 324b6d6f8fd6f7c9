package io.mpi4j.launcher;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every job the launcher started (the initial one, and later the spawned ones): registers each with the key-value
 * service, starts it, and cleans up after it. On SIGINT/SIGTERM ({@link #installShutdownHook()}) it kills all of
 * them and removes their shared-memory files.
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
        final Job job = new Job(spec, server.address(), out, err);
        jobs.add(job);
        server.registerJob(spec.jobId(), spec.size(), spec.secret(), job);
        JobOutcome outcome;
        try
        {
            try
            {
                job.start();
            }
            catch (final IOException ex)
            {
                // Already recorded as the job's failure; the ranks started so far are being killed.
            }
            outcome = job.awaitCompletion(timeoutNanos);
        }
        finally
        {
            server.unregisterJob(spec.jobId());
            ShmCleaner.removeJobFiles(spec.jobId());
            jobs.remove(job);
        }
        final String summary = job.claimSummary();
        if (summary != null)
        {
            printErr(summary);
        }
        return outcome;
    }

    /** Kill every job still running, remove their files; for the shutdown hook. */
    public void killAll()
    {
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
