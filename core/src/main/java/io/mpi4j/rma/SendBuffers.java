package io.mpi4j.rma;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;

/**
 * Sends of one-sided messages (request headers, packed data, answers) composed in a scratch array its owner reuses
 * for the next message. A message that leaves at once ({@link PointToPoint#trySendOn}) needs nothing more. One that
 * cannot (a queue to the peer, a message above the eager limit) is copied into an array of this pool, which stays
 * with its send until that send completes and then serves another message: a send completes later, and the scratch
 * is overwritten by the very next call. So in steady state no message allocates, whether it left at once or not.
 * <p>
 * An array whose send failed is dropped, never reused: the failed send may still be known to the protocol. Not
 * thread-safe: each owner (a window's origin side, under its monitor; its target side, inside a progress turn) has
 * its own.
 */
final class SendBuffers
{
    private static final int INITIAL = 8;
    /** Arrays kept idle: enough for a burst of queued requests, not so many that a burst pins memory for ever. */
    private static final int MAX_IDLE = 64;
    /** Smallest array made, so that small messages of different lengths share arrays. */
    private static final int MIN_LENGTH = 256;
    /** Longest array kept idle: a rare large answer does not stay pinned in the pool. */
    static final int MAX_KEPT_LENGTH = 64 << 10;

    private final PointToPoint p2p;
    private final MessageEndpoint endpoint;
    private final int context;

    private byte[][] idle = new byte[INITIAL][];
    private int idleCount;
    /** Sends not yet seen complete, and the array each one sends from. */
    private Operation[] sends = new Operation[INITIAL];
    private byte[][] held = new byte[INITIAL][];
    private int inFlight;

    SendBuffers(final PointToPoint p2p, final MessageEndpoint endpoint, final int context)
    {
        this.p2p = p2p;
        this.endpoint = endpoint;
        this.context = context;
    }

    /** A scratch array of at least {@code length} bytes: {@code scratch} itself when it is large enough. */
    static byte[] atLeast(final byte[] scratch, final long length)
    {
        if (scratch.length >= length)
        {
            return scratch;
        }
        return new byte[(int)Math.max(length, Math.min(Integer.MAX_VALUE - 8, 2L * scratch.length))];
    }

    /**
     * Sends the first {@code length} bytes of {@code scratch} to {@code dest} with {@code tag}; the caller may
     * overwrite {@code scratch} as soon as this returns. Returns null when the message left at once, else the send
     * to track (from an array of this pool until it completes).
     */
    Operation send(final byte[] scratch, final int length, final int dest, final int tag)
    {
        if (p2p.trySendOn(endpoint, context, scratch, Memory.BYTE_ARRAY_BASE, length, dest, tag))
        {
            return null;
        }
        final byte[] copy = take(length);
        System.arraycopy(scratch, 0, copy, 0, length);
        final Operation send = p2p.isendOn(endpoint, context, copy, Memory.BYTE_ARRAY_BASE, length, dest, tag);
        hold(send, copy);
        return send;
    }

    private byte[] take(final int length)
    {
        reclaim();
        for (int i = idleCount - 1; i >= 0; i--)
        {
            final byte[] array = idle[i];
            if (array.length >= length)
            {
                idle[i] = idle[--idleCount];
                idle[idleCount] = null;
                return array;
            }
        }
        return new byte[Math.max(MIN_LENGTH, length)];
    }

    private void hold(final Operation send, final byte[] array)
    {
        if (send.isComplete())
        {
            retire(send, array);
            return;
        }
        if (inFlight == sends.length)
        {
            sends = java.util.Arrays.copyOf(sends, 2 * inFlight);
            held = java.util.Arrays.copyOf(held, 2 * inFlight);
        }
        sends[inFlight] = send;
        held[inFlight] = array;
        inFlight++;
    }

    /** Takes back the arrays of completed sends. */
    private void reclaim()
    {
        for (int i = inFlight - 1; i >= 0; i--)
        {
            final Operation send = sends[i];
            if (send.isComplete())
            {
                final byte[] array = held[i];
                final int last = --inFlight;
                sends[i] = sends[last];
                held[i] = held[last];
                sends[last] = null;
                held[last] = null;
                retire(send, array);
            }
        }
    }

    private void retire(final Operation send, final byte[] array)
    {
        if (send.status().error != ErrorClass.SUCCESS || idleCount == MAX_IDLE || array.length > MAX_KEPT_LENGTH)
        {
            return;
        }
        if (idleCount == idle.length)
        {
            idle = java.util.Arrays.copyOf(idle, 2 * idleCount);
        }
        idle[idleCount++] = array;
    }
}
