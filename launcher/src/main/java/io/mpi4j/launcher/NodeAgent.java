package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.ShmCleaner;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The per-host agent of a multi-node job ({@code java ... io.mpi4j.launcher.NodeAgent}, started by {@code mpi4jrun}
 * through {@code ssh} or {@code srun}): starts the processes the launcher asks for on this host, forwards their
 * output and exit statuses, kills them when asked, and removes their shared-memory files. It speaks
 * {@link AgentProtocol} on its standard input and output; its own diagnostics go to standard error.
 * <p>
 * The agent lives exactly as long as the launcher's connection: at end of input (the launcher or its ssh died)
 * or SHUTDOWN it kills every process it started, removes the files of every job it served, and exits.
 */
public final class NodeAgent
{
    private static final long FORWARDER_DRAIN_MS = 2_000;
    private static final long KILL_WAIT_MS = 2_000;
    private static final File DEV_NULL = new File("/dev/null");
    /** How often ranks are checked for being stopped: well below any useful --peer-timeout. */
    private static final long STOPPED_POLL_MS = 250;
    private static final java.util.concurrent.Executor EXIT_REPORTERS = command ->
    {
        final Thread thread = new Thread(command, "mpi4j-agent-exit");
        thread.setDaemon(true);
        thread.start();
    };

    private final DataInputStream in;
    private final DataOutputStream out;
    private final Map<Integer, RankProcess> running = new ConcurrentHashMap<>();
    private final Set<String> jobIds = ConcurrentHashMap.newKeySet();
    private final OutputSink stdoutFrames;
    private final OutputSink stderrFrames;
    private volatile boolean shuttingDown;

    private NodeAgent(final DataInputStream in, final DataOutputStream out)
    {
        this.in = in;
        this.out = out;
        this.stdoutFrames = new OutputSink(new FrameStream(AgentProtocol.STDOUT));
        this.stderrFrames = new OutputSink(new FrameStream(AgentProtocol.STDERR));
    }

