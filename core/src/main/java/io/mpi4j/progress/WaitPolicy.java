package io.mpi4j.progress;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * How every wait of this process idles: the phase lengths of its {@link PollYieldParkIdleStrategy}, chosen once per
 * process from whether the node runs more ranks than cores and from the environment.
 * <ul>
 *   <li>A core of its own (the default): poll {@value #STANDARD_POLL_US} us (a small message's reply, a rendezvous
 *       hand-shake, a window's acknowledgement; on a machine loaded by other processes, polling keeps the core
 *       through the peer's reply where a yield would give it away for a whole slice), then yield
 *       {@value #YIELD_US} us (a large copy, a peer descheduled for a slice or two: the yield lets it have this
 *       core meanwhile when it shares it), then park.</li>
 *   <li>More ranks than cores ({@code oversubscribed}), or {@code MPI4J_WAIT=yield}: no polling phase, yield
 *       {@value #YIELD_US} us, then park. The rank waited for may be runnable on this very core: a yield hands
 *       the core over and gets it back within a microsecond once the peer blocks in turn, where a park costs 50
 *       microseconds or more to wake from, on every message of an exchange.</li>
 *   <li>{@code MPI4J_WAIT=spin}: poll without ever yielding or parking (benchmarks on dedicated cores).</li>
 * </ul>
 * Unless it spins, a wait that lost its core while polling makes the waits of the next few milliseconds poll only
 * briefly before they yield ({@link PollYieldParkIdleStrategy}).
 * <p>
 * Parks start at {@value #MIN_PARK_US} us and double up to {@value #MAX_PARK_US} us: a rank blocked for long
 * (seconds in a barrier behind a slow rank) hands its core over and still notices its message within a millisecond.
 * <p>
 * Environment, for measurements: {@code MPI4J_WAIT_POLL_US} replaces the polling phase's length and
 * {@code MPI4J_WAIT_YIELD_US} the yielding phase's (whole microseconds, 0 or more; 0 skips the phase).
 */
public final class WaitPolicy
{
    static final long STANDARD_POLL_US = 1_000;
    static final long OVERSUBSCRIBED_POLL_US = 0;
    static final long YIELD_US = 19_000;
    static final long MIN_PARK_US = 50;
    static final long MAX_PARK_US = 1_000;

    static final String MODE = "MPI4J_WAIT";
    static final String POLL_US = "MPI4J_WAIT_POLL_US";
    static final String YIELD_PHASE_US = "MPI4J_WAIT_YIELD_US";

    private final boolean spin;
    private final long pollNanos;
    private final long yieldNanos;

    private WaitPolicy(final boolean spin, final long pollMicros, final long yieldMicros)
    {
        this.spin = spin;
        this.pollNanos = TimeUnit.MICROSECONDS.toNanos(pollMicros);
        this.yieldNanos = TimeUnit.MICROSECONDS.toNanos(yieldMicros);
    }

    /**
     * The policy of a process.
     *
     * @param oversubscribed true when this node runs more ranks than it has cores
     * @param environment    a variable's value by name, null when unset ({@code System::getenv})
     * @throws IllegalArgumentException naming the variable when a phase length is not a whole number of microseconds
     */
    public static WaitPolicy of(final boolean oversubscribed, final UnaryOperator<String> environment)
    {
        final String mode = environment.apply(MODE);
        final boolean yielding = oversubscribed || "yield".equals(mode);
        final long poll = micros(environment, POLL_US, yielding ? OVERSUBSCRIBED_POLL_US : STANDARD_POLL_US);
        final long yield = micros(environment, YIELD_PHASE_US, YIELD_US);
        return new WaitPolicy("spin".equals(mode), poll, yield);
    }

    private static long micros(final UnaryOperator<String> environment, final String name, final long otherwise)
    {
        final String value = environment.apply(name);
        if (null == value || value.isBlank())
        {
            return otherwise;
        }
        try
        {
            final long micros = Long.parseLong(value.trim());
            if (micros >= 0 && micros <= TimeUnit.SECONDS.toMicros(3600))
            {
                return micros;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the variable's name
        }
        throw new IllegalArgumentException(name + "=" + value +
            ": expected a whole number of microseconds from 0 to 3600000000");
    }

    /** A new idle strategy for one waiting thread. */
    public IdleStrategy newIdleStrategy()
    {
        if (spin)
        {
            return new BusySpinIdleStrategy();
        }
        return new PollYieldParkIdleStrategy(pollNanos, pollNanos + yieldNanos,
            TimeUnit.MICROSECONDS.toNanos(MIN_PARK_US), TimeUnit.MICROSECONDS.toNanos(MAX_PARK_US));
    }

    /**
     * Rehearses every idle phase of the waits {@code walks} times with phases a microsecond long, so that the JIT
     * compiles the waits with their yielding and parking branches (a few hundred microseconds per walk at most).
     */
    public static void rehearsePhases(final int walks)
    {
        PollYieldParkIdleStrategy.walkPhases(walks);
    }

    /** Whether waits poll without ever yielding or parking ({@code MPI4J_WAIT=spin}). */
    public boolean spins()
    {
        return spin;
    }

    /** How long a wait polls before it yields (tests, diagnostics). */
    public long pollNanos()
    {
        return pollNanos;
    }

    /** How long a wait yields before it parks (tests, diagnostics). */
    public long yieldNanos()
    {
        return yieldNanos;
    }

    @Override
    public String toString()
    {
        return spin ? "spin" : "poll " + pollNanos / 1000 + " us, yield " + yieldNanos / 1000 + " us, park " +
            MIN_PARK_US + ".." + MAX_PARK_US + " us";
    }
}
