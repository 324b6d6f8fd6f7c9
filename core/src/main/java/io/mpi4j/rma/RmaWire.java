package io.mpi4j.rma;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The header message of a one-sided request, as an origin sends it to a target with tag
 * {@code TagSpace.RMA_HEADER}: a fixed-size record, followed in the same message by the payload when it is at most
 * {@link #INLINE_LIMIT} bytes, otherwise by a second message with tag {@code TagSpace.RMA_DATA}. Every offset is
 * derived from the one before; fields are in the processes' native order (the window's processes share one
 * architecture, as the transports assume).
 */
final class RmaWire
{
    /** {@code MPI_Put}: payload to the target's memory. */
    static final int PUT = 1;
    /** {@code MPI_Get}: the target answers with its memory. */
    static final int GET = 2;
    /** {@code MPI_Accumulate}: payload combined into the target's memory. */
    static final int ACCUMULATE = 3;
    /** {@code MPI_Get_accumulate}, {@code MPI_Fetch_and_op}: answer with the old contents, then combine. */
    static final int GET_ACCUMULATE = 4;
    /** {@code MPI_Compare_and_swap}: payload is the new value then the compare value; answer with the old. */
    static final int COMPARE_AND_SWAP = 5;
    /** Answered once every earlier request of this origin is done at the target. */
    static final int FLUSH = 6;
    /** Answered when the target's lock is granted in {@link #LOCK_TYPE}. */
    static final int LOCK = 7;
    /** Releases the origin's lock after every earlier request of it is done; answered. */
    static final int UNLOCK = 8;
    /** Ends the origin's access epoch of a post/start/complete/wait synchronisation. */
    static final int COMPLETE = 9;

    static final int KIND_OFFSET = 0;
    static final int FLAGS_OFFSET = KIND_OFFSET + Integer.BYTES;
    /** Byte offset into the target's window (an absolute address for a dynamic window). */
    static final int TARGET_OFFSET = FLAGS_OFFSET + Integer.BYTES;
    /** Bytes of target memory the request covers. */
    static final int BYTES_OFFSET = TARGET_OFFSET + Long.BYTES;
    static final int REPLY_TAG_OFFSET = BYTES_OFFSET + Long.BYTES;
    /** Reduction operator: {@code coll.ReductionOp}, or {@link Accumulation#REPLACE}/{@link Accumulation#NO_OP}. */
    static final int OP_OFFSET = REPLY_TAG_OFFSET + Integer.BYTES;
    /** Reduction element type ({@code coll.ReductionType}). */
    static final int TYPE_OFFSET = OP_OFFSET + Integer.BYTES;
    /** Items of the element type in one datatype element (2 for complex numbers). */
    static final int ITEMS_OFFSET = TYPE_OFFSET + Integer.BYTES;
    static final int LOCK_TYPE_OFFSET = ITEMS_OFFSET + Integer.BYTES;
    /** Bytes of one datatype element, the unit accumulations are atomic in. */
    static final int ELEMENT_BYTES_OFFSET = LOCK_TYPE_OFFSET + Integer.BYTES;
    static final int HEADER_LENGTH = ELEMENT_BYTES_OFFSET + Integer.BYTES;

    /** Flag: the payload follows the header in the same message. */
    static final int INLINE = 1;
    /** Flag: a {@link TargetLayout} follows the header (before any inline payload): the target type has gaps. */
    static final int LAYOUT = 2;
    /** Largest payload carried in the header message: small enough to stay eager on every transport. */
    static final int INLINE_LIMIT = 1024;
    /** Capacity of the target's header receive. */
    static final int MAX_HEADER_MESSAGE = HEADER_LENGTH + TargetLayout.MAX_LENGTH + INLINE_LIMIT;

    /** Bytes of an answer to FLUSH, LOCK and UNLOCK: the error class of what the target refused, 0 if none. */
    static final int ACK_LENGTH = Integer.BYTES;

    private RmaWire()
    {
    }

    static void write(final UnsafeBuffer header, final int kind, final int flags, final long targetOffset,
        final long bytes, final int replyTag)
    {
        header.putInt(KIND_OFFSET, kind);
        header.putInt(FLAGS_OFFSET, flags);
        header.putLong(TARGET_OFFSET, targetOffset);
        header.putLong(BYTES_OFFSET, bytes);
        header.putInt(REPLY_TAG_OFFSET, replyTag);
    }

    static void writeReduction(final UnsafeBuffer header, final int op, final int type, final int items,
        final int elementBytes)
    {
        header.putInt(OP_OFFSET, op);
        header.putInt(TYPE_OFFSET, type);
        header.putInt(ITEMS_OFFSET, items);
        header.putInt(ELEMENT_BYTES_OFFSET, elementBytes);
    }
}
