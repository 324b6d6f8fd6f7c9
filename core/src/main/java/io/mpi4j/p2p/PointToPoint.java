package io.mpi4j.p2p;

import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.progress.ProgressEngine;
import io.mpi4j.transport.RemoteMemory;
import org.agrona.concurrent.IdleStrategy;

/**
 * Point-to-point messaging: sends in every mode, receives (also of messages matched by a probe), and the
 * explicit-context calls the layers above build collectives and communicator management on. The facade's calls land
 * here with arguments already validated (ranks in range, tags legal, buffers large enough). Memory is given as
 * {@code (base, address, bytes)}: {@code base} is a Java primitive array and {@code address} an Unsafe offset into
 * it, or {@code base} is null and {@code address} is an absolute native address (direct buffers). Ranks may be
 * {@code PROC_NULL} (-2); receives may use {@code ANY_SOURCE} (-1) and {@code ANY_TAG} (-1).
 * <p>
 * A non-contiguous datatype comes as its {@link TypeMap} {@code layout} with {@code bytes} (or {@code capacity})
 * being the packed size of its items at {@code address}: the protocol packs them straight into the outgoing frames
 * and unpacks arriving frames into place, chunk by chunk. A null layout means {@code bytes} contiguous bytes.
 * <p>
 * The rest of point-to-point has a class of its own, reached from here: {@link Completion} (wait, test, cancel),
 * {@link Probes} (probe, mprobe), {@link BufferedSendSpace} (the attached buffer of buffered sends) and
 * {@link PersistentRequest} (the bound arguments of persistent sends and receives, run by {@link #start}).
 * <p>
 * Errors: blocking receives throw {@link MpiError} when the message was truncated (after filling the status);
 * non-blocking operations report theirs in {@link Operation#status()}. Any call may throw {@link MpiError} when a
 * peer is gone.
 * <p>
 * Threads: see {@link ProgressDriver}. Below {@code MPI_THREAD_MULTIPLE} blocking calls reuse one operation object,
 * so a blocking send or receive allocates nothing; with threads they take one from the {@link OperationPool} and give
 * it back.
 * <p>
 * Allocation: the operations of {@link #isend}, {@link #irecv} and {@link #imrecv} come from the pool; their owner
 * (the facade's request) hands each back through {@link #recycle} once it has read the status, so that a
 * non-blocking message allocates nothing here in steady state. Operations of the explicit-context calls are not
 * pooled: the layers above keep them as long as they like. A call with nothing to do ({@code PROC_NULL}, a buffered
 * send that left at once) returns one shared, immutable completed operation.
 */
public final class PointToPoint
{
    /** What a call with nothing to do returns: complete from birth, status of MPI_PROC_NULL, never changed. */
    private static final Operation NOTHING_TO_DO = new Operation.Completed();

    public static final int ANY_SOURCE = -1;
    public static final int ANY_TAG = -1;
    public static final int PROC_NULL = -2;

    private final ProgressDriver driver;
    private final MessageProtocol protocol;
    private final Completion completion;
    private final Probes probes;
    private final BufferedSendSpace bufferedSends;
    private final boolean threaded;
    private final OperationPool pool = new OperationPool();

    private SendOperation blockingSend = new SendOperation();
    private RecvOperation blockingRecv = new RecvOperation();

    public PointToPoint(final ProgressEngine engine, final PeerResolver resolver, final boolean threaded)
    {
        this.driver = new ProgressDriver(engine, threaded);
        this.bufferedSends = new BufferedSendSpace(driver);
        this.protocol = new MessageProtocol(new MatchingEngine(), resolver, bufferedSends);
        this.completion = new Completion(driver, protocol);
        this.probes = new Probes(driver, protocol);
        this.threaded = threaded;
        engine.bind(protocol, protocol);
    }

    /** Wait, test and cancel of the operations this layer starts. */
    public Completion completion()
    {
        return completion;
    }

    /** MPI_Probe, MPI_Iprobe, MPI_Mprobe, MPI_Improbe. */
    public Probes probes()
    {
        return probes;
    }

    /** The attached buffer of buffered-mode sends. */
    public BufferedSendSpace bufferedSends()
    {
        return bufferedSends;
    }

    // ------------------------------------------------------------------------------------------------- sending

