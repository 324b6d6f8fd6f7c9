package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.progress.ProgressEngine;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Point-to-point messaging: the facade's {@code send/recv/iSend/iRecv/probe/...} land here, with arguments already
 * validated (ranks in range, tags legal, buffers large enough). Memory is given as {@code (base, address, bytes)}:
 * {@code base} is a Java primitive array and {@code address} an Unsafe offset into it, or {@code base} is null and
 * {@code address} is an absolute native address (direct buffers). Ranks may be {@code PROC_NULL} (-2);
 * receives may use {@code ANY_SOURCE} (-1) and {@code ANY_TAG} (-1).
 * <p>
 * Errors: blocking receives throw {@link MpiError} when the message was truncated (after filling the status);
 * {@link #await}, {@link #test}, {@link #awaitAny}, {@link #awaitAll} and {@link #testAny} never throw for an
 * operation's own error — read {@link Operation#status()}{@code .error} and {@link Operation#errorDetail()}.
 * Any call may throw {@link MpiError} when a peer is gone.
 * <p>
 * Threads: with {@code THREAD_MULTIPLE} every call holds one lock while it touches the engine and releases it
 * between progress turns while waiting; at lower levels there is no lock and blocking calls reuse one operation
 * object, so a blocking send or receive allocates nothing.
 */
public final class PointToPoint
{
    public static final int ANY_SOURCE = -1;
    public static final int ANY_TAG = -1;
    public static final int PROC_NULL = -2;

    private final ProgressEngine engine;
    private final MessageProtocol protocol;
    private final boolean threaded;
    private final ReentrantLock lock = new ReentrantLock();
    private final IdleStrategy idle;
    private final ThreadLocal<IdleStrategy> threadIdle;

    private SendOperation blockingSend = new SendOperation();
    private RecvOperation blockingRecv = new RecvOperation();
    private long bufferedCapacity = -1;

    public PointToPoint(final ProgressEngine engine, final PeerResolver resolver, final boolean threaded)
    {
        this.engine = engine;
        this.protocol = new MessageProtocol(new MatchingEngine(), resolver);
        this.threaded = threaded;
        this.idle = engine.newIdleStrategy();
        this.threadIdle = threaded ? ThreadLocal.withInitial(engine::newIdleStrategy) : null;
        engine.bind(protocol, protocol);
    }

    // ------------------------------------------------------------------------------------------------- sending

    /** Blocking send in {@link SendMode} {@code mode}; returns when the buffer may be reused. */
    public void send(final MessageEndpoint endpoint, final Object base, final long address, final long bytes,
        final int dest, final int tag, final int mode)
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
                bufferedSend(endpoint, peer, base, address, bytes, tag);
                return;
            }
            if (mode != SendMode.SYNCHRONOUS && bytes <= peer.eagerLimit &&
                protocol.trySendEagerNow(peer, endpoint.contextId(), endpoint.rank(), tag, base, address, (int)bytes))
            {
                return;
            }
            final SendOperation op = threaded ? new SendOperation() : blockingSend;
            op.init(peer, endpoint, endpoint.contextId(), tag, base, address, bytes);
            protocol.start(op, mode == SendMode.SYNCHRONOUS);
            awaitLocked(op);
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
        if (dest == PROC_NULL)
        {
            return new Operation.Completed();
        }
        lock();
        try
        {
            return startSend(endpoint, endpoint.contextId(), base, address, bytes, dest, tag, mode);
        }
        finally
        {
            unlock();
        }
    }

    private SendOperation startSend(final MessageEndpoint endpoint, final int context, final Object base,
        final long address, final long bytes, final int dest, final int tag, final int mode)
    {
        final Peer peer = protocol.peer(endpoint, dest);
        if (mode == SendMode.BUFFERED)
        {
            return bufferedSend(endpoint, peer, base, address, bytes, tag);
        }
        final SendOperation op = new SendOperation();
        op.init(peer, endpoint, context, tag, base, address, bytes);
        protocol.start(op, mode == SendMode.SYNCHRONOUS);
        return op;
    }

    /** MPI_Bsend: copy into space accounted against the attached buffer, send from the copy, return at once. */
    private SendOperation bufferedSend(final MessageEndpoint endpoint, final Peer peer, final Object base,
        final long address, final long bytes, final int tag)
    {
        if (bufferedCapacity < 0)
        {
            throw new MpiError(ErrorClass.ERR_BUFFER, "MPI_Bsend: no buffer attached (call MPI.attachBuffer first)");
        }
        final long needed = bytes + BSEND_OVERHEAD;
        if (protocol.bufferedBytesInUse + needed > bufferedCapacity)
        {
            throw new MpiError(ErrorClass.ERR_BUFFER, "MPI_Bsend: message of " + bytes + " bytes does not fit the " +
                "attached buffer (" + bufferedCapacity + " bytes, " + protocol.bufferedBytesInUse + " in use, " +
                BSEND_OVERHEAD + " bytes overhead per message)");
        }
        final byte[] copy = new byte[(int)bytes];
        Memory.copy(base, address, copy, Memory.BYTE_ARRAY_BASE, bytes);
        final SendOperation op = new SendOperation();
        op.init(peer, endpoint, endpoint.contextId(), tag, copy, Memory.BYTE_ARRAY_BASE, bytes);
        op.bufferedBytes = needed;
        protocol.bufferedBytesInUse += needed;
        protocol.start(op, false);
        return op;
    }

    /** Per-message overhead charged against the attached buffer, as MPI_BSEND_OVERHEAD. */
    public static final int BSEND_OVERHEAD = 96;

    /** MPI_Buffer_attach accounting for buffered sends: {@code bytes} of buffer space. */
    public void attachBuffer(final long bytes)
    {
        lock();
        try
        {
            if (bufferedCapacity >= 0)
            {
                throw new MpiError(ErrorClass.ERR_BUFFER, "MPI_Buffer_attach: a buffer is already attached");
            }
            bufferedCapacity = bytes;
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Buffer_detach: waits for pending buffered sends, returns the attached size (-1 if none). */
    public long detachBuffer()
    {
        lock();
        try
        {
            final IdleStrategy idle = idle();
            while (protocol.bufferedBytesInUse > 0)
            {
                idle.idle(turn());
            }
            final long size = bufferedCapacity;
            bufferedCapacity = -1;
            return size;
        }
        finally
        {
            unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ receiving

    /** Blocking receive into at most {@code capacity} bytes; fills {@code status} (error ERR_TRUNCATE on overflow). */
    public void recv(final MessageEndpoint endpoint, final Object base, final long address, final long capacity,
        final int source, final int tag, final StatusRecord status)
    {
        if (source == PROC_NULL)
        {
            status.empty();
            return;
        }
        lock();
        try
        {
            final RecvOperation op = threaded ? new RecvOperation() : blockingRecv;
            op.init(endpoint, endpoint.contextId(), source, tag, base, address, capacity);
            protocol.post(op);
            awaitLocked(op);
            finishBlockingReceive(op, status);
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
        if (source == PROC_NULL)
        {
            return new Operation.Completed();
        }
        lock();
        try
        {
            return startRecv(endpoint, endpoint.contextId(), base, address, capacity, source, tag);
        }
        finally
        {
            unlock();
        }
    }

    private RecvOperation startRecv(final MessageEndpoint endpoint, final int context, final Object base,
        final long address, final long capacity, final int source, final int tag)
    {
        final RecvOperation op = new RecvOperation();
        op.init(endpoint, context, source, tag, base, address, capacity);
        protocol.post(op);
        return op;
    }

    /** MPI_Iprobe: true and {@code status} filled if a matching message is waiting. */
    public boolean iprobe(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PROC_NULL)
        {
            status.empty();
            return true;
        }
        lock();
        try
        {
            turn();
            return peek(endpoint, source, tag, status);
        }
        finally
        {
            unlock();
        }
    }

    private boolean peek(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        final UnexpectedMessage message = protocol.peek(endpoint.contextId(), source, tag);
        if (message == null)
        {
            return false;
        }
        fill(status, message);
        return true;
    }

    private static void fill(final StatusRecord status, final UnexpectedMessage message)
    {
        status.clear();
        status.source = message.source;
        status.tag = message.tag;
        status.byteCount = message.length;
    }

    /** MPI_Probe. */
    public void probe(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PROC_NULL)
        {
            status.empty();
            return;
        }
        lock();
        try
        {
            final IdleStrategy idle = idle();
            idle.reset();
            while (!peek(endpoint, source, tag, status))
            {
                idleLocked(idle, turn());
            }
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Improbe: the matched message, removed from matching, or null. */
    public MatchedMessage improbe(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PROC_NULL)
        {
            status.empty();
            return MatchedMessage.NO_PROC;
        }
        lock();
        try
        {
            turn();
            return take(endpoint, source, tag, status);
        }
        finally
        {
            unlock();
        }
    }

    private MatchedMessage take(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        final UnexpectedMessage message = protocol.take(endpoint.contextId(), source, tag);
        if (message == null)
        {
            return null;
        }
        fill(status, message);
        return new MatchedMessage(endpoint, message);
    }

    /** MPI_Mprobe. */
    public MatchedMessage mprobe(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PROC_NULL)
        {
            status.empty();
            return MatchedMessage.NO_PROC;
        }
        lock();
        try
        {
            final IdleStrategy idle = idle();
            idle.reset();
            MatchedMessage message;
            while ((message = take(endpoint, source, tag, status)) == null)
            {
                idleLocked(idle, turn());
            }
            return message;
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Mrecv of a message from {@link #mprobe}/{@link #improbe}. */
    public void mrecv(final MatchedMessage message, final Object base, final long address, final long capacity,
        final StatusRecord status)
    {
        if (message.isNoProc())
        {
            status.empty();
            return;
        }
        lock();
        try
        {
            final RecvOperation op = new RecvOperation();
            startMatchedRecv(op, message, base, address, capacity);
            awaitLocked(op);
            finishBlockingReceive(op, status);
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Imrecv. */
    public Operation imrecv(final MatchedMessage message, final Object base, final long address, final long capacity)
    {
        if (message.isNoProc())
        {
            return new Operation.Completed();
        }
        lock();
        try
        {
            final RecvOperation op = new RecvOperation();
            startMatchedRecv(op, message, base, address, capacity);
            return op;
        }
        finally
        {
            unlock();
        }
    }

    private void startMatchedRecv(final RecvOperation op, final MatchedMessage message, final Object base,
        final long address, final long capacity)
    {
        final UnexpectedMessage unexpected = message.message;
        op.init(message.endpoint, message.endpoint.contextId(), unexpected.source, unexpected.tag, base, address, capacity);
        protocol.deliver(op, unexpected);
    }

    // ------------------------------------------------------------------------- explicit contexts (layers above)

    /**
     * Non-blocking send in an explicit context id (a communicator's collective context for collectives, or an
     * agreement protocol's), standard mode. Ranks index {@code endpoint}'s peers.
     */
    public Operation isendOn(final MessageEndpoint endpoint, final int context, final Object base, final long address,
        final long bytes, final int dest, final int tag)
    {
        if (dest == PROC_NULL)
        {
            return new Operation.Completed();
        }
        lock();
        try
        {
            return startSend(endpoint, context, base, address, bytes, dest, tag, SendMode.STANDARD);
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
        if (source == PROC_NULL)
        {
            return new Operation.Completed();
        }
        lock();
        try
        {
            return startRecv(endpoint, context, base, address, capacity, source, tag);
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
                recv = threaded ? new RecvOperation() : blockingRecv;
                recv.init(endpoint, context, source, tag, recvBase, recvAddress, capacity);
                protocol.post(recv);
            }
            SendOperation send = null;
            if (dest != PROC_NULL)
            {
                final Peer peer = protocol.peer(endpoint, dest);
                if (!(sendBytes <= peer.eagerLimit &&
                    protocol.trySendEagerNow(peer, context, endpoint.rank(), tag, sendBase, sendAddress, (int)sendBytes)))
                {
                    send = threaded ? new SendOperation() : blockingSend;
                    send.init(peer, endpoint, context, tag, sendBase, sendAddress, sendBytes);
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

    // ------------------------------------------------------------------------------------------------ completion

    /** Wait until {@code op} completes (MPI_Wait). */
    public void await(final Operation op)
    {
        if (op.complete)
        {
            return;
        }
        lock();
        try
        {
            awaitLocked(op);
        }
        finally
        {
            unlock();
        }
    }

    /** One round of progress, then whether {@code op} is complete (MPI_Test). */
    public boolean test(final Operation op)
    {
        if (op.complete)
        {
            return true;
        }
        lock();
        try
        {
            turn();
            return op.complete;
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Waitany: index of a completed operation; null entries are skipped; -1 if all are null. */
    public int awaitAny(final Operation[] ops)
    {
        lock();
        try
        {
            final IdleStrategy idle = idle();
            idle.reset();
            while (true)
            {
                boolean any = false;
                for (int i = 0; i < ops.length; i++)
                {
                    final Operation op = ops[i];
                    if (op != null)
                    {
                        if (op.complete)
                        {
                            return i;
                        }
                        any = true;
                    }
                }
                if (!any)
                {
                    return -1;
                }
                idleLocked(idle, turn());
            }
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Waitall. */
    public void awaitAll(final Operation[] ops)
    {
        lock();
        try
        {
            for (final Operation op : ops)
            {
                if (op != null)
                {
                    awaitLocked(op);
                }
            }
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Testany: index of a completed operation, or -1 if none is complete. */
    public int testAny(final Operation[] ops)
    {
        lock();
        try
        {
            turn();
            for (int i = 0; i < ops.length; i++)
            {
                if (ops[i] != null && ops[i].complete)
                {
                    return i;
                }
            }
            return -1;
        }
        finally
        {
            unlock();
        }
    }

    /** MPI_Cancel: a receive not yet matched is cancelled (status.cancelled); a send cannot be cancelled. */
    public void cancel(final Operation op)
    {
        if (op.complete || !(op instanceof RecvOperation))
        {
            return;
        }
        lock();
        try
        {
            protocol.cancel((RecvOperation)op);
        }
        finally
        {
            unlock();
        }
    }

    /** Drive the progress engine once (lets other processes' messages arrive during compute loops). */
    public int progress()
    {
        lock();
        try
        {
            return turn();
        }
        finally
        {
            unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- internals

    private int turn()
    {
        return engine.progress();
    }

    private void awaitLocked(final Operation op)
    {
        if (op.complete)
        {
            return;
        }
        final IdleStrategy idle = idle();
        idle.reset();
        while (!op.complete)
        {
            idleLocked(idle, turn());
        }
    }

    private void idleLocked(final IdleStrategy idle, final int work)
    {
        if (threaded && work == 0)
        {
            lock.unlock();
            try
            {
                idle.idle(0);
            }
            finally
            {
                lock.lock();
            }
        }
        else
        {
            idle.idle(work);
        }
    }

    private IdleStrategy idle()
    {
        return threaded ? threadIdle.get() : idle;
    }

    /** Run {@code action} with the engine locked (wire-up changes such as dropping a departed job's peers). */
    public void withLock(final Runnable action)
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

    private void lock()
    {
        if (threaded)
        {
            lock.lock();
        }
    }

    private void unlock()
    {
        if (threaded)
        {
            lock.unlock();
        }
    }
}
