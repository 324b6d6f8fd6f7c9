package io.mpi4j.progress;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting when this process has a core to itself, in three phases of one wait measured by the clock, not by a
 * count of polls (a poll costs nanoseconds in compiled code and microseconds in the interpreter, and the peer's
 * reply comes after a time, not after a number of our polls):
 * <ol>
 *   <li>poll back to back (no spin-wait hint, whose pause instruction alone costs tens of nanoseconds before a
 *       message that just landed is seen) for {@link #pollNanos}: what a peer takes to answer within one message
 *       exchange on a core of its own;</li>
 *   <li>yield until {@link #yieldNanos}: each idle turn still polls, a microsecond apart, but a runnable thread of
 *       this core (the peer itself on a loaded machine, a JIT compiler thread) gets it first. Long enough that a
 *       reply within an exchange (a large copy, a peer descheduled for a slice) never waits for a parked thread
 *       to wake, which costs 50 microseconds at least;</li>
 *   <li>then park, from {@link #minParkNanos} doubling to {@link #maxParkNanos}: a rank blocked for long (seconds
 *       in a barrier behind a slow rank) hands its core over.</li>
 * </ol>
 * The clock is read once every {@link #POLLS_PER_CLOCK_READ} idle polls, so a short wait never reads it.
 */
final class PollYieldParkIdleStrategy implements IdleStrategy
{
    /** Idle polls between two clock reads: a read costs about as much as a dozen polls of empty rings. */
    static final int POLLS_PER_CLOCK_READ = 64;

    private static final int POLLING = 0;
    private static final int YIELDING = 1;
    private static final int PARKING = 2;

    private final long pollNanos;
    private final long yieldNanos;
    private final long minParkNanos;
    private final long maxParkNanos;

    private int phase = POLLING;
    private int polls;
    private boolean timing;
    private long idleSince;
    private long parkNanos;

    /**
     * @param pollNanos    how long a wait polls back to back
     * @param yieldNanos   how long from the start of a wait it yields between polls (at least {@code pollNanos})
     * @param minParkNanos first park
     * @param maxParkNanos longest park
     */
    PollYieldParkIdleStrategy(final long pollNanos, final long yieldNanos, final long minParkNanos,
        final long maxParkNanos)
    {
        if (pollNanos < 0 || yieldNanos < pollNanos || minParkNanos <= 0 || maxParkNanos < minParkNanos)
        {
            throw new IllegalArgumentException("poll " + pollNanos + " <= yield " + yieldNanos + ", 0 < park " +
                minParkNanos + " <= " + maxParkNanos + " ns expected");
        }
        this.pollNanos = pollNanos;
        this.yieldNanos = yieldNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /**
     * The default: poll 1 ms (a small message's reply, a rendezvous hand-shake, a window's acknowledgement; on a
     * machine loaded by other processes, polling keeps the core through the peer's reply where a yield would give
     * it away for a whole slice), yield until 20 ms (a large copy, a peer descheduled for a slice or two: the yield lets it have this core
     * meanwhile when it shares it), then park 50 us doubling to 1 ms.
     */
    static PollYieldParkIdleStrategy standard()
    {
        return new PollYieldParkIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(20),
            TimeUnit.MICROSECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
            return;
        }
        switch (phase)
        {
            case POLLING:
                if (++polls >= POLLS_PER_CLOCK_READ)
                {
                    polls = 0;
                    checkClock();
                }
                break;
            case YIELDING:
                Thread.yield();
                checkClock();
                break;
            default:
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos << 1, maxParkNanos);
                break;
        }
    }

    /** Moves to the next phase once its time has come; the first read starts the wait's clock. */
    private void checkClock()
    {
        final long now = System.nanoTime();
        if (!timing)
        {
            timing = true;
            idleSince = now;
            return;
        }
        final long waited = now - idleSince;
        if (waited >= yieldNanos)
        {
            phase = PARKING;
        }
        else if (waited >= pollNanos)
        {
            phase = YIELDING;
        }
    }

    @Override
    public void idle()
    {
        idle(0);
    }

    @Override
    public void reset()
    {
        phase = POLLING;
        polls = 0;
        timing = false;
        parkNanos = minParkNanos;
    }

    /** The phase the next idle turn is in: 0 polling, 1 yielding, 2 parking (tests). */
    int phase()
    {
        return phase;
    }

    @Override
    public String alias()
    {
        return "poll-yield-park";
    }
}
