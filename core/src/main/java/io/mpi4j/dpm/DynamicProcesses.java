package io.mpi4j.dpm;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.CommunicatorFactory;
import io.mpi4j.comm.ContextIdAllocator;
import io.mpi4j.comm.GroupExchange;
import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.comm.TagSpace;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.runtime.KeyValueStore;
import io.mpi4j.runtime.MpiRuntime;
import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports, connect/accept, spawn and disconnect.
 * <p>
 * Rendezvous goes through the key-value service. A port is a name ("mpi4j-port:job:rank:n") whose key exists while
 * it is open. The connecting root puts a request under {@code mpi4j.portreq.<port>.<nonce>} (its group as
 * "job:rank" names, its root's index, a tag seed) and waits to take {@code mpi4j.portrep.<nonce>}; the accepting
 * root takes any request of the port and answers with its group. Each root broadcasts the remote group in its own
 * communicator; both groups then agree on the intercommunicator's context id, the leaders talking through a bridge
 * context that the allocator never hands out, under a tag both derive from the seed (two rendezvous between the
 * same processes never share a tag).
 * <p>
 * Spawn is: the root opens a port, asks the launcher to start the children with the port in their environment,
 * and accepts; the children's {@code MPI_Init} connects to it.
 */
public final class DynamicProcesses
{
    /** Context id of leader-to-leader traffic while two groups build their intercommunicator. */
    static final int BRIDGE_CONTEXT = ContextIdAllocator.SLOTS * 2;
    private static final int HEADER_BYTES = 8;
    private static final String PORT_PREFIX = "mpi4j-port:";
    private static final String PORT_KEY = "mpi4j.port.";
    private static final String REQUEST_KEY = "mpi4j.portreq.";
    private static final String REPLY_KEY = "mpi4j.portrep.";
    private static final String SERVICE_KEY = "mpi4j.service.";
    /** The launcher puts this key (plus the job id) when a spawned job ended. */
    public static final String ENDED_KEY = "mpi4j.ended.";

    private final MpiRuntime runtime;
    private final PointToPoint p2p;
    private final CommunicatorFactory factory;
    private final AtomicInteger counter = new AtomicInteger();
    /** Per remote job: how many live intercommunicators from connect/accept/spawn reach it. */
    private final Map<String, Integer> jobReferences = new HashMap<>();

    public DynamicProcesses(final MpiRuntime runtime, final CommunicatorFactory factory)
    {
        this.runtime = runtime;
        this.p2p = runtime.p2p();
        this.factory = factory;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Ports and names

    /** MPI_Open_port. */
    public String openPort()
    {
        final String name = PORT_PREFIX + runtime.job().jobId() + ":" + runtime.job().rank() + ":" +
            counter.incrementAndGet();
        try
        {
            store().put(PORT_KEY + name, "open");
            store().get(PORT_KEY + name);
        }
        catch (final IOException ex)
        {
            throw kvsFailure(ex);
        }
        return name;
    }

    /** MPI_Close_port. */
    public void closePort(final String port)
    {
        checkPortName(port);
        try
        {
            store().remove(PORT_KEY + port);
            store().get(PORT_KEY + port);
        }
        catch (final IOException ex)
        {
            throw kvsFailure(ex);
        }
    }

    /** MPI_Publish_name: ERR_SERVICE if the service is already published. */
    public void publishName(final String service, final String port)
    {
        try
        {
            if (store().get(SERVICE_KEY + service) != null)
            {
                throw new MpiError(ErrorClass.ERR_SERVICE, "service " + service + " is already published");
            }
            store().put(SERVICE_KEY + service, port);
            store().get(SERVICE_KEY + service);
        }
        catch (final IOException ex)
        {
            throw kvsFailure(ex);
        }
    }

    /** MPI_Lookup_name: ERR_NAME if nobody published the service. */
    public String lookupName(final String service)
    {
        final String port;
        try
        {
            port = store().get(SERVICE_KEY + service);
        }
        catch (final IOException ex)
        {
            throw kvsFailure(ex);
        }
        if (port == null)
        {
            throw new MpiError(ErrorClass.ERR_NAME, "service " + service + " is not published");
        }
        return port;
    }

    /** MPI_Unpublish_name: ERR_SERVICE if it is not published. */
    public void unpublishName(final String service, final String port)
    {
        try
        {
            if (store().get(SERVICE_KEY + service) == null)
            {
                throw new MpiError(ErrorClass.ERR_SERVICE, "service " + service + " is not published");
            }
            store().remove(SERVICE_KEY + service);
            store().get(SERVICE_KEY + service);
        }
        catch (final IOException ex)
        {
            throw kvsFailure(ex);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Connect / accept

    /** MPI_Comm_accept, collective over {@code comm}; {@code port} is significant at {@code root} only. */
    public Communicator accept(final Communicator comm, final String port, final int root)
    {
        return acceptWhile(comm, port, root, null);
    }

    /** MPI_Comm_connect, collective over {@code comm}; {@code port} is significant at {@code root} only. */
    public Communicator connect(final Communicator comm, final String port, final int root)
    {
        byte[] payload = null;
        int error = 0;
        String message = "";
        if (comm.rank() == root)
        {
            try
            {
                checkPortName(port);
                final String nonce = runtime.job().jobId() + "." + runtime.job().rank() + "." +
                    counter.incrementAndGet();
                // Only tells concurrent connects apart: no secret, so no SecureRandom (tens of ms to seed in a new JVM).
                final int seed = ThreadLocalRandom.current().nextInt();
                final String reply;
                try
                {
                    if (store().get(PORT_KEY + port) == null)
                    {
                        throw new MpiError(ErrorClass.ERR_PORT, "port " + port + " is not open");
                    }
                    store().put(REQUEST_KEY + port + "." + nonce, nonce + "\n" + seed + "\n" + root + "\n" +
                        names(comm));
                    reply = store().take(REPLY_KEY + nonce, null, 0);
                }
                catch (final IOException ex)
                {
                    throw kvsFailure(ex);
                }
                // reply: remote root index, remote names
                payload = (seed + "\n" + reply).getBytes(StandardCharsets.UTF_8);
            }
            catch (final MpiError ex)
            {
                error = ex.errorClass();
                message = ErrorText.of(ex);
            }
        }
        return establish(comm, root, error, message, payload);
    }

    private Communicator acceptWhile(final Communicator comm, final String port, final int root,
        final String abortKey)
    {
        byte[] payload = null;
        int error = 0;
        String message = "";
        if (comm.rank() == root)
        {
            try
            {
                checkPortName(port);
                final String request;
                try
                {
                    request = store().take(REQUEST_KEY + port + ".", abortKey, 0);
                }
                catch (final IOException ex)
                {
                    throw kvsFailure(ex);
                }
                if (request == null)
                {
                    throw new MpiError(ErrorClass.ERR_SPAWN, "the spawned processes ended before connecting");
                }
                final String[] fields = request.split("\n", 4);
                try
                {
                    store().put(REPLY_KEY + fields[0], root + "\n" + names(comm));
                    store().get(REPLY_KEY + fields[0]);
                }
                catch (final IOException ex)
                {
                    throw kvsFailure(ex);
                }
                payload = (fields[1] + "\n" + fields[2] + "\n" + fields[3]).getBytes(StandardCharsets.UTF_8);
            }
            catch (final MpiError ex)
            {
                error = ex.errorClass();
                message = ErrorText.of(ex);
            }
        }
        return establish(comm, root, error, message, payload);
    }

    /**
     * Second half of connect and accept: the root broadcasts "seed\nremoteRoot\nnames" (or an error), then both
     * groups agree on the context ids.
     */
    private Communicator establish(final Communicator comm, final int root, final int rootError,
        final String rootMessage, final byte[] rootPayload)
    {
        final byte[] shared = bcast(comm, root, rootError, rootError != 0 ?
            rootMessage.getBytes(StandardCharsets.UTF_8) : rootPayload);
        final String[] fields = new String(shared, StandardCharsets.UTF_8).split("\n", 3);
        final int seed = Integer.parseInt(fields[0]);
        final int remoteRoot = Integer.parseInt(fields[1]);
        final String[] names = fields[2].split(",");
        final long[] remote = new long[names.length];
        for (int i = 0; i < names.length; i++)
        {
            final int colon = names[i].lastIndexOf(':');
            remote[i] = runtime.processKey(names[i].substring(0, colon), Integer.parseInt(names[i].substring(colon + 1)));
        }
        final int bridgeTag = TagSpace.bridge(seed);
        final long[] local = comm.localMembers().clone();
        final Communicator bridge = new Communicator(BRIDGE_CONTEXT, comm.rank(), local, remote, null, "");
        final int slot = factory.agreeAcross(comm, root, bridge, BRIDGE_CONTEXT, bridgeTag, remoteRoot);
        final int localSlot;
        try
        {
            localSlot = factory.dupAgreement(comm).run();
        }
        catch (final MpiError ex)
        {
            factory.allocator().release(slot);
            throw ex;
        }
        final Communicator localPart =
            new Communicator(ContextIdAllocator.contextOfSlot(localSlot), comm.rank(), local, "");
        final Communicator inter = new Communicator(ContextIdAllocator.contextOfSlot(slot), comm.rank(), local, remote,
            localPart, "");
        synchronized (jobReferences)
        {
            for (final String job : remoteJobs(inter))
            {
                jobReferences.put(job, jobReferences.getOrDefault(job, 0) + 1);
            }
        }
        return inter;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Spawn

    /**
     * MPI_Comm_spawn / MPI_Comm_spawn_multiple, collective over {@code comm}. {@code request} is significant at
     * {@code root} only (its parent port is filled in here). {@code errcodes} (may be null) gets one code per
     * process asked for, on every member.
     *
     * @throws MpiError ERR_SPAWN when the processes could not all be started (hard) or no allowed count could
     */
    public Communicator spawn(final Communicator comm, final int root, final SpawnRequest request,
        final int[] errcodes)
    {
        return spawn(comm, root, request, errcodes, null);
    }

    /**
     * As {@link #spawn(Communicator, int, SpawnRequest, int[])}; {@code rootError} (at root, may be null) is an
     * argument error found there, raised on every member without starting anything.
     */
    public Communicator spawn(final Communicator comm, final int root, final SpawnRequest request,
        final int[] errcodes, final MpiError rootError)
    {
        String port = null;
        int error = 0;
        byte[] payload = new byte[0];
        SpawnResult result = null;
        if (comm.rank() == root)
        {
            try
            {
                if (rootError != null)
                {
                    throw rootError;
                }
                final String sizeError = request.sizeError();
                if (sizeError != null)
                {
                    // Decided here, before the port and the launcher: its reply would hold one code per process.
                    throw new MpiError(ErrorClass.ERR_SPAWN, sizeError);
                }
                port = openPort();
                final SpawnRequest withPort = new SpawnRequest(port, request.javaHome(), request.classPath(),
                    request.parentDir(), request.apps());
                try
                {
                    result = store().spawn(withPort);
                }
                catch (final IOException ex)
                {
                    throw kvsFailure(ex);
                }
                error = result.errorClass();
                final StringBuilder text = new StringBuilder();
                for (final int code : result.errcodes())
                {
                    text.append(code).append(',');
                }
                text.append('\n').append(result.errorClass() != 0 ? result.message() : result.jobId());
                payload = text.toString().getBytes(StandardCharsets.UTF_8);
            }
            catch (final MpiError ex)
            {
                error = ex.errorClass();
                payload = ("\n" + ErrorText.of(ex)).getBytes(StandardCharsets.UTF_8);
            }
            if (error != 0 && port != null)
            {
                closeQuietly(port);
            }
        }
        final Shared outcome = bcastAll(comm, root, error, payload);
        final String[] shared = new String(outcome.payload(), StandardCharsets.UTF_8).split("\n", 2);
        if (errcodes != null && !shared[0].isEmpty())
        {
            final String[] codes = shared[0].split(",");
            for (int i = 0; i < codes.length && i < errcodes.length; i++)
            {
                errcodes[i] = Integer.parseInt(codes[i]);
            }
        }
        final int spawnError = outcome.error();
        if (spawnError == ErrorClass.ERR_SPAWN && errcodes != null && shared[0].isEmpty())
        {
            // Refused before the launcher gave one code per process: no process started.
            Arrays.fill(errcodes, ErrorClass.ERR_SPAWN);
        }
        if (spawnError != 0)
        {
            throw new MpiError(spawnError, shared.length > 1 ? shared[1] : "spawn failed");
        }
        try
        {
            return acceptWhile(comm, port, root, ENDED_KEY + shared[1]);
        }
        finally
        {
            if (comm.rank() == root)
            {
                closeQuietly(port);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Disconnect

    /**
     * MPI_Comm_disconnect: wait until both groups reached it (so the traffic before it is delivered), free the
     * communicator, and drop the connections to a job no intercommunicator reaches any more.
     */
    public void disconnect(final Communicator comm)
    {
        final Communicator local = comm.isInter() ? comm.localComm() : comm;
        final byte[] token = new byte[1];
        GroupExchange.allgather(p2p, local, local.collectiveContextId(), TagSpace.DISCONNECT, token);
        if (comm.isInter())
        {
            if (local.rank() == 0)
            {
                GroupExchange.swap(p2p, comm, comm.collectiveContextId(), TagSpace.DISCONNECT, 0, token, new byte[1]);
            }
            GroupExchange.bcast(p2p, local, local.collectiveContextId(), TagSpace.DISCONNECT, 0, token);
        }
        final Set<String> jobs = comm.isInter() ? remoteJobs(comm) : Set.of();
        factory.free(comm);
        for (final String job : jobs)
        {
            final boolean last;
            synchronized (jobReferences)
            {
                final Integer count = jobReferences.get(job);
                last = count != null && count <= 1;
                if (count != null)
                {
                    if (last)
                    {
                        jobReferences.remove(job);
                    }
                    else
                    {
                        jobReferences.put(job, count - 1);
                    }
                }
            }
            if (last)
            {
                runtime.forgetJob(job);
            }
        }
    }

    /** Intercommunicators from connect/accept/spawn still alive, per remote job (leak checks). */
    public int liveJobReferences()
    {
        synchronized (jobReferences)
        {
            int live = 0;
            for (final int references : jobReferences.values())
            {
                live += references;
            }
            return live;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private Set<String> remoteJobs(final Communicator inter)
    {
        final Set<String> jobs = new LinkedHashSet<>();
        for (final long key : inter.remoteMembers())
        {
            if (ProcessKeys.jobIndex(key) != 0)
            {
                final String name = runtime.processName(key);
                jobs.add(name.substring(0, name.lastIndexOf(':')));
            }
        }
        return jobs;
    }

    private String names(final Communicator comm)
    {
        final StringBuilder names = new StringBuilder();
        for (final long key : comm.localMembers())
        {
            names.append(names.length() == 0 ? "" : ",").append(runtime.processName(key));
        }
        return names.toString();
    }

    /** Root broadcasts (error, payload); everybody returns the payload, or throws the root's error. */
    private byte[] bcast(final Communicator comm, final int root, final int error, final byte[] payload)
    {
        final Shared shared = bcastAll(comm, root, error, payload);
        if (shared.error() != 0)
        {
            throw new MpiError(shared.error(), new String(shared.payload(), StandardCharsets.UTF_8));
        }
        return shared.payload();
    }

    /** What a root broadcast: its error class (0: none) and payload. */
    private record Shared(int error, byte[] payload)
    {
    }

    /** Root broadcasts (error, payload); everybody returns both. */
    private Shared bcastAll(final Communicator comm, final int root, final int error, final byte[] payload)
    {
        final byte[] header = new byte[HEADER_BYTES];
        final UnsafeBuffer view = new UnsafeBuffer(header);
        if (comm.rank() == root)
        {
            view.putInt(0, error);
            view.putInt(4, payload.length);
        }
        GroupExchange.bcast(p2p, comm, comm.collectiveContextId(), TagSpace.PROCESS_BCAST, root, header);
        final byte[] bytes = comm.rank() == root ? payload : new byte[view.getInt(4)];
        if (bytes.length > 0)
        {
            GroupExchange.bcast(p2p, comm, comm.collectiveContextId(), TagSpace.PROCESS_BCAST, root, bytes);
        }
        return new Shared(view.getInt(0), bytes);
    }

    private void closeQuietly(final String port)
    {
        try
        {
            closePort(port);
        }
        catch (final MpiError ignore)
        {
            // The port is private to this spawn; a failure to close it leaks one key.
        }
    }

    private static void checkPortName(final String port)
    {
        if (port == null || !port.startsWith(PORT_PREFIX) || port.indexOf(',') >= 0 || port.indexOf('\n') >= 0)
        {
            throw new MpiError(ErrorClass.ERR_PORT, "'" + port + "' is not a port name of MPI_Open_port");
        }
    }

    private KeyValueStore store()
    {
        return runtime.keyValueStore();
    }

    /*
     * The key-value calls are written out, not passed as lambdas to a helper: a lambda's first call links it, which
     * costs milliseconds in the new JVM of a spawned process, on the path of its MPI_Init.
     */
    private static MpiError kvsFailure(final IOException ex)
    {
        return new MpiError(ErrorClass.ERR_INTERN, "key-value service: " + ErrorText.of(ex), ex);
    }
}
