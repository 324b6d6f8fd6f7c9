package io.mpi4j.p2p;

/**
 * An operation made of steps (a non-blocking collective's rounds): once handed to
 * {@link PointToPoint#schedule}, every progress turn calls {@link #advance()} until it returns true.
 * {@code advance} runs inside the progress engine: it may start sends and receives with
 * {@link PointToPoint#isendOn}/{@link PointToPoint#irecvOn} and check their completion, but must not wait.
 */
public abstract class ScheduledOperation extends Operation
{
    /** Take the steps that are ready; true once the operation is finished (after calling {@link #finish}). */
    protected abstract boolean advance();

    /** Mark the operation complete with {@code errorClass} (0 for success). */
    protected final void finish(final int errorClass, final String detail)
    {
        if (errorClass == 0)
        {
            status.clear();
            markComplete();
        }
        else
        {
            fail(errorClass, detail);
        }
    }

    /**
     * Mark the operation complete, successfully, with {@code bytes} moved and the wildcard source and tag (a file
     * access, whose status carries only a count). May be called from a thread other than the progress engine's:
     * the status is written before the completion flag publishes it.
     */
    protected final void finishMoved(final long bytes)
    {
        status.clear();
        status.source = PointToPoint.ANY_SOURCE;
        status.tag = PointToPoint.ANY_TAG;
        status.byteCount = bytes;
        markComplete();
    }
}
