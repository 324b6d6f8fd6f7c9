package io.mpi4j.launcher;

import java.util.concurrent.CompletableFuture;

/** One running rank: its process and its output forwarders. */
final class RankProcess
{
    final int rank;
    final Process process;
    final OutputForwarder stdout;
    final OutputForwarder stderr;

    RankProcess(final int rank, final Process process, final OutputForwarder stdout, final OutputForwarder stderr)
    {
        this.rank = rank;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    CompletableFuture<Process> onExit()
    {
        return process.onExit();
    }

    long pid()
    {
        return process.pid();
    }

    /**
     * Kill the rank and everything it started (descendants first: once the rank is gone they are reparented and
     * can no longer be found from it). Returns whether it was still alive.
     */
    boolean kill()
    {
        final boolean alive = process.isAlive();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return alive;
    }

    boolean waitForForwarders(final long millis) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + millis;
        final boolean out = stdout.join(Math.max(1, deadline - System.currentTimeMillis()));
        return stderr.join(Math.max(1, deadline - System.currentTimeMillis())) && out;
    }
}
