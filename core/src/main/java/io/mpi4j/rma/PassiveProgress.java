package io.mpi4j.rma;

import io.mpi4j.p2p.PointToPoint;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The passive-target progress thread: while at least one window exists, a daemon thread turns the progress engine
 * so that lock, put, get and accumulate requests are served while the target computes outside MPI. When the target
 * is inside an MPI call its own thread serves them, and this one stands back: it turns the engine only when nobody
 * has turned it since its last look ({@link PointToPoint#engineTurns}), so it never contends for the engine's lock
 * or steals the messages a waiting call polls for (measured in an emulated 2-vCPU VM, a progress thread that turned
 * the engine beside a busy-polling origin made small RDMA puts and gets 1.5-2.5x slower). After a look that found
 * nothing to do it backs off up to {@link #MAX_PARK_NANOS}, which bounds the latency it adds to a target that
 * computes and the CPU it takes on oversubscribed nodes.
 * {@code MPI4J_RMA_PROGRESS=off} leaves passive-target progress to the target's own MPI calls.
 */
public final class PassiveProgress
{
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static int users;
    private static Thread thread;
    private static volatile boolean running;

    private PassiveProgress()
    {
    }

    /** A window was created: start the thread if it is the first. Called by the program's thread, between calls. */
    static synchronized void acquire(final PointToPoint p2p)
    {
        if (users++ > 0 || "off".equals(System.getenv("MPI4J_RMA_PROGRESS")))
        {
            return;
        }
        p2p.shareWithProgressThread();
        running = true;
        final Thread t = new Thread(() -> run(p2p), "mpi4j-rma-progress");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** A window was freed: stop the thread after the last one. */
    static synchronized void release()
    {
        if (users > 0 && --users == 0)
        {
            stopThread();
        }
    }

    /** MPI_Finalize: windows never freed must not keep the engine turning while the transports close. */
    public static synchronized void shutdown()
    {
        users = 0;
        stopThread();
    }

    private static void stopThread()
    {
        final Thread t = thread;
        thread = null;
        running = false;
        if (null != t)
        {
            LockSupport.unpark(t);
            try
            {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run(final PointToPoint p2p)
    {
        long park = MIN_PARK_NANOS;
        long seen = p2p.engineTurns() - 1;
        while (running)
        {
            int work = 0;
            if (p2p.engineTurns() == seen)
            {
                try
                {
                    work = p2p.completion().progress();
                }
                catch (final RuntimeException ex)
                {
                    // a failed peer is reported to the calls that use it; this thread only keeps requests moving
                    work = 0;
                }
            }
            seen = p2p.engineTurns();
            if (work > 0)
            {
                park = MIN_PARK_NANOS;
                continue;
            }
            LockSupport.parkNanos(park);
            park = Math.min(MAX_PARK_NANOS, park << 1);
        }
    }
}
