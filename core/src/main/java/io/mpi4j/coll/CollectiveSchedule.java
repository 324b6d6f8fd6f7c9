package io.mpi4j.coll;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.ScheduledOperation;

import java.util.ArrayList;

/**
 * A collective as a list of rounds, in the manner of libNBC: each round first runs its local steps (copies and
 * reductions of data the previous rounds received), then posts its sends and receives in the communicator's
 * collective context, and is over when they all completed. Algorithms in {@link Collectives} only append steps;
 * the same schedule serves the blocking call (schedule, then wait) and the non-blocking one (a {@code Request}).
 * {@link #advance()} never waits.
 */
public final class CollectiveSchedule extends ScheduledOperation
{
    private static final int SEND = 1;
    private static final int RECV = 2;
    private static final int COPY = 3;
    private static final int REDUCE = 4;
    private static final int LOCAL = 5;

    private static final class Step
    {
        int kind;
        Communicator comm;
        int peer;
        Object base;
        long address;
        long bytes;
        Object srcBase;
        long srcAddress;
        Reduction reduction;
        int count;
        Runnable action;
    }

    private final PointToPoint p2p;
    private Communicator comm;
    private final int tag;
    private final ArrayList<Step> steps = new ArrayList<>();
    private final ArrayList<Integer> roundEnds = new ArrayList<>();
    private Operation[] pending = new Operation[8];
    private int pendingCount;
    private int round;
    private boolean roundStarted;

    /**
     * @param comm communicator whose collective context carries the messages (an intercommunicator's messages go
     *             to the remote group)
     * @param tag  tag unique to this collective call on {@code comm}, so concurrent collectives never cross
     */
    public CollectiveSchedule(final PointToPoint p2p, final Communicator comm, final int tag)
    {
        this.p2p = p2p;
        this.comm = comm;
        this.tag = tag;
    }

    /** The communicator later steps use: the schedule's own, or one {@link #on} switched to. */
    public Communicator comm()
    {
        return comm;
    }

    /**
     * Later messages go through {@code other}'s collective context with this schedule's tag: how an
     * intercommunicator's collective takes its local steps on the local group's communicator.
     */
    public CollectiveSchedule on(final Communicator other)
    {
        comm = other;
        return this;
    }

    /** Closes the current round: later steps run only after its messages completed. */
    public CollectiveSchedule endRound()
    {
        final int end = steps.size();
        if (roundEnds.isEmpty() ? end > 0 : roundEnds.get(roundEnds.size() - 1) < end)
        {
            roundEnds.add(end);
        }
        return this;
    }

    public CollectiveSchedule send(final int peer, final Object base, final long address, final long bytes)
    {
        final Step s = add(SEND);
        s.comm = comm;
        s.peer = peer;
        s.base = base;
        s.address = address;
        s.bytes = bytes;
        return this;
    }

    public CollectiveSchedule recv(final int peer, final Object base, final long address, final long bytes)
    {
        final Step s = add(RECV);
        s.comm = comm;
        s.peer = peer;
        s.base = base;
        s.address = address;
        s.bytes = bytes;
        return this;
    }

    /** Local copy, run at the start of its round. */
    public CollectiveSchedule copy(
        final Object srcBase, final long srcAddress, final Object base, final long address, final long bytes)
    {
        if (bytes <= 0 || (srcBase == base && srcAddress == address))
        {
            return this;
        }
        final Step s = add(COPY);
        s.srcBase = srcBase;
        s.srcAddress = srcAddress;
        s.base = base;
        s.address = address;
        s.bytes = bytes;
        return this;
    }

    /** Local {@code inout = in op inout}, run at the start of its round. */
    public CollectiveSchedule reduce(final Reduction reduction, final Object inBase, final long inAddress,
        final Object inoutBase, final long inoutAddress, final int count)
    {
        if (count <= 0)
        {
            return this;
        }
        final Step s = add(REDUCE);
        s.reduction = reduction;
        s.srcBase = inBase;
        s.srcAddress = inAddress;
        s.base = inoutBase;
        s.address = inoutAddress;
        s.count = count;
        return this;
    }

    /**
     * Local work of the layer above, run at the start of its round: unpacking what the collective moved in packed
     * form into a program's non-contiguous buffer, after the round that received it.
     */
    public CollectiveSchedule local(final Runnable action)
    {
        add(LOCAL).action = action;
        return this;
    }

    private Step add(final int kind)
    {
        final Step s = new Step();
        s.kind = kind;
        steps.add(s);
        return s;
    }

    /** Runs the schedule to completion on the calling thread; errors are in {@link #status()}. */
    public void run()
    {
        if (!startInline())
        {
            p2p.schedule(this);
            p2p.completion().await(this);
        }
    }

    /** Starts the schedule; the caller waits on it as on any request. */
    public CollectiveSchedule start()
    {
        if (!startInline())
        {
            p2p.schedule(this);
        }
        return this;
    }

    /**
     * Takes the first steps on the caller's thread, so the first round's messages leave now rather than at the
     * next progress turn; nobody else sees the schedule yet. True if that already finished it.
     */
    private boolean startInline()
    {
        endRound();
        if (roundEnds.isEmpty())
        {
            finish(0, null);
            return true;
        }
        return advance();
    }

    @Override
    protected boolean advance()
    {
        try
        {
            while (round < roundEnds.size())
            {
                if (!roundStarted)
                {
                    startRound();
                    roundStarted = true;
                }
                for (int i = 0; i < pendingCount; i++)
                {
                    final Operation op = pending[i];
                    if (!op.isComplete())
                    {
                        return false;
                    }
                    final int error = op.status().error;
                    if (error != 0)
                    {
                        finish(error, op.errorDetail());
                        return true;
                    }
                }
                pendingCount = 0;
                roundStarted = false;
                round++;
            }
            finish(0, null);
        }
        catch (final MpiError ex)
        {
            finish(ex.errorClass(), ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            finish(ErrorClass.ERR_OTHER, String.valueOf(ex));
        }
        return true;
    }

    private void startRound()
    {
        final int from = round == 0 ? 0 : roundEnds.get(round - 1);
        final int to = roundEnds.get(round);
        for (int i = from; i < to; i++)
        {
            final Step s = steps.get(i);
            if (s.kind == COPY)
            {
                Memory.copy(s.srcBase, s.srcAddress, s.base, s.address, s.bytes);
            }
            else if (s.kind == REDUCE)
            {
                s.reduction.apply(s.srcBase, s.srcAddress, s.base, s.address, s.count);
            }
            else if (s.kind == LOCAL)
            {
                s.action.run();
            }
        }
        for (int i = from; i < to; i++)
        {
            final Step s = steps.get(i);
            if (s.kind == SEND)
            {
                track(p2p.isendOn(
                    s.comm.endpoint(), s.comm.collectiveContextId(), s.base, s.address, s.bytes, s.peer, tag));
            }
            else if (s.kind == RECV)
            {
                track(p2p.irecvOn(
                    s.comm.endpoint(), s.comm.collectiveContextId(), s.base, s.address, s.bytes, s.peer, tag));
            }
        }
    }

    private void track(final Operation op)
    {
        if (pendingCount == pending.length)
        {
            pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
        }
        pending[pendingCount++] = op;
    }
}
