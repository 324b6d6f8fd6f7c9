package io.mpi4j.runtime;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PointToPoint;

/**
 * The process's MPI state between {@code MPI_Init} and {@code MPI_Finalize}: job identity, key-value exchange,
 * transports, progress engine, point-to-point layer and the predefined communicators.
 */
public final class MpiRuntime
{
    public static final int THREAD_SINGLE = 0;
    public static final int THREAD_FUNNELED = 1;
    public static final int THREAD_SERIALIZED = 2;
    public static final int THREAD_MULTIPLE = 3;

    /** MPI_Init_thread: set up the process; returns the thread level provided. */
    public static synchronized int init(final String[] args, final int required)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Finalize. */
    public static synchronized void shutdown()
    {
        throw new UnsupportedOperationException("TODO");
    }

    public static boolean isInitialized()
    {
        return false;
    }

    public static boolean isFinalized()
    {
        return false;
    }

    /** The runtime, or MpiError(ERR_OTHER) saying MPI is not initialized / already finalized. */
    public static MpiRuntime get()
    {
        throw new MpiError(io.mpi4j.errors.ErrorClass.ERR_OTHER, "MPI is not initialized: call MPI.Init first");
    }

    public Communicator world()
    {
        throw new UnsupportedOperationException("TODO");
    }

    public Communicator self()
    {
        throw new UnsupportedOperationException("TODO");
    }

    public PointToPoint p2p()
    {
        throw new UnsupportedOperationException("TODO");
    }

    public int threadLevel()
    {
        throw new UnsupportedOperationException("TODO");
    }

    public JobEnvironment job()
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Abort: kill the whole job with {@code errorCode}; never returns. */
    public void abort(final int errorCode, final String message)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Get_processor_name. */
    public String processorName()
    {
        throw new UnsupportedOperationException("TODO");
    }
}
