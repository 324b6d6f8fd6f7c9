package io.mpi4j.p2p;

import io.mpi4j.datatype.TypeMap;

/**
 * A persistent send or receive ({@code MPI_Send_init}, {@code MPI_Bsend_init}, {@code MPI_Ssend_init},
 * {@code MPI_Rsend_init}, {@code MPI_Recv_init}): the arguments are bound once, and every {@code MPI_Start} runs
 * them again on the same operation object. A start allocates nothing: the peer is an array load on the endpoint, and
 * a buffered send copies into a staging array made once, which is free again whenever the request is (a request
 * cannot be restarted before its last run completed).
 * <p>
 * Not thread-safe on its own: {@link PointToPoint#start} runs {@link #start} under the engine's lock, and the caller
 * (the facade) never starts a request whose last run has not completed.
 */
public final class PersistentRequest
{
    /** {@link #mode} of a receive; sends use their {@link SendMode}. */
    private static final int RECEIVE = -1;

    private final MessageEndpoint endpoint;
    private final int mode;
    private final Object base;
    private final long address;
    private final long bytes;
    /** The items' layout when they are not contiguous (packed into frames), else null. */
    private final TypeMap layout;
    private final int rank;
    private final int tag;

    /** What a start with {@code MPI_PROC_NULL} completes at once, as a non-blocking call would. */
    private final Operation.Completed procNull;
    /** What a buffered start whose message went out at once completes with. */
    private final Operation.Completed sentAtOnce = new Operation.Completed();
    private SendOperation send;
    private RecvOperation recv;
    private byte[] staging;
    private Operation current;

    private PersistentRequest(final MessageEndpoint endpoint, final int mode, final Object base, final long address,
        final long bytes, final TypeMap layout, final int rank, final int tag)
    {
        this.layout = layout;
        this.endpoint = endpoint;
        this.mode = mode;
        this.base = base;
        this.address = address;
        this.bytes = bytes;
        this.rank = rank;
        this.tag = tag;
        this.procNull = rank == PointToPoint.PROC_NULL ? new Operation.Completed() : null;
        if (mode == RECEIVE)
        {
            recv = new RecvOperation();
        }
        else
        {
            send = new SendOperation();
        }
    }

    /**
     * A persistent send of {@code bytes} at {@code (base, address)} to {@code dest} (or {@code PROC_NULL}) in
     * {@code endpoint}'s point-to-point context; {@code mode} is a {@link SendMode}; {@code layout} as in
     * {@link PointToPoint#send}.
     */
    public static PersistentRequest send(final MessageEndpoint endpoint, final Object base, final long address,
        final long bytes, final TypeMap layout, final int dest, final int tag, final int mode)
    {
        if (mode < SendMode.STANDARD || mode > SendMode.BUFFERED)
        {
            throw new IllegalArgumentException("not a send mode: " + mode);
        }
        return new PersistentRequest(endpoint, mode, base, address, bytes, layout, dest, tag);
    }

    /** A persistent receive of at most {@code capacity} bytes; {@code source} and {@code tag} may be wildcards. */
    public static PersistentRequest receive(final MessageEndpoint endpoint, final Object base, final long address,
        final long capacity, final TypeMap layout, final int source, final int tag)
    {
        return new PersistentRequest(endpoint, RECEIVE, base, address, capacity, layout, source, tag);
    }

    /** The operation the last start runs, to wait on; null before the first start. */
    public Operation operation()
    {
        return current;
    }

    /** Under the engine's lock: runs the bound operation again. On failure nothing was started. */
    Operation start(final MessageProtocol protocol, final BufferedSendSpace bufferedSends)
    {
        if (null != procNull)
        {
            current = procNull;
            return procNull;
        }
        try
        {
            current = mode == RECEIVE ? startReceive(protocol) : startSend(protocol, bufferedSends);
            return current;
        }
        catch (final RuntimeException ex)
        {
            // the protocol may have kept a reference to a half-started operation: never run that object again
            if (mode == RECEIVE)
            {
                recv = new RecvOperation();
            }
            else
            {
                send = new SendOperation();
            }
            throw ex;
        }
    }

    private Operation startReceive(final MessageProtocol protocol)
    {
        final RecvOperation op = recv;
        op.init(endpoint, endpoint.contextId(), rank, tag, base, address, bytes, layout);
        protocol.post(op);
        return op;
    }

    private Operation startSend(final MessageProtocol protocol, final BufferedSendSpace bufferedSends)
    {
        final Peer peer = protocol.peer(endpoint, rank);
        final SendOperation op = send;
        if (mode == SendMode.BUFFERED)
        {
            // out whole at once: the user's buffer is free again, nothing to stage or charge
            if (null == layout && bytes <= peer.eagerLimit && protocol.trySendEagerNow(
                peer, endpoint.contextId(), endpoint.rank(), tag, base, address, (int)bytes))
            {
                sentAtOnce.status().empty();
                return sentAtOnce;
            }
            // charged first: a message that does not fit the attached buffer is ERR_BUFFER before anything is sent
            final long charged = bufferedSends.reserve(bytes);
            if (null == staging)
            {
                staging = new byte[(int)bytes];
            }
            PointToPoint.stage(layout, base, address, bytes, staging);
            op.init(peer, endpoint, endpoint.contextId(), tag, staging, Memory.BYTE_ARRAY_BASE, bytes, null);
            op.bufferedBytes = charged;
            protocol.start(op, false);
            return op;
        }
        op.init(peer, endpoint, endpoint.contextId(), tag, base, address, bytes, layout);
        protocol.start(op, mode == SendMode.SYNCHRONOUS);
        return op;
    }
}
