package io.mpi4j.tcp;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.PeerLossListener;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * TCP endpoint of one process: a listening socket on the configured address, the {@link TcpInbound}s it accepted and
 * the {@link TcpConnection}s this process opened, all non-blocking and registered with one selector that
 * {@link #poll} checks without waiting: no thread of its own.
 * <p>
 * A process with no TCP connection (a job on one node, where shared memory carries everything) checks its listening
 * socket once a millisecond instead of on every poll, so the transport costs the others' latency nothing.
 * <p>
 * With few authenticated inbound connections ({@link #DIRECT_READ_LIMIT}) and none being set up, a poll reads each
 * inbound socket directly, one non-blocking read each, and asks the selector only every {@link #SELECT_INTERVAL_NS}
 * (new connections, peers closing the connections this process opened): a frame costs the one read that brings it
 * rather than a select, that read and one more that finds the socket empty. With more inbound connections the
 * selector says which ones to read.
 * <p>
 * Accepted connections must authenticate ({@link TcpHandshake}) within the configured time; at most
 * {@link #MAX_UNAUTHENTICATED} wait at once (the oldest is dropped for a newer one), each holding two small
 * fixed-size buffers. A connection that fails (garbage on the stream, an end in the middle of a frame) is closed and
 * reported on stderr with the peer's name; the other connections are unaffected. A connection that ends without
 * its sender's goodbye record ({@link FrameRecord}) means a lost peer: the {@link PeerLossListener} hears of it.
 */
public final class TcpTransport implements Transport
{
    /** How long {@link #close} and {@link TcpConnection#close} keep writing committed frames. */
    static final long LINGER_NS = TimeUnit.SECONDS.toNanos(2);
    static final long IDLE_ACCEPT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How often a poll that reads its inbound sockets directly also selects. */
    static final long SELECT_INTERVAL_NS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Up to this many inbound connections, reading each socket costs less than selecting which to read. */
    static final int DIRECT_READ_LIMIT = 4;
    static final int MAX_UNAUTHENTICATED = 64;
    private static final int ACCEPTS_PER_POLL = 16;
    /** Refusals reported on stderr per process: enough to diagnose, not enough for a port scan to flood the output. */
    private static final int MAX_REFUSAL_WARNINGS = 8;

    private final TransportContext context;
    private final TcpConfiguration configuration;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final TcpHandshake handshake;
    private final String address;
    private final String endpoint;
    private final List<TcpConnection> connections = new ArrayList<>();
    private final List<TcpInbound> inbounds = new ArrayList<>();
    private final ArrayDeque<TcpInbound> unauthenticated = new ArrayDeque<>();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private Consumer<String> warnings = TcpTransport::printWarning;
    private PeerLossListener peerLossListener;
    private FrameHandler handler;
    private int frameLimit;
    private int nextInbound;
    private int refusals;
    private long lastSelectNs;
    /** Connections of this process still connecting or waiting for the challenge, at the last poll. */
    private int connectionsSettingUp;
    private boolean closed;

    private TcpTransport(final TransportContext context, final TcpConfiguration configuration,
        final ServerSocketChannel listener, final Selector selector, final byte[] key) throws IOException
    {
        this.context = context;
        this.configuration = configuration;
        this.listener = listener;
        this.selector = selector;
        this.handshake = new TcpHandshake(key);
        final InetSocketAddress local = (InetSocketAddress)listener.getLocalAddress();
        this.endpoint = TcpAddress.endpoint(local);
        this.address = TcpAddress.format(local.getAddress(), local.getPort(), key, context.jobId(),
            context.processIndex(), context.nodeId());
    }

    /**
     * Listen on an ephemeral port of the configured address.
     *
     * @throws IOException when the socket cannot be bound there.
     */
    public static TcpTransport open(final TransportContext context, final TcpConfiguration configuration)
        throws IOException
    {
        final String jobId = context.jobId();
        if (null == jobId || jobId.isEmpty() || jobId.indexOf('/') >= 0 ||
            jobId.length() > TcpHandshake.MAX_JOB_ID_LENGTH || context.processIndex() < 0)
        {
            throw new IOException("tcp: unusable job id '" + jobId + "' or process index " + context.processIndex());
        }
        ServerSocketChannel listener = null;
        Selector selector = null;
        try
        {
            listener = ServerSocketChannel.open();
            // Accepted sockets inherit the receive buffer, and its size must be known before the handshake fixes
            // the window scale.
            if (configuration.socketBufferSize() > 0)
            {
                listener.setOption(StandardSocketOptions.SO_RCVBUF, configuration.socketBufferSize());
            }
            listener.bind(new InetSocketAddress(configuration.bindAddress(), 0), 128);
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            return new TcpTransport(context, configuration, listener, selector, TcpHandshake.newKey());
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(selector);
            closeQuietly(listener);
            throw new IOException("tcp: cannot listen on " + configuration.bindAddress().getHostAddress() + ": " +
                ex.getMessage(), ex);
        }
    }

    /** {@inheritDoc} */
    public String name()
    {
        return TcpTransportProvider.NAME;
    }

    /** {@inheritDoc} */
    public String address()
    {
        return address;
    }

    /** {@inheritDoc} Any well-formed address, except a loopback one published on another node. */
    public boolean reaches(final String peerAddress)
    {
        final TcpAddress peer = TcpAddress.parse(peerAddress);
        return null != peer &&
            (!peer.socketAddress.getAddress().isLoopbackAddress() || peer.nodeId.equals(context.nodeId()));
    }

    /** {@inheritDoc} The listener's key is left out: it is what admits a connection to this job. */
    public String printable(final String peerAddress)
    {
        final TcpAddress peer = TcpAddress.parse(peerAddress);
        return null == peer ? TcpAddress.SCHEME + "(malformed)" :
            TcpAddress.SCHEME + peer.socketAddress.getAddress().getHostAddress() + ":" + peer.socketAddress.getPort() +
            " (node " + peer.nodeId + ")";
    }

    /**
     * {@inheritDoc} Non-blocking: the handshake completes in {@link #poll}; frames may be claimed meanwhile. When the
     * peer has already connected to this process (and authenticated), its socket carries this process's frames back
     * instead: see {@link TcpConnection}.
     */
    public Connection connect(final String peerAddress) throws IOException
    {
        if (closed)
        {
            throw new IllegalStateException("tcp transport is closed");
        }
        final TcpAddress peer = TcpAddress.parse(peerAddress);
        if (null == peer)
        {
            throw new IOException("not a tcp address: " + peerAddress);
        }
        if (!reaches(peerAddress))
        {
            throw new IOException("tcp peer " + peer.describe() + " listens on loopback of another node");
        }
        final TcpInbound inbound = acceptedFrom(peer.jobId, peer.processIndex);
        if (null != inbound)
        {
            final TcpConnection connection = TcpConnection.over(this, peer, inbound, configuration.maxFrameLength(),
                configuration.bufferSize());
            inbound.writer(connection);
            connections.add(connection);
            return connection;
        }
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (configuration.socketBufferSize() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, configuration.socketBufferSize());
            }
            final boolean connected = channel.connect(peer.socketAddress);
            final TcpConnection connection = new TcpConnection(this, peer, channel, configuration.maxFrameLength(),
                configuration.bufferSize());
            final SelectionKey key = channel.register(selector,
                connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, connection);
            connection.registered(key, connected);
            connections.add(connection);
            // Selected on every poll until set up, from the next poll on.
            connectionsSettingUp++;
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel);
            throw new IOException("cannot connect to tcp peer " + peer.describe() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * An open, authenticated socket that process {@code processIndex} of job {@code jobId} connected to this process
     * and that carries nothing back yet, or null.
     */
    private TcpInbound acceptedFrom(final String jobId, final int processIndex)
    {
        for (int i = 0; i < inbounds.size(); i++)
        {
            final TcpInbound inbound = inbounds.get(i);
            if (inbound.isOpen() && null == inbound.writer() && processIndex == inbound.peerProcessIndex() &&
                jobId.equals(inbound.peerJobId()))
            {
                return inbound;
            }
        }
        return null;
    }

    /** {@code connection}'s own socket is set up: switch to the peer's if both connected at once. */
    void connectionReady(final TcpConnection connection)
    {
        final TcpInbound inbound = acceptedFrom(connection.peer().jobId, connection.peer().processIndex);
        if (null != inbound)
        {
            switchIfHigher(inbound);
        }
    }

    /**
     * Both this process and {@code inbound}'s peer opened a socket to the other: if this process is the higher of the
     * two, its connection moves to the peer's socket (once its own is set up and no frame is claimed; else when it
     * is, see {@link #connectionReady}).
     */
    private void switchIfHigher(final TcpInbound inbound)
    {
        if (null != inbound.writer() || !higherThan(inbound.peerJobId(), inbound.peerProcessIndex()))
        {
            return;
        }
        for (int i = 0; i < connections.size(); i++)
        {
            final TcpConnection connection = connections.get(i);
            final TcpAddress peer = connection.peer();
            if (connection.ownsSocket() && TcpConnection.READY == connection.state() && connection.idle() &&
                !connection.closeRequested() && peer.processIndex == inbound.peerProcessIndex() &&
                peer.jobId.equals(inbound.peerJobId()))
            {
                connections.add(connection.switchTo(inbound));
                return;
            }
        }
    }

    /** Whether this process comes after process {@code processIndex} of job {@code jobId} (job id, then index). */
    private boolean higherThan(final String jobId, final int processIndex)
    {
        final int byJob = context.jobId().compareTo(jobId);
        return byJob > 0 || (0 == byJob && context.processIndex() > processIndex);
    }

    /**
     * Whether a socket that the given process opened to this one may still carry its earlier frames: it is open, or
     * a connection accepted before {@code switchedNs} (the peer had this process's challenge before it switched) is
     * still authenticating and may be it.
     */
    boolean drainingFrom(final String jobId, final int processIndex, final long switchedNs)
    {
        for (final TcpInbound waiting : unauthenticated)
        {
            if (waiting.acceptedNs() - switchedNs <= 0)
            {
                return true;
            }
        }
        return null != acceptedFrom(jobId, processIndex);
    }

    /** The reading side of a socket this process opened, made when the peer first sends (or ends) on it. */
    TcpInbound readerOf(final TcpConnection connection)
    {
        TcpInbound reader = connection.reader();
        if (null == reader)
        {
            reader = TcpInbound.readerOf(connection, configuration.maxFrameLength());
            connection.reader(reader);
            inbounds.add(reader);
        }
        return reader;
    }

    /** {@inheritDoc} */
    public int poll(final FrameHandler handler, final int frameLimit)
    {
        if (closed)
        {
            return 0;
        }
        final boolean idle = connections.isEmpty() && inbounds.isEmpty() && unauthenticated.isEmpty();
        final boolean directReads = inbounds.size() <= DIRECT_READ_LIMIT;
        int work = 0;
        if (idle || (directReads && 0 == connectionsSettingUp && unauthenticated.isEmpty()))
        {
            final long nowNs = System.nanoTime();
            if (nowNs - lastSelectNs >= (idle ? IDLE_ACCEPT_INTERVAL_NS : SELECT_INTERVAL_NS))
            {
                lastSelectNs = nowNs;
                work = select();
            }
            if (idle)
            {
                return work;
            }
        }
        else
        {
            work = select();
        }
        if (!unauthenticated.isEmpty())
        {
            expireUnauthenticated();
        }
        work += serviceConnections();
        return work + deliver(handler, frameLimit, directReads);
    }

    private int select()
    {
        try
        {
            return selector.selectNow(onSelected);
        }
        catch (final IOException ex)
        {
            warn("selecting ready sockets failed: " + ex.getMessage());
            return 0;
        }
    }

    private void onSelected(final SelectionKey key)
    {
        final Object attachment = key.attachment();
        if (!key.isValid())
        {
            return;
        }
        final int readyOps = key.readyOps();
        if (attachment instanceof TcpConnection connection)
        {
            connection.onReady(readyOps);
        }
        else if (attachment instanceof TcpInbound inbound)
        {
            if (TcpInbound.AUTHENTICATING == inbound.state())
            {
                final String problem = inbound.authenticate(handshake, configuration.maxFrameLength());
                if (null != problem)
                {
                    refuse(inbound, problem);
                }
                else if (TcpInbound.OPEN == inbound.state())
                {
                    unauthenticated.remove(inbound);
                    inbounds.add(inbound);
                    switchIfHigher(inbound);
                }
            }
            else
            {
                inbound.markReadable();
            }
        }
        else
        {
            accept();
        }
    }

    private void accept()
    {
        for (int i = 0; i < ACCEPTS_PER_POLL; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.accept();
            }
            catch (final IOException ex)
            {
                // Out of descriptors, a connection reset while queued: the listener itself still works.
                return;
            }
            if (null == channel)
            {
                return;
            }
            if (unauthenticated.size() >= MAX_UNAUTHENTICATED)
            {
                // A genuine peer answers within microseconds: the oldest waiting connection is the likeliest idle one.
                refuse(unauthenticated.peekFirst(), "too many connections waiting to authenticate");
            }
            InetSocketAddress remote = null;
            try
            {
                remote = (InetSocketAddress)channel.getRemoteAddress();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final TcpInbound inbound = new TcpInbound(channel, remote, System.nanoTime());
                final String problem = inbound.sendChallenge(handshake);
                if (null != problem)
                {
                    refuse(inbound, problem);
                    continue;
                }
                channel.register(selector, SelectionKey.OP_READ, inbound);
                unauthenticated.addLast(inbound);
            }
            catch (final IOException | RuntimeException ex)
            {
                closeQuietly(channel);
            }
        }
    }

    private void expireUnauthenticated()
    {
        final long nowNs = System.nanoTime();
        TcpInbound oldest;
        while (null != (oldest = unauthenticated.peekFirst()) &&
            nowNs - oldest.acceptedNs() >= configuration.authenticationTimeoutNs())
        {
            refuse(oldest, "it did not authenticate within " +
                TimeUnit.NANOSECONDS.toMillis(configuration.authenticationTimeoutNs()) + " ms");
        }
    }

    private void refuse(final TcpInbound inbound, final String reason)
    {
        unauthenticated.remove(inbound);
        inbound.close();
        if (++refusals <= MAX_REFUSAL_WARNINGS)
        {
            warn("refused " + inbound.peerName() + " to " + endpoint + ": " + reason +
                (refusals == MAX_REFUSAL_WARNINGS ? " (further refusals are not reported)" : ""));
        }
    }

    /** Write what backlogged connections have queued; finish closes; drop connections that are gone. */
    private int serviceConnections()
    {
        int work = 0;
        int settingUp = 0;
        for (int i = connections.size() - 1; i >= 0; i--)
        {
            final TcpConnection connection = connections.get(i);
            if (connection.state() < TcpConnection.READY)
            {
                settingUp++;
            }
            if (connection.hasFramesPending())
            {
                work += connection.flush() > 0 ? 1 : 0;
            }
            if (connection.closeRequested() && !connection.isFinished() &&
                (!connection.hasFramesPending() || System.nanoTime() - connection.closeDeadlineNs() >= 0))
            {
                connection.closeNow();
            }
            if (connection.isFinished())
            {
                connections.remove(i);
            }
        }
        connectionsSettingUp = settingUp;
        return work;
    }

    /** Round-robin from a start that advances by one per call, so a busy peer cannot starve the others. */
    private int deliver(final FrameHandler handler, final int frameLimit, final boolean directReads)
    {
        final int count = inbounds.size();
        if (0 == count)
        {
            return 0;
        }
        int index = nextInbound < count ? nextInbound : 0;
        nextInbound = index + 1;
        int delivered = 0;
        for (int visited = 0; visited < count && delivered < frameLimit; visited++)
        {
            final TcpInbound inbound = inbounds.get(index);
            if (directReads)
            {
                inbound.markReadable();
            }
            delivered += inbound.deliver(handler, frameLimit - delivered, configuration.maxFrameLength(),
                this);
            if (++index == count)
            {
                index = 0;
            }
        }
        for (int i = count - 1; i >= 0; i--)
        {
            if (TcpInbound.CLOSED == inbounds.get(i).state())
            {
                inbounds.remove(i);
            }
        }
        return delivered;
    }

    /**
     * An authenticated connection ended at a frame boundary: its sender is done with it. What this process sends on
     * the same socket ends with its goodbye; a socket that carried nothing back gets the goodbye too. Then it closes.
     */
    void inboundClosed(final TcpInbound inbound)
    {
        final TcpConnection writer = inbound.writer();
        if (null == writer)
        {
            inbound.sayGoodbye();
        }
        else
        {
            writer.peerEnded();
        }
        inbound.close();
    }

    /** An authenticated connection cannot go on: say who and why, and drop only that connection. */
    void inboundFailed(final TcpInbound inbound, final String reason)
    {
        failWriter(inbound, reason);
        inbound.close();
        warn("connection from " + inbound.peerName() + " to " + endpoint + " failed: " + reason +
            "; its frames from here on are lost");
    }

    /**
     * An authenticated connection ended without its sender's goodbye: the sending process is lost. A truncated frame
     * is also worth a warning of its own (it says what was cut); either way the listener decides what the loss means.
     */
    void inboundLost(final TcpInbound inbound, final String reason)
    {
        if (inbound.midFrame())
        {
            inboundFailed(inbound, reason);
        }
        else
        {
            failWriter(inbound, reason);
            inbound.close();
        }
        final PeerLossListener listener = peerLossListener;
        if (null != listener)
        {
            listener.peerLost(inbound.peerJobId(), inbound.peerProcessIndex(), inbound.peerEndpoint(), reason);
        }
    }

    /** What this process sent on the socket is lost with it: later claims say why. */
    private static void failWriter(final TcpInbound inbound, final String reason)
    {
        final TcpConnection writer = inbound.writer();
        if (null != writer)
        {
            writer.fail(writer.peerName() + " is gone: " + reason);
        }
    }

    /** {@inheritDoc} */
    public void peerLossListener(final PeerLossListener listener)
    {
        this.peerLossListener = listener;
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

    public TcpConfiguration configuration()
    {
        return configuration;
    }

    TransportContext context()
    {
        return context;
    }

    TcpHandshake handshake()
    {
        return handshake;
    }

    /** Where warnings go (stderr by default; tests collect them). */
    void warnings(final Consumer<String> sink)
    {
        this.warnings = sink;
    }

    int authenticatedInbounds()
    {
        return inbounds.size();
    }

    int unauthenticatedInbounds()
    {
        return unauthenticated.size();
    }

    private void warn(final String message)
    {
        warnings.accept(message);
    }

    private static void printWarning(final String message)
    {
        System.err.println("mpi4j: tcp: " + message);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Committed frames still go out first, for up to {@link #LINGER_NS}: a frame committed just before
     * {@code MPI_Finalize} may still sit in a send buffer.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        // Every connection ends with its goodbye, so that its receiver does not take this close for a death.
        for (int i = 0; i < connections.size(); i++)
        {
            connections.get(i).close();
        }
        // Accepting and authenticating go on meanwhile (a process's connection to itself needs both); frames that
        // arrive are not delivered any more.
        final long deadlineNs = System.nanoTime() + LINGER_NS;
        while (anyFramesPending() && System.nanoTime() - deadlineNs < 0)
        {
            select();
            for (int i = 0; i < connections.size(); i++)
            {
                connections.get(i).flush();
            }
            if (anyFramesPending())
            {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
        closed = true;
        for (final TcpConnection connection : connections)
        {
            connection.closeNow();
        }
        connections.clear();
        for (final TcpInbound inbound : inbounds)
        {
            if (null == inbound.writer())
            {
                inbound.sayGoodbye();
            }
            inbound.close();
        }
        inbounds.clear();
        for (final TcpInbound inbound : unauthenticated)
        {
            inbound.close();
        }
        unauthenticated.clear();
        closeQuietly(listener);
        closeQuietly(selector);
    }

    private boolean anyFramesPending()
    {
        for (int i = 0; i < connections.size(); i++)
        {
            final TcpConnection connection = connections.get(i);
            if (!connection.isFinished() && connection.hasFramesPending())
            {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // Releasing resources on a failure path: the first error is the one reported.
            }
        }
    }

    public String toString()
    {
        return "TcpTransport{" + endpoint + ", " + configuration + '}';
    }
}
