package io.mpi4j.rma;

import io.mpi4j.coll.SharedSegment;
import io.mpi4j.coll.ReductionOp;
import io.mpi4j.coll.ReductionType;
import io.mpi4j.comm.TagSpace;
import io.mpi4j.datatype.PackCursor;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The origin side of one-sided communication: {@code MPI_Put}, {@code MPI_Get}, {@code MPI_Accumulate},
 * {@code MPI_Get_accumulate}, {@code MPI_Fetch_and_op}, {@code MPI_Compare_and_swap} and their request-based forms.
 * Buffers are {@code (base, address)} like point-to-point's, described by a datatype's {@link TypeMap} and a count.
 * Each call checks that an access epoch covers the target and that the items lie in the target's window (so bad
 * input is an error at the origin, the target never sees it), then sends a header ({@link RmaWire}), with the
 * target datatype's runs when it has gaps ({@link TargetLayout}), and the packed data inline or behind it; the
 * receive of an answer is posted first. Origin data with gaps is packed before sending; an answer for an origin
 * buffer with gaps arrives packed and is unpacked on arrival ({@link ArrivalUnpack}). The returned operation
 * completes locally: the data was sent, or the answer is in place; remote completion is {@link Epochs}'s.
 * <p>
 * On a window in a shared segment the origin does the work itself: puts and gets to contiguous target items are
 * copies, accumulates are applied under the target's lock ({@link NodeAccumulates}); both complete at once.
 */
public final class RmaOperations
{
    private final Window w;
    /**
     * Packed origin data up to this size is sent from {@link #packed} (and so, when it cannot leave at once, from an
     * array of {@link #buffers}); above it the protocol packs it straight into its frames.
     */
    private static final int PACK_LIMIT = SendBuffers.MAX_KEPT_LENGTH;

    /**
     * Header scratch, packing scratch and the reduction being sent: calls are serialised on this object
     * (MPI_THREAD_MULTIPLE), and every message composed here is handed to {@link #buffers} before the call returns,
     * so the scratch is free for the next one.
     */
    private byte[] message = new byte[RmaWire.MAX_HEADER_MESSAGE];
    private final UnsafeBuffer view = new UnsafeBuffer(message);
    private byte[] packed = new byte[0];
    /** Packs origin items into {@link #message} or {@link #packed} ({@code Packer.pack} would make one per call). */
    private final PackCursor cursor = new PackCursor();
    private final SendBuffers buffers;
    private int reductionOp;
    private int reductionType;
    private int reductionItems;
    private int reductionElementBytes;
    /** An 8-byte operand read from a user buffer (atomics). */
    private final long[] operand = new long[1];

    RmaOperations(final Window w)
    {
        this.w = w;
        this.buffers = new SendBuffers(w.p2p, w.endpoint, w.context);
    }

