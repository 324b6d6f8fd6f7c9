package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The agents of the remote hosts of a launcher, one per host, started on first need (the initial job's hosts up
 * front, in parallel; a spawn's new host when it asks for it) and shut down with the launcher.
 * <p>
 * A host is this machine, and runs its ranks directly without an agent, when it is named {@code localhost}, by
 * this machine's host name (or its first label), or by a name or address of one of its non-loopback network
 * interfaces. Other loopback addresses ({@code 127.0.0.1}) go through an agent like any remote host: that is how
 * one machine tests the multi-node path, and ranks started so still share memory (same node id).
 */
public final class HostAgents implements AutoCloseable
{
    /** ssh through a slow network or into a booting VM: the agent's JVM must be up within this. */
    private static final long AGENT_START_TIMEOUT_MS = 60_000;
    /** A lost host may be down: cleaning up there must not hold the launcher's exit for long. */
    private static final long CLEANUP_TIMEOUT_MS = 15_000;

    private final RemoteAgentLauncher launcher;
    private final int kvsPort;
    private final OutputSink out;
    private final OutputSink err;
    private final Map<String, CompletableFuture<RemoteAgent>> agents = new ConcurrentHashMap<>();
    private final Set<String> localNames;
    private final Set<InetAddress> localAddresses;
    private final List<Thread> cleaners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param kvsPort port of the key-value server, which must listen on every interface
     */
    public HostAgents(final RemoteAgentLauncher launcher, final int kvsPort)
    {
        this(launcher, kvsPort, new OutputSink(System.out), new OutputSink(System.err));
    }

    HostAgents(final RemoteAgentLauncher launcher, final int kvsPort, final OutputSink out, final OutputSink err)
    {
        this.launcher = launcher;
        this.kvsPort = kvsPort;
        this.out = out;
        this.err = err;
        this.localNames = localNames();
        this.localAddresses = interfaceAddresses();
    }

    /** Whether every one of {@code hosts} names this machine: then the job needs no agent at all. */
    static boolean allThisMachine(final Collection<String> hosts)
    {
        final Set<String> names = localNames();
        final Set<InetAddress> addresses = interfaceAddresses();
        for (final String host : new LinkedHashSet<>(hosts))
        {
            if (!isLocal(host, names, addresses))
            {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code host} names this machine (see the class comment). */
    public boolean isLocal(final String host)
    {
        return isLocal(host, localNames, localAddresses);
    }

    static boolean isLocal(final String host, final Set<String> names, final Set<InetAddress> interfaces)
    {
        final String name = host.toLowerCase(java.util.Locale.ROOT);
        if (name.equals("localhost") || names.contains(name))
        {
            return true;
        }
        try
        {
            for (final InetAddress address : HostNames.resolve(host))
            {
                if (!address.isLoopbackAddress() && interfaces.contains(address))
                {
                    return true;
                }
            }
        }
        catch (final IOException ex)
        {
            // Unknown here: let ssh say so, with its own message.
        }
        return false;
    }

    private static Set<String> localNames()
    {
        final Set<String> names = new LinkedHashSet<>();
        try
        {
            final String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase();
            if (!kernel.isEmpty())
            {
                names.add(kernel);
                names.add(kernel.split("\\.")[0]);
            }
        }
        catch (final IOException ignore)
        {
            // Not Linux: the resolver below.
        }
        try
        {
            final String name = InetAddress.getLocalHost().getHostName().toLowerCase();
            names.add(name);
            names.add(name.split("\\.")[0]);
        }
        catch (final IOException ignore)
        {
            // No name for this host: only addresses identify it.
        }
        return names;
    }

    private static Set<InetAddress> interfaceAddresses()
    {
        final Set<InetAddress> addresses = new LinkedHashSet<>();
        try
        {
            for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
            {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        }
        catch (final SocketException ignore)
        {
            // No interfaces to compare with: only names identify this host.
        }
        return addresses;
    }

    /** Start the agents of {@code hosts} (the remote ones) in parallel; the first failure is thrown. */
    public void startAll(final Collection<String> hosts) throws IOException
    {
        final List<CompletableFuture<RemoteAgent>> started = new ArrayList<>();
        for (final String host : new LinkedHashSet<>(hosts))
        {
            if (!isLocal(host))
            {
                started.add(startAsync(host));
            }
        }
        for (final CompletableFuture<RemoteAgent> future : started)
        {
            await(future);
        }
    }

    /** The agent of {@code host}, started now if it has none yet (or lost the one it had). */
    RemoteAgent agent(final String host) throws IOException
    {
        return await(startAsync(host));
    }

    private CompletableFuture<RemoteAgent> startAsync(final String host)
    {
        return agents.compute(host, (name, existing) ->
        {
            if (existing != null && !(existing.isDone() && (existing.isCompletedExceptionally() ||
                existing.join().isLost())))
            {
                return existing;
            }
            final CompletableFuture<RemoteAgent> future = new CompletableFuture<>();
            final Thread starter = new Thread(() ->
            {
                try
                {
                    future.complete(RemoteAgent.start(name, launcher, out, err, AGENT_START_TIMEOUT_MS));
                }
                catch (final IOException | RuntimeException ex)
                {
                    future.completeExceptionally(ex);
                }
            }, "mpi4jrun-agent-start-" + name);
            starter.setDaemon(true);
            starter.start();
            return future;
        });
    }

    private static RemoteAgent await(final CompletableFuture<RemoteAgent> future) throws IOException
    {
        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting an agent");
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof IOException io)
            {
                throw io;
            }
            throw new IOException(String.valueOf(ex.getCause()), ex.getCause());
        }
    }

    /** {@code MPI4J_KVS} for ranks on {@code host}: this launcher's address as that host reaches it. */
    String kvsAddress(final String host) throws IOException
    {
        final String address = agent(host).launcherAddress();
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + kvsPort;
    }

    /**
     * Job {@code jobId} ended: every agent that may have run a part of it removes its files. On a lost host (its
     * agent killed) a fresh agent is tried once, in the background, to remove them (best effort, bounded time).
     */
    void jobEnded(final String jobId)
    {
        for (final CompletableFuture<RemoteAgent> future : agents.values())
        {
            if (future.isDone() && !future.isCompletedExceptionally())
            {
                final RemoteAgent agent = future.join();
                if (!agent.isLost())
                {
                    agent.jobEnded(jobId);
                    continue;
                }
                final Thread cleaner = new Thread(() ->
                {
                    try (RemoteAgent fresh = RemoteAgent.start(agent.host(), launcher, out, err, CLEANUP_TIMEOUT_MS))
                    {
                        fresh.jobEnded(jobId);
                    }
                    catch (final IOException ex)
                    {
                        final byte[] line = ("mpi4jrun: could not remove the files of job " + jobId + " on lost host " +
                            agent.host() + ": " + ErrorText.of(ex) + System.lineSeparator())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        err.write(line, line.length);
                    }
                }, "mpi4jrun-agent-cleanup-" + agent.host());
                cleaner.setDaemon(true);
                cleaners.add(cleaner);
                cleaner.start();
            }
        }
    }

    /** Shut every agent down (they kill what still runs on their hosts). */
    @Override
    public void close()
    {
        final List<Thread> closers = new ArrayList<>();
        for (final CompletableFuture<RemoteAgent> future : agents.values())
        {
            final Thread closer = new Thread(() ->
            {
                try
                {
                    future.join().close();
                }
                catch (final RuntimeException ignore)
                {
                    // Never started: nothing to close.
                }
            }, "mpi4jrun-agent-close");
            closer.setDaemon(true);
            closer.start();
            closers.add(closer);
        }
        closers.addAll(cleaners);
        for (final Thread closer : closers)
        {
            try
            {
                closer.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