    public static void main(final String[] args)
    {
        // The protocol owns file descriptor 1: anything printed by accident must not corrupt it.
        final OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        final NodeAgent agent = new NodeAgent(
            new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in))),
            new DataOutputStream(new BufferedOutputStream(protocolOut)));
        final int status = agent.serve();
        Runtime.getRuntime().halt(status);
    }

    /**
     * Reports each rank entering or leaving the stopped state (SIGSTOP, a debugger), so that the launcher's
     * {@code --peer-timeout} covers ranks of this host as it does its own; a few /proc reads a second.
     */
    private void watchStopped()
    {
        final Map<Integer, Boolean> reported = new java.util.HashMap<>();
        try
        {
            while (!shuttingDown)
            {
                Thread.sleep(STOPPED_POLL_MS);
                reported.keySet().retainAll(running.keySet());
                for (final RankProcess rank : running.values())
                {
                    final boolean stopped = rank.process.isAlive() &&
                        ProcessState.isStopped(ProcessState.of(rank.pid()));
                    if (reported.getOrDefault(rank.rank, false) != stopped)
                    {
                        reported.put(rank.rank, stopped);
                        synchronized (out)
                        {
                            out.writeByte(AgentProtocol.STOPPED);
                            out.writeInt(rank.rank);
                            out.writeByte(stopped ? 1 : 0);
                            out.flush();
                        }
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ex)
        {
            lost();
        }
    }

    private int serve()
    {
        final Thread stopWatch = new Thread(this::watchStopped, "mpi4j-agent-stop-watch");
        stopWatch.setDaemon(true);
        stopWatch.start();
        try
        {
            synchronized (out)
            {
                out.write(AgentProtocol.MAGIC);
                out.writeByte(AgentProtocol.READY);
                out.writeInt(AgentProtocol.VERSION);
                io.mpi4j.runtime.KeyValueProtocol.writeString(out, hostName());
                out.writeLong(ProcessHandle.current().pid());
                final String ssh = System.getenv("SSH_CONNECTION");
                io.mpi4j.runtime.KeyValueProtocol.writeString(out, ssh == null ? "" : ssh);
                out.flush();
            }
            while (true)
            {
                final int type = AgentProtocol.readType(in);
                switch (type)
                {
                    case AgentProtocol.LAUNCH -> launch(AgentProtocol.Launch.read(in));
                    case AgentProtocol.KILL ->
                    {
                        final RankProcess process = running.get(in.readInt());
                        if (process != null)
                        {
                            process.kill();
                        }
                    }
                    case AgentProtocol.JOB_ENDED -> ShmCleaner.removeJobFiles(
                        io.mpi4j.runtime.KeyValueProtocol.readString(in));
                    case AgentProtocol.SHUTDOWN ->
                    {
                        shutdown();
                        return 0;
                    }
                    case -1 ->
                    {
                        // The launcher's side is gone without SHUTDOWN: the job is over, whatever it was doing.
                        shutdown();
                        return 0;
                    }
                    default ->
                    {
                        System.err.println("mpi4j agent: protocol error: message type " + type);
                        shutdown();
                        return 1;
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            shutdown();
            return 1;
        }
    }

    private void launch(final AgentProtocol.Launch launch)
    {
        jobIds.add(launch.jobId());
        final List<String> argv = new java.util.ArrayList<>(launch.argv());
        if (launch.runtimeFlagsAt() >= 0 && launch.runtimeFlagsAt() <= argv.size())
        {
            // This host's flags, not the launcher's: a transport's native library lives in a local directory.
            argv.addAll(launch.runtimeFlagsAt(), RuntimeJvmFlags.all());
        }
        final ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(launch.env());
        final File wdir = launch.wdir().isEmpty() ? null : new File(launch.wdir());
        if (wdir != null && wdir.isDirectory())
        {
            builder.directory(wdir);
        }
        else
        {
            // As Open MPI does: the launcher's directory when this host has it, else the home directory.
            builder.directory(new File(System.getProperty("user.home", "/")));
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException | RuntimeException ex)
        {
            send(launch.id(), AgentProtocol.START_FAILED, ErrorText.of(ex));
            return;
        }
        final String name = "mpi4j-agent-" + launch.jobId() + "-" + launch.id();
        final OutputForwarder stdout = new OutputForwarder(process.getInputStream(), stdoutFrames,
            launch.stdoutTag().isEmpty() ? null : launch.stdoutTag(), name + "-out");
        final OutputForwarder stderr = new OutputForwarder(process.getErrorStream(), stderrFrames,
            launch.stderrTag().isEmpty() ? null : launch.stderrTag(), name + "-err");
        final RankProcess rank = new RankProcess(launch.id(), process, stdout, stderr);
        running.put(launch.id(), rank);
        synchronized (out)
        {
            try
            {
                out.writeByte(AgentProtocol.STARTED);
                out.writeInt(launch.id());
                out.writeLong(process.pid());
                out.flush();
            }
            catch (final IOException ex)
            {
                lost();
            }
        }
        stdout.start();
        stderr.start();
        // Off the process reaper: waiting for a rank's last output must not delay the exits of the others.
        rank.onExit().whenCompleteAsync((p, ex) -> exited(rank), EXIT_REPORTERS);
    }

    private void exited(final RankProcess rank)
    {
        try
        {
            rank.waitForForwarders(FORWARDER_DRAIN_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (out)
        {
            try
            {
                out.writeByte(AgentProtocol.EXITED);
                out.writeInt(rank.rank);
                out.writeInt(rank.process.exitValue());
                out.flush();
            }
            catch (final IOException ex)
            {
                lost();
            }
        }
        running.remove(rank.rank);
    }

    private void send(final int id, final byte type, final String message)
    {
        synchronized (out)
        {
            try
            {
                out.writeByte(type);
                out.writeInt(id);
                io.mpi4j.runtime.KeyValueProtocol.writeString(out, message);
                out.flush();
            }
            catch (final IOException ex)
            {
                lost();
            }
        }
    }

    /** The launcher cannot be written to any more: same as its connection ending. */
    private void lost()
    {
        if (!shuttingDown)
        {
            final Thread thread = new Thread(() ->
            {
                shutdown();
                Runtime.getRuntime().halt(1);
            }, "mpi4j-agent-lost");
            thread.start();
        }
    }

    private void shutdown()
    {
        synchronized (this)
        {
            if (shuttingDown)
            {
                return;
            }
            shuttingDown = true;
        }
        for (final RankProcess rank : running.values())
        {
            rank.kill();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_WAIT_MS);
        for (final RankProcess rank : running.values())
        {
            try
            {
                rank.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final Exception ignore)
            {
                // Killed with SIGKILL: going, and there is no more time to wait.
            }
        }
        for (final String jobId : jobIds)
        {
            ShmCleaner.removeJobFiles(jobId);
        }
        synchronized (out)
        {
            try
            {
                out.flush();
            }
            catch (final IOException ignore)
            {
                // The launcher is gone.
            }
        }
    }

    private static String hostName()
    {
        try
        {
            final String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty())
            {
                return name;
            }
        }
        catch (final IOException ignore)
        {
            // Fall back to the resolver.
        }
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return "localhost";
        }
    }

    /** One stream kind of every process, as OUTPUT messages; OutputSink hands it whole lines only. */
    private final class FrameStream extends OutputStream
    {
        private final byte stream;

        FrameStream(final byte stream)
        {
            this.stream = stream;
        }

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[]{(byte)b}, 0, 1);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            synchronized (out)
            {
                try
                {
                    out.writeByte(AgentProtocol.OUTPUT);
                    out.writeByte(stream);
                    out.writeInt(length);
                    out.write(bytes, offset, length);
                }
                catch (final IOException ex)
                {
                    lost();
                    throw ex;
                }
            }
        }

        @Override
        public void flush() throws IOException
        {
            synchronized (out)
            {
                out.flush();
            }
        }
    }
}
