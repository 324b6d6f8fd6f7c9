package io.mpi4j.rdma;

import com.ibm.disni.verbs.IbvCQ;
import com.ibm.disni.verbs.IbvCompChannel;
import com.ibm.disni.verbs.IbvContext;
import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvPd;
import com.ibm.disni.verbs.IbvQP;
import com.ibm.disni.verbs.IbvQPInitAttr;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCmEvent;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.RdmaConnParam;
import com.ibm.disni.verbs.RdmaEventChannel;
import com.ibm.disni.verbs.SVCPollCq;
import com.ibm.disni.verbs.impl.NatIbvContext;
import io.mpi4j.rdma.natives.VerbsExtensions;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.ReadCompletions;
import io.mpi4j.transport.RemoteMemory;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.mpi4j.rdma.RdmaDescriptor.*;

/**
 * RDMA endpoint of one process over DiSNI's verbs: an rdma_cm listening id on the IP of the RDMA device's network
 * interface (its address {@code rdma:<ip>:<port>} goes into the key-value exchange), one protection domain and one
 * completion queue for everything, and one reliable-connected queue pair per ordered pair of processes:
 * {@link #connect} creates the sending side ({@link RdmaConnection}), a peer's connect request creates the receiving
 * side ({@link RdmaInbound}). Two processes that talk both ways hold two queue pairs, which keeps each one simple
 * (frames flow one way, credits the other) and makes simultaneous connects from both ends a non-event.
 * <p>
 * {@link #poll} does everything asynchronous: it drains the completion queue in batches (send retirements, RDMA READ
 * completions, received frames), delivers queued frames round-robin across peers, and turns the rdma_cm event
 * channel, which it reads without blocking: every call while a connection is being set up, else once per
 * millisecond (each read of the channel costs DiSNI an allocation).
 * <p>
 * Completion queue sizing: each endpoint reserves its worst-case number of completions; an endpoint that does not fit
 * is refused with a message naming {@link RdmaConfiguration#CQ_SIZE}, so the queue can never overflow.
 */
public final class RdmaTransport implements Transport
{
    static final int CM_TIMEOUT_MS = 2000;
    static final long CM_POLL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Backstop only: rdma_cm reports a dead or absent peer itself (REJECTED, UNREACHABLE). A live peer that does not
     * poll for a while is covered by the MRA rdma_cm sends on receiving the request (about 68 s of grace), so this is
     * longer than that.
     */
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    static final long CLOSE_LINGER_NS = TimeUnit.SECONDS.toNanos(2);
    static final int POLL_BATCH = 32;
    static final int LISTEN_BACKLOG = 256;

    private final RdmaConfiguration configuration;
    private final InetAddress ip;
    private final RdmaEventChannel channel;
    private final RdmaCmId listenId;
    private final IbvContext context;
    private final IbvPd pd;
    private final IbvCompChannel compChannel;
    private final IbvCQ cq;
    private final int cqEntries;
    private final IbvWC[] completions;
    private final SVCPollCq pollCall;
    private final String address;
    private final RdmaRemoteMemory remoteMemory;
    private final boolean atomics;
    private final IdentityHashMap<RdmaCmId, Object> endpointsById = new IdentityHashMap<>();
    private final List<RdmaConnection> connections = new ArrayList<>();
    private final List<RdmaInbound> inbounds = new ArrayList<>();
    private Object[] endpoints = new Object[64];
    private int nextEndpoint;
    private int cqReserved;
    private int settingUp;
    private long lastCmPollNs;
    private int nextInbound;
    private boolean deferredWork;
    private boolean closed;
    /** Reads that finished without a work completion, reported from the next poll. */
    private final ReadCompletions readResults = new ReadCompletions();

    private RdmaTransport(
        final RdmaConfiguration configuration,
        final InetAddress ip,
        final RdmaEventChannel channel,
        final RdmaCmId listenId,
        final IbvContext context,
        final IbvPd pd,
        final IbvCompChannel compChannel,
        final IbvCQ cq,
        final int cqEntries,
        final int port) throws IOException
    {
        this.cqEntries = cqEntries;
        this.configuration = configuration;
        this.ip = ip;
        this.channel = channel;
        this.listenId = listenId;
        this.context = context;
        this.pd = pd;
        this.compChannel = compChannel;
        this.cq = cq;
        this.completions = new IbvWC[POLL_BATCH];
        for (int i = 0; i < POLL_BATCH; i++)
        {
            completions[i] = new IbvWC();
        }
        this.pollCall = cq.poll(completions, POLL_BATCH);
        this.address = RdmaAddress.format(ip, port);
        this.atomics = queryAtomics(context);
        this.remoteMemory = new RdmaRemoteMemory(this);
    }

