package io.mpi4j.transport;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An in-process {@link Transport} for unit tests: several "processes" in one JVM, each with its own endpoint, joined
 * by a {@link LoopbackNetwork}. It keeps the SPI's promises (frames of one connection in commit order, none lost or
 * duplicated, fair polling across connections, bytes valid only during the callback) and checks the caller keeps
 * its side (claims committed or aborted one at a time, no poll from inside a handler). Senders may run on other
 * threads than the receiver, as processes would.
 */
public final class LoopbackTransport implements Transport
{
    public static final String NAME = "loop";
    private static final int DELIVERY_STEP = 8;
    private static final int DELIVERY_SPREAD = 5;
    private static final int COUNTED_FRAME_TYPES = 16;

    private final LoopbackNetwork network;
    private final String address;
    private final List<LoopbackConnection> incoming = new CopyOnWriteArrayList<>();
    private final Queue<PendingRead> pendingReads = new ConcurrentLinkedQueue<>();
    private final UnsafeBuffer delivery;
    private final AtomicLongArray sentByType = new AtomicLongArray(COUNTED_FRAME_TYPES);
    private final LoopbackRemoteMemory remoteMemory;
    private int nextStart;
    private long delivered;
    private boolean polling;
    private volatile boolean closed;

    LoopbackTransport(final LoopbackNetwork network, final String address)
    {
        this.network = network;
        this.address = address;
        this.delivery = new UnsafeBuffer(new byte[network.maxFrameLength() + DELIVERY_STEP * DELIVERY_SPREAD]);
        this.remoteMemory = network.hasRemoteMemory() ? new LoopbackRemoteMemory(this, network) : null;
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public String address()
    {
        return address;
    }

    @Override
    public boolean reaches(final String peerAddress)
    {
        return network.endpoint(peerAddress) != null;
    }

    @Override
    public Connection connect(final String peerAddress)
    {
        final LoopbackTransport peer = network.endpoint(peerAddress);
        if (peer == null)
        {
            throw new IllegalStateException("no loopback endpoint at " + peerAddress);
        }
        final LoopbackConnection connection = new LoopbackConnection(this, peer, network);
        peer.incoming.add(connection);
        return connection;
    }

    @Override
    public int poll(final FrameHandler handler, final int frameLimit)
    {
        if (polling)
        {
            throw new IllegalStateException("poll called from inside a frame handler");
        }
        polling = true;
        try
        {
            int work = completeReads(handler);
            final int connections = incoming.size();
            if (connections == 0)
            {
                return work;
            }
            int index = nextStart < connections ? nextStart : 0;
            nextStart = index + 1;
            int frames = 0;
            for (int visited = 0; visited < connections && frames < frameLimit; visited++)
            {
                final LoopbackConnection connection = incoming.get(index);
                byte[] frame;
                while (frames < frameLimit && (frame = connection.nextFrame()) != null)
                {
                    deliver(handler, connection, frame);
                    frames++;
                }
                index = index + 1 == connections ? 0 : index + 1;
            }
            return work + frames;
        }
        finally
        {
            polling = false;
        }
    }

    private void deliver(final FrameHandler handler, final LoopbackConnection connection, final byte[] frame)
    {
        final int index = DELIVERY_STEP * (int)(delivered++ % DELIVERY_SPREAD);
        delivery.putBytes(index, frame);
        try
        {
            handler.onFrame(delivery, index, frame.length);
        }
        finally
        {
            // The bytes are gone once the callback returns: a handler that kept a reference reads garbage.
            delivery.setMemory(index, frame.length, (byte)0xA5);
            connection.consumed(frame.length);
        }
    }

    private int completeReads(final FrameHandler handler)
    {
        int work = 0;
        PendingRead read;
        while ((read = pendingReads.poll()) != null)
        {
            handler.onReadComplete(read.cookie(), read.perform(network));
            work++;
        }
        return work;
    }

    @Override
    public int maxFrameLength()
    {
        return network.maxFrameLength();
    }

    @Override
    public int eagerLimit()
    {
        return network.eagerLimit();
    }

    @Override
    public int pipelineChunkLength()
    {
        return network.pipelineChunkLength();
    }

    @Override
    public int fragmentLength()
    {
        return network.fragmentLength();
    }

    @Override
    public RemoteMemory remoteMemory()
    {
        return remoteMemory;
    }

    @Override
    public void close()
    {
        closed = true;
        network.closed(this);
    }

    boolean isClosed()
    {
        return closed;
    }

    void countSent(final byte[] frame)
    {
        if (frame.length >= Integer.BYTES)
        {
            final int type = new UnsafeBuffer(frame).getInt(0);
            if (type >= 0 && type < COUNTED_FRAME_TYPES)
            {
                sentByType.incrementAndGet(type);
            }
        }
    }

    /**
     * Frames this endpoint committed whose first int is {@code type} (the point-to-point layer's frame type), to let
     * a test see which protocol a message took.
     */
    public long sentFrames(final int type)
    {
        return sentByType.get(type);
    }

    /** How many times a connection opened here said "no capacity". Read from the sending side's thread. */
    public long fullCount(final Connection connection)
    {
        return ((LoopbackConnection)connection).fullCount();
    }

    /** One-sided reads this endpoint started (rendezvous by read). */
    public long readsStarted()
    {
        return remoteMemory == null ? 0 : remoteMemory.reads();
    }

    /** Make this endpoint's {@link RemoteMemory#read} say "no capacity" (the receiver then asks for DATA). */
    public void refuseReads(final boolean refuse)
    {
        remoteMemory.refuseReads(refuse);
    }

    /** Make this endpoint's {@link RemoteMemory#expose} fail (the sender then sends a plain RTS). */
    public void refuseExposure(final boolean refuse)
    {
        remoteMemory.refuseExposure(refuse);
    }

    void queueRead(final PendingRead read)
    {
        pendingReads.add(read);
    }

    /** A one-sided read started by this endpoint: performed, and reported, on this endpoint's next poll. */
    record PendingRead(long token, long remoteAddress, long localAddress, long length, long cookie)
    {
        /** Copy now; null on success, else why not (the region was released or is smaller than asked). */
        String perform(final LoopbackNetwork network)
        {
            final long[] region = network.region(token);
            if (region == null)
            {
                return "region " + token + " was released before the read";
            }
            if (remoteAddress != region[0] || length > region[1])
            {
                return "read of " + length + " bytes at " + remoteAddress + " outside region " + token;
            }
            UnsafeApi.copyMemory(remoteAddress, localAddress, length);
            return null;
        }
    }
}
