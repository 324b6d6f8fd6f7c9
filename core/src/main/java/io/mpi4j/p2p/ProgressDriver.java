package io.mpi4j.p2p;

import io.mpi4j.progress.ProgressEngine;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.ReentrantLock;

/**
 * How a point-to-point call turns the progress engine and waits. With {@code MPI_THREAD_MULTIPLE} every call holds
 * one lock while it touches the protocol and lets go of it between idle turns, so other threads progress too; below
 * that level there is no lock and one idle strategy serves every wait, until a progress thread of the runtime's
 * own (passive-target one-sided communication) needs to share the engine: from then on every call locks.
 */
final class ProgressDriver
{
    private final ProgressEngine engine;
    private volatile boolean threaded;
    private final ReentrantLock lock = new ReentrantLock();
    private final IdleStrategy idle;
    private final ThreadLocal<IdleStrategy> threadIdle;

    ProgressDriver(final ProgressEngine engine, final boolean threaded)
    {
        this.engine = engine;
        this.threaded = threaded;
        this.idle = engine.newIdleStrategy();
        this.threadIdle = ThreadLocal.withInitial(engine::newIdleStrategy);
    }

    /**
     * Makes every later call lock, for a progress thread started below MPI_THREAD_MULTIPLE. Called by the program's
     * thread outside any call of this layer, so no call is between its lock and its unlock; never undone.
     */
    void shareWithProgressThread()
    {
        threaded = true;
    }

    /** True when calls lock (another thread may be waiting for the lock between turns). */
    boolean locking()
    {
        return threaded;
    }

    void lock()
    {
        if (threaded)
        {
            lock.lock();
        }
    }

    void unlock()
    {
        if (threaded)
        {
            lock.unlock();
        }
    }

    /** One progress turn, under the lock; the amount of work done. */
    int turn()
    {
        return engine.progress();
    }

    /** The calling thread's idle strategy. */
    IdleStrategy idle()
    {
        return threaded ? threadIdle.get() : idle;
    }

    /** Turns the engine under the lock until {@code op} completes. */
    void awaitLocked(final Operation op)
    {
        if (op.complete)
        {
            return;
        }
        final IdleStrategy idle = idle();
        idle.reset();
        while (!op.complete)
        {
            idleLocked(idle, turn());
        }
    }

    /** Idles after a turn that did {@code work}; an idle turn gives the lock to other threads meanwhile. */
    void idleLocked(final IdleStrategy idle, final int work)
    {
        if (threaded && work == 0)
        {
            lock.unlock();
            try
            {
                idle.idle(0);
            }
            finally
            {
                lock.lock();
            }
        }
        else
        {
            idle.idle(work);
        }
    }

    /** Runs {@code action} under the lock. */
    void withLock(final Runnable action)
    {
        lock();
        try
        {
            action.run();
        }
        finally
        {
            unlock();
        }
    }
}
