package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Completion;
import io.mpi4j.p2p.Operation;

import java.util.ArrayList;

/**
 * A pending non-blocking operation ({@code MPI_Request}). Once a wait or a successful test completes it, the
 * request becomes inactive and {@link #isNull()} is true, as in Open MPI's binding; a persistent request
 * ({@link Prequest}) becomes inactive too but stays allocated until freed. Inactive requests in an array are
 * skipped by the wait and test calls, as {@code MPI_REQUEST_NULL} is.
 */
public class Request implements Freeable
{
    /** Requests freed while still running: their buffers must stay reachable until the engine is done. */
    private static final ArrayList<Request> DETACHED = new ArrayList<>();

    private Operation operation;
    private Comm comm;
    private Object buffer;

    /**
     * @param operation the engine's operation, or null for an inactive request
     * @param comm      communicator whose error handler gets this request's errors
     * @param buffer    user buffer, held so a direct buffer is not collected while the engine uses it
     */
    Request(final Operation operation, final Comm comm, final Object buffer)
    {
        this.operation = operation;
        this.comm = comm;
        this.buffer = buffer;
    }

    /** Runs {@code operation} in this request (MPI_Start of a persistent request); {@code buffer} as above. */
    final void activate(final Operation operation, final Object buffer)
    {
        this.operation = operation;
        this.buffer = buffer;
    }

    /** The operation in flight, or null while inactive. */
    final Operation operation()
    {
        return operation;
    }

    /**
     * Whether the request stays allocated while inactive: a persistent request is {@code MPI_REQUEST_NULL} only
     * once freed, a plain one as soon as it completes.
     */
    boolean retained()
    {
        return false;
    }

    private void deactivate()
    {
        operation = null;
        buffer = null;
    }

    private MPIException raise(final int errorClass, final String message)
    {
        return (null == comm ? MPI.COMM_WORLD : comm).raise(errorClass, message);
    }

    private MPIException raise(final String op, final MpiError error)
    {
        return (null == comm ? MPI.COMM_WORLD : comm).raise(op, error);
    }

    /** Completes the request's bookkeeping after its operation finished; dispatches an error in its status. */
    private Status finish(final String op, final Operation done) throws MPIException
    {
        final Status status = new Status().load(done.status());
        deactivate();
        if (ErrorClass.SUCCESS != status.error)
        {
            throw raise(status.error, op + ": the operation failed with " + ErrorClass.name(status.error) +
                " (source " + status.source + ", tag " + status.tag + ")");
        }
        return status;
    }

    /**
     * Frees the request. Binds {@code MPI_REQUEST_FREE}: a running operation still completes, but can no longer
     * be waited for.
     *
     * @throws MPIException if MPI is not running
     */
    @Override
    public void free() throws MPIException
    {
        final Operation op = operation;
        if (null == op)
        {
            return;
        }
        MPI.check("MPI_Request_free");
        synchronized (DETACHED)
        {
            DETACHED.removeIf(r -> r.operation.isComplete());
            if (!op.isComplete())
            {
                DETACHED.add(new Request(op, comm, buffer));
            }
        }
        deactivate();
    }

