package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.agrona.concurrent.IdleStrategy;

/**
 * The space of buffered-mode sends ({@code MPI_Buffer_attach}, {@code MPI_Bsend}, {@code MPI_Buffer_detach}). A
 * buffered send copies its data and sends from the copy; the attached buffer is the budget those copies are charged
 * against, each with {@link #BSEND_OVERHEAD} bytes on top, until the send completes.
 */
public final class BufferedSendSpace
{
    /** Per-message overhead charged against the attached buffer, as MPI_BSEND_OVERHEAD. */
    public static final int BSEND_OVERHEAD = 96;

    private static final long DETACHED = -1;

    private final ProgressDriver driver;
    private long capacity = DETACHED;
    private long inUse;

    BufferedSendSpace(final ProgressDriver driver)
    {
        this.driver = driver;
    }

    /** MPI_Buffer_attach: {@code bytes} of buffer space. */
    public void attach(final long bytes)
    {
        driver.lock();
        try
        {
            if (capacity != DETACHED)
            {
                throw new MpiError(ErrorClass.ERR_BUFFER, "MPI_Buffer_attach: a buffer is already attached");
            }
            capacity = bytes;
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Buffer_detach: waits for pending buffered sends, returns the attached size (-1 if none). */
    public long detach()
    {
        driver.lock();
        try
        {
            final IdleStrategy idle = driver.idle();
            idle.reset();
            while (inUse > 0)
            {
                driver.idleLocked(idle, driver.turn());
            }
            final long size = capacity;
            capacity = DETACHED;
            return size;
        }
        finally
        {
            driver.unlock();
        }
    }

    /** Charges a message of {@code bytes} against the space, under the lock; the bytes charged. */
    long reserve(final long bytes)
    {
        if (capacity == DETACHED)
        {
            throw new MpiError(ErrorClass.ERR_BUFFER, "MPI_Bsend: no buffer attached (call MPI.attachBuffer first)");
        }
        final long needed = bytes + BSEND_OVERHEAD;
        if (inUse + needed > capacity)
        {
            throw new MpiError(ErrorClass.ERR_BUFFER, "MPI_Bsend: message of " + bytes + " bytes does not fit the " +
                "attached buffer (" + capacity + " bytes, " + inUse + " in use, " +
                BSEND_OVERHEAD + " bytes overhead per message)");
        }
        inUse += needed;
        return needed;
    }

    /** Gives back what a completed buffered send was charged; from the protocol, under the lock. */
    void release(final long charged)
    {
        inUse -= charged;
    }
}
