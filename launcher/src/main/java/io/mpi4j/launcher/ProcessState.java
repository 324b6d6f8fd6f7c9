package io.mpi4j.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The scheduler state of a process of this host, from {@code /proc/<pid>/stat} (Linux). */
final class ProcessState
{
    /** Stopped by a signal (SIGSTOP, SIGTSTP...). */
    static final char STOPPED = 'T';
    /** Stopped by a debugger. */
    static final char TRACING_STOP = 't';
    static final char UNKNOWN = 0;

    private ProcessState()
    {
    }

    /** The state letter (R, S, D, T, t, Z...) of process {@code pid}, or {@link #UNKNOWN} when it cannot be read. */
    static char of(final long pid)
    {
        final String stat;
        try
        {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        }
        catch (final IOException | RuntimeException ex)
        {
            return UNKNOWN;
        }
        // "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last ')'.
        final int close = stat.lastIndexOf(')');
        return close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : UNKNOWN;
    }

    static boolean isStopped(final char state)
    {
        return state == STOPPED || state == TRACING_STOP;
    }
}