    /** Blocking send in {@link SendMode} {@code mode}; returns when the buffer may be reused. */
    public void send(final MessageEndpoint endpoint, final Object base, final long address, final long bytes,
        final int dest, final int tag, final int mode)
    {
        send(endpoint, base, address, bytes, null, dest, tag, mode);
    }

    /** Blocking send of items laid out as {@code layout} (null: contiguous); see the class comment. */
    public void send(final MessageEndpoint endpoint, final Object base, final long address, final long bytes,
        final TypeMap layout, final int dest, final int tag, final int mode)
    {
        if (dest == PROC_NULL)
        {
            return;
        }
        lock();
        try
        {
            final Peer peer = protocol.peer(endpoint, dest);
            if (mode == SendMode.BUFFERED)
            {
                if (null != layout || !sentEagerNow(endpoint, peer, base, address, bytes, tag))
                {
                    bufferedSend(new SendOperation(), endpoint, peer, base, address, bytes, layout, tag);
                }
                return;
            }
            if (mode != SendMode.SYNCHRONOUS && null == layout && peer.eager(bytes, base, null) &&
                protocol.trySendEagerNow(peer, endpoint.contextId(), endpoint.rank(), tag, base, address, (int)bytes))
            {
                return;
            }
            final SendOperation op = threaded ? pool.takeSend() : blockingSend;
            op.init(peer, endpoint, endpoint.contextId(), tag, base, address, bytes, layout);
            protocol.start(op, mode == SendMode.SYNCHRONOUS);
            awaitLocked(op);
            if (op.status.error != 0)
            {
                throw new MpiError(op.status.error, op.errorDetail);
            }
            if (threaded)
            {
                pool.give(op);
            }
        }
        catch (final RuntimeException ex)
        {
            blockingSend = new SendOperation();
            throw ex;
        }
        finally
        {
            unlock();
        }
    }

    /** Non-blocking send; the buffer must not be touched until the operation completes. */
    public Operation isend(final MessageEndpoint endpoint, final Object base, final long address, final long bytes,
        final int dest, final int tag, final int mode)
    {
        return isend(endpoint, base, address, bytes, null, dest, tag, mode);
    }

    /** Non-blocking send of items laid out as {@code layout} (null: contiguous). */
    public Operation isend(final MessageEndpoint endpoint, final Object base, final long address, final long bytes,
        final TypeMap layout, final int dest, final int tag, final int mode)
    {
        if (dest == PROC_NULL)
        {
            return NOTHING_TO_DO;
        }
        lock();
        try
        {
            return startSend(endpoint, endpoint.contextId(), base, address, bytes, layout, dest, tag, mode, true);
        }
        finally
        {
            unlock();
        }
    }

    private Operation startSend(final MessageEndpoint endpoint, final int context, final Object base,
        final long address, final long bytes, final TypeMap layout, final int dest, final int tag, final int mode,
        final boolean pooled)
    {
        final Peer peer = protocol.peer(endpoint, dest);
        if (mode == SendMode.BUFFERED)
        {
            if (null == layout && sentEagerNow(endpoint, peer, base, address, bytes, tag))
            {
                return NOTHING_TO_DO;
            }
            return bufferedSend(pooled ? pool.takeSend() : new SendOperation(),
                endpoint, peer, base, address, bytes, layout, tag);
        }
        final SendOperation op = pooled ? pool.takeSend() : new SendOperation();
        op.init(peer, endpoint, context, tag, base, address, bytes, layout);
        protocol.start(op, mode == SendMode.SYNCHRONOUS);
        return op;
    }

    /**
     * A buffered send whose message goes out whole at once (eager, the connection free) has left the user's buffer
     * and needs no buffer space, so it is not charged (and, as with Open MPI, needs no attached buffer).
     */
    private boolean sentEagerNow(final MessageEndpoint endpoint, final Peer peer, final Object base,
        final long address, final long bytes, final int tag)
    {
        return bytes <= peer.eagerLimit &&
            protocol.trySendEagerNow(peer, endpoint.contextId(), endpoint.rank(), tag, base, address, (int)bytes);
    }

    /** Copies a buffered send's {@code bytes} (packed when {@code layout} is not null) into {@code staging}. */
    static void stage(final TypeMap layout, final Object base, final long address, final long bytes,
        final byte[] staging)
    {
        if (null == layout || 0 == bytes)
        {
            Memory.copy(base, address, staging, Memory.BYTE_ARRAY_BASE, bytes);
        }
        else
        {
            Packer.pack(layout, bytes / layout.size(), base, address, staging, 0);
        }
    }

