package io.mpi4j.progress;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a wait idles, in three phases of one wait measured by the clock, not by a count of polls (a poll costs
 * nanoseconds in compiled code and microseconds in the interpreter, and the peer's reply comes after a time, not
 * after a number of our polls):
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
 * The clock is read once every {@link #POLLS_PER_CLOCK_READ} idle polls, so a short wait never reads it. With no
 * polling phase ({@code pollNanos} 0: more ranks than cores, where the peer waited for may need this very core) a
 * wait yields from its first idle turn, as Open MPI's {@code mpi_yield_when_idle}: a runnable peer of this core gets
 * it within a microsecond, where a parked thread would wake 50 microseconds or more later.
 */
final class PollYieldParkIdleStrategy implements IdleStrategy
{
    /** Idle polls between two clock reads: a read costs about as much as a dozen polls of empty rings. */
    static final int POLLS_PER_CLOCK_READ = 64;

    /**
     * Longer than this between two clock reads of one wait, and the thread was off its core meanwhile: another
     * runnable thread wanted it (64 polls take microseconds, even interpreted).
     */
    static final long PREEMPTED_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    /** How long after losing its core a wait polls for a shorter time. */
    static final long CONTENDED_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * The polling phase meanwhile: longer than the waits within a collective or a window of messages, whose yields
     * would hand the core to a compiler thread for a slice; far shorter than a time slice, which is what a peer
     * sharing this core would wait otherwise.
     */
    static final long CONTENDED_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private static final int POLLING = 0;
    private static final int YIELDING = 1;
    private static final int PARKING = 2;

    private final long pollNanos;
    private final long contendedPollCut;
    private final long yieldNanos;
    private final long minParkNanos;
    private final long maxParkNanos;

    private final int firstPhase;
    private int phase;
    private int polls;
    private boolean timing;
    private long idleSince;
    private long lastClockRead;
    private long contendedUntil;
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
        this.contendedPollCut = pollNanos - Math.min(pollNanos, CONTENDED_POLL_NANOS);
        this.yieldNanos = yieldNanos;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
        this.firstPhase = pollNanos == 0 ? YIELDING : POLLING;
        this.phase = firstPhase;
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
                Thread.onSpinWait();
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

    /**
     * Moves to the next phase once its time has come; the first read starts the wait's clock.
     * <p>
     * A thread that lost its core while polling shares it with another runnable thread: the peer rank it waits for,
     * put on this core while compiler or other threads hold the other cores, is the one that matters. Polling on
     * then costs the peer a whole time slice per message (1 ms each way was measured), so for
     * {@link #CONTENDED_NANOS} every wait polls only {@link #CONTENDED_POLL_NANOS} before it yields. The arithmetic
     * has no branch: a branch that the JIT never saw taken would make it throw away every compiled wait the first
     * time a core is contended.
     */
    private void checkClock()
    {
        final long now = System.nanoTime();
        if (!timing)
        {
            timing = true;
            idleSince = now;
            lastClockRead = now;
            return;
        }
        final long preempted = (PREEMPTED_GAP_NANOS - (now - lastClockRead)) >>> 63;
        contendedUntil += preempted * (now + CONTENDED_NANOS - contendedUntil);
        lastClockRead = now;
        final long contended = (now - contendedUntil) >>> 63;
        final long waited = now - idleSince;
        // Never back to an earlier phase; computed, not branched on, for the same reason as above.
        final long yielding = (pollNanos - contended * contendedPollCut - 1 - waited) >>> 63;
        final long parking = (yieldNanos - 1 - waited) >>> 63;
        phase = Math.max(phase, (int)(yielding + parking));
    }

    @Override
    public void idle()
    {
        idle(0);
    }

    @Override
    public void reset()
    {
        phase = firstPhase;
        polls = 0;
        timing = false;
        parkNanos = minParkNanos;
    }

    /**
     * Walks a strategy of microsecond phases through polling, yielding and parking {@code walks} times. The JIT
     * profiles these methods once for every strategy: a program's first wait long enough to yield or park would
     * otherwise take branches that compiled waits never saw taken, and throw them away.
     */
    static void walkPhases(final int walks)
    {
        final PollYieldParkIdleStrategy strategy = new PollYieldParkIdleStrategy(1_000, 2_000, 1_000, 1_000);
        for (int walk = 0; walk < walks; walk++)
        {
            strategy.reset();
            for (int turn = 0; turn < 1 << 20 && PARKING != strategy.phase; turn++)
            {
                strategy.idle(0);
            }
            strategy.idle(0);
            strategy.idle(1);
        }
    }

    /** Whether waits poll only briefly now, having lost the core recently (tests). */
    boolean contended()
    {
        return System.nanoTime() - contendedUntil < 0;
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
