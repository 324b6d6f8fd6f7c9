package io.mpi4j.p2p;

/**
 * A pending communication: what {@code mpi.Request} stands for. The progress engine completes it; the facade waits
 * on it through {@link PointToPoint#await}, {@link PointToPoint#test} and friends.
 */
public abstract class Operation
{
    final StatusRecord status = new StatusRecord();
    volatile boolean complete;

    /** True once the operation finished (successfully, with an error in its status, or cancelled). */
    public final boolean isComplete()
    {
        return complete;
    }

    /** Status of the finished operation; meaningful once {@link #isComplete()}. */
    public final StatusRecord status()
    {
        return status;
    }

    final void completeWith(final int error)
    {
        status.error = error;
        complete = true;
    }
}
