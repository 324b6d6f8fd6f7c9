package io.mpi4j.shm;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a process on this node still runs. Slow (reads {@code /proc}): only for paths that already wait.
 */
final class ProcessLiveness
{
    private ProcessLiveness()
    {
    }

    /** This process's start time in epoch milliseconds, or {@link InboxDescriptor#UNKNOWN_START_TIME}. */
    static long currentStartTime()
    {
        return startTime(ProcessHandle.current());
    }

    /**
     * @param startTime epoch milliseconds recorded by the process itself, or {@link InboxDescriptor#UNKNOWN_START_TIME};
     *                  a different start time means the pid was reused by another process.
     */
    static boolean isAlive(final long pid, final long startTime)
    {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return false;
        }
        if (InboxDescriptor.UNKNOWN_START_TIME == startTime)
        {
            return true;
        }
        final long actual = startTime(handle.get());
        return InboxDescriptor.UNKNOWN_START_TIME == actual || actual == startTime;
    }

    private static long startTime(final ProcessHandle handle)
    {
        final Optional<Instant> start = handle.info().startInstant();
        return start.isPresent() ? start.get().toEpochMilli() : InboxDescriptor.UNKNOWN_START_TIME;
    }
}