    /** Whether the device does 8-byte atomics (ibv_device_attr.atomic_cap); MPI4J_RDMA_ATOMICS=off says no. */
    private static boolean queryAtomics(final IbvContext context)
    {
        if ("off".equalsIgnoreCase(System.getenv(RdmaConfiguration.ATOMICS)))
        {
            return false;
        }
        try
        {
            return context instanceof NatIbvContext &&
                VerbsExtensions.atomicCapability(((NatIbvContext)context).getObjId()) > VerbsExtensions.ATOMIC_NONE;
        }
        catch (final IOException | LinkageError ex)
        {
            return false;
        }
    }

    /** Whether this process's device does 8-byte atomics for windows. */
    boolean atomics()
    {
        return atomics;
    }

    /**
     * Listen on the configured IP (or the RDMA device's interface address) with a port the system chooses, and create
     * the protection domain and completion queue on the device rdma_cm bound the listening id to.
     *
     * @throws IOException when any step fails; the message says which.
     */
    public static RdmaTransport open(final TransportContext context, final RdmaConfiguration configuration)
        throws IOException
    {
        final InetAddress ip = RdmaDevices.listenAddress(configuration.ip(), configuration.device());
        final RdmaEventChannel channel;
        try
        {
            channel = RdmaEventChannel.createEventChannel();
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            throw new IOException("rdma: cannot create an rdma_cm event channel: " + ex, ex);
        }
        if (null == channel)
        {
            throw new IOException("rdma: cannot create an rdma_cm event channel");
        }
        RdmaCmId listenId = null;
        IbvPd pd = null;
        IbvCompChannel compChannel = null;
        IbvCQ cq = null;
        try
        {
            listenId = channel.createId(RDMA_PS_TCP);
            if (null == listenId)
            {
                throw new IOException("rdma_create_id failed");
            }
            try
            {
                listenId.bindAddr(new InetSocketAddress(ip, 0));
            }
            catch (final IOException ex)
            {
                throw new IOException("cannot bind an rdma_cm id to " + ip.getHostAddress() + " (is it the address of " +
                    "an RDMA device's interface? set " + RdmaConfiguration.IP + "): " + ex.getMessage(), ex);
            }
            listenId.listen(LISTEN_BACKLOG);
            final SocketAddress bound = listenId.getSource();
            final int port = bound instanceof InetSocketAddress ? ((InetSocketAddress)bound).getPort() : 0;
            if (port <= 0)
            {
                throw new IOException("rdma_cm listening id has no port (bound to " + bound + ")");
            }
            final IbvContext verbs = listenId.getVerbs();
            if (null == verbs)
            {
                throw new IOException(ip.getHostAddress() + " is not the address of an RDMA device's interface " +
                    "(set " + RdmaConfiguration.IP + " or " + RdmaConfiguration.DEVICE + ")");
            }
            pd = verbs.allocPd();
            compChannel = verbs.createCompChannel();
            final int[] cqEntries = {configuration.cqSize()};
            cq = createCompletionQueue(verbs, compChannel, cqEntries);
            final RdmaTransport transport = new RdmaTransport(
                configuration, ip, channel, listenId, verbs, pd, compChannel, cq, cqEntries[0], port);
            listenId = null;
            pd = null;
            compChannel = null;
            cq = null;
            return transport;
        }
        catch (final IOException ex)
        {
            throw new IOException("rdma: cannot open the transport on " + ip.getHostAddress() + ": " + ex.getMessage(), ex);
        }
        finally
        {
            if (null != cq)
            {
                final IbvCQ toDestroy = cq;
                quietly(toDestroy::destroyCQ);
            }
            if (null != compChannel)
            {
                final IbvCompChannel toDestroy = compChannel;
                quietly(toDestroy::destroyCompChannel);
            }
            if (null != pd)
            {
                final IbvPd toDestroy = pd;
                quietly(() -> toDestroy.deallocPd());
            }
            if (null != listenId)
            {
                final RdmaCmId toDestroy = listenId;
                quietly(toDestroy::destroyId);
                quietly(channel::destroyEventChannel);
            }
        }
    }

