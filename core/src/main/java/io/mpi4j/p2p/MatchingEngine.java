package io.mpi4j.p2p;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * MPI message matching for any number of communicators: one {@link MatchQueues} per context id, created on first
 * use (a message may arrive for a communicator this process has not finished creating). Queues of freed
 * communicators are dropped once empty by {@link #release(int)}.
 */
final class MatchingEngine
{
    private final Int2ObjectHashMap<MatchQueues> queuesByContext = new Int2ObjectHashMap<>();
    private int lastContext = -1;
    private MatchQueues lastQueues;

    MatchQueues queues(final int context)
    {
        if (context == lastContext)
        {
            return lastQueues;
        }
        MatchQueues queues = queuesByContext.get(context);
        if (queues == null)
        {
            queues = new MatchQueues();
            queuesByContext.put(context, queues);
        }
        lastContext = context;
        lastQueues = queues;
        return queues;
    }

    /** Forget the queues of a context id being given back, if nothing is pending in them. */
    void release(final int context)
    {
        final MatchQueues queues = queuesByContext.get(context);
        if (queues != null && queues.isIdle())
        {
            queuesByContext.remove(context);
            if (lastContext == context)
            {
                lastContext = -1;
                lastQueues = null;
            }
        }
    }

    /** The queues of {@code context} if any exist, without creating them. */
    MatchQueues existingQueues(final int context)
    {
        return queuesByContext.get(context);
    }

    /** Every context's queues (sweeps after a process failure; allocates). */
    java.util.List<MatchQueues> allQueues()
    {
        return new java.util.ArrayList<>(queuesByContext.values());
    }
}
