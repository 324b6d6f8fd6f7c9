package io.mpi4j.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wire between {@link LoopbackTransport}s of one JVM: who listens at which address, the limits every endpoint
 * applies, and the memory regions exposed for one-sided reads (so a read of a region that was released, or beyond
 * it, fails the way a real transport's would instead of reading freed memory).
 * <p>
 * Small limits make a test's few hundred bytes behave like a real job's megabytes: a frame limit far below a message
 * size forces rendezvous chunking, and a per-connection capacity of a few frames forces {@code tryClaim} to say "no
 * capacity" whenever the receiver falls behind.
 */
public final class LoopbackNetwork
{
    private final int maxFrameLength;
    private final int eagerLimit;
    private final int connectionCapacity;
    private final boolean remoteMemory;
    private final int pipelineChunkLength;
    private final int fragmentLength;
    private final Map<String, LoopbackTransport> endpoints = new ConcurrentHashMap<>();
    private final Map<Long, long[]> exposed = new ConcurrentHashMap<>();
    private final AtomicInteger nextEndpoint = new AtomicInteger();
    private final AtomicLong nextToken = new AtomicLong(1);

    /**
     * @param maxFrameLength     largest frame a connection accepts
     * @param eagerLimit         the transport's eager limit (the p2p layer also caps it at what fits one frame)
     * @param connectionCapacity bytes of committed, not yet polled frames one connection holds before it is full
     * @param remoteMemory       whether endpoints offer {@link RemoteMemory} (rendezvous by one-sided read)
     */
    public LoopbackNetwork(
        final int maxFrameLength, final int eagerLimit, final int connectionCapacity, final boolean remoteMemory)
    {
        this(maxFrameLength, eagerLimit, connectionCapacity, remoteMemory, 0);
    }

    /**
     * As above, with endpoints whose {@link Transport#pipelineChunkLength} is {@code pipelineChunkLength}: packed
     * messages then travel in fragments of that length.
     */
    public LoopbackNetwork(final int maxFrameLength, final int eagerLimit, final int connectionCapacity,
        final boolean remoteMemory, final int pipelineChunkLength)
    {
        this(maxFrameLength, eagerLimit, connectionCapacity, remoteMemory, pipelineChunkLength, 0);
    }

    /** As above, with endpoints whose {@link Transport#fragmentLength} is {@code fragmentLength}. */
    public LoopbackNetwork(final int maxFrameLength, final int eagerLimit, final int connectionCapacity,
        final boolean remoteMemory, final int pipelineChunkLength, final int fragmentLength)
    {
        if (connectionCapacity < maxFrameLength)
        {
            throw new IllegalArgumentException("a connection must hold at least one frame of the largest size");
        }
        this.maxFrameLength = maxFrameLength;
        this.eagerLimit = eagerLimit;
        this.connectionCapacity = connectionCapacity;
        this.remoteMemory = remoteMemory;
        this.pipelineChunkLength = pipelineChunkLength;
        this.fragmentLength = fragmentLength;
    }

    /** A new endpoint, reachable by every other endpoint of this network. */
    public LoopbackTransport open()
    {
        final LoopbackTransport transport =
            new LoopbackTransport(this, LoopbackTransport.NAME + ":" + nextEndpoint.getAndIncrement());
        endpoints.put(transport.address(), transport);
        return transport;
    }

    int maxFrameLength()
    {
        return maxFrameLength;
    }

    int eagerLimit()
    {
        return eagerLimit;
    }

    int pipelineChunkLength()
    {
        return pipelineChunkLength;
    }

    int fragmentLength()
    {
        return fragmentLength;
    }

    int connectionCapacity()
    {
        return connectionCapacity;
    }

    boolean hasRemoteMemory()
    {
        return remoteMemory;
    }

    LoopbackTransport endpoint(final String address)
    {
        return endpoints.get(address);
    }

    void closed(final LoopbackTransport transport)
    {
        endpoints.remove(transport.address(), transport);
    }

    long expose(final long address, final long length)
    {
        final long token = nextToken.getAndIncrement();
        exposed.put(token, new long[]{address, length});
        return token;
    }

    boolean release(final long token)
    {
        return exposed.remove(token) != null;
    }

    /** The region {@code token} stands for, or null once released. */
    long[] region(final long token)
    {
        return exposed.get(token);
    }

    /** Regions exposed and not released: a finished exchange leaves none. */
    public int exposedRegions()
    {
        return exposed.size();
    }
}