    /** The largest queue the device accepts, halving from the configured size; the size used goes back in {@code size[0]}. */
    private static IbvCQ createCompletionQueue(final IbvContext verbs, final IbvCompChannel compChannel, final int[] size)
        throws IOException
    {
        IOException last = null;
        for (int entries = size[0]; entries >= 256; entries /= 2)
        {
            try
            {
                final IbvCQ cq = verbs.createCQ(compChannel, entries, 0);
                if (null != cq)
                {
                    size[0] = entries;
                    return cq;
                }
            }
            catch (final IOException ex)
            {
                last = ex;
            }
        }
        throw new IOException("cannot create a completion queue of " + size[0] + " entries or fewer" +
            (null != last ? ": " + last.getMessage() : ""), last);
    }

    /** {@inheritDoc} */
    public String name()
    {
        return RdmaTransportProvider.NAME;
    }

    /** {@inheritDoc} */
    public String address()
    {
        return address;
    }

    /** {@inheritDoc} A reliable connection through rdma_cm reaches any routable IP, this process's own included. */
    public boolean reaches(final String peerAddress)
    {
        return !closed && null != RdmaAddress.parse(peerAddress);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Starts rdma_cm's address resolution and returns at once: the peer may itself be inside {@code connect} to us.
     * The connection answers {@link Connection#INSUFFICIENT_CAPACITY} until the peer granted its first credits.
     */
    public Connection connect(final String peerAddress) throws IOException
    {
        if (closed)
        {
            throw new IllegalStateException("rdma transport is closed");
        }
        final InetSocketAddress peer = RdmaAddress.parse(peerAddress);
        if (null == peer)
        {
            throw new IOException("not an rdma address (rdma:<IPv4>:<port>): " + peerAddress);
        }
        final RdmaCmId id = channel.createId(RDMA_PS_TCP);
        if (null == id)
        {
            throw new IOException("rdma_create_id failed connecting to " + peerAddress);
        }
        final int endpoint;
        final RdmaConnection connection;
        try
        {
            endpoint = allocateEndpoint();
            connection = new RdmaConnection(this, endpoint, peerAddress, peer, id, configuration);
        }
        catch (final IOException | RuntimeException ex)
        {
            quietly(id::destroyId);
            throw ex;
        }
        try
        {
            reserveCompletions(connection.completionBudget(), peerAddress);
            connection.cqReservation(connection.completionBudget());
            id.resolveAddr(new InetSocketAddress(ip, 0), peer, CM_TIMEOUT_MS);
        }
        catch (final IOException | RuntimeException ex)
        {
            cqReserved -= connection.cqReservation();
            connection.cqReservation(0);
            connection.destroy();
            throw new IOException("rdma: cannot start connecting to " + peerAddress + ": " + ex.getMessage(), ex);
        }
        endpoints[endpoint] = connection;
        endpointsById.put(id, connection);
        connections.add(connection);
        settingUp++;
        return connection;
    }

    private int allocateEndpoint() throws IOException
    {
        if (nextEndpoint >= MAX_ENDPOINTS)
        {
            throw new IOException("rdma transport has used all " + MAX_ENDPOINTS + " queue pair slots");
        }
        if (nextEndpoint == endpoints.length)
        {
            endpoints = java.util.Arrays.copyOf(endpoints, Math.min(MAX_ENDPOINTS, endpoints.length * 2));
        }
        return nextEndpoint++;
    }

    private void reserveCompletions(final int entries, final String what) throws IOException
    {
        if (cqReserved + entries > cqEntries)
        {
            throw new IOException("completion queue of " + cqEntries + " entries is full (" + cqReserved +
                " reserved) and cannot take " + what + ": raise " + RdmaConfiguration.CQ_SIZE);
        }
        cqReserved += entries;
    }

    /** {@inheritDoc} */
    public int poll(final FrameHandler handler, final int frameLimit)
    {
        if (closed)
        {
            return 0;
        }
        int work = 0;
        if (settingUp > 0 || deferredWork)
        {
            work += pollConnectionManager();
            lastCmPollNs = System.nanoTime();
        }
        else
        {
            final long nowNs = System.nanoTime();
            if (nowNs - lastCmPollNs >= CM_POLL_INTERVAL_NS)
            {
                lastCmPollNs = nowNs;
                work += pollConnectionManager();
            }
        }
        work += pollCompletions(handler);
        work += deliverReadResults(handler);
        work += deliverFrames(handler, frameLimit);
        if (deferredWork)
        {
            maintain();
        }
        return work;
    }

    /** Drain the completion queue in batches; frames are queued on their inbound, reads reported at once. */
    private int pollCompletions(final FrameHandler handler)
    {
        int total = 0;
        for (int round = 0; round < 4; round++)
        {
            final int count;
            try
            {
                count = pollCall.execute().getPolls();
            }
            catch (final IOException ex)
            {
                failEverything("polling the completion queue failed: " + ex.getMessage());
                return total;
            }
            for (int i = 0; i < count; i++)
            {
                onCompletion(completions[i], handler);
            }
            total += count;
            if (count < POLL_BATCH)
            {
                break;
            }
        }
        return total;
    }

    private void onCompletion(final IbvWC wc, final FrameHandler handler)
    {
        final long workRequestId = wc.getWr_id();
        final int status = wc.getStatus();
        final int endpoint = RdmaDescriptor.endpoint(workRequestId);
        final Object owner = endpoint < endpoints.length ? endpoints[endpoint] : null;
        if (null == owner)
        {
            return; // A late completion (a flush) of an endpoint already destroyed.
        }
        switch (kind(workRequestId))
        {
            case KIND_SEND:
            case KIND_READ:
            case KIND_ONE_SIDED:
            {
                final RdmaConnection connection = (RdmaConnection)owner;
                final int readSlot = connection.onSendCompletion(workRequestId, status);
                if (readSlot >= 0)
                {
                    final long cookie = connection.readCookie(readSlot);
                    deregister(connection.finishRead(readSlot));
                    final String failure = IBV_WC_SUCCESS == status ? null :
                        "RDMA READ from " + connection.peerAddress() + " failed: " + wcStatusName(status);
                    if (null != handler)
                    {
                        handler.onReadComplete(cookie, failure);
                    }
                }
                if (connection.state() >= RdmaConnection.CLOSING)
                {
                    deferredWork = true;
                }
                break;
            }
            case KIND_RECV:
            {
                final RdmaInbound inbound = (RdmaInbound)owner;
                if (IBV_WC_SUCCESS == status)
                {
                    inbound.onReceive(slot(workRequestId), status, wc.getByte_len(), wc.getWc_flags(), wc.getImm_data());
                }
                else
                {
                    inbound.onReceive(slot(workRequestId), status, 0, 0, 0);
                }
                if (inbound.state() >= RdmaInbound.DRAINING || inbound.grantPending())
                {
                    deferredWork = true;
                }
                break;
            }
            case KIND_GRANT:
            {
                final RdmaInbound inbound = (RdmaInbound)owner;
                inbound.onGrantCompletion(workRequestId, status);
                if (inbound.grantPending() || inbound.state() >= RdmaInbound.DRAINING)
                {
                    deferredWork = true;
                }
                break;
            }
            default:
                break;
        }
    }

    /** Deliver up to {@code frameLimit} queued frames, starting one peer further each call (round-robin). */
    private int deliverFrames(final FrameHandler handler, final int frameLimit)
    {
        final int count = inbounds.size();
        if (0 == count || frameLimit <= 0)
        {
            return 0;
        }
        int index = nextInbound < count ? nextInbound : 0;
        nextInbound = index + 1;
        int delivered = 0;
        for (int visited = 0; visited < count && delivered < frameLimit; visited++)
        {
            final RdmaInbound inbound = inbounds.get(index);
            if (inbound.pendingFrames() > 0)
            {
                delivered += inbound.deliver(handler, frameLimit - delivered);
                if (inbound.grantPending() || inbound.isFinished())
                {
                    deferredWork = true;
                }
            }
            if (++index == count)
            {
                index = 0;
            }
        }
        return delivered;
    }

    private int deliverReadResults(final FrameHandler handler)
    {
        // A poll without a handler has nobody to tell: the results wait for one that has.
        return null == handler ? 0 : readResults.deliver(handler);
    }

    /** A read that finished without touching the wire (a failure known up front, or zero bytes): report from poll. */
    void queueReadResult(final long cookie, final String failure)
    {
        readResults.add(cookie, failure);
    }

    /** Slow path: owed grants, goodbyes, finished endpoints, set-up time-outs. */
    private void maintain()
    {
        deferredWork = false;
        int stillSettingUp = 0;
        for (int i = 0, size = connections.size(); i < size; i++)
        {
            stillSettingUp += connections.get(i).isConnecting() ? 1 : 0;
        }
        for (int i = 0, size = inbounds.size(); i < size; i++)
        {
            stillSettingUp += inbounds.get(i).state() == RdmaInbound.ACCEPTING ? 1 : 0;
        }
        settingUp = stillSettingUp;
        for (int i = inbounds.size() - 1; i >= 0; i--)
        {
            final RdmaInbound inbound = inbounds.get(i);
            if (inbound.grantPending())
            {
                inbound.grant();
                deferredWork |= inbound.grantPending();
            }
            if (inbound.isFinished())
            {
                destroyInbound(inbound);
            }
        }
        final long nowNs = System.nanoTime();
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final RdmaConnection connection = connections.get(i);
            final int state = connection.state();
            if (state == RdmaConnection.CLOSING)
            {
                if (!connection.tryPostGoodbye())
                {
                    deferredWork = true;
                }
                else if (connection.isDrained())
                {
                    destroyConnection(connection);
                }
                else
                {
                    deferredWork = true;
                }
            }
            else if (state < RdmaConnection.OPEN && nowNs - connection.startedNs() > CONNECT_TIMEOUT_NS)
            {
                connection.fail("rdma: connecting to " + connection.peerAddress() + " timed out after " +
                    TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s");
            }
            else if (state < RdmaConnection.OPEN)
            {
                deferredWork = true;
            }
        }
    }

    /** Read every pending rdma_cm event without blocking. */
    private int pollConnectionManager()
    {
        int events = 0;
        for (int i = 0; i < 64; i++)
        {
            final RdmaCmEvent event;
            try
            {
                event = channel.getCmEvent(0);
            }
            catch (final IOException ex)
            {
                failEverything("reading the rdma_cm event channel failed: " + ex.getMessage());
                return events;
            }
            if (null == event)
            {
                break;
            }
            events++;
            try
            {
                onCmEvent(event);
            }
            finally
            {
                quietly(event::ackEvent);
            }
        }
        if (settingUp > 0)
        {
            deferredWork = true;
        }
        return events;
    }

    private void onCmEvent(final RdmaCmEvent event)
    {
        final int type = event.getEvent();
        if (CM_CONNECT_REQUEST == type)
        {
            onConnectRequest(event.getConnIdPriv());
            return;
        }
        final RdmaCmId id = event.getConnIdPriv();
        final Object owner = null != id ? endpointsById.get(id) : null;
        if (owner instanceof RdmaConnection)
        {
            onConnectionEvent((RdmaConnection)owner, type);
        }
        else if (owner instanceof RdmaInbound)
        {
            onInboundEvent((RdmaInbound)owner, type);
        }
        else if (CM_DEVICE_REMOVAL == type)
        {
            failEverything("the RDMA device was removed");
        }
    }

    private void onConnectionEvent(final RdmaConnection connection, final int type)
    {
        final boolean wasSettingUp = connection.isConnecting();
        try
        {
            switch (type)
            {
                case CM_ADDR_RESOLVED:
                    connection.onAddressResolved();
                    connection.id().resolveRoute(CM_TIMEOUT_MS);
                    break;
                case CM_ROUTE_RESOLVED:
                {
                    final IbvQP qp = createQueuePair(connection.id(), configuration.credits(), 1);
                    connection.onRouteResolved(qp);
                    connection.id().connect(connectionParameters());
                    break;
                }
                case CM_ESTABLISHED:
                    connection.onEstablished();
                    break;
                case CM_DISCONNECTED:
                    if (connection.state() == RdmaConnection.CLOSING)
                    {
                        // The peer went first: nothing more can reach it, so there is nothing to linger for.
                        destroyConnection(connection);
                        return;
                    }
                    connection.fail("rdma peer " + connection.peerAddress() + " disconnected (finalized or died)");
                    // The passive side must move its queue pair to error itself: outstanding reads then complete with
                    // a flush error at once instead of after the retry time-out.
                    quietly(connection.id()::disconnect);
                    break;
                case CM_TIMEWAIT_EXIT:
                case CM_CONNECT_RESPONSE:
                    break;
                case CM_REJECTED:
                    connection.fail("rdma peer " + connection.peerAddress() + " rejected the connection (no process " +
                        "listens there any more: finalized or died?)");
                    break;
                default:
                    connection.fail("rdma_cm " + cmEventName(type) + " connecting to " + connection.peerAddress());
                    break;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            connection.fail("rdma: connecting to " + connection.peerAddress() + " failed after " + cmEventName(type) +
                ": " + ex.getMessage());
        }
        if (wasSettingUp && !connection.isConnecting())
        {
            settingUp--;
        }
        if (connection.closeRequested() || connection.state() >= RdmaConnection.CLOSING)
        {
            deferredWork = true;
        }
    }

    private void onInboundEvent(final RdmaInbound inbound, final int type)
    {
        switch (type)
        {
            case CM_ESTABLISHED:
                inbound.onEstablished();
                settingUp--;
                break;
            case CM_DISCONNECTED:
            case CM_CONNECT_ERROR:
            case CM_UNREACHABLE:
            case CM_REJECTED:
                if (inbound.state() == RdmaInbound.ACCEPTING)
                {
                    settingUp--;
                }
                inbound.onDisconnected();
                deferredWork = true;
                break;
            default:
                break;
        }
    }

    /**
     * A peer connects: create its queue pair, post every receive buffer, accept. A connection that cannot be set up
     * is dropped by destroying its id, which rdma_cm reports to the peer as a reject.
     */
    private void onConnectRequest(final RdmaCmId id)
    {
        if (null == id)
        {
            return;
        }
        RdmaInbound inbound = null;
        try
        {
            final int endpoint = allocateEndpoint();
            inbound = new RdmaInbound(this, endpoint, id, configuration);
            reserveCompletions(inbound.completionBudget(), "another incoming connection");
            inbound.cqReservation(inbound.completionBudget());
            inbound.onQueuePair(createQueuePair(id, 8, configuration.credits() + 1));
            endpoints[endpoint] = inbound;
            endpointsById.put(id, inbound);
            inbounds.add(inbound);
            settingUp++;
            id.accept(connectionParameters());
        }
        catch (final IOException | RuntimeException ex)
        {
            warn("refusing an incoming connection: " + ex.getMessage());
            if (null != inbound)
            {
                destroyInbound(inbound);
            }
            else
            {
                quietly(id::destroyId);
            }
        }
    }

    private IbvQP createQueuePair(final RdmaCmId id, final int sendDepth, final int receiveDepth) throws IOException
    {
        final IbvQPInitAttr attributes = new IbvQPInitAttr();
        attributes.cap().setMax_send_wr(sendDepth);
        attributes.cap().setMax_recv_wr(receiveDepth);
        attributes.cap().setMax_send_sge(1);
        attributes.cap().setMax_recv_sge(1);
        attributes.cap().setMax_inline_data(configuration.inlineLimit());
        attributes.setQp_type(IbvQP.IBV_QPT_RC);
        attributes.setSend_cq(cq);
        attributes.setRecv_cq(cq);
        final IbvQP qp = id.createQP(pd, attributes);
        if (null == qp)
        {
            throw new IOException("rdma_create_qp failed (send " + sendDepth + ", receive " + receiveDepth +
                ", inline " + configuration.inlineLimit() + ")");
        }
        return qp;
    }

    private static RdmaConnParam connectionParameters() throws IOException
    {
        final RdmaConnParam parameters = new RdmaConnParam();
        parameters.setRetry_count((byte)7);
        // 7 = retry forever on receiver-not-ready; credits make that case impossible except for the goodbye race.
        parameters.setRnr_retry_count((byte)7);
        return parameters;
    }

    /** The user closed a connection that never opened or has failed: free it now. */
    void onConnectionClosed(final RdmaConnection connection)
    {
        if (connection.isConnecting())
        {
            settingUp--;
        }
        destroyConnection(connection);
    }

    private void destroyConnection(final RdmaConnection connection)
    {
        final int busy = connection.readsBusy();
        for (int slot = 0; slot < RdmaConnection.MAX_READS; slot++)
        {
            if ((busy & (1 << slot)) != 0)
            {
                queueReadResult(connection.readCookie(slot), "rdma connection to " + connection.peerAddress() +
                    " closed before the read finished");
            }
        }
        connection.destroy();
        connections.remove(connection);
        endpointsById.remove(connection.id());
        endpoints[connection.endpoint()] = null;
        cqReserved -= connection.cqReservation();
        connection.cqReservation(0);
    }

    private void destroyInbound(final RdmaInbound inbound)
    {
        inbound.destroy();
        inbounds.remove(inbound);
        endpointsById.remove(inbound.id());
        if (inbound.endpoint() < endpoints.length && endpoints[inbound.endpoint()] == inbound)
        {
            endpoints[inbound.endpoint()] = null;
        }
        cqReserved -= inbound.cqReservation();
        inbound.cqReservation(0);
    }

    private void failEverything(final String reason)
    {
        for (final RdmaConnection connection : connections)
        {
            connection.fail("rdma transport " + address + " broke: " + reason);
        }
        for (final RdmaInbound inbound : inbounds)
        {
            inbound.onDisconnected();
        }
        deferredWork = true;
    }

    /** {@inheritDoc} */
    public int maxFrameLength()
    {
        return configuration.maxFrameLength();
    }

    /** {@inheritDoc} */
    public int eagerLimit()
    {
        return configuration.eagerLimit();
    }

    /** {@inheritDoc} RDMA READ of regions the peer exposed, with a registration cache for pinned buffers. */
    public RemoteMemory remoteMemory()
    {
        return remoteMemory;
    }

    public RdmaConfiguration configuration()
    {
        return configuration;
    }

    /** Register a direct buffer with the protection domain (slow path: connection setup, pins). */
    IbvMr register(final ByteBuffer buffer, final int access) throws IOException
    {
        final IbvMr mr = pd.regMr(buffer, access).execute().free().getMr();
        if (null == mr)
        {
            throw new IOException("ibv_reg_mr of " + buffer.capacity() + " bytes failed");
        }
        return mr;
    }

    /** Register native memory; null when the device refuses (locked-memory limit, bad address). */
    IbvMr tryRegister(final long address, final int length, final int access)
    {
        try
        {
            return pd.regMr(address, length, access).execute().free().getMr();
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /** Deregister {@code mr} (nothing when null); returns null, for {@code field = deregister(field)}. */
    IbvMr deregister(final IbvMr mr)
    {
        if (null != mr)
        {
            quietly(() -> mr.deregMr().execute().free());
        }
        return null;
    }

    /** The open connection behind {@code connection}, for RDMA READ; null when it belongs to another transport. */
    RdmaConnection ownConnection(final Connection connection)
    {
        if (connection instanceof RdmaConnection)
        {
            final RdmaConnection rdma = (RdmaConnection)connection;
            final int endpoint = rdma.endpoint();
            return endpoint < endpoints.length && endpoints[endpoint] == rdma ? rdma : null;
        }
        return null;
    }

    void warn(final String message)
    {
        System.err.println("mpi4j: rdma: " + message);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Every open connection says goodbye first, and the queue pairs linger up to two seconds until their frames are
     * acknowledged, so frames committed just before {@code MPI_Finalize} still arrive.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        for (final RdmaConnection connection : new ArrayList<>(connections))
        {
            if (connection.state() == RdmaConnection.OPEN)
            {
                connection.startClosing();
            }
        }
        final long deadline = System.nanoTime() + CLOSE_LINGER_NS;
        while (System.nanoTime() - deadline < 0 && hasLingeringConnections())
        {
            pollCompletions(null);
            pollConnectionManager();
            maintain();
            Thread.onSpinWait();
        }
        closed = true;
        for (final RdmaConnection connection : new ArrayList<>(connections))
        {
            destroyConnection(connection);
        }
        for (final RdmaInbound inbound : new ArrayList<>(inbounds))
        {
            destroyInbound(inbound);
        }
        remoteMemory.close();
        pollCall.free();
        quietly(cq::destroyCQ);
        quietly(compChannel::destroyCompChannel);
        quietly(() -> pd.deallocPd());
        quietly(listenId::destroyId);
        quietly(channel::destroyEventChannel);
    }

    private boolean hasLingeringConnections()
    {
        for (final RdmaConnection connection : connections)
        {
            if (connection.state() == RdmaConnection.CLOSING)
            {
                return true;
            }
        }
        return false;
    }

    /** Test hook: connections and inbounds alive. */
    int endpointCount()
    {
        return connections.size() + inbounds.size();
    }

    public String toString()
    {
        return "RdmaTransport{" + address + ", " + configuration + '}';
    }

    @FunctionalInterface
    interface Teardown
    {
        void run() throws Exception;
    }

    /** Best-effort teardown step: the resource is going away either way. */
    static void quietly(final Teardown step)
    {
        try
        {
            step.run();
        }
        catch (final Exception | LinkageError ignore)
        {
            // Nothing more can be done for a resource that fails to go away.
        }
    }
}
