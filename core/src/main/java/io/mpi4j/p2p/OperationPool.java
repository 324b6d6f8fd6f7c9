package io.mpi4j.p2p;

import java.util.Arrays;

/**
 * Send and receive operations of the user's non-blocking calls, kept for reuse once their owner is done with them,
 * so that a message started by {@code MPI_Isend}/{@code MPI_Irecv} and completed by a wait or test allocates no
 * engine object in steady state. An operation is given back only by the one object that owns it (the facade's
 * request) and only when the protocol holds no reference to it any more: it completed without error (a failed
 * operation may still sit in a cookie map or an outbox). Operations that are never given back are collected once
 * their slot is reused. Used under the engine's lock.
 */
final class OperationPool
{
    /** How many idle operations of each kind are kept: a window of messages this wide runs allocation-free. */
    static final int MAX_IDLE = 4096;
    private static final int INITIAL_CAPACITY = 16;

    private SendOperation[] sends = new SendOperation[INITIAL_CAPACITY];
    private int idleSends;
    private RecvOperation[] recvs = new RecvOperation[INITIAL_CAPACITY];
    private int idleRecvs;

    /** An idle send operation, or a new one; either way it is {@link Operation#pooled}. */
    SendOperation takeSend()
    {
        if (0 == idleSends)
        {
            final SendOperation op = new SendOperation();
            op.pooled = true;
            return op;
        }
        // The slot keeps its reference (an operation, nothing of the user's): given back, the same operation most
        // often lands in the same slot, and a store of what is there already is skipped (see give).
        final SendOperation op = sends[--idleSends];
        op.idle = false;
        return op;
    }

    /** An idle receive operation, or a new one; either way it is {@link Operation#pooled}. */
    RecvOperation takeRecv()
    {
        if (0 == idleRecvs)
        {
            final RecvOperation op = new RecvOperation();
            op.pooled = true;
            return op;
        }
        final RecvOperation op = recvs[--idleRecvs];
        op.idle = false;
        return op;
    }

    /**
     * Keeps {@code op} for reuse if it came from this pool, is not idle already, and the protocol is done with it
     * (complete, without error); an idle operation keeps no user buffer reachable.
     */
    void give(final Operation op)
    {
        if (!op.pooled || op.idle || !op.complete || 0 != op.status.error)
        {
            return;
        }
        op.forgetUserMemory();
        if (op instanceof SendOperation send)
        {
            if (idleSends == sends.length && !growSends())
            {
                return;
            }
            send.idle = true;
            keep(sends, idleSends++, send);
        }
        else
        {
            if (idleRecvs == recvs.length && !growRecvs())
            {
                return;
            }
            op.idle = true;
            keep(recvs, idleRecvs++, (RecvOperation)op);
        }
    }

    /**
     * Stores {@code op} at {@code slot} unless it is there already. The pool and its operations outlive young
     * collections, and with G1 a reference stored into an old object from another heap region costs a StoreLoad
     * fence (the card-marking barrier): on the message path that fence waits for the ring stores just made to
     * reach the peer's core.
     */
    private static <T extends Operation> void keep(final T[] slots, final int slot, final T op)
    {
        if (slots[slot] != op)
        {
            slots[slot] = op;
        }
    }

    private boolean growSends()
    {
        if (sends.length >= MAX_IDLE)
        {
            return false;
        }
        sends = Arrays.copyOf(sends, Math.min(MAX_IDLE, 2 * sends.length));
        return true;
    }

    private boolean growRecvs()
    {
        if (recvs.length >= MAX_IDLE)
        {
            return false;
        }
        recvs = Arrays.copyOf(recvs, Math.min(MAX_IDLE, 2 * recvs.length));
        return true;
    }
}
