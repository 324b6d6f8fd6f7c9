package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PersistentRequest;
import io.mpi4j.p2p.PointToPoint;

/**
 * A persistent communication request, made by {@link Comm#sendInit}, {@link Comm#bSendInit},
 * {@link Comm#sSendInit}, {@link Comm#rSendInit} or {@link Comm#recvInit}. It is created inactive; {@link #start}
 * runs the communication, which is completed by one of the wait or test calls of {@link Request}; the request is
 * then inactive again (but not {@code MPI_REQUEST_NULL}) and may be started again. {@link #free} releases it; an
 * active request may be freed, its communication still completes.
 */
public final class Prequest extends Request
{
    private final PersistentRequest bound;
    private final Comm comm;
    /** The user's buffer, held so a direct buffer is not collected while a run reads or fills it. */
    private final Object buffer;
    private boolean freed;

    Prequest(final PersistentRequest bound, final Comm comm, final Object buffer)
    {
        super(null, comm, buffer);
        this.bound = bound;
        this.comm = comm;
        this.buffer = buffer;
    }

    @Override
    boolean retained()
    {
        return !freed;
    }

    /**
     * Starts the communication. Binds {@code MPI_START}.
     *
     * @throws MPIException {@code MPI.ERR_REQUEST} if the request is active (started and not completed by a wait
     *                      or test) or freed; {@code MPI.ERR_BUFFER} for a buffered send that does not fit the
     *                      attached buffer
     */
    public void start() throws MPIException
    {
        final String op = "MPI_Start";
        MPI.check(op);
        startChecked(op, MPI.engine());
    }

    private void startChecked(final String op, final PointToPoint p2p) throws MPIException
    {
        if (freed)
        {
            throw comm.raise(ErrorClass.ERR_REQUEST, op + ": the persistent request has been freed");
        }
        if (null != operation())
        {
            throw comm.raise(ErrorClass.ERR_REQUEST, op + ": the persistent request is already active; " +
                "complete it with a wait or test before starting it again");
        }
        comm.live(op);
        try
        {
            activate(p2p.start(bound), buffer);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
    }

    /**
     * Starts every request of the array, in order. Binds {@code MPI_STARTALL}.
     *
     * @param requests the persistent requests to start
     * @throws MPIException {@code MPI.ERR_ARG} for a null array or element, {@code MPI.ERR_REQUEST} if one is
     *                      active or freed (the requests before it are started)
     */
    public static void startAll(final Prequest[] requests) throws MPIException
    {
        final String op = "MPI_Startall";
        MPI.check(op);
        if (null == requests)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": the array of requests is null");
        }
        for (int i = 0; i < requests.length; i++)
        {
            if (null == requests[i])
            {
                throw MPI.COMM_WORLD.raise(ErrorClass.ERR_REQUEST, op + ": request " + i + " is null");
            }
        }
        final PointToPoint p2p = MPI.engine();
        for (final Prequest request : requests)
        {
            request.startChecked(op, p2p);
        }
    }

    /**
     * Frees the request. Binds {@code MPI_REQUEST_FREE}: an active communication still completes but can no longer
     * be waited for; the request is {@code MPI_REQUEST_NULL} afterwards.
     *
     * @throws MPIException if MPI is not running
     */
    @Override
    public void free() throws MPIException
    {
        if (freed)
        {
            return;
        }
        MPI.check("MPI_Request_free");
        freed = true;
        super.free();
    }
}
