package io.mpi4j.launcher;

import java.io.PrintStream;

/**
 * Lines about refused or failed key-value connections, at most one per interval: a flood of bad connections must
 * not flood the job's stderr, yet a later one is still reported, with how many went unreported in between.
 */
final class RefusalLog
{
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private long lastNanos;
    private boolean loggedAny;
    private int suppressed;

    RefusalLog(final PrintStream out)
    {
        this.out = out;
    }

    /** Log {@code what} unless a line was logged less than an interval ago (then it is only counted). */
    synchronized void log(final String what)
    {
        final long now = System.nanoTime();
        if (loggedAny && now - lastNanos < INTERVAL_NANOS)
        {
            suppressed++;
            return;
        }
        final String more = suppressed == 0 ? "" : " (" + suppressed + " more since the last report)";
        out.println("mpi4jrun: " + what + more);
        out.flush();
        loggedAny = true;
        lastNanos = now;
        suppressed = 0;
    }
}
