package io.mpi4j.comm;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.ScheduledOperation;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Agreement on a free context-id slot by all members of a group, with no central allocator.
 * <p>
 * Each pass every member offers the free bits of one 64-slot window of its {@link ContextIdAllocator}, and the
 * group reduces the offers by dissemination (ceil(log2 p) rounds, each a 24-byte message to rank + 2^k). The
 * reduction is over sets, so it is idempotent and dissemination needs no extra fix-up for sizes that are not
 * powers of two. The value carried is (window, AND of the masks of members offering that window, whether some
 * member offered a lower window). In the common case all members offer the same window and one pass decides:
 * the lowest common free bit. Otherwise the next passes fix the window to the agreed maximum and move up a
 * window while the AND is empty.
 * <p>
 * Members that only take part ({@code claim == false}, e.g. {@code MPI.UNDEFINED} in a split) give their offer back.
 */
public final class ContextAgreement extends ScheduledOperation
{
    private static final int VALUE_BYTES = 24;

    private final PointToPoint p2p;
    private final ContextIdAllocator allocator;
    private final Communicator group;
    private final int context;
    private final int tag;
    private final boolean claim;
    private final int size;
    private final int rank;
    private final byte[] sendBytes = new byte[VALUE_BYTES];
    private final byte[] recvBytes = new byte[VALUE_BYTES];
    private final UnsafeBuffer sendView = new UnsafeBuffer(sendBytes);
    private final UnsafeBuffer recvView = new UnsafeBuffer(recvBytes);

    private boolean firstPass = true;
    private boolean passOpen;
    private int window;
    private long offered;
    private long acc0;
    private long acc1;
    private long acc2;
    private int distance;
    private Operation send;
    private Operation recv;
    private int slot = -1;
    private AgreedHook hook;

    /** Work done inside the agreement once the slot is agreed (MPI_Comm_idup builds the communicator there). */
    @FunctionalInterface
    public interface AgreedHook
    {
        /** Called with the agreed slot; throwing MpiError fails the agreement (the hook gives the slot back). */
        void agreed(int slot);
    }

    /** Sets the hook run when the slot is agreed, before the operation completes. */
    public ContextAgreement onAgreed(final AgreedHook hook)
    {
        this.hook = hook;
        return this;
    }

    /**
     * @param group   members that agree; ranks index it
     * @param context context id the exchange runs in (the parent's collective context)
     * @param tag     tag of the exchange ({@link TagSpace})
     * @param claim   whether this process keeps the agreed slot
     */
    public ContextAgreement(final PointToPoint p2p, final ContextIdAllocator allocator, final Communicator group,
        final int context, final int tag, final boolean claim)
    {
        this.p2p = p2p;
        this.allocator = allocator;
        this.group = group;
        this.context = context;
        this.tag = tag;
        this.claim = claim;
        this.size = group.size();
        this.rank = group.rank();
    }

    /** The agreed slot (context id = 2 * slot), or -1 when failed or not yet done. */
    public int slot()
    {
        return slot;
    }

    /**
     * Starts a non-blocking agreement (MPI_Comm_idup): the first round is posted now, in call order, and the rest
     * is driven by the progress engine.
     */
    public void start()
    {
        if (!advance())
        {
            p2p.schedule(this);
        }
    }

    /** Runs the agreement to completion on the calling thread; the agreed slot, or MpiError. */
    public int run()
    {
        // Blocking: driven from the caller's thread, waiting on each round's messages directly (no progress-turn
        // indirection through the scheduled list).
        while (!advance())
        {
            p2p.completion().await(!recv.isComplete() ? recv : send);
        }
        if (status().error != 0)
        {
            throw new io.mpi4j.errors.MpiError(status().error, errorDetail());
        }
        return slot;
    }

    @Override
    protected boolean advance()
    {
        while (true)
        {
            if (!passOpen)
            {
                window = firstPass ? allocator.lowestOpenWindow() : window;
                offered = allocator.offer(window);
                acc0 = window;
                acc1 = offered;
                acc2 = 0;
                distance = 1;
                passOpen = true;
            }
            if (distance < size)
            {
                if (null == send)
                {
                    sendView.putLong(0, acc0);
                    sendView.putLong(8, acc1);
                    sendView.putLong(16, acc2);
                    recv = p2p.irecvOn(group.endpoint(), context, recvBytes, Memory.BYTE_ARRAY_BASE, VALUE_BYTES,
                        (rank - distance + size) % size, tag);
                    send = p2p.isendOn(group.endpoint(), context, sendBytes, Memory.BYTE_ARRAY_BASE, VALUE_BYTES,
                        (rank + distance) % size, tag);
                }
                if (!send.isComplete() || !recv.isComplete())
                {
                    return false;
                }
                final int error = send.status().error != 0 ? send.status().error : recv.status().error;
                if (error != 0)
                {
                    allocator.settle(window, offered, -1);
                    finish(error, "context id agreement: exchange failed with " + ErrorClass.name(error));
                    return true;
                }
                combine(recvView.getLong(0), recvView.getLong(8), recvView.getLong(16));
                send = null;
                recv = null;
                distance <<= 1;
                continue;
            }
            passOpen = false;
            if (acc2 == 0 && acc1 != 0)
            {
                final int agreed = (int)(acc0 << 6) + Long.numberOfTrailingZeros(acc1);
                allocator.settle(window, offered, claim ? agreed : -1);
                slot = agreed;
                if (null != hook)
                {
                    try
                    {
                        hook.agreed(agreed);
                    }
                    catch (final io.mpi4j.errors.MpiError ex)
                    {
                        finish(ex.errorClass(), ex.getMessage());
                        return true;
                    }
                }
                finish(0, null);
                return true;
            }
            allocator.settle(window, offered, -1);
            final int next = firstPass && acc2 != 0 ? (int)acc0 : (int)acc0 + 1;
            firstPass = false;
            if (next >= ContextIdAllocator.WINDOWS)
            {
                finish(ErrorClass.ERR_INTERN, "no free context id: " + ContextIdAllocator.SLOTS +
                    " communicators are alive");
                return true;
            }
            window = next;
        }
    }

    /** Set union of two partial reductions: max window, AND of masks at the max, whether anyone was below. */
    private void combine(final long w, final long mask, final long lower)
    {
        if (w == acc0)
        {
            acc1 &= mask;
            acc2 |= lower;
        }
        else if (w > acc0)
        {
            acc0 = w;
            acc1 = mask;
            acc2 = 1;
        }
        else
        {
            acc2 = 1;
        }
    }
}
