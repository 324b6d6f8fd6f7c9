package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.KeyValueProtocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The launcher's end of one {@link NodeAgent}: the {@code ssh}/{@code srun} process that carries it, the reader of
 * its messages, and the {@link RemoteProcess}es it runs. Output the agent forwards goes straight to the launcher's
 * streams (already tagged and in whole lines). When the connection ends while the launcher still needs it, the
 * host is lost: every process on it ends with {@link RemoteProcess#HOST_LOST_STATUS} and the reason, which fails
 * their jobs.
 */
final class RemoteAgent implements AutoCloseable
{
    private static final int MAX_GREETING_NOISE = 64 * 1024;
    private static final long EXIT_WAIT_MS = 3_000;

    private final String host;
    private final Process carrier;
    private final String carrierName;
    private final DataOutputStream toAgent;
    private final OutputSink out;
    private final OutputSink err;
    private final Map<Integer, RemoteProcess> processes = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Process exits are reported in order, off the reader thread: a job's callbacks kill and may wait. */
    private final ExecutorService events;
    private volatile String lastCarrierError = "";
    private volatile String agentHostName = "";
    private volatile String sshConnection = "";
    private volatile boolean closing;
    private volatile String lostReason;

    private RemoteAgent(final String host, final Process carrier, final String carrierName, final OutputSink out,
        final OutputSink err)
    {
        this.host = host;
        this.carrier = carrier;
        this.carrierName = carrierName;
        this.toAgent = new DataOutputStream(new BufferedOutputStream(carrier.getOutputStream()));
        this.out = out;
        this.err = err;
        this.events = Executors.newSingleThreadExecutor(r ->
        {
            final Thread thread = new Thread(r, "mpi4jrun-agent-" + host + "-events");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Start the agent of {@code host} and wait for its greeting.
     *
     * @throws IOException naming the host and the reason when it does not come up within {@code timeoutMillis}
     */
    static RemoteAgent start(final String host, final RemoteAgentLauncher launcher, final OutputSink out,
        final OutputSink err, final long timeoutMillis) throws IOException
    {
        final List<String> command = launcher.command(host);
        final Process carrier;
        try
        {
            carrier = new ProcessBuilder(command).start();
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot start " + command.get(0) + " for host " + host + ": " + ErrorText.of(ex), ex);
        }
        final String name = launcher.usesSlurm() ? "srun" : command.get(0);
        final RemoteAgent agent = new RemoteAgent(host, carrier, name, out, err);
        agent.startThreads();
        try
        {
            agent.ready.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return agent;
        }
        catch (final TimeoutException ex)
        {
            agent.destroy();
            throw new IOException("the agent on host " + host + " did not answer within " + timeoutMillis / 1000 +
                " s (" + launcher.describe() + ")");
        }
        catch (final ExecutionException ex)
        {
            agent.destroy();
            throw new IOException("cannot start the agent on host " + host + ": " + ErrorText.of(ex.getCause()));
        }
        catch (final InterruptedException ex)
        {
            agent.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the agent on host " + host);
        }
    }

    private void startThreads()
    {
        final Thread reader = new Thread(this::read, "mpi4jrun-agent-" + host);
        reader.setDaemon(true);
        reader.start();
        final Thread stderr = new Thread(this::forwardCarrierErrors, "mpi4jrun-agent-" + host + "-stderr");
        stderr.setDaemon(true);
        stderr.start();
    }

    String host()
    {
        return host;
    }

    /** The host name the agent's machine gives itself. */
    String agentHostName()
    {
        return agentHostName;
    }

    boolean isLost()
    {
        return lostReason != null;
    }

    /**
     * The address of this launcher as the agent's host sees it: the client address of the ssh connection when
     * there is one, else the local address the kernel routes to the host from.
     */
    String launcherAddress() throws IOException
    {
        final String[] ssh = sshConnection.trim().split("\\s+");
        if (ssh.length == 4 && !ssh[0].isEmpty())
        {
            return ssh[0];
        }
        try (DatagramSocket probe = new DatagramSocket())
        {
            // connect() on UDP sends nothing: it only asks the kernel for a route and a source address.
            probe.connect(new InetSocketAddress(HostNames.resolve(host)[0], 9));
            final InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress())
            {
                throw new IOException("no route from this host to " + host);
            }
            return local.getHostAddress();
        }
    }

    /** Ask the agent to start one process; its start, output and exit come back through the returned process. */
    RemoteProcess launch(final String jobId, final List<String> argv, final Map<String, String> env,
        final String wdir, final String stdoutTag, final String stderrTag) throws IOException
    {
        final RemoteProcess process = new RemoteProcess(this, ids.incrementAndGet());
        final String lost = lostReason;
        if (lost != null)
        {
            throw new IOException("host " + host + " is lost: " + lost);
        }
        processes.put(process.id(), process);
        if (lostReason != null)
        {
            // Lost between the check and the put: lose() may not have seen this process.
            processes.remove(process.id());
            throw new IOException("host " + host + " is lost: " + lostReason);
        }
        try
        {
            synchronized (toAgent)
            {
                final Map.Entry<List<String>, Integer> portable =
                    AgentProtocol.withoutRuntimeFlags(argv, RuntimeJvmFlags.all());
                new AgentProtocol.Launch(process.id(), jobId, portable.getKey(), env, wdir == null ? "" : wdir,
                    stdoutTag == null ? "" : stdoutTag, stderrTag == null ? "" : stderrTag, portable.getValue())
                    .write(toAgent);
                toAgent.flush();
            }
        }
        catch (final IOException ex)
        {
            processes.remove(process.id());
            throw new IOException("cannot reach the agent on host " + host + ": " + ErrorText.of(ex), ex);
        }
        return process;
    }

    void kill(final int id)
    {
        send(AgentProtocol.KILL, id, null);
    }

    /** The job ended everywhere: the agent removes its shared-memory files on its host. */
    void jobEnded(final String jobId)
    {
        send(AgentProtocol.JOB_ENDED, 0, jobId);
    }

    private void send(final byte type, final int id, final String text)
    {
        if (lostReason != null)
        {
            return;
        }
        synchronized (toAgent)
        {
            try
            {
                toAgent.writeByte(type);
                if (type == AgentProtocol.KILL)
                {
                    toAgent.writeInt(id);
                }
                if (text != null)
                {
                    KeyValueProtocol.writeString(toAgent, text);
                }
                toAgent.flush();
            }
            catch (final IOException ex)
            {
                // The reader sees the same broken connection and reports the host lost.
            }
        }
    }

    private void read()
    {
        String why;
        try
        {
            final BufferedInputStream raw = new BufferedInputStream(carrier.getInputStream());
            final byte[] noise = AgentProtocol.skipToMagic(raw, MAX_GREETING_NOISE);
            if (noise.length > 0)
            {
                printErr("mpi4jrun: host " + host + " printed before its agent started: " +
                    new String(noise, StandardCharsets.UTF_8).trim());
            }
            final DataInputStream in = new DataInputStream(raw);
            if (AgentProtocol.readType(in) != AgentProtocol.READY)
            {
                throw new IOException("protocol error: no READY");
            }
            final int version = in.readInt();
            if (version != AgentProtocol.VERSION)
            {
                throw new IOException("agent protocol version " + version + ", launcher speaks " +
                    AgentProtocol.VERSION + " (different mpi4j versions on the hosts?)");
            }
            agentHostName = KeyValueProtocol.readString(in);
            in.readLong();
            sshConnection = KeyValueProtocol.readString(in);
            ready.complete(null);
            why = serve(in);
        }
        catch (final IOException ex)
        {
            why = ErrorText.of(ex);
        }
        final String carrierEnd = carrierEnd();
        final String reason = (why == null ? "its agent's connection closed" : why) + carrierEnd;
        if (!ready.isDone())
        {
            ready.completeExceptionally(new IOException(reason));
            return;
        }
        if (!closing)
        {
            lose(reason);
        }
        else
        {
            // Shut down while processes still ran (the launcher is exiting): they end with the agent, silently.
            for (final RemoteProcess process : List.copyOf(processes.values()))
            {
                end(process, RemoteProcess.HOST_LOST_STATUS, "the agent on host " + host + " was shut down");
            }
            processes.clear();
        }
    }

    /** Messages until the end of the stream; returns why the stream ended (null: cleanly). */
    private String serve(final DataInputStream in) throws IOException
    {
        while (true)
        {
            final int type = AgentProtocol.readType(in);
            switch (type)
            {
                case AgentProtocol.OUTPUT ->
                {
                    final byte stream = in.readByte();
                    final int length = in.readInt();
                    if (length < 0 || length > AgentProtocol.MAX_OUTPUT_BYTES)
                    {
                        return "agent protocol error: output of " + length + " bytes";
                    }
                    final byte[] bytes = new byte[length];
                    in.readFully(bytes);
                    (stream == AgentProtocol.STDERR ? err : out).write(bytes, length);
                }
                case AgentProtocol.STARTED ->
                {
                    final RemoteProcess process = processes.get(in.readInt());
                    final long pid = in.readLong();
                    if (process != null)
                    {
                        process.started(pid);
                    }
                }
                case AgentProtocol.START_FAILED ->
                {
                    final RemoteProcess process = processes.remove(in.readInt());
                    final String message = KeyValueProtocol.readString(in);
                    if (process != null)
                    {
                        end(process, RemoteProcess.START_FAILED_STATUS, "could not start on host " + host + ": " +
                            message);
                    }
                }
                case AgentProtocol.STOPPED ->
                {
                    final RemoteProcess process = processes.get(in.readInt());
                    final boolean stopped = in.readByte() != 0;
                    if (process != null)
                    {
                        process.stopped(stopped);
                    }
                }
                case AgentProtocol.EXITED ->
                {
                    final RemoteProcess process = processes.remove(in.readInt());
                    final int status = in.readInt();
                    if (process != null)
                    {
                        end(process, status, null);
                    }
                }
                case -1 ->
                {
                    return null;
                }
                default ->
                {
                    return "agent protocol error: message type " + type;
                }
            }
        }
    }

    private void end(final RemoteProcess process, final int status, final String why)
    {
        if (process.ended(status, why))
        {
            post(process::complete);
        }
    }

    private void post(final Runnable event)
    {
        try
        {
            events.execute(event);
        }
        catch (final java.util.concurrent.RejectedExecutionException ex)
        {
            // Closed: nobody else will run it.
            event.run();
        }
    }

    /** The host is gone: end all its processes (all recorded first, so none looks alive to a job's callbacks). */
    private void lose(final String reason)
    {
        lostReason = reason;
        final List<RemoteProcess> gone = List.copyOf(processes.values());
        processes.clear();
        final String why = "lost host " + host + ": " + reason;
        for (final RemoteProcess process : gone)
        {
            process.ended(RemoteProcess.HOST_LOST_STATUS, why);
        }
        post(() -> gone.forEach(RemoteProcess::complete));
        if (gone.isEmpty())
        {
            printErr("mpi4jrun: " + why);
        }
    }

    /** " (ssh exited with status 255: last error line)", once the carrier is gone, or "". */
    private String carrierEnd()
    {
        try
        {
            if (carrier.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS))
            {
                final String last = lastCarrierError;
                return " (" + carrierName + " exited with status " + carrier.exitValue() +
                    (last.isEmpty() ? "" : ": " + last) + ")";
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** What ssh/srun or the agent print on stderr: shown with the host name, the last line kept for messages. */
    private void forwardCarrierErrors()
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(carrier.getErrorStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                if (!line.isBlank())
                {
                    lastCarrierError = line.trim();
                    printErr("mpi4jrun: host " + host + ": " + line);
                }
            }
        }
        catch (final IOException ignore)
        {
            // The carrier is gone.
        }
    }

    private void printErr(final String line)
    {
        final byte[] bytes = (line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        err.write(bytes, bytes.length);
    }

    /** SHUTDOWN: the agent kills what still runs there and exits; the carrier is killed if it lingers. */
    @Override
    public void close()
    {
        closing = true;
        synchronized (toAgent)
        {
            try
            {
                toAgent.writeByte(AgentProtocol.SHUTDOWN);
                toAgent.flush();
                toAgent.close();
            }
            catch (final IOException ignore)
            {
                // Already gone.
            }
        }
        try
        {
            if (!carrier.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS))
            {
                destroy();
            }
        }
        catch (final InterruptedException ex)
        {
            destroy();
            Thread.currentThread().interrupt();
        }
        events.shutdown();
    }

    /** Kill the carrier: the agent sees its input end and kills its processes. */
    void destroy()
    {
        closing = true;
        carrier.descendants().forEach(ProcessHandle::destroyForcibly);
        carrier.destroyForcibly();
    }
}