    /**
     * Marks the operation for cancellation; it still has to be completed by a wait or test. Binds
     * {@code MPI_CANCEL}.
     *
     * @throws MPIException if MPI is not running
     */
    public final void cancel() throws MPIException
    {
        final String op = "MPI_Cancel";
        MPI.check(op);
        final Operation operation = this.operation;
        if (null == operation)
        {
            throw raise(ErrorClass.ERR_REQUEST, op + ": the request is inactive (MPI_REQUEST_NULL)");
        }
        try
        {
            MPI.engine().completion().cancel(operation);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Whether the request is inactive ({@code MPI_REQUEST_NULL}).
     *
     * @return true if there is nothing to wait for
     */
    public final boolean isNull()
    {
        return null == operation && !retained();
    }

    /**
     * Waits for the operation and returns its status; the request becomes inactive. Binds {@code MPI_WAIT}.
     *
     * @return status of the operation (empty for an inactive request)
     * @throws MPIException if the operation failed
     */
    public final Status waitStatus() throws MPIException
    {
        final String op = "MPI_Wait";
        MPI.check(op);
        final Operation operation = this.operation;
        if (null == operation)
        {
            return Status.empty();
        }
        try
        {
            MPI.engine().completion().await(operation);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        return finish(op, operation);
    }

    /**
     * Waits for the operation; the request becomes inactive. Binds {@code MPI_WAIT}.
     *
     * @throws MPIException if the operation failed
     */
    public final void waitFor() throws MPIException
    {
        waitStatus();
    }

    /**
     * Tests for completion. Binds {@code MPI_TEST}; on completion the request becomes inactive.
     *
     * @return status if the operation completed, otherwise null
     * @throws MPIException if the operation failed
     */
    public final Status testStatus() throws MPIException
    {
        final String op = "MPI_Test";
        MPI.check(op);
        final Operation operation = this.operation;
        if (null == operation)
        {
            return Status.empty();
        }
        try
        {
            if (!MPI.engine().completion().test(operation))
            {
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        return finish(op, operation);
    }

    /**
     * Tests for completion. Binds {@code MPI_TEST}; on completion the request becomes inactive.
     *
     * @return true if the operation completed
     * @throws MPIException if the operation failed
     */
    public final boolean test() throws MPIException
    {
        return null != testStatus();
    }

    /**
     * Status of the operation if it completed, without making the request inactive. Binds
     * {@code MPI_REQUEST_GET_STATUS}.
     *
     * @return status if the operation completed, otherwise null
     * @throws MPIException if MPI is not running
     */
    public final Status getStatus() throws MPIException
    {
        final String op = "MPI_Request_get_status";
        MPI.check(op);
        final Operation operation = this.operation;
        if (null == operation)
        {
            return Status.empty();
        }
        try
        {
            MPI.engine().completion().progress();
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        return operation.isComplete() ? new Status().load(operation.status()) : null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Arrays of requests

    private static Operation[] operations(final Request[] requests)
    {
        final Operation[] ops = new Operation[requests.length];
        for (int i = 0; i < requests.length; i++)
        {
            ops[i] = null == requests[i] ? null : requests[i].operation;
        }
        return ops;
    }

    private static boolean allInactive(final Operation[] ops)
    {
        for (final Operation op : ops)
        {
            if (null != op)
            {
                return false;
            }
        }
        return true;
    }

    private static void checkArray(final String op, final Request[] requests) throws MPIException
    {
        MPI.check(op);
        if (null == requests)
        {
            throw new MPIException(ErrorClass.ERR_ARG, op + ": the array of requests is null");
        }
    }

    /** Status of request {@code index}, which completed; the request becomes inactive. */
    private static Status complete(final String op, final Request[] requests, final Operation[] ops, final int index)
    {
        final Status status = new Status().load(ops[index].status());
        status.index = index;
        requests[index].deactivate();
        return status;
    }

    private static void raiseInStatus(final String op, final Request[] requests, final Status[] statuses)
        throws MPIException
    {
        for (final Status status : statuses)
        {
            if (null != status && ErrorClass.SUCCESS != status.error)
            {
                final Request culprit = requests[status.index];
                throw (null == culprit.comm ? MPI.COMM_WORLD : culprit.comm).raise(ErrorClass.ERR_IN_STATUS,
                    op + ": request " + status.index + " failed with " + ErrorClass.name(status.error) +
                    "; see the statuses");
            }
        }
    }

    private static MPIException raise(final String op, final Request[] requests, final MpiError error)
    {
        for (final Request request : requests)
        {
            if (null != request && null != request.comm)
            {
                return request.comm.raise(op, error);
            }
        }
        return MPI.COMM_WORLD.raise(op, error);
    }

    private static Status any(final String op, final Request[] requests, final boolean block) throws MPIException
    {
        checkArray(op, requests);
        final Operation[] ops = operations(requests);
        if (allInactive(ops))
        {
            return Status.empty();
        }
        final int index;
        try
        {
            final Completion completion = MPI.engine().completion();
            index = block ? completion.awaitAny(ops) : completion.testAny(ops);
        }
        catch (final MpiError ex)
        {
            throw raise(op, requests, ex);
        }
        if (index < 0)
        {
            return null;
        }
        final Status status = complete(op, requests, ops, index);
        if (ErrorClass.SUCCESS != status.error)
        {
            throw requests[index].raise(status.error, op + ": request " + index + " failed with " +
                ErrorClass.name(status.error));
        }
        return status;
    }

    /**
     * Waits for one of the requests. Binds {@code MPI_WAITANY}; {@link Status#getIndex()} tells which one.
     *
     * @param requests array of requests
     * @return status of the completed request (index {@code MPI.UNDEFINED} if all are inactive)
     * @throws MPIException if the operation failed
     */
    public static Status waitAnyStatus(final Request[] requests) throws MPIException
    {
        return any("MPI_Waitany", requests, true);
    }

    /**
     * Waits for one of the requests. Binds {@code MPI_WAITANY}.
     *
     * @param requests array of requests
     * @return index of the completed request, or {@code MPI.UNDEFINED} if all are inactive
     * @throws MPIException if the operation failed
     */
    public static int waitAny(final Request[] requests) throws MPIException
    {
        return any("MPI_Waitany", requests, true).index;
    }

    /**
     * Tests whether one of the requests completed. Binds {@code MPI_TESTANY}.
     *
     * @param requests array of requests
     * @return status of a completed request, or null if none completed
     * @throws MPIException if the operation failed
     */
    public static Status testAnyStatus(final Request[] requests) throws MPIException
    {
        return any("MPI_Testany", requests, false);
    }

    /**
     * Tests whether one of the requests completed. Binds {@code MPI_TESTANY}.
     *
     * @param requests array of requests
     * @return index of a completed request, or {@code MPI.UNDEFINED} if none completed or all are inactive
     * @throws MPIException if the operation failed
     */
    public static int testAny(final Request[] requests) throws MPIException
    {
        final Status status = any("MPI_Testany", requests, false);
        return null == status ? MPI.UNDEFINED : status.index;
    }

    /**
     * Waits for all requests. Binds {@code MPI_WAITALL}; all become inactive.
     *
     * @param requests array of requests
     * @return one status per request (empty for inactive ones)
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static Status[] waitAllStatus(final Request[] requests) throws MPIException
    {
        final String op = "MPI_Waitall";
        checkArray(op, requests);
        final Operation[] ops = operations(requests);
        try
        {
            final Completion completion = MPI.engine().completion();
            for (final Operation operation : ops)
            {
                if (null != operation)
                {
                    completion.await(operation);
                }
            }
        }
        catch (final MpiError ex)
        {
            throw raise(op, requests, ex);
        }
        final Status[] statuses = collectAll(op, requests, ops);
        raiseInStatus(op, requests, statuses);
        return statuses;
    }

    private static Status[] collectAll(final String op, final Request[] requests, final Operation[] ops)
    {
        final Status[] statuses = new Status[ops.length];
        for (int i = 0; i < ops.length; i++)
        {
            if (null == ops[i])
            {
                statuses[i] = Status.empty();
                statuses[i].index = i;
            }
            else
            {
                statuses[i] = complete(op, requests, ops, i);
            }
        }
        return statuses;
    }

    /**
     * Waits for all requests. Binds {@code MPI_WAITALL}.
     *
     * @param requests array of requests
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static void waitAll(final Request[] requests) throws MPIException
    {
        waitAllStatus(requests);
    }

    /**
     * Tests whether all requests completed. Binds {@code MPI_TESTALL}; if so, all become inactive.
     *
     * @param requests array of requests
     * @return one status per request if all completed, otherwise null
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static Status[] testAllStatus(final Request[] requests) throws MPIException
    {
        final String op = "MPI_Testall";
        checkArray(op, requests);
        final Operation[] ops = operations(requests);
        try
        {
            MPI.engine().completion().progress();
        }
        catch (final MpiError ex)
        {
            throw raise(op, requests, ex);
        }
        for (final Operation operation : ops)
        {
            if (null != operation && !operation.isComplete())
            {
                return null;
            }
        }
        final Status[] statuses = collectAll(op, requests, ops);
        raiseInStatus(op, requests, statuses);
        return statuses;
    }

    /**
     * Tests whether all requests completed. Binds {@code MPI_TESTALL}.
     *
     * @param requests array of requests
     * @return true if all completed (they are then inactive)
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static boolean testAll(final Request[] requests) throws MPIException
    {
        return null != testAllStatus(requests);
    }

    private static Status[] some(final String op, final Request[] requests, final boolean block)
        throws MPIException
    {
        checkArray(op, requests);
        final Operation[] ops = operations(requests);
        if (allInactive(ops))
        {
            return null;
        }
        try
        {
            final Completion completion = MPI.engine().completion();
            if (block)
            {
                completion.awaitAny(ops);
            }
            else
            {
                completion.progress();
            }
        }
        catch (final MpiError ex)
        {
            throw raise(op, requests, ex);
        }
        int done = 0;
        for (final Operation operation : ops)
        {
            if (null != operation && operation.isComplete())
            {
                done++;
            }
        }
        final Status[] statuses = new Status[done];
        for (int i = 0, n = 0; i < ops.length; i++)
        {
            if (null != ops[i] && ops[i].isComplete())
            {
                statuses[n++] = complete(op, requests, ops, i);
            }
        }
        raiseInStatus(op, requests, statuses);
        return statuses;
    }

    private static int[] indexes(final Status[] statuses)
    {
        if (null == statuses)
        {
            return null;
        }
        final int[] indexes = new int[statuses.length];
        for (int i = 0; i < statuses.length; i++)
        {
            indexes[i] = statuses[i].index;
        }
        return indexes;
    }

    /**
     * Waits until at least one request completed. Binds {@code MPI_WAITSOME}.
     *
     * @param requests array of requests
     * @return statuses of the completed requests, or null if all are inactive
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static Status[] waitSomeStatus(final Request[] requests) throws MPIException
    {
        return some("MPI_Waitsome", requests, true);
    }

    /**
     * Waits until at least one request completed. Binds {@code MPI_WAITSOME}.
     *
     * @param requests array of requests
     * @return indexes of the completed requests, or null if all are inactive
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static int[] waitSome(final Request[] requests) throws MPIException
    {
        return indexes(some("MPI_Waitsome", requests, true));
    }

    /**
     * Returns the requests that completed, possibly none. Binds {@code MPI_TESTSOME}.
     *
     * @param requests array of requests
     * @return statuses of the completed requests (empty if none), or null if all are inactive
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static Status[] testSomeStatus(final Request[] requests) throws MPIException
    {
        return some("MPI_Testsome", requests, false);
    }

    /**
     * Returns the requests that completed, possibly none. Binds {@code MPI_TESTSOME}.
     *
     * @param requests array of requests
     * @return indexes of the completed requests (empty if none), or null if all are inactive
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static int[] testSome(final Request[] requests) throws MPIException
    {
        return indexes(some("MPI_Testsome", requests, false));
    }
}