    /** MPI_Put / MPI_Rput. */
    public Operation put(final String op, final TypeMap originType, final long originCount, final Object base,
        final long address, final int target, final long disp, final TypeMap targetType, final long targetCount)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final SharedSegment shared = w.shared();
        if (null != shared && targetType.isContiguous())
        {
            // every member maps the window: a put is a copy, visible to the target once the epoch ends; it uses none
            // of the scratch the monitor guards, so it takes no monitor
            final long offset = checked(op, target, disp, targetType, targetCount);
            Packer.copy(originType, originCount, base, address, targetType, targetCount, null,
                shared.address(target) + offset);
            return completed();
        }
        return sendPut(op, originType, originCount, base, address, target, disp, targetType, targetCount);
    }

    private synchronized Operation sendPut(final String op, final TypeMap originType, final long originCount,
        final Object base, final long address, final int target, final long disp, final TypeMap targetType,
        final long targetCount)
    {
        final long offset = checked(op, target, disp, targetType, targetCount);
        final long bytes = originType.packedSize(originCount);
        final RemoteWindow remote = w.remote();
        if (null != remote && remote.reaches(target) && targetType.isContiguous())
        {
            final ScheduledRemote rdma = remote.put(w, originType, originCount, base, address, target,
                offset + targetType.firstDisplacement(), Math.min(bytes, targetType.packedSize(targetCount)));
            if (null != rdma)
            {
                return w.launch(rdma, target);
            }
        }
        final Operation sent = send(op, RmaWire.PUT, target, offset, bytes, 0, originType, originCount, base, address,
            targetType, targetCount);
        w.epochs().modified(target);
        return sent;
    }

    /**
     * MPI_Get / MPI_Rget.
     *
     * @param kept the caller hands the returned operation to the program (MPI_Rget); otherwise it drops it, and the
     *             window may reuse it once a flush or an epoch's end has retired it
     */
    public Operation get(final String op, final TypeMap originType, final long originCount, final Object base,
        final long address, final int target, final long disp, final TypeMap targetType, final long targetCount,
        final boolean kept)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final SharedSegment shared = w.shared();
        if (null != shared && targetType.isContiguous())
        {
            // a copy out of the mapped window, without the monitor (as put)
            final long offset = checked(op, target, disp, targetType, targetCount);
            Packer.copy(targetType, targetCount, null, shared.address(target) + offset, originType, originCount,
                base, address);
            return completed();
        }
        return sendGet(op, originType, originCount, base, address, target, disp, targetType, targetCount, kept);
    }

    private synchronized Operation sendGet(final String op, final TypeMap originType, final long originCount,
        final Object base, final long address, final int target, final long disp, final TypeMap targetType,
        final long targetCount, final boolean kept)
    {
        final long offset = checked(op, target, disp, targetType, targetCount);
        final long bytes = originType.packedSize(originCount);
        final RemoteWindow remote = w.remote();
        if (null != remote && remote.reaches(target) && targetType.isContiguous())
        {
            final ScheduledRemote rdma = remote.get(w, originType, originCount, base, address, target,
                offset + targetType.firstDisplacement(), Math.min(bytes, targetType.packedSize(targetCount)));
            if (null != rdma)
            {
                return w.launch(rdma, target);
            }
        }
        final int replyTag = w.nextReplyTag();
        final Operation answer = answer(originType, originCount, base, address, bytes, target, replyTag, !kept);
        send(op, RmaWire.GET, target, offset, bytes, replyTag, null, 0, null, 0, targetType, targetCount);
        return answer;
    }

    /**
     * MPI_Accumulate / MPI_Raccumulate: {@code target = origin op target} element-wise.
     *
     * @param op            {@code coll.ReductionOp} code or {@link Accumulation#REPLACE}/{@link Accumulation#NO_OP}
     * @param type          {@code coll.ReductionType} of the items
     * @param items         items per element
     * @param elementBytes  bytes per element
     */
    public synchronized Operation accumulate(final String name, final TypeMap originType, final long originCount,
        final Object base, final long address, final int target, final long disp, final TypeMap targetType,
        final long targetCount, final int op, final int type, final int items, final int elementBytes)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(name, target, disp, targetType, targetCount);
        checkOp(name, op, type, items);
        final NodeAccumulates node = w.nodeAccumulates();
        if (null != node)
        {
            checkRuns(name, targetType);
            node.accumulate(originType, originCount, base, address, target, offset, targetType, targetCount, op, type,
                items, elementBytes);
            return completed();
        }
        if (op == ReductionOp.SUM && intrinsic(target, offset, originType, originCount, targetType, targetCount,
            type, items, elementBytes))
        {
            Memory.copy(base, address + originType.firstDisplacement(), operand, Memory.LONG_ARRAY_BASE, Long.BYTES);
            return w.launch(w.remote().atomic(true, target, offset + targetType.firstDisplacement(), operand[0], 0,
                null, 0), target);
        }
        reduction(op, type, items, elementBytes);
        final Operation sent = send(name, RmaWire.ACCUMULATE, target, offset, originType.packedSize(originCount), 0,
            originType, originCount, base, address, targetType, targetCount);
        w.epochs().modified(target);
        return sent;
    }

    /**
     * MPI_Get_accumulate / MPI_Rget_accumulate / MPI_Fetch_and_op: the target's old contents arrive in the result
     * buffer, then the origin's data is combined into it ({@link Accumulation#NO_OP}: no origin data).
     *
     * @param kept the caller hands the returned operation to the program (MPI_Rget_accumulate), see {@link #get}
     */
    public synchronized Operation getAccumulate(final String name, final TypeMap originType, final long originCount,
        final Object base, final long address, final TypeMap resultType, final long resultCount,
        final Object resultBase, final long resultAddress, final int target, final long disp,
        final TypeMap targetType, final long targetCount, final int op, final int type, final int items,
        final int elementBytes, final boolean kept)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(name, target, disp, targetType, targetCount);
        checkOp(name, op, type, items);
        final NodeAccumulates node = w.nodeAccumulates();
        if (null != node)
        {
            checkRuns(name, targetType);
            node.getAccumulate(originType, originCount, base, address, resultType, resultCount, resultBase,
                resultAddress, target, offset, targetType, targetCount, op, type, items, elementBytes);
            return completed();
        }
        if ((op == ReductionOp.SUM || op == Accumulation.NO_OP) && resultCount == 1 && resultType.isContiguous() &&
            resultType.packedSize(1) == Long.BYTES && (op == Accumulation.NO_OP || originCount == 1) &&
            intrinsic(target, offset, op == Accumulation.NO_OP ? resultType : originType, 1, targetType, targetCount,
                type, items, elementBytes))
        {
            operand[0] = 0;
            if (op == ReductionOp.SUM)
            {
                Memory.copy(base, address + originType.firstDisplacement(), operand, Memory.LONG_ARRAY_BASE,
                    Long.BYTES);
            }
            // MPI_NO_OP is an atomic read: add nothing
            return w.launch(w.remote().atomic(true, target, offset + targetType.firstDisplacement(), operand[0], 0,
                resultBase, resultAddress + resultType.firstDisplacement()), target);
        }
        final long bytes = resultType.packedSize(resultCount);
        final int replyTag = w.nextReplyTag();
        final Operation answer = answer(resultType, resultCount, resultBase, resultAddress, bytes, target, replyTag,
            !kept);
        reduction(op, type, items, elementBytes);
        final boolean noData = op == Accumulation.NO_OP;
        send(name, RmaWire.GET_ACCUMULATE, target, offset, bytes, replyTag, noData ? null : originType,
            noData ? 0 : originCount, base, address, targetType, targetCount);
        return answer;
    }

    /** MPI_Compare_and_swap of one element of {@code bytes} bytes (a predefined type: no gaps). */
    public synchronized Operation compareAndSwap(final String op, final Object base, final long address,
        final Object compareBase, final long compareAddress, final Object resultBase, final long resultAddress,
        final int bytes, final int target, final long disp)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(op, target, disp, null, bytes);
        final NodeAccumulates node = w.nodeAccumulates();
        if (null != node)
        {
            node.compareAndSwap(base, address, compareBase, compareAddress, resultBase, resultAddress, bytes, target,
                offset);
            return completed();
        }
        final RemoteWindow remote = w.remote();
        if (bytes == Long.BYTES && null != remote && remote.hardwareAtomics(target) && remote.aligned(target, offset))
        {
            Memory.copy(compareBase, compareAddress, operand, Memory.LONG_ARRAY_BASE, Long.BYTES);
            final long compare = operand[0];
            Memory.copy(base, address, operand, Memory.LONG_ARRAY_BASE, Long.BYTES);
            return w.launch(remote.atomic(false, target, offset, compare, operand[0], resultBase, resultAddress),
                target);
        }
        final int replyTag = w.nextReplyTag();
        // the program never sees this answer's operation: the window may reuse it once it is retired
        final Operation answer = w.answer(resultBase, resultAddress, bytes, target, replyTag, true);
        final int length = RmaWire.HEADER_LENGTH + 2 * bytes;
        final byte[] message = message(length);
        RmaWire.write(view, RmaWire.COMPARE_AND_SWAP, RmaWire.INLINE, offset, bytes, replyTag);
        Memory.copy(base, address, message, Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH, bytes);
        Memory.copy(compareBase, compareAddress, message, Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH + bytes,
            bytes);
        sendMessage(length, target);
        return answer;
    }

    /**
     * A synchronisation request (FLUSH, LOCK, UNLOCK): returns the receive of its answer, whose first int is the
     * error class of anything the target refused; {@code answer} must hold {@link RmaWire#ACK_LENGTH} bytes.
     */
    synchronized Operation request(final int kind, final int target, final int lockType, final byte[] answer)
    {
        final int replyTag = w.nextReplyTag();
        final Operation reply = w.syncAnswer(answer, target, replyTag);
        RmaWire.write(view, kind, 0, 0, 0, replyTag);
        view.putInt(RmaWire.LOCK_TYPE_OFFSET, lockType);
        sendMessage(RmaWire.HEADER_LENGTH, target);
        return reply;
    }

    /** A request without answer (COMPLETE). */
    synchronized void announce(final int kind, final int target)
    {
        RmaWire.write(view, kind, 0, 0, 0, 0);
        sendMessage(RmaWire.HEADER_LENGTH, target);
    }

    /** The header scratch, grown to {@code length} bytes if needed, with {@link #view} on it. */
    private byte[] message(final int length)
    {
        if (message.length < length)
        {
            message = SendBuffers.atLeast(message, length);
            view.wrap(message);
        }
        return message;
    }

    /**
     * Sends the first {@code length} bytes of the header scratch as a request header to {@code target}, tracked
     * unless it left at once; null in that case, else its send.
     */
    private Operation sendMessage(final int length, final int target)
    {
        final Operation send = buffers.send(message, length, target, TagSpace.RMA_HEADER);
        if (null != send)
        {
            w.track(send, target);
        }
        return send;
    }

    /**
     * Whether an accumulate of one 8-byte integer element to {@code target} is a verbs atomic: the window allows
     * hardware atomics ({@link RemoteWindow#hardwareAtomics}) and the element is one {@code MPI_LONG}, contiguous at
     * both ends, aligned at the target.
     */
    private boolean intrinsic(final int target, final long offset, final TypeMap originType, final long originCount,
        final TypeMap targetType, final long targetCount, final int type, final int items, final int elementBytes)
    {
        final RemoteWindow remote = w.remote();
        return null != remote && remote.hardwareAtomics(target) && type == ReductionType.LONG && items == 1 &&
            elementBytes == Long.BYTES && originCount == 1 && targetCount == 1 && originType.isContiguous() &&
            targetType.isContiguous() && originType.packedSize(1) == Long.BYTES &&
            targetType.packedSize(1) == Long.BYTES && remote.aligned(target, offset + targetType.firstDisplacement());
    }

    private void reduction(final int op, final int type, final int items, final int elementBytes)
    {
        reductionOp = op;
        reductionType = type;
        reductionItems = items;
        reductionElementBytes = elementBytes;
    }

    /**
     * Posts the receive of an answer of {@code bytes} into the origin items (unpacked on arrival if with gaps);
     * {@code reusable}: the caller drops the returned operation, so the window may reuse it once retired.
     */
    private Operation answer(final TypeMap type, final long count, final Object base, final long address,
        final long bytes, final int target, final int replyTag, final boolean reusable)
    {
        if (type.isContiguous())
        {
            return w.answer(base, address + type.firstDisplacement(), bytes, target, replyTag, reusable);
        }
        final byte[] packed = new byte[(int)bytes];
        final Operation arrival = w.p2p.irecvOn(w.endpoint, w.context, packed, Memory.BYTE_ARRAY_BASE, bytes, target,
            replyTag);
        final ArrivalUnpack unpack = new ArrivalUnpack(arrival, packed, type, count, base, address);
        w.p2p.schedule(unpack);
        w.track(unpack, target);
        return unpack;
    }

    /**
     * Sends the header (with the target layout when {@code targetType} has gaps) and the origin items packed: inline
     * when small, else behind it. Returns the operation that sends the data ({@code originType} null: no data).
     */
    private Operation send(final String op, final int kind, final int target, final long offset, final long bytes,
        final int replyTag, final TypeMap originType, final long originCount, final Object base, final long address,
        final TypeMap targetType, final long targetCount)
    {
        final boolean laid = !targetType.isContiguous();
        checkRuns(op, targetType);
        final long targetOffset = laid ? offset : offset + targetType.firstDisplacement();
        final int layoutLength = laid ? TargetLayout.wireLength(targetType) : 0;
        final boolean hasPayload = null != originType;
        final boolean inline = hasPayload && bytes <= RmaWire.INLINE_LIMIT;
        final int payloadAt = RmaWire.HEADER_LENGTH + layoutLength;
        final int length = payloadAt + (inline ? (int)bytes : 0);
        final byte[] message = message(length);
        final int flags = (inline || !hasPayload ? RmaWire.INLINE : 0) | (laid ? RmaWire.LAYOUT : 0);
        RmaWire.write(view, kind, flags, targetOffset, bytes, replyTag);
        if (kind == RmaWire.ACCUMULATE || kind == RmaWire.GET_ACCUMULATE)
        {
            RmaWire.writeReduction(view, reductionOp, reductionType, reductionItems, reductionElementBytes);
        }
        if (laid)
        {
            TargetLayout.write(view, RmaWire.HEADER_LENGTH, targetType, targetCount);
        }
        if (inline)
        {
            pack(originType, originCount, base, address, message, payloadAt, (int)bytes);
        }
        final Operation header = sendMessage(length, target);
        if (!hasPayload || inline)
        {
            return null == header ? completed() : header;
        }
        // the data follows its header on the same ordered path, whichever way each of them leaves
        final Operation data;
        if (originType.isContiguous())
        {
            final long at = address + originType.firstDisplacement();
            data = w.p2p.trySendOn(w.endpoint, w.context, base, at, bytes, target, TagSpace.RMA_DATA) ? null :
                w.p2p.isendOn(w.endpoint, w.context, base, at, bytes, target, TagSpace.RMA_DATA);
        }
        else if (bytes <= PACK_LIMIT)
        {
            packed = SendBuffers.atLeast(packed, bytes);
            pack(originType, originCount, base, address, packed, 0, (int)bytes);
            data = buffers.send(packed, (int)bytes, target, TagSpace.RMA_DATA);
        }
        else
        {
            data = w.p2p.isendOn(w.endpoint, w.context, base, address, bytes, originType, target, TagSpace.RMA_DATA);
        }
        if (null == data)
        {
            return completed();
        }
        w.track(data, target);
        return data;
    }

    private void pack(final TypeMap type, final long count, final Object base, final long address, final byte[] out,
        final int at, final int bytes)
    {
        cursor.reset(type, count, base, address).pack(out, at, bytes);
        // the cursor must not keep the program's buffer reachable
        cursor.clear();
    }

    /**
     * The byte offset of {@code disp} in {@code target}'s window, after checking the rank, the epoch and that the
     * items lie in the window ({@code type} null: {@code count} contiguous bytes).
     */
    private long checked(final String op, final int target, final long disp, final TypeMap type, final long count)
    {
        if (target < 0 || target >= w.sizes.length)
        {
            throw new MpiError(ErrorClass.ERR_RANK, op + ": target rank " + target + " is out of range for a window " +
                "of " + w.sizes.length + " processes (valid: 0.." + (w.sizes.length - 1) + " or MPI.PROC_NULL)");
        }
        w.epochs().checkAccess(op, target);
        if (w.memory.isDynamic())
        {
            return disp;
        }
        final long offset = disp * w.dispUnits[target];
        final long low = null == type ? 0 : type.lowestOffset(count);
        final long high = null == type ? count : type.highestOffset(count);
        if (disp < 0 || offset + low < 0 || offset + high > w.sizes[target])
        {
            throw new MpiError(ErrorClass.ERR_RMA_RANGE, op + ": the target items at displacement " + disp +
                " (bytes " + (offset + low) + ".." + (offset + high) + ") do not fit the window of rank " + target +
                ", which is " + w.sizes[target] + " bytes with a displacement unit of " + w.dispUnits[target]);
        }
        return offset;
    }

    private static void checkRuns(final String op, final TypeMap targetType)
    {
        if (!targetType.isContiguous() && targetType.runCount() > TargetLayout.MAX_RUNS)
        {
            throw new MpiError(ErrorClass.ERR_TYPE, op + ": the target datatype has " + targetType.runCount() +
                " separate blocks per item; one-sided operations take at most " + TargetLayout.MAX_RUNS);
        }
    }

    private static void checkOp(final String op, final int reductionOp, final int type, final int items)
    {
        if (!Accumulation.isDefined(reductionOp, type, items))
        {
            throw new MpiError(ErrorClass.ERR_OP, op + ": the operator is not defined on this datatype " +
                "(one-sided accumulates take predefined operators, MPI.REPLACE and MPI.NO_OP)");
        }
    }

    private Operation completed()
    {
        return w.p2p.isendOn(w.endpoint, w.context, null, 0, 0, PointToPoint.PROC_NULL, 0);
    }
}
