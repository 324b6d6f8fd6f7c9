package io.mpi4j.transport;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ordered, single-producer channel into a {@link LoopbackTransport}: frames are copied out of the claim buffer
 * on commit and queued for the receiver's poll, which gives their bytes back to the capacity once handled, as a ring
 * frees its space only when the reader has moved past a record.
 * <p>
 * Each claim lands at a different index of the claim buffer, so a writer that ignores the index it was given, or a
 * reader that ignores the index of a delivered frame, corrupts frames instead of passing by luck.
 */
public final class LoopbackConnection implements Connection
{
    private static final int NO_CLAIM = -1;
    private static final int INDEX_STEP = 24;
    private static final int INDEX_SPREAD = 4;

    private final LoopbackTransport source;
    private final LoopbackTransport destination;
    private final int maxFrameLength;
    private final int capacity;
    private final UnsafeBuffer claimBuffer;
    private final Queue<byte[]> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger bytesInFlight = new AtomicInteger();
    private int claimIndex = NO_CLAIM;
    private int claimLength;
    private int claims;
    private long fullCount;
    private volatile boolean closed;

    LoopbackConnection(final LoopbackTransport source, final LoopbackTransport destination, final LoopbackNetwork network)
    {
        this.source = source;
        this.destination = destination;
        this.maxFrameLength = network.maxFrameLength();
        this.capacity = network.connectionCapacity();
        this.claimBuffer = new UnsafeBuffer(new byte[maxFrameLength + INDEX_STEP * INDEX_SPREAD]);
    }

    @Override
    public int tryClaim(final int length)
    {
        if (closed || destination.isClosed())
        {
            throw new IllegalStateException("loopback connection to " + destination.address() + " is closed");
        }
        if (length > maxFrameLength || length < 0)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes, limit " + maxFrameLength);
        }
        if (claimIndex != NO_CLAIM)
        {
            throw new IllegalStateException("a second claim before the first was committed or aborted");
        }
        if (bytesInFlight.get() + length > capacity)
        {
            fullCount++;
            return INSUFFICIENT_CAPACITY;
        }
        claimIndex = INDEX_STEP * (claims++ % INDEX_SPREAD);
        claimLength = length;
        claimBuffer.setMemory(claimIndex, length, (byte)0x5A);
        return claimIndex;
    }

    @Override
    public MutableDirectBuffer buffer()
    {
        return claimBuffer;
    }

    @Override
    public void commit(final int index)
    {
        checkClaim(index);
        final byte[] frame = new byte[claimLength];
        claimBuffer.getBytes(index, frame);
        bytesInFlight.addAndGet(claimLength);
        claimIndex = NO_CLAIM;
        frames.add(frame);
        source.countSent(frame);
    }

    @Override
    public void abort(final int index)
    {
        checkClaim(index);
        claimIndex = NO_CLAIM;
    }

    private void checkClaim(final int index)
    {
        if (index != claimIndex)
        {
            throw new IllegalStateException("index " + index + " was not claimed (claimed: " + claimIndex + ")");
        }
    }

    @Override
    public void close()
    {
        closed = true;
    }

    /** How many times {@link #tryClaim} said "no capacity". Read by the sending side's thread. */
    public long fullCount()
    {
        return fullCount;
    }

    LoopbackTransport destination()
    {
        return destination;
    }

    byte[] nextFrame()
    {
        return frames.poll();
    }

    void consumed(final int length)
    {
        bytesInFlight.addAndGet(-length);
    }
}
