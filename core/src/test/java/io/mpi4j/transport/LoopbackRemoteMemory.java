package io.mpi4j.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-sided reads between loopback endpoints: every "process" shares the JVM's address space, so a read is a copy
 * from the exposed native address, done on the reader's next poll. The descriptor carries the region's token and
 * address; the read fails (as an RDMA READ of a deregistered region would) if the region was released meanwhile.
 */
final class LoopbackRemoteMemory implements RemoteMemory
{
    private final LoopbackTransport transport;
    private final LoopbackNetwork network;
    private final Set<Long> pinned = ConcurrentHashMap.newKeySet();
    private volatile boolean refuseReads;
    private volatile boolean refuseExposure;
    private volatile long reads;

    LoopbackRemoteMemory(final LoopbackTransport transport, final LoopbackNetwork network)
    {
        this.transport = transport;
        this.network = network;
    }

    @Override
    public long expose(final long address, final long length, final MutableDirectBuffer descriptor, final int index)
    {
        if (refuseExposure)
        {
            return NOT_EXPOSED;
        }
        final long token = network.expose(address, length);
        descriptor.putLong(index, token);
        descriptor.putLong(index + Long.BYTES, address);
        return token;
    }

    @Override
    public void release(final long token)
    {
        if (!network.release(token))
        {
            throw new IllegalStateException("region " + token + " released twice or never exposed");
        }
    }

    @Override
    public boolean pin(final long address, final long length)
    {
        return pinned.add(address);
    }

    @Override
    public void unpin(final long address, final long length)
    {
        pinned.remove(address);
    }

    @Override
    public boolean read(final Connection connection, final DirectBuffer descriptor, final int index,
        final long localAddress, final long length, final long cookie)
    {
        if (((LoopbackConnection)connection).destination().isClosed())
        {
            throw new IllegalStateException("peer closed");
        }
        if (refuseReads)
        {
            return false;
        }
        reads++;
        transport.queueRead(new LoopbackTransport.PendingRead(
            descriptor.getLong(index), descriptor.getLong(index + Long.BYTES), localAddress, length, cookie));
        return true;
    }

    /** Make {@link #read} say "no capacity", so the receiver falls back to asking for DATA frames. */
    void refuseReads(final boolean refuse)
    {
        refuseReads = refuse;
    }

    /** Make {@link #expose} fail, so the sender falls back to a plain RTS. */
    void refuseExposure(final boolean refuse)
    {
        refuseExposure = refuse;
    }

    long reads()
    {
        return reads;
    }
}
