package io.mpi4j.p2p;

/**
 * A pending communication: what {@code mpi.Request} stands for. The progress engine completes it; the facade waits
 * on it through {@link Completion}.
 */
public abstract class Operation
{
    final StatusRecord status = new StatusRecord();
    volatile boolean complete;
    String errorDetail;
    /** Taken from an {@link OperationPool}, to which its owner gives it back once done (never set otherwise). */
    boolean pooled;
    /** In the pool, waiting to be taken: giving it back twice must not put it there twice. */
    boolean idle;

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

    /** Why the operation failed, when {@code status().error != 0}. */
    public final String errorDetail()
    {
        return errorDetail;
    }

    /** Drops the references to the user's memory and communicator (an idle pooled operation must not keep them). */
    void forgetUserMemory()
    {
    }

    final void fail(final int errorClass, final String detail)
    {
        errorDetail = detail;
        status.error = errorClass;
        complete = true;
    }

    /** An operation that is complete from birth (PROC_NULL, or an already finished blocking step). */
    static final class Completed extends Operation
    {
        Completed()
        {
            status.empty();
            complete = true;
        }
    }
}
