package io.mpi4j.rma;

import io.mpi4j.comm.TagSpace;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.ScheduledOperation;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The target side of a window: a scheduled operation that every progress turn advances, so requests are served
 * while the process is inside any MPI call, or by the passive-target progress thread ({@link PassiveProgress})
 * while it computes. One receive of {@link TagSpace#RMA_HEADER} from any source is always posted; each header is
 * served to the end (its payload received, its answer started) before the next is looked at. Requests of one origin
 * therefore take effect in issue order, which is what makes FLUSH, UNLOCK and COMPLETE mean "everything before me
 * is done", and each accumulate is applied whole before another request touches the memory.
 * <p>
 * Requests the window cannot serve (outside a dynamic window's attached memory) are dropped; the error class is
 * kept for their origin and returned by its next FLUSH or UNLOCK.
 */
final class TargetHandler extends ScheduledOperation
{
    private static final int NO_DATA = 0;
    /** The answer of a refused get or fetch: no data (never written, so one array serves every answer). */
    private static final byte[] EMPTY = new byte[0];

    private final PointToPoint p2p;
    private final MessageEndpoint endpoint;
    private final int context;
    private final WindowMemory memory;
    /** The shared segment's accumulate locks (null: no other process reaches this memory), and this rank's. */
    private final AccumulateLocks accumulateLocks;
    private final int me;
    private final TargetLock lock = new TargetLock();
    private final byte[] header = new byte[RmaWire.MAX_HEADER_MESSAGE];
    private final UnsafeBuffer view = new UnsafeBuffer(header);
    /** COMPLETE requests received and not yet consumed by MPI_Win_wait/MPI_Win_test. */
    private final AtomicInteger completes = new AtomicInteger();
    /** Error class of a dropped request, per origin, until its next FLUSH or UNLOCK. */
    private final int[] refused;
    private volatile boolean stopped;
    private Operation headerRecv;

    /** The request whose payload is being received (a header that did not carry it). */
    private Operation dataRecv;
    /** The last payload receive, re-posted for the next payload once complete. */
    private Operation lastDataRecv;
    /** Payloads that need a copy before they are applied (accumulates, target types with gaps), one at a time. */
    private byte[] payloadScratch = new byte[0];
    /** Answers (acknowledgements, old contents, gathered items), each handed to {@link #answers} before reuse. */
    private byte[] answerScratch = new byte[RmaWire.ACK_LENGTH];
    private final UnsafeBuffer answerView = new UnsafeBuffer(answerScratch);
    private final SendBuffers answers;
    private int dataKind = NO_DATA;
    private int dataSource;
    private long dataTarget;
    private long dataBytes;
    private byte[] dataScratch;
    private int dataReplyTag;
    private int dataOp;
    private int dataType;
    private int dataItems;
    private int dataElementBytes;
    /** The target datatype of the request being served, when it has gaps. */
    private final TargetLayout layout = new TargetLayout();
    private boolean dataLaid;

    TargetHandler(final PointToPoint p2p, final MessageEndpoint endpoint, final int context,
        final WindowMemory memory, final AccumulateLocks accumulateLocks, final int me)
    {
        this.accumulateLocks = accumulateLocks;
        this.me = me;
        this.p2p = p2p;
        this.endpoint = endpoint;
        this.context = context;
        this.memory = memory;
        this.refused = new int[endpoint.size()];
        this.answers = new SendBuffers(p2p, endpoint, context);
    }

    /** Posts the first header receive and joins the progress engine. */
    void start()
    {
        postHeaderReceive();
        p2p.schedule(this);
    }

    /** Leaves the progress engine: the pending header receive is cancelled (MPI_Win_free, after its barrier). */
    void stop()
    {
        stopped = true;
        p2p.completion().cancel(headerRecv);
    }

    /** COMPLETE requests received so far and not consumed. */
    int completes()
    {
        return completes.get();
    }

    /** Consumes {@code n} COMPLETE requests (one access epoch of each origin of an exposure epoch). */
    void consumeCompletes(final int n)
    {
        completes.addAndGet(-n);
    }

    @Override
    protected boolean advance()
    {
        if (stopped)
        {
            finish(ErrorClass.SUCCESS, null);
            return true;
        }
        while (true)
        {
            if (null != dataRecv)
            {
                if (!dataRecv.isComplete())
                {
                    return false;
                }
                dataRecv = null;
                try
                {
                    finishData();
                }
                catch (final RuntimeException ex)
                {
                    refused[dataSource] = ErrorClass.ERR_OTHER;
                }
            }
            final Operation recv = headerRecv;
            if (!recv.isComplete())
            {
                return false;
            }
            final int source = recv.status().source;
            final boolean received = recv.status().error == ErrorClass.SUCCESS && !recv.status().cancelled;
            if (received)
            {
                try
                {
                    serve(source);
                }
                catch (final RuntimeException ex)
                {
                    // an origin gone while it is answered: the request is dropped, never served twice
                    dataRecv = null;
                    if (source >= 0 && source < refused.length)
                    {
                        refused[source] = ErrorClass.ERR_OTHER;
                    }
                }
            }
            if (stopped)
            {
                return false;
            }
            final int error = recv.status().error;
            if (ErrorClass.ERR_PROC_FAILED_PENDING == error)
            {
                // An origin died. A wildcard receive fails at once until the failure is acknowledged, so without
                // this the loop would re-post forever inside one progress turn; the window's private communicator
                // has no other wildcard receive, and calls that name the dead rank still fail.
                p2p.acknowledgeFailures(endpoint);
            }
            postHeaderReceive();
            if (!received && ErrorClass.ERR_PROC_FAILED_PENDING != error)
            {
                // a revoked window: serve nothing more in this turn rather than spin on receives that fail
                return false;
            }
        }
    }

    private void postHeaderReceive()
    {
        // the served header's receive is this handler's alone and its status has been read: post it again
        headerRecv = p2p.repostOn(headerRecv, endpoint, context, header, Memory.BYTE_ARRAY_BASE, header.length,
            PointToPoint.ANY_SOURCE, TagSpace.RMA_HEADER);
    }

    private void serve(final int source)
    {
        final int kind = view.getInt(RmaWire.KIND_OFFSET);
        final boolean inline = (view.getInt(RmaWire.FLAGS_OFFSET) & RmaWire.INLINE) != 0;
        final long offset = view.getLong(RmaWire.TARGET_OFFSET);
        final long bytes = view.getLong(RmaWire.BYTES_OFFSET);
        final int replyTag = view.getInt(RmaWire.REPLY_TAG_OFFSET);
        if ((view.getInt(RmaWire.FLAGS_OFFSET) & RmaWire.LAYOUT) != 0)
        {
            serveLaid(kind, source, offset, bytes, replyTag, inline);
            return;
        }
        switch (kind)
        {
            case RmaWire.PUT:
            case RmaWire.ACCUMULATE:
            case RmaWire.GET_ACCUMULATE:
            {
                final long target = memory.resolve(offset, bytes);
                if (target < 0)
                {
                    refuse(source);
                    if (kind == RmaWire.GET_ACCUMULATE)
                    {
                        reply(source, replyTag, EMPTY, 0);
                    }
                    if (!inline)
                    {
                        expect(RmaWire.PUT, source, -1, bytes, replyTag);
                        dataScratch = payloadScratch(bytes);
                        dataRecv = receiveData(source, dataScratch, Memory.BYTE_ARRAY_BASE, bytes);
                    }
                    return;
                }
                readReduction(kind);
                if (inline)
                {
                    apply(kind, source, target, bytes, replyTag, header,
                        Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH);
                    return;
                }
                expect(kind, source, target, bytes, replyTag);
                if (kind == RmaWire.PUT)
                {
                    dataRecv = receiveData(source, null, target, bytes);
                }
                else
                {
                    dataScratch = payloadScratch(bytes);
                    dataRecv = receiveData(source, dataScratch, Memory.BYTE_ARRAY_BASE, bytes);
                }
                return;
            }
            case RmaWire.GET:
            {
                final long target = memory.resolve(offset, bytes);
                if (target < 0)
                {
                    refuse(source);
                    reply(source, replyTag, EMPTY, 0);
                    return;
                }
                // straight from the window: the answer is what the memory holds when the request is served
                if (!p2p.trySendOn(endpoint, context, null, target, bytes, source, replyTag))
                {
                    p2p.isendOn(endpoint, context, null, target, bytes, source, replyTag);
                }
                return;
            }
            case RmaWire.COMPARE_AND_SWAP:
                compareAndSwap(source, offset, bytes, replyTag);
                return;
            case RmaWire.FLUSH:
                acknowledge(source, replyTag);
                return;
            case RmaWire.LOCK:
                if (lock.acquire(source, view.getInt(RmaWire.LOCK_TYPE_OFFSET), replyTag))
                {
                    acknowledge(source, replyTag);
                }
                return;
            case RmaWire.UNLOCK:
                lock.release(view.getInt(RmaWire.LOCK_TYPE_OFFSET));
                acknowledge(source, replyTag);
                grantWaiting();
                return;
            case RmaWire.COMPLETE:
                completes.incrementAndGet();
                return;
            default:
                refuse(source);
        }
    }

    /** A put, get or accumulate whose target datatype has gaps: the packed stream moves through its runs. */
    private void serveLaid(final int kind, final int source, final long offset, final long bytes, final int replyTag,
        final boolean inline)
    {
        final int layoutLength = layout.read(view, RmaWire.HEADER_LENGTH);
        final long start = layoutLength < 0 ? -1 :
            memory.resolve(offset + layout.lowest(), layout.highest() - layout.lowest());
        final boolean answered = kind == RmaWire.GET || kind == RmaWire.GET_ACCUMULATE;
        if (start < 0)
        {
            refuse(source);
            if (answered)
            {
                reply(source, replyTag, EMPTY, 0);
            }
            if (!inline && kind != RmaWire.GET)
            {
                expect(RmaWire.PUT, source, -1, bytes, replyTag);
                dataLaid = false;
                dataScratch = payloadScratch(bytes);
                dataRecv = receiveData(source, dataScratch, Memory.BYTE_ARRAY_BASE, bytes);
            }
            return;
        }
        final long origin = start - layout.lowest();
        if (kind == RmaWire.GET)
        {
            final byte[] out = answerScratch(bytes);
            layout.gather(origin, out);
            reply(source, replyTag, out, bytes);
            return;
        }
        readReduction(kind);
        if (inline)
        {
            applyLaid(kind, source, origin, bytes, replyTag, header,
                Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH + layoutLength);
            return;
        }
        expect(kind, source, origin, bytes, replyTag);
        dataLaid = true;
        dataScratch = payloadScratch(bytes);
        dataRecv = receiveData(source, dataScratch, Memory.BYTE_ARRAY_BASE, bytes);
    }

    private void applyLaid(final int kind, final int source, final long origin, final long bytes, final int replyTag,
        final Object base, final long address)
    {
        final byte[] old = kind == RmaWire.GET_ACCUMULATE ? answerScratch(bytes) : null;
        final int op = kind == RmaWire.PUT ? Accumulation.REPLACE : dataOp;
        final boolean locked = lockAccumulate(kind);
        try
        {
            if (null != old)
            {
                layout.gather(origin, old);
            }
            layout.scatter(op, dataType, dataItems, dataElementBytes, base, address, origin);
        }
        finally
        {
            unlockAccumulate(locked);
        }
        if (null != old)
        {
            reply(source, replyTag, old, bytes);
        }
    }

    /**
     * Takes this memory's accumulate lock when other processes may be accumulating into it themselves (a shared
     * segment) and the request is an accumulate; a put is not atomic with respect to anything in MPI.
     */
    private boolean lockAccumulate(final int kind)
    {
        if (null == accumulateLocks || kind == RmaWire.PUT)
        {
            return false;
        }
        accumulateLocks.acquire(me, me);
        return true;
    }

    private void unlockAccumulate(final boolean locked)
    {
        if (locked)
        {
            accumulateLocks.release(me);
        }
    }

    private void readReduction(final int kind)
    {
        if (kind == RmaWire.PUT)
        {
            dataOp = Accumulation.REPLACE;
            dataElementBytes = 1;
            return;
        }
        dataOp = view.getInt(RmaWire.OP_OFFSET);
        dataType = view.getInt(RmaWire.TYPE_OFFSET);
        dataItems = view.getInt(RmaWire.ITEMS_OFFSET);
        dataElementBytes = view.getInt(RmaWire.ELEMENT_BYTES_OFFSET);
    }

    private void expect(final int kind, final int source, final long target, final long bytes, final int replyTag)
    {
        dataKind = kind;
        dataLaid = false;
        dataSource = source;
        dataTarget = target;
        dataBytes = bytes;
        dataReplyTag = replyTag;
    }

    private Operation receiveData(final int source, final Object base, final long address, final long bytes)
    {
        // one payload at a time: the previous one's receive is complete and read
        lastDataRecv = p2p.repostOn(lastDataRecv, endpoint, context, base, address, bytes, source,
            TagSpace.RMA_DATA);
        return lastDataRecv;
    }

    /** The payload scratch, grown to {@code bytes}: one payload is received and applied at a time. */
    private byte[] payloadScratch(final long bytes)
    {
        payloadScratch = SendBuffers.atLeast(payloadScratch, bytes);
        return payloadScratch;
    }

    /** The answer scratch, grown to {@code bytes}: free again once {@link #reply} returns. */
    private byte[] answerScratch(final long bytes)
    {
        if (answerScratch.length < bytes)
        {
            answerScratch = SendBuffers.atLeast(answerScratch, bytes);
            answerView.wrap(answerScratch);
        }
        return answerScratch;
    }

    private void finishData()
    {
        final byte[] scratch = dataScratch;
        dataScratch = null;
        if (dataLaid)
        {
            dataLaid = false;
            applyLaid(dataKind, dataSource, dataTarget, dataBytes, dataReplyTag, scratch, Memory.BYTE_ARRAY_BASE);
        }
        else if (dataTarget >= 0 && dataKind != RmaWire.PUT)
        {
            apply(dataKind, dataSource, dataTarget, dataBytes, dataReplyTag, scratch, Memory.BYTE_ARRAY_BASE);
        }
        dataKind = NO_DATA;
    }

    /** A put, accumulate or get-accumulate whose payload is at (base, address). */
    private void apply(final int kind, final int source, final long target, final long bytes, final int replyTag,
        final Object base, final long address)
    {
        final byte[] old = kind == RmaWire.GET_ACCUMULATE ? answerScratch(bytes) : null;
        final int op = kind == RmaWire.PUT ? Accumulation.REPLACE : dataOp;
        final boolean locked = lockAccumulate(kind);
        try
        {
            if (null != old)
            {
                Memory.copy(null, target, old, Memory.BYTE_ARRAY_BASE, bytes);
            }
            Accumulation.apply(op, dataType, dataItems, dataElementBytes, base, address, target, bytes);
        }
        finally
        {
            unlockAccumulate(locked);
        }
        if (null != old)
        {
            reply(source, replyTag, old, bytes);
        }
    }

    private void compareAndSwap(final int source, final long offset, final long bytes, final int replyTag)
    {
        final long target = memory.resolve(offset, bytes);
        if (target < 0)
        {
            refuse(source);
            reply(source, replyTag, EMPTY, 0);
            return;
        }
        final byte[] old = answerScratch(bytes);
        final int value = RmaWire.HEADER_LENGTH;
        final int compare = value + (int)bytes;
        final boolean locked = lockAccumulate(RmaWire.COMPARE_AND_SWAP);
        try
        {
            Memory.copy(null, target, old, Memory.BYTE_ARRAY_BASE, bytes);
            if (java.util.Arrays.equals(old, 0, (int)bytes, header, compare, compare + (int)bytes))
            {
                Memory.copy(header, Memory.BYTE_ARRAY_BASE + value, null, target, bytes);
            }
        }
        finally
        {
            unlockAccumulate(locked);
        }
        reply(source, replyTag, old, bytes);
    }

    private void grantWaiting()
    {
        int[] granted;
        while (null != (granted = lock.grantNext()))
        {
            acknowledge(granted[0], granted[2]);
        }
    }

    private void refuse(final int source)
    {
        refused[source] = ErrorClass.ERR_RMA_RANGE;
    }

    /** Answers FLUSH/LOCK/UNLOCK with the error class of what this origin had refused since its last answer. */
    private void acknowledge(final int origin, final int replyTag)
    {
        answerView.putInt(0, refused[origin]);
        refused[origin] = ErrorClass.SUCCESS;
        reply(origin, replyTag, answerScratch, RmaWire.ACK_LENGTH);
    }

    /**
     * Sends the first {@code bytes} of {@code data} to {@code origin}; {@code data} may be reused when this returns.
     * Answers are not tracked: the origin waits for them, and the window's end waits for the origin.
     */
    private void reply(final int origin, final int replyTag, final byte[] data, final long bytes)
    {
        answers.send(data, (int)bytes, origin, replyTag);
    }
}