    /** MPI_Bsend: copy into space charged against the attached buffer, send from the copy, return at once. */
    private SendOperation bufferedSend(final SendOperation op, final MessageEndpoint endpoint, final Peer peer,
        final Object base, final long address, final long bytes, final TypeMap layout, final int tag)
    {
        final long charged = bufferedSends.reserve(bytes);
        final byte[] copy = new byte[(int)bytes];
        stage(layout, base, address, bytes, copy);
        op.init(peer, endpoint, endpoint.contextId(), tag, copy, Memory.BYTE_ARRAY_BASE, bytes, null);
        op.bufferedBytes = charged;
        protocol.start(op, false);
        return op;
    }

    // ------------------------------------------------------------------------------------------------ receiving

    /** Blocking receive into at most {@code capacity} bytes; fills {@code status} (error ERR_TRUNCATE on overflow). */
    public void recv(final MessageEndpoint endpoint, final Object base, final long address, final long capacity,
        final int source, final int tag, final StatusRecord status)
    {
        recv(endpoint, base, address, capacity, null, source, tag, status);
    }

    /** Blocking receive into items laid out as {@code layout} (null: contiguous) of packed size {@code capacity}. */
    public void recv(final MessageEndpoint endpoint, final Object base, final long address, final long capacity,
        final TypeMap layout, final int source, final int tag, final StatusRecord status)
    {
        if (source == PROC_NULL)
        {
            status.empty();
            return;
        }
        lock();
        try
        {
            final RecvOperation op = threaded ? pool.takeRecv() : blockingRecv;
            op.init(endpoint, endpoint.contextId(), source, tag, base, address, capacity, layout);
            protocol.post(op);
            awaitLocked(op);
            finishBlockingReceive(op, status);
            if (threaded)
            {
                pool.give(op);
            }
        }
        catch (final RuntimeException ex)
        {
            blockingRecv = new RecvOperation();
            throw ex;
        }
        finally
        {
            unlock();
        }
    }

    private static void finishBlockingReceive(final RecvOperation op, final StatusRecord status)
    {
        if (status != null)
        {
            status.copyFrom(op.status);
        }
        if (op.status.error != 0)
        {
            throw new MpiError(op.status.error, op.errorDetail);
        }
    }

    /** Non-blocking receive. */
    public Operation irecv(final MessageEndpoint endpoint, final Object base, final long address, final long capacity,
        final int source, final int tag)
    {
        return irecv(endpoint, base, address, capacity, null, source, tag);
    }

    /** Non-blocking receive into items laid out as {@code layout} (null: contiguous). */
    public Operation irecv(final MessageEndpoint endpoint, final Object base, final long address, final long capacity,
        final TypeMap layout, final int source, final int tag)
    {
        if (source == PROC_NULL)
        {
            return NOTHING_TO_DO;
        }
        lock();
        try
        {
            return startRecv(pool.takeRecv(), endpoint, endpoint.contextId(), base, address, capacity, layout, source,
                tag);
        }
        finally
        {
            unlock();
        }
    }

    private RecvOperation startRecv(final RecvOperation op, final MessageEndpoint endpoint, final int context,
        final Object base, final long address, final long capacity, final TypeMap layout, final int source,
        final int tag)
    {
        op.init(endpoint, context, source, tag, base, address, capacity, layout);
        protocol.post(op);
        return op;
    }

    /** MPI_Mrecv of a message from {@link #mprobe}/{@link #improbe}. */
    public void mrecv(final MatchedMessage message, final Object base, final long address, final long capacity,
        final StatusRecord status)
    {
        mrecv(message, base, address, capacity, null, status);
    }

