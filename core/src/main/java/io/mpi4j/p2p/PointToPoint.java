package io.mpi4j.p2p;

import io.mpi4j.errors.MpiError;
import io.mpi4j.progress.ProgressEngine;

/**
 * Point-to-point messaging: sends in every mode, receives (also of messages matched by a probe), and the
 * explicit-context calls the layers above build collectives and communicator management on. The facade's calls land
 * here with arguments already validated (ranks in range, tags legal, buffers large enough). Memory is given as
 * {@code (base, address, bytes)}: {@code base} is a Java primitive array and {@code address} an Unsafe offset into
 * it, or {@code base} is null and {@code address} is an absolute native address (direct buffers). Ranks may be
 * {@code PROC_NULL} (-2); receives may use {@code ANY_SOURCE} (-1) and {@code ANY_TAG} (-1).
 * <p>
 * The rest of point-to-point has a class of its own, reached from here: {@link Completion} (wait, test, cancel),
 * {@link Probes} (probe, mprobe) and {@link BufferedSendSpace} (the attached buffer of buffered sends).
 * <p>
 * Errors: blocking receives throw {@link MpiError} when the message was truncated (after filling the status);
 * non-blocking operations report theirs in {@link Operation#status()}. Any call may throw {@link MpiError} when a
 * peer is gone.
 * <p>
 * Threads: see {@link ProgressDriver}. Below {@code MPI_THREAD_MULTIPLE} blocking calls reuse one operation object,
 * so a blocking send or receive allocates nothing.
 */
public final class PointToPoint
{
    public static final int ANY_SOURCE = -1;
    public static final int ANY_TAG = -1;
    public static final int PROC_NULL = -2;

    private final ProgressDriver driver;
    private final MessageProtocol protocol;
    private final Completion completion;
    private final Probes probes;
    private final BufferedSendSpace bufferedSends;
    private final boolean threaded;

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

    /** MPI_Bsend: copy into space charged against the attached buffer, send from the copy, return at once. */
    private SendOperation bufferedSend(final MessageEndpoint endpoint, final Peer peer, final Object base,
        final long address, final long bytes, final int tag)
    {
        final long charged = bufferedSends.reserve(bytes);
        final byte[] copy = new byte[(int)bytes];
        Memory.copy(base, address, copy, Memory.BYTE_ARRAY_BASE, bytes);
        final SendOperation op = new SendOperation();
        op.init(peer, endpoint, endpoint.contextId(), tag, copy, Memory.BYTE_ARRAY_BASE, bytes);
        op.bufferedBytes = charged;
        protocol.start(op, false);
        return op;
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
        final MessageEndpoint endpoint = message.endpoint;
        op.init(endpoint, endpoint.contextId(), unexpected.source, unexpected.tag, base, address, capacity);
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
                if (!(sendBytes <= peer.eagerLimit && protocol.trySendEagerNow(
                    peer, context, endpoint.rank(), tag, sendBase, sendAddress, (int)sendBytes)))
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

    /**
     * Lets a thread of the runtime turn the progress engine next to the program's calls (the passive-target
     * progress thread of one-sided communication): from now on every call takes the engine's lock. Call it from
     * the program's thread, between calls.
     */
    public void shareWithProgressThread()
    {
        driver.shareWithProgressThread();
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
}
