package io.mpi4j.rma;

import io.mpi4j.comm.TagSpace;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The origin side of one-sided communication: {@code MPI_Put}, {@code MPI_Get}, {@code MPI_Accumulate},
 * {@code MPI_Get_accumulate}, {@code MPI_Fetch_and_op}, {@code MPI_Compare_and_swap} and their request-based forms,
 * on contiguous memory given as {@code (base, address, bytes)} like point-to-point's. Each call checks that an
 * access epoch covers the target and that the range lies in the target's window (so bad input is an error at the
 * origin, the target never sees it), then sends a header ({@link RmaWire}) with the payload inline or behind it,
 * and posts the receive of the answer first when there is one. The returned operation completes locally: the
 * payload was sent, or the answer arrived; remote completion is the synchronisation calls' ({@link Epochs}).
 */
public final class RmaOperations
{
    private final Window w;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    RmaOperations(final Window w)
    {
        this.w = w;
    }

    /** MPI_Put / MPI_Rput of {@code bytes} at {@code disp} displacement units into {@code target}'s window. */
    public Operation put(final String op, final Object base, final long address, final long bytes, final int target,
        final long disp)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(op, target, disp, bytes);
        final SharedSegment shared = w.shared();
        if (null != shared)
        {
            // every member maps the window: a put is a store, visible to the target once the epoch ends
            Memory.copy(base, address, null, shared.address(target) + offset, bytes);
            return completed();
        }
        final Operation sent = send(RmaWire.PUT, target, offset, bytes, 0, base, address);
        w.epochs().modified(target);
        return sent;
    }

    /** MPI_Get / MPI_Rget into {@code bytes} at (base, address). */
    public Operation get(final String op, final Object base, final long address, final long bytes, final int target,
        final long disp)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(op, target, disp, bytes);
        final SharedSegment shared = w.shared();
        if (null != shared)
        {
            Memory.copy(null, shared.address(target) + offset, base, address, bytes);
            return completed();
        }
        final int replyTag = w.nextReplyTag();
        final Operation answer = w.p2p.irecvOn(w.endpoint, w.context, base, address, bytes, target, replyTag);
        w.track(answer, target);
        send(RmaWire.GET, target, offset, bytes, replyTag, null, 0);
        return answer;
    }

    /**
     * MPI_Accumulate / MPI_Raccumulate: {@code target = origin op target} element-wise.
     *
     * @param reductionOp  {@code coll.ReductionOp} code or {@link Accumulation#REPLACE}/{@link Accumulation#NO_OP}
     * @param reductionType {@code coll.ReductionType} of the items
     * @param items         items per element
     * @param elementBytes  bytes per element
     */
    public Operation accumulate(final String op, final Object base, final long address, final long bytes,
        final int target, final long disp, final int reductionOp, final int reductionType, final int items,
        final int elementBytes)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(op, target, disp, bytes);
        checkOp(op, reductionOp, reductionType, items);
        prepareReduction(reductionOp, reductionType, items, elementBytes);
        final Operation sent = send(RmaWire.ACCUMULATE, target, offset, bytes, 0, base, address);
        w.epochs().modified(target);
        return sent;
    }

    /**
     * MPI_Get_accumulate / MPI_Rget_accumulate / MPI_Fetch_and_op: the target's old contents arrive in the result
     * buffer, then it is combined with the origin's data.
     */
    public Operation getAccumulate(final String op, final Object base, final long address, final long bytes,
        final Object resultBase, final long resultAddress, final int target, final long disp, final int reductionOp,
        final int reductionType, final int items, final int elementBytes)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(op, target, disp, bytes);
        checkOp(op, reductionOp, reductionType, items);
        final int replyTag = w.nextReplyTag();
        final Operation answer = w.p2p.irecvOn(w.endpoint, w.context, resultBase, resultAddress, bytes, target,
            replyTag);
        w.track(answer, target);
        prepareReduction(reductionOp, reductionType, items, elementBytes);
        send(RmaWire.GET_ACCUMULATE, target, offset, bytes, replyTag,
            reductionOp == Accumulation.NO_OP ? null : base, reductionOp == Accumulation.NO_OP ? 0 : address);
        return answer;
    }

    /** MPI_Compare_and_swap of one element of {@code bytes} bytes. */
    public Operation compareAndSwap(final String op, final Object base, final long address, final Object compareBase,
        final long compareAddress, final Object resultBase, final long resultAddress, final int bytes,
        final int target, final long disp)
    {
        if (target == PointToPoint.PROC_NULL)
        {
            return completed();
        }
        final long offset = checked(op, target, disp, bytes);
        final int replyTag = w.nextReplyTag();
        final Operation answer = w.p2p.irecvOn(w.endpoint, w.context, resultBase, resultAddress, bytes, target,
            replyTag);
        w.track(answer, target);
        final byte[] message = new byte[RmaWire.HEADER_LENGTH + 2 * bytes];
        view.wrap(message);
        RmaWire.write(view, RmaWire.COMPARE_AND_SWAP, RmaWire.INLINE, offset, bytes, replyTag);
        Memory.copy(base, address, message, Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH, bytes);
        Memory.copy(compareBase, compareAddress, message, Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH + bytes,
            bytes);
        w.track(w.p2p.isendOn(w.endpoint, w.context, message, Memory.BYTE_ARRAY_BASE, message.length, target,
            TagSpace.RMA_HEADER), target);
        return answer;
    }

    /**
     * A synchronisation request (FLUSH, LOCK, UNLOCK): returns the receive of its answer, whose first int is the
     * error class of anything the target refused; {@code answer} must hold {@link RmaWire#ACK_LENGTH} bytes.
     */
    Operation request(final int kind, final int target, final int lockType, final byte[] answer)
    {
        final int replyTag = w.nextReplyTag();
        final Operation reply = w.p2p.irecvOn(w.endpoint, w.context, answer, Memory.BYTE_ARRAY_BASE, answer.length,
            target, replyTag);
        final byte[] message = new byte[RmaWire.HEADER_LENGTH];
        view.wrap(message);
        RmaWire.write(view, kind, 0, 0, 0, replyTag);
        view.putInt(RmaWire.LOCK_TYPE_OFFSET, lockType);
        w.track(w.p2p.isendOn(w.endpoint, w.context, message, Memory.BYTE_ARRAY_BASE, message.length, target,
            TagSpace.RMA_HEADER), target);
        return reply;
    }

    /** A request without answer (COMPLETE). */
    void notify(final int kind, final int target)
    {
        final byte[] message = new byte[RmaWire.HEADER_LENGTH];
        view.wrap(message);
        RmaWire.write(view, kind, 0, 0, 0, 0);
        w.track(w.p2p.isendOn(w.endpoint, w.context, message, Memory.BYTE_ARRAY_BASE, message.length, target,
            TagSpace.RMA_HEADER), target);
    }

    private int pendingOp;
    private int pendingType;
    private int pendingItems;
    private int pendingElementBytes;

    private void prepareReduction(final int op, final int type, final int items, final int elementBytes)
    {
        pendingOp = op;
        pendingType = type;
        pendingItems = items;
        pendingElementBytes = elementBytes;
    }

    /** Sends the header, the payload inline when small, else behind it; returns the operation that sends the data. */
    private Operation send(final int kind, final int target, final long offset, final long bytes, final int replyTag,
        final Object base, final long address)
    {
        final boolean hasPayload = kind != RmaWire.GET &&
            !(kind == RmaWire.GET_ACCUMULATE && pendingOp == Accumulation.NO_OP);
        final boolean inline = hasPayload && bytes <= RmaWire.INLINE_LIMIT;
        final byte[] message = new byte[RmaWire.HEADER_LENGTH + (inline ? (int)bytes : 0)];
        view.wrap(message);
        RmaWire.write(view, kind, inline || !hasPayload ? RmaWire.INLINE : 0, offset, bytes, replyTag);
        if (kind == RmaWire.ACCUMULATE || kind == RmaWire.GET_ACCUMULATE)
        {
            RmaWire.writeReduction(view, pendingOp, pendingType, pendingItems, pendingElementBytes);
        }
        if (inline)
        {
            Memory.copy(base, address, message, Memory.BYTE_ARRAY_BASE + RmaWire.HEADER_LENGTH, bytes);
        }
        final Operation header = w.p2p.isendOn(w.endpoint, w.context, message, Memory.BYTE_ARRAY_BASE,
            message.length, target, TagSpace.RMA_HEADER);
        w.track(header, target);
        if (!hasPayload || inline)
        {
            return header;
        }
        final Operation data = w.p2p.isendOn(w.endpoint, w.context, base, address, bytes, target, TagSpace.RMA_DATA);
        w.track(data, target);
        return data;
    }

    /** The byte offset of {@code disp} in {@code target}'s window, after checking the epoch and the range. */
    private long checked(final String op, final int target, final long disp, final long bytes)
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
        if (disp < 0 || offset + bytes > w.sizes[target])
        {
            throw new MpiError(ErrorClass.ERR_RMA_RANGE, op + ": " + bytes + " bytes at displacement " + disp +
                " (byte " + offset + ") do not fit the window of rank " + target + ", which is " + w.sizes[target] +
                " bytes with a displacement unit of " + w.dispUnits[target]);
        }
        return offset;
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
