package io.mpi4j.p2p;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    /** MPI_THREAD_MULTIPLE, or a progress thread shares the engine: calls lock for good. */
    private volatile boolean lockingForGood;
    private final ReentrantLock lock = new ReentrantLock();
    private final IdleStrategy idle;
    private final ThreadLocal<IdleStrategy> threadIdle;
    /**
     * Turns of the engine since calls began to lock, by any thread: written under the lock with an opaque store, a
     * plain move on x86, and read without the lock by a progress thread that wants to know whether the program's
     * thread is turning the engine itself. Not counted before (no reader yet), so a job without one pays nothing.
     */
    @SuppressWarnings("unused")
    private long turns;

    private static final VarHandle TURNS;

    static
    {
        try
        {
            TURNS = MethodHandles.lookup().findVarHandle(ProgressDriver.class, "turns", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    ProgressDriver(final ProgressEngine engine, final boolean threaded)
    {
        this.engine = engine;
        this.threaded = threaded;
        this.lockingForGood = threaded;
        this.idle = engine.newIdleStrategy();
        this.threadIdle = ThreadLocal.withInitial(engine::newIdleStrategy);
    }

    /**
     * Makes every later call lock, for a progress thread started below MPI_THREAD_MULTIPLE. Called by the program's
     * thread outside any call of this layer, so no call is between its lock and its unlock; never undone.
     */
    void shareWithProgressThread()
    {
        lockingForGood = true;
        threaded = true;
    }

    /**
     * For MPI_Init's rehearsal: calls lock ({@code on}) or not, as they would beside a progress thread, so that the
     * compiled calls have taken both branches; the program's first window, which starts that thread, then throws no
     * compiled call away. Called by the program's thread between calls, with no other thread turning the engine;
     * nothing changes where calls lock for good.
     */
    void rehearseLocking(final boolean on)
    {
        if (!lockingForGood)
        {
            threaded = on;
        }
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
        if (threaded)
        {
            // Only a progress thread reads the count, and it exists only once calls lock.
            TURNS.setOpaque(this, (long)TURNS.getOpaque(this) + 1);
        }
        return engine.progress();
    }

    /** How many turns the engine has had, by any thread; read without the lock. */
    long turns()
    {
        return (long)TURNS.getOpaque(this);
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
