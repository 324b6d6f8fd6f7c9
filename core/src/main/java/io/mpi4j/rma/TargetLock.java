package io.mpi4j.rma;

import java.util.ArrayDeque;

/**
 * The passive-target lock of one process's window ({@code MPI_Win_lock}): any number of shared holders or one
 * exclusive holder, and the requests that wait, granted in arrival order (a waiting exclusive request stops later
 * shared ones from overtaking it, so no origin starves). Used only by the target's progress engine.
 */
final class TargetLock
{
    /** {@code MPI_LOCK_EXCLUSIVE}. */
    static final int EXCLUSIVE = 1;
    /** {@code MPI_LOCK_SHARED}. */
    static final int SHARED = 2;

    private int sharedHolders;
    private boolean exclusiveHeld;
    /** Waiting requests: origin rank, lock type, reply tag. */
    private final ArrayDeque<int[]> waiting = new ArrayDeque<>();

    /** Takes the lock for a request, or queues it; true when granted now. */
    boolean acquire(final int origin, final int type, final int replyTag)
    {
        if (waiting.isEmpty() && grantable(type))
        {
            take(type);
            return true;
        }
        waiting.addLast(new int[] {origin, type, replyTag});
        return false;
    }

    /** Releases a holder of {@code type}. */
    void release(final int type)
    {
        if (type == EXCLUSIVE)
        {
            exclusiveHeld = false;
        }
        else if (sharedHolders > 0)
        {
            sharedHolders--;
        }
    }

    /** The next waiting request that can be granted now, taken; null if none. */
    int[] grantNext()
    {
        final int[] next = waiting.peekFirst();
        if (null == next || !grantable(next[1]))
        {
            return null;
        }
        waiting.removeFirst();
        take(next[1]);
        return next;
    }

    private boolean grantable(final int type)
    {
        return !exclusiveHeld && (type == SHARED || sharedHolders == 0);
    }

    private void take(final int type)
    {
        if (type == EXCLUSIVE)
        {
            exclusiveHeld = true;
        }
        else
        {
            sharedHolders++;
        }
    }
}
