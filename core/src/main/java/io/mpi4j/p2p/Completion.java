package io.mpi4j.p2p;

import org.agrona.concurrent.IdleStrategy;

/**
 * Completion of pending operations: {@code MPI_Wait}, {@code MPI_Test} and their any/all forms, {@code MPI_Cancel},
 * and plain progress. None of these throws for an operation's own error: read {@link Operation#status()}{@code
 * .error} and {@link Operation#errorDetail()} once complete. Null entries of an array are skipped.
 */
public final class Completion
{
    private final ProgressDriver driver;
    private final MessageProtocol protocol;

    Completion(final ProgressDriver driver, final MessageProtocol protocol)
    {
        this.driver = driver;
        this.protocol = protocol;
    }

    /** Waits until {@code op} completes (MPI_Wait). */
    public void await(final Operation op)
    {
        if (op.complete)
        {
            return;
        }
        driver.lock();
        try
        {
            driver.awaitLocked(op);
        }
        finally
        {
            driver.unlock();
        }
    }

    /** One round of progress, then whether {@code op} is complete (MPI_Test). */
    public boolean test(final Operation op)
    {
        if (op.complete)
        {
            return true;
        }
        driver.lock();
        try
        {
            driver.turn();
            return op.complete;
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Waitany: index of a completed operation; -1 if all are null. */
    public int awaitAny(final Operation[] ops)
    {
        driver.lock();
        try
        {
            final IdleStrategy idle = driver.idle();
            idle.reset();
            while (true)
            {
                boolean any = false;
                for (int i = 0; i < ops.length; i++)
                {
                    final Operation op = ops[i];
                    if (op != null)
                    {
                        if (op.complete)
                        {
                            return i;
                        }
                        any = true;
                    }
                }
                if (!any)
                {
                    return -1;
                }
                driver.idleLocked(idle, driver.turn());
            }
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Waitall. */
    public void awaitAll(final Operation[] ops)
    {
        driver.lock();
        try
        {
            for (final Operation op : ops)
            {
                if (op != null)
                {
                    driver.awaitLocked(op);
                }
            }
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Testany: index of a completed operation, or -1 if none is complete. */
    public int testAny(final Operation[] ops)
    {
        driver.lock();
        try
        {
            driver.turn();
            for (int i = 0; i < ops.length; i++)
            {
                if (ops[i] != null && ops[i].complete)
                {
                    return i;
                }
            }
            return -1;
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Cancel: a receive not yet matched is cancelled (status.cancelled); a send cannot be cancelled. */
    public void cancel(final Operation op)
    {
        if (op.complete || !(op instanceof RecvOperation))
        {
            return;
        }
        driver.lock();
        try
        {
            protocol.cancel((RecvOperation)op);
        }
        finally
        {
            driver.unlock();
        }
    }

    /** Drives the progress engine once (lets other processes' messages arrive during compute loops). */
    public int progress()
    {
        driver.lock();
        try
        {
            return driver.turn();
        }
        finally
        {
            driver.unlock();
        }
    }
}
