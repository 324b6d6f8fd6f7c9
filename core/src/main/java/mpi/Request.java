package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Completion;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.StatusRecord;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * A pending non-blocking operation ({@code MPI_Request}). Once a wait or a successful test completes it, the
 * request becomes inactive and {@link #isNull()} is true, as in Open MPI's binding; a persistent request
 * ({@link Prequest}) becomes inactive too but stays allocated until freed. Inactive requests in an array are
 * skipped by the wait and test calls, as {@code MPI_REQUEST_NULL} is.
 * <p>
 * Allocation: the object itself is all a non-blocking call allocates (Open MPI's binding returns a new one too, and
 * a program may keep it after completion to ask {@link #isNull()}, so it is never reused). The engine's operation
 * behind it goes back to the engine's pool when a wait or test retires it; {@link #waitFor()}, {@link #test()},
 * {@link #waitAll}, {@link #testAll}, {@link #waitAny} and {@link #testAny} make no {@link Status}. The calls keep
 * the request out of every call they do not inline (the helpers below are static and take the operation), so
 * where a program does not keep the request, the JIT can drop it too.
 */
public class Request implements Freeable
{
    /** Requests freed while still running: their buffers must stay reachable until the engine is done. */
    private static final ArrayList<Request> DETACHED = new ArrayList<>();

    private static final String OP_WAIT = "MPI_Wait";

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

    private static MPIException raise(final Comm comm, final int errorClass, final String message)
    {
        return (null == comm ? MPI.COMM_WORLD : comm).raise(errorClass, message);
    }

    private static MPIException raise(final Comm comm, final String op, final MpiError error)
    {
        return (null == comm ? MPI.COMM_WORLD : comm).raise(op, error);
    }

    /** MPI_Wait's engine step: returns once {@code operation} completed; a dead peer is raised on {@code comm}. */
    private static void await(final String op, final Operation operation, final Comm comm) throws MPIException
    {
        try
        {
            MPI.engine().completion().await(operation);
        }
        catch (final MpiError ex)
        {
            throw raise(comm, op, ex);
        }
    }

    /** MPI_Test's engine step: one round of progress, then whether {@code operation} completed. */
    private static boolean completed(final String op, final Operation operation, final Comm comm) throws MPIException
    {
        try
        {
            return MPI.engine().completion().test(operation);
        }
        catch (final MpiError ex)
        {
            throw raise(comm, op, ex);
        }
    }

    /**
     * The last step of completing {@code done}, which this request no longer holds: its error, if any, goes to
     * {@code comm}'s handler; otherwise the engine takes the operation back for reuse.
     */
    private static void retire(final String op, final Operation done, final Comm comm) throws MPIException
    {
        final StatusRecord status = done.status();
        if (ErrorClass.SUCCESS != status.error)
        {
            throw raise(comm, status.error, op + ": the operation failed with " + ErrorClass.name(status.error) +
                " (source " + status.source + ", tag " + status.tag + ")");
        }
        MPI.engine().recycle(done);
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
        final Object held = buffer;
        deactivate();
        if (op.isComplete())
        {
            if (ErrorClass.SUCCESS == op.status().error)
            {
                MPI.engine().recycle(op);
            }
            return;
        }
        synchronized (DETACHED)
        {
            DETACHED.removeIf(r -> r.operation.isComplete());
            DETACHED.add(new Request(op, comm, held));
        }
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
            throw raise(comm, ErrorClass.ERR_REQUEST, op + ": the request is inactive (MPI_REQUEST_NULL)");
        }
        try
        {
            MPI.engine().completion().cancel(operation);
        }
        catch (final MpiError ex)
        {
            throw raise(comm, op, ex);
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
        final Operation done = this.operation;
        if (null == done)
        {
            return Status.empty();
        }
        final Comm errors = comm;
        final Object held = buffer;
        await(op, done, errors);
        final Status status = new Status().load(done.status());
        deactivate();
        retire(op, done, errors);
        Reference.reachabilityFence(held);
        return status;
    }

    /**
     * Waits for the operation; the request becomes inactive. Binds {@code MPI_WAIT}.
     *
     * @throws MPIException if the operation failed
     */
    public final void waitFor() throws MPIException
    {
        // kept this small so that the JIT inlines it into the program's method: with the work in static calls that
        // never see this object, a request the program does not keep need not be allocated at all
        final Operation done = operation;
        final Comm errors = comm;
        final Object held = buffer;
        if (awaited(done, errors))
        {
            deactivate();
            retire(OP_WAIT, done, errors);
        }
        // a request the JIT took apart no longer holds the buffer: keep it reachable until the engine is done
        Reference.reachabilityFence(held);
    }

    /** MPI_Wait's checks and wait for {@code done}; false for an inactive request (null). */
    private static boolean awaited(final Operation done, final Comm comm) throws MPIException
    {
        MPI.check(OP_WAIT);
        if (null == done)
        {
            return false;
        }
        await(OP_WAIT, done, comm);
        return true;
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
        final Operation done = this.operation;
        if (null == done)
        {
            return Status.empty();
        }
        final Comm errors = comm;
        final Object held = buffer;
        if (!completed(op, done, errors))
        {
            return null;
        }
        final Status status = new Status().load(done.status());
        deactivate();
        retire(op, done, errors);
        Reference.reachabilityFence(held);
        return status;
    }

    /**
     * Tests for completion. Binds {@code MPI_TEST}; on completion the request becomes inactive.
     *
     * @return true if the operation completed
     * @throws MPIException if the operation failed
     */
    public final boolean test() throws MPIException
    {
        final String op = "MPI_Test";
        MPI.check(op);
        final Operation done = this.operation;
        if (null == done)
        {
            return true;
        }
        final Comm errors = comm;
        final Object held = buffer;
        if (!completed(op, done, errors))
        {
            return false;
        }
        deactivate();
        retire(op, done, errors);
        Reference.reachabilityFence(held);
        return true;
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
            throw raise(comm, op, ex);
        }
        return operation.isComplete() ? new Status().load(operation.status()) : null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Arrays of requests

    /** The operations of a request array for the engine's any-calls: one array per thread, grown when too short. */
    private static final ThreadLocal<Operation[][]> OPERATIONS = new ThreadLocal<>();
    private static final int INITIAL_OPERATIONS = 16;

    /**
     * The operations of {@code requests} in the calling thread's scratch array (longer entries null, which the
     * engine skips); {@link #release} empties it again, so it keeps no operation reachable.
     */
    private static Operation[] operations(final Request[] requests)
    {
        Operation[][] holder = OPERATIONS.get();
        if (null == holder)
        {
            holder = new Operation[][] { new Operation[INITIAL_OPERATIONS] };
            OPERATIONS.set(holder);
        }
        Operation[] ops = holder[0];
        if (ops.length < requests.length)
        {
            ops = new Operation[Math.max(requests.length, 2 * ops.length)];
            holder[0] = ops;
        }
        for (int i = 0; i < requests.length; i++)
        {
            ops[i] = null == requests[i] ? null : requests[i].operation;
        }
        return ops;
    }

    private static void release(final Operation[] ops, final int count)
    {
        Arrays.fill(ops, 0, count, null);
    }

    private static boolean allInactive(final Operation[] ops, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (null != ops[i])
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

    /** Status of this request, which completed, as element {@code index} of an array. */
    private Status statusAt(final int index)
    {
        final Status status = new Status().load(operation.status());
        status.index = index;
        return status;
    }

    /**
     * Retires this request, found complete as element {@code index} of an array: it becomes inactive, and its
     * error, if any, is raised naming the index.
     */
    private void retireAt(final String op, final int index) throws MPIException
    {
        final Operation done = operation;
        deactivate();
        final int error = done.status().error;
        if (ErrorClass.SUCCESS != error)
        {
            throw raise(comm, error, op + ": request " + index + " failed with " + ErrorClass.name(error));
        }
        MPI.engine().recycle(done);
    }

    /**
     * MPI_Waitany/MPI_Testany without the retiring: index of a completed request, -1 if none completed (a test),
     * or {@code MPI.UNDEFINED} if all are inactive.
     */
    private static int completedIndex(final String op, final Request[] requests, final boolean block)
        throws MPIException
    {
        checkArray(op, requests);
        final Operation[] ops = operations(requests);
        try
        {
            if (allInactive(ops, requests.length))
            {
                return MPI.UNDEFINED;
            }
            final Completion completion = MPI.engine().completion();
            return block ? completion.awaitAny(ops) : completion.testAny(ops);
        }
        catch (final MpiError ex)
        {
            throw raise(op, requests, ex);
        }
        finally
        {
            release(ops, requests.length);
        }
    }

    private static Status anyStatus(final String op, final Request[] requests, final boolean block)
        throws MPIException
    {
        final int index = completedIndex(op, requests, block);
        if (MPI.UNDEFINED == index)
        {
            return Status.empty();
        }
        if (index < 0)
        {
            return null;
        }
        final Request request = requests[index];
        final Status status = request.statusAt(index);
        request.retireAt(op, index);
        return status;
    }

    private static int anyIndex(final String op, final Request[] requests, final boolean block) throws MPIException
    {
        final int index = completedIndex(op, requests, block);
        if (index < 0)
        {
            return MPI.UNDEFINED;
        }
        requests[index].retireAt(op, index);
        return index;
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
        return anyStatus("MPI_Waitany", requests, true);
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
        return anyIndex("MPI_Waitany", requests, true);
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
        return anyStatus("MPI_Testany", requests, false);
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
        return anyIndex("MPI_Testany", requests, false);
    }

    /** MPI_Waitall's engine step: every active request's operation completed. */
    private static void awaitEach(final String op, final Request[] requests) throws MPIException
    {
        try
        {
            final Completion completion = MPI.engine().completion();
            for (final Request request : requests)
            {
                final Operation operation = null == request ? null : request.operation;
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
    }

    private static boolean allComplete(final Request[] requests)
    {
        for (final Request request : requests)
        {
            final Operation operation = null == request ? null : request.operation;
            if (null != operation && !operation.isComplete())
            {
                return false;
            }
        }
        return true;
    }

    private static boolean anyFailed(final Request[] requests)
    {
        for (final Request request : requests)
        {
            final Operation operation = null == request ? null : request.operation;
            if (null != operation && ErrorClass.SUCCESS != operation.status().error)
            {
                return true;
            }
        }
        return false;
    }

    /** Every request, all complete, becomes inactive; none failed (see {@link #anyFailed}). */
    private static void retireAll(final Request[] requests)
    {
        for (final Request request : requests)
        {
            final Operation done = null == request ? null : request.operation;
            if (null != done)
            {
                request.deactivate();
                MPI.engine().recycle(done);
            }
        }
    }

    /** One status per request, all complete (empty for inactive ones); every request becomes inactive. */
    private static Status[] collectAll(final Request[] requests)
    {
        final Status[] statuses = new Status[requests.length];
        for (int i = 0; i < requests.length; i++)
        {
            final Request request = requests[i];
            if (null == request || null == request.operation)
            {
                statuses[i] = Status.empty();
                statuses[i].index = i;
            }
            else
            {
                statuses[i] = request.statusAt(i);
                request.retireQuietly();
            }
        }
        return statuses;
    }

    /** Makes this completed request inactive; its error, if any, is in the status the caller took. */
    private void retireQuietly()
    {
        final Operation done = operation;
        deactivate();
        if (ErrorClass.SUCCESS == done.status().error)
        {
            MPI.engine().recycle(done);
        }
    }

    private static void raiseInStatus(final String op, final Request[] requests, final Status[] statuses)
        throws MPIException
    {
        for (final Status status : statuses)
        {
            if (null != status && ErrorClass.SUCCESS != status.error)
            {
                final Request culprit = requests[status.index];
                throw raise(culprit.comm, ErrorClass.ERR_IN_STATUS,
                    op + ": request " + status.index + " failed with " + ErrorClass.name(status.error) +
                    "; see the statuses");
            }
        }
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
        awaitEach(op, requests);
        final Status[] statuses = collectAll(requests);
        raiseInStatus(op, requests, statuses);
        return statuses;
    }

    /**
     * Waits for all requests. Binds {@code MPI_WAITALL}; all become inactive.
     *
     * @param requests array of requests
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static void waitAll(final Request[] requests) throws MPIException
    {
        final String op = "MPI_Waitall";
        checkArray(op, requests);
        awaitEach(op, requests);
        if (anyFailed(requests))
        {
            raiseInStatus(op, requests, collectAll(requests));
        }
        retireAll(requests);
    }

    /** MPI_Testall's engine step: one round of progress. */
    private static void progress(final String op, final Request[] requests) throws MPIException
    {
        try
        {
            MPI.engine().completion().progress();
        }
        catch (final MpiError ex)
        {
            throw raise(op, requests, ex);
        }
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
        progress(op, requests);
        if (!allComplete(requests))
        {
            return null;
        }
        final Status[] statuses = collectAll(requests);
        raiseInStatus(op, requests, statuses);
        return statuses;
    }

    /**
     * Tests whether all requests completed. Binds {@code MPI_TESTALL}; if so, all become inactive.
     *
     * @param requests array of requests
     * @return true if all completed (they are then inactive)
     * @throws MPIException {@code MPI.ERR_IN_STATUS} if an operation failed
     */
    public static boolean testAll(final Request[] requests) throws MPIException
    {
        final String op = "MPI_Testall";
        checkArray(op, requests);
        progress(op, requests);
        if (!allComplete(requests))
        {
            return false;
        }
        if (anyFailed(requests))
        {
            raiseInStatus(op, requests, collectAll(requests));
        }
        retireAll(requests);
        return true;
    }

    private static Status[] some(final String op, final Request[] requests, final boolean block)
        throws MPIException
    {
        checkArray(op, requests);
        final Operation[] ops = operations(requests);
        try
        {
            if (allInactive(ops, requests.length))
            {
                return null;
            }
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
        finally
        {
            release(ops, requests.length);
        }
        final Status[] statuses = new Status[requests.length];
        int done = 0;
        for (int i = 0; i < requests.length; i++)
        {
            final Request request = requests[i];
            // the same request twice in the array completes once
            if (null != request && null != request.operation && request.operation.isComplete())
            {
                statuses[done++] = request.statusAt(i);
                request.retireQuietly();
            }
        }
        final Status[] completed = done == statuses.length ? statuses : Arrays.copyOf(statuses, done);
        raiseInStatus(op, requests, completed);
        return completed;
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