    /** MPI_Mrecv into items laid out as {@code layout} (null: contiguous). */
    public void mrecv(final MatchedMessage message, final Object base, final long address, final long capacity,
        final TypeMap layout, final StatusRecord status)
    {
        if (message.isNoProc())
        {
            status.empty();
            return;
        }
        lock();
        try
        {
            final RecvOperation op = pool.takeRecv();
            startMatchedRecv(op, message, base, address, capacity, layout);
            awaitLocked(op);
            finishBlockingReceive(op, status);
            pool.give(op);
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Imrecv. */
    public Operation imrecv(final MatchedMessage message, final Object base, final long address, final long capacity)
    {
        return imrecv(message, base, address, capacity, null);
    }

    /** MPI_Imrecv into items laid out as {@code layout} (null: contiguous). */
    public Operation imrecv(final MatchedMessage message, final Object base, final long address, final long capacity,
        final TypeMap layout)
    {
        if (message.isNoProc())
        {
            return NOTHING_TO_DO;
        }
        lock();
        try
        {
            final RecvOperation op = pool.takeRecv();
            startMatchedRecv(op, message, base, address, capacity, layout);
            return op;
        }
        finally
        {
            unlock();
        }
    }

    private void startMatchedRecv(final RecvOperation op, final MatchedMessage message, final Object base,
        final long address, final long capacity, final TypeMap layout)
    {
        final UnexpectedMessage unexpected = message.message;
        final MessageEndpoint endpoint = message.endpoint;
        op.init(endpoint, endpoint.contextId(), unexpected.source, unexpected.tag, base, address, capacity, layout);
        protocol.deliver(op, unexpected);
    }

    /**
     * Takes back an operation of {@link #isend}, {@link #irecv} or {@link #imrecv} whose owner has read its status
     * and will never look at it again (the facade's request, once a wait or test completed it). Only one that
     * completed without error is reused: a failed one may still be known to the protocol. Anything else (a
     * persistent or explicit-context operation, the shared completed one) is left alone.
     */
    public void recycle(final Operation op)
    {
        if (op.pooled)
        {
            lock();
            try
            {
                pool.give(op);
            }
            finally
            {
                unlock();
            }
        }
    }

    private void giveBack(final Operation op)
    {
        if (null != op)
        {
            pool.give(op);
        }
    }

    // ------------------------------------------------------------------------------------------------ persistent

    /**
     * MPI_Start of a persistent send or receive whose previous run has completed (or that never ran): runs it again
     * and returns the operation to wait on, the same object every time.
     */
    public Operation start(final PersistentRequest request)
    {
        lock();
        try
        {
            return request.start(protocol, bufferedSends);
        }
        finally
        {
            unlock();
        }
    }

    // ------------------------------------------------------------------------- explicit contexts (layers above)

    /**
     * Non-blocking send in an explicit context id (a communicator's collective context for collectives, or an
     * agreement protocol's), standard mode. Ranks index {@code endpoint}'s peers.
     */
    public Operation isendOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long bytes, final int dest, final int tag)
    {
        return isendOn(endpoint, context, base, address, bytes, null, dest, tag);
    }

    /** {@link #isendOn} of items laid out as {@code layout} (null: contiguous). */
    public Operation isendOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long bytes, final TypeMap layout, final int dest, final int tag)
    {
        if (dest == PROC_NULL)
        {
            return NOTHING_TO_DO;
        }
        lock();
        try
        {
            return startSend(endpoint, context, base, address, bytes, layout, dest, tag, SendMode.STANDARD, false);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * A standard-mode send in an explicit context that either leaves now, written whole into the transport as one
     * eager frame, or does not start at all: true means the message is on its way in order behind everything sent
     * before to {@code dest} and {@code (base, address)} may be reused at once; false means nothing was sent (a
     * queue to {@code dest}, a message too large for one frame, a failed peer), and the caller sends it as it would
     * otherwise, with {@link #isendOn}. No operation object is made either way, so a layer that keeps scratch memory
     * sends small messages from it without allocating.
     */
    public boolean trySendOn(final MessageEndpoint endpoint, final int context, final Object base,
        final long address, final long bytes, final int dest, final int tag)
    {
        if (dest == PROC_NULL)
        {
            return true;
        }
        lock();
        try
        {
            final Peer peer = protocol.peer(endpoint, dest);
            return peer.eager(bytes, base, null) &&
                protocol.trySendEagerNow(peer, context, endpoint.rank(), tag, base, address, (int)bytes);
        }
        finally
        {
            unlock();
        }
    }

    /** Non-blocking receive in an explicit context id; see {@link #isendOn}. */
    public Operation irecvOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long capacity, final int source, final int tag)
    {
        return irecvOn(endpoint, context, base, address, capacity, null, source, tag);
    }

    /** {@link #irecvOn} into items laid out as {@code layout} (null: contiguous). */
    public Operation irecvOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long capacity, final TypeMap layout, final int source, final int tag)
    {
        if (source == PROC_NULL)
        {
            return NOTHING_TO_DO;
        }
        lock();
        try
        {
            return startRecv(new RecvOperation(), endpoint, context, base, address, capacity, layout, source, tag);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * {@link #irecvOn} into {@code previous}, an operation an earlier {@code irecvOn} or {@code repostOn} returned to
     * the caller, when it completed without error (the protocol then holds no reference to it) and the caller is its
     * only owner and is done with its status; otherwise into a new operation, as {@code irecvOn} does. A layer that
     * re-posts one receive after another (a window's target side) allocates nothing per message this way.
     */
    public Operation repostOn(final Operation previous, final MessageEndpoint endpoint, final int context,
        final Object base, final long address, final long capacity, final int source, final int tag)
    {
        if (source == PROC_NULL)
        {
            return NOTHING_TO_DO;
        }
        lock();
        try
        {
            final RecvOperation op = previous instanceof RecvOperation recv && !recv.pooled && recv.complete &&
                0 == recv.status.error && !recv.status.cancelled ? recv : new RecvOperation();
            return startRecv(op, endpoint, context, base, address, capacity, null, source, tag);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Blocking standard-mode send in an explicit context (see {@link #isendOn}). Below MPI_THREAD_MULTIPLE it
     * reuses the engine's blocking operation, so a small collective step allocates nothing.
     */
    public void sendOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long bytes, final int dest, final int tag)
    {
        sendRecvOn(endpoint, context, base, address, bytes, dest, null, 0, 0, PROC_NULL, tag);
    }

    /** Blocking receive in an explicit context (see {@link #isendOn}); throws {@code MpiError} on failure. */
    public void recvOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long capacity, final int source, final int tag)
    {
        sendRecvOn(endpoint, context, null, 0, 0, PROC_NULL, base, address, capacity, source, tag);
    }

    /**
     * Blocking exchange in an explicit context, the building block of the blocking small collectives: posts the
     * receive first (so the peer's eager frame finds it matched), sends, and returns when both completed. Either
     * side is skipped with {@link #PROC_NULL}. Throws {@code MpiError} if either side failed.
     */
    public void sendRecvOn(final MessageEndpoint endpoint, final int context, final Object sendBase,
        final long sendAddress, final long sendBytes, final int dest, final Object recvBase, final long recvAddress,
        final long capacity, final int source, final int tag)
    {
        lock();
        try
        {
            RecvOperation recv = null;
            if (source != PROC_NULL)
            {
                recv = threaded ? pool.takeRecv() : blockingRecv;
                recv.init(endpoint, context, source, tag, recvBase, recvAddress, capacity, null);
                protocol.post(recv);
            }
            SendOperation send = null;
            if (dest != PROC_NULL)
            {
                final Peer peer = protocol.peer(endpoint, dest);
                if (!(peer.eager(sendBytes, sendBase, null) && protocol.trySendEagerNow(
                    peer, context, endpoint.rank(), tag, sendBase, sendAddress, (int)sendBytes)))
                {
                    send = threaded ? pool.takeSend() : blockingSend;
                    send.init(peer, endpoint, context, tag, sendBase, sendAddress, sendBytes, null);
                    protocol.start(send, false);
                }
            }
            if (null != send)
            {
                awaitLocked(send);
            }
            if (null != recv)
            {
                awaitLocked(recv);
            }
            if (null != send && send.status.error != 0)
            {
                throw new MpiError(send.status.error, send.errorDetail);
            }
            if (null != recv && recv.status.error != 0)
            {
                throw new MpiError(recv.status.error, recv.errorDetail);
            }
            if (threaded)
            {
                giveBack(send);
                giveBack(recv);
            }
        }
        catch (final RuntimeException ex)
        {
            // an operation abandoned mid-flight may still be referenced by the protocol: never reuse it
            blockingSend = new SendOperation();
            blockingRecv = new RecvOperation();
            throw ex;
        }
        finally
        {
            unlock();
        }
    }

    /**
     * A condition outside point-to-point that a blocking wait polls under the engine's lock, after each progress
     * turn: the flags of on-node collectives in shared memory, a window's count of completed access epochs.
     */
    @FunctionalInterface
    public interface WaitCondition
    {
        boolean satisfied();
    }

    /**
     * Turns the progress engine until {@code condition} holds, idling between turns with the calling thread's idle
     * strategy as every wait of this layer does, and allocating nothing. Waits as a blocking receive from every
     * member of {@code endpoint} would: throws {@code MpiError} with MPI_ERR_PROC_FAILED once a member is known to
     * have failed, MPI_ERR_REVOKED once the communicator is revoked, so a wait on a dead process is an error, not a
     * hang. The condition is read right after each turn, before idling, because what it reads may change without
     * any work of the engine (another process writing shared memory).
     */
    public void awaitCondition(final MessageEndpoint endpoint, final WaitCondition condition)
    {
        lock();
        try
        {
            if (condition.satisfied())
            {
                return;
            }
            final IdleStrategy idle = driver.idle();
            idle.reset();
            int work = turnRefusingFailures(endpoint);
            while (!condition.satisfied())
            {
                driver.idleLocked(idle, work);
                work = turnRefusingFailures(endpoint);
            }
        }
        finally
        {
            unlock();
        }
    }

    private int turnRefusingFailures(final MessageEndpoint endpoint)
    {
        final int work = driver.turn();
        if (protocol.failures.active)
        {
            refuseIfFailed(endpoint);
        }
        return work;
    }

    private void refuseIfFailed(final MessageEndpoint endpoint)
    {
        if (protocol.failures.isRevoked(endpoint.contextId()))
        {
            throw new MpiError(ErrorClass.ERR_REVOKED, "the communicator was revoked");
        }
        for (int rank = 0; rank < endpoint.size(); rank++)
        {
            if (protocol.failures.isFailed(endpoint.processKey(rank)))
            {
                throw new MpiError(ErrorClass.ERR_PROC_FAILED, "rank " + rank + " has failed");
            }
        }
    }

    /**
     * The peer of {@code rank}, connected on first use, for a layer that drives its connection's
     * {@link io.mpi4j.transport.RemoteMemory} itself (one-sided operations over RDMA).
     */
    public Peer peer(final MessageEndpoint endpoint, final int rank)
    {
        lock();
        try
        {
            return protocol.peer(endpoint, rank);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * MPI_Init's rehearsal: {@code on}, messages of a byte or more from native memory to the processes of
     * {@code endpoint}'s ranks (on any communicator: a peer is one per process) go by the receiver's read
     * (RTS_READ), as a program's large messages do, wherever the transport reads below its eager limit; off, the
     * transport's threshold again. Many small messages make that
     * path's code hot in a fraction of the time large ones would take: a program's first messages of the first
     * size read this way then run compiled code.
     */
    public void rehearseReads(final MessageEndpoint endpoint, final boolean on)
    {
        lock();
        try
        {
            for (int rank = 0; rank < endpoint.size(); rank++)
            {
                protocol.peer(endpoint, rank).rehearseReads(on);
            }
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Copies {@code length} bytes at {@code remoteAddress} of {@code peer}'s process into local native memory now
     * ({@link RemoteMemory#copyFrom}), under the engine's lock as every transport call; false, with
     * nothing copied, where its transport cannot or may not.
     *
     * @throws IllegalStateException when that process is gone or the region is not mapped there
     */
    public boolean copyFrom(final Peer peer, final long remoteAddress, final long localAddress, final long length)
    {
        final RemoteMemory memory = peer.remoteMemory();
        if (null == memory)
        {
            return false;
        }
        lock();
        try
        {
            return length == memory.copyFrom(peer.connection(), remoteAddress, localAddress, length);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Copies {@code length} bytes of local native memory at {@code localAddress} to {@code remoteAddress} of
     * {@code peer}'s process now ({@link RemoteMemory#copyTo}), under the engine's lock; false, with nothing copied,
     * where its transport cannot or may not.
     *
     * @throws IllegalStateException when that process is gone or the region is not mapped there
     */
    public boolean copyTo(final Peer peer, final long localAddress, final long remoteAddress, final long length)
    {
        final RemoteMemory memory = peer.remoteMemory();
        if (null == memory)
        {
            return false;
        }
        lock();
        try
        {
            return length == memory.copyTo(peer.connection(), localAddress, remoteAddress, length);
        }
        finally
        {
            unlock();
        }
    }

    /** Runs {@code action} under the engine's lock, as transport calls need (registrations outside a progress turn). */
    public void locked(final Runnable action)
    {
        lock();
        try
        {
            action.run();
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Start driving {@code op} from every progress turn until its {@link ScheduledOperation#advance()} reports it
     * done (non-blocking collectives and other multi-step operations).
     */
    public void schedule(final ScheduledOperation op)
    {
        lock();
        try
        {
            protocol.schedule(op);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Forget the matching state of context id {@code context} of a freed communicator, once nothing is pending in
     * it, so that the context id can be given to a new communicator.
     */
    public void release(final int context)
    {
        lock();
        try
        {
            protocol.release(context);
        }
        finally
        {
            unlock();
        }
    }

    // ------------------------------------------------------------------------------------- process failures

    /**
     * From any thread (the launcher connection's reader): process {@code processKey} failed. The next progress turn
     * fails every operation waiting on it with MPI_ERR_PROC_FAILED (see {@link ProcessFailures}).
     */
    public void noticeProcessFailure(final long processKey)
    {
        protocol.failures.noticeFailure(processKey);
    }

    /** From any thread: the communicator of point-to-point context {@code contextId} was revoked (MPI_Comm_revoke). */
    public void noticeRevoke(final int contextId)
    {
        protocol.failures.noticeRevoke(contextId);
    }

    /** Applies the notices received so far, so that the queries below see them. */
    private void applyNotices()
    {
        if (protocol.failures.hasNotices())
        {
            protocol.failures.apply(protocol);
        }
    }

    /** True once {@code endpoint}'s communicator was revoked, here or by a notice (MPI_Comm_is_revoked). */
    public boolean isRevoked(final MessageEndpoint endpoint)
    {
        lock();
        try
        {
            applyNotices();
            return protocol.failures.isRevoked(endpoint.contextId());
        }
        finally
        {
            unlock();
        }
    }

    /** Ranks of {@code endpoint} whose process is known to have failed, ascending (MPI_Comm_get_failed). */
    public int[] failedRanks(final MessageEndpoint endpoint)
    {
        lock();
        try
        {
            applyNotices();
            return protocol.failures.failedRanks(endpoint);
        }
        finally
        {
            unlock();
        }
    }

    /** Ranks of {@code endpoint} known to have failed since its communicator last acknowledged failures. */
    public int[] unacknowledgedFailedRanks(final MessageEndpoint endpoint)
    {
        lock();
        try
        {
            applyNotices();
            return protocol.failures.unacknowledgedRanks(endpoint);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * MPI_Comm_failure_ack: the failures known now no longer stop {@code endpoint}'s wildcard receives; returns the
     * ranks acknowledged.
     */
    public int[] acknowledgeFailures(final MessageEndpoint endpoint)
    {
        lock();
        try
        {
            applyNotices();
            protocol.failures.acknowledge(endpoint);
            return protocol.failures.failedRanks(endpoint);
        }
        finally
        {
            unlock();
        }
    }

    /**
     * Lets a thread of the runtime turn the progress engine next to the program's calls (the passive-target
     * progress thread of one-sided communication): from now on every call takes the engine's lock. Call it from
     * the program's thread, between calls.
     */
    public void shareWithProgressThread()
    {
        driver.shareWithProgressThread();
    }

    /**
     * For MPI_Init's rehearsal: calls take the engine's lock ({@code on}) as they do once a progress thread shares
     * the engine, or not; see {@link #shareWithProgressThread}. Call it from the program's thread, between calls.
     */
    public void rehearseLocking(final boolean on)
    {
        driver.rehearseLocking(on);
    }

    /**
     * How many turns the progress engine has had, by any thread, read without the lock: a progress thread that sees
     * it move between two of its own looks knows that another thread (the program's, inside an MPI call) is turning
     * the engine and need not.
     */
    public long engineTurns()
    {
        return driver.turns();
    }

    /** Runs {@code action} with the engine locked (wire-up changes such as dropping a departed job's peers). */
    public void withLock(final Runnable action)
    {
        driver.withLock(action);
    }

    private void lock()
    {
        driver.lock();
    }

    private void unlock()
    {
        driver.unlock();
    }

    private void awaitLocked(final Operation op)
    {
        driver.awaitLocked(op);
    }

    /** Operations this process's protocol still keeps (cookies awaiting replies, fragmented receives): for tests. */
    int operationsInFlight()
    {
        lock();
        try
        {
            return protocol.sendsAwaitingReply().size() + protocol.receivesInFlight().size() +
                protocol.fragmentedInFlight().size();
        }
        finally
        {
            unlock();
        }
    }
}
