package io.mpi4j.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A process a {@link NodeAgent} runs on another host, seen as a {@link Process} so that a {@link Job} watches and
 * kills it as it does a local one. Its output arrives already forwarded by the agent, so its streams here are
 * empty; its exit is the agent's EXITED message, or the loss of the agent.
 */
final class RemoteProcess extends Process
{
    /** Exit status of a process that could not be started (a shell's "command not found"). */
    static final int START_FAILED_STATUS = 127;
    /** Exit status of a process whose host was lost (ssh's status when the connection fails). */
    static final int HOST_LOST_STATUS = 255;

    private final RemoteAgent agent;
    private final int id;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private volatile long pid = -1;
    private volatile int status;
    private volatile boolean recorded;
    /** Whether its agent last reported it stopped (SIGSTOP, a debugger), for {@code --peer-timeout}. */
    private volatile boolean stopped;
    /** Why the process ended without an exit status of its own (start failure, lost host); null otherwise. */
    private volatile String failure;

    RemoteProcess(final RemoteAgent agent, final int id)
    {
        this.agent = agent;
        this.id = id;
    }

    int id()
    {
        return id;
    }

    /** The host as named on the command line. */
    String host()
    {
        return agent.host();
    }

    /** Why it ended without exiting by itself (could not start, host lost), or null. */
    String failure()
    {
        return failure;
    }

    /** The agent saw it enter or leave the stopped state. */
    void stopped(final boolean isStopped)
    {
        stopped = isStopped;
    }

    /** Stopped as of the agent's last report (it samples a few times a second). */
    boolean isStopped()
    {
        return stopped;
    }

    void started(final long remotePid)
    {
        pid = remotePid;
    }

    /** Record the end; the first one wins. Returns whether this call ended it. */
    boolean ended(final int exitStatus, final String why)
    {
        synchronized (this)
        {
            if (recorded)
            {
                return false;
            }
            recorded = true;
            status = exitStatus;
            failure = why;
        }
        return true;
    }

    /** Complete {@link #onExit()} (after {@link #ended}); runs the watchers' callbacks on the caller's thread. */
    void complete()
    {
        exit.complete(this);
    }

    @Override
    public OutputStream getOutputStream()
    {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream()
    {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream()
    {
        return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() throws InterruptedException
    {
        try
        {
            exit.get();
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex);
        }
        return status;
    }

    @Override
    public boolean waitFor(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        try
        {
            exit.get(timeout, unit);
            return true;
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public int exitValue()
    {
        if (!exit.isDone())
        {
            throw new IllegalThreadStateException("process " + id + " on " + host() + " has not exited");
        }
        return status;
    }

    @Override
    public void destroy()
    {
        if (!exit.isDone())
        {
            agent.kill(id);
        }
    }

    @Override
    public Process destroyForcibly()
    {
        destroy();
        return this;
    }

    /** False as soon as its end is known, before the watchers hear of it: a lost host's processes all at once. */
    @Override
    public boolean isAlive()
    {
        return !recorded;
    }

    @Override
    public CompletableFuture<Process> onExit()
    {
        return exit;
    }

    /** The pid on its host, -1 until the agent reported it. */
    @Override
    public long pid()
    {
        return pid;
    }

    /** The agent kills descendants itself: none to see from here. */
    @Override
    public Stream<ProcessHandle> descendants()
    {
        return Stream.empty();
    }

    @Override
    public Stream<ProcessHandle> children()
    {
        return Stream.empty();
    }

    @Override
    public String toString()
    {
        return "process " + id + " (pid " + pid + ") on " + host();
    }
}
