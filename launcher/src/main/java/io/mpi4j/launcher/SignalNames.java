package io.mpi4j.launcher;

/** Names of the POSIX signals a rank may die of, for the launcher's summary line (Linux numbering). */
final class SignalNames
{
    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"
    };

    private SignalNames()
    {
    }

    static String name(final int signal)
    {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : "SIG" + signal;
    }

    /**
     * Signal a process died of, from its exit value as {@link Process#exitValue()} reports it (128 + n, the shell
     * convention Java follows), or 0 when the value is an ordinary exit status.
     */
    static int signalOf(final int exitValue)
    {
        return exitValue > 128 && exitValue < 128 + 65 ? exitValue - 128 : 0;
    }
}
