package io.mpi4j.p2p;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A pending communication: what {@code mpi.Request} stands for. The progress engine completes it; the facade waits
 * on it through {@link Completion}.
 */
public abstract class Operation
{
    private static final VarHandle COMPLETE;

    static
    {
        try
        {
            COMPLETE = MethodHandles.lookup().findVarHandle(Operation.class, "complete", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final StatusRecord status = new StatusRecord();
    /**
     * Read as a volatile (another thread may wait on it), written only with release stores ({@link #markComplete},
     * {@link #markIncomplete}): a volatile store's full fence would wait, on every eager send, for the frame just
     * written into the peer's ring to reach this core's cache, which takes a round trip between cores (a third of
     * osu_bw's small-message time). Nobody waits for the flag with a handshake that needs store-load order: waiters
     * poll it.
     */
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

    /** Publishes the finished operation: everything written to it before becomes visible with the flag. */
    final void markComplete()
    {
        COMPLETE.setRelease(this, true);
    }

    /** A pooled operation taken again, before it is handed to anyone. */
    final void markIncomplete()
    {
        COMPLETE.setRelease(this, false);
    }

    /** Drops the references to the user's memory and communicator (an idle pooled operation must not keep them). */
    void forgetUserMemory()
    {
    }

    final void fail(final int errorClass, final String detail)
    {
        errorDetail = detail;
        status.error = errorClass;
        markComplete();
    }

    /** An operation that is complete from birth (PROC_NULL, or an already finished blocking step). */
    static final class Completed extends Operation
    {
        Completed()
        {
            status.empty();
            markComplete();
        }
    }
}
