package mpi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The API's entry points a program's first loops call (send, receive, their non-blocking forms, waitAll, the
 * collectives OSU times), called the way such a loop calls them while it still runs in the interpreter: each call
 * enters the method's own compiled code.
 * <p>
 * Why MPI_Init's rehearsal needs this: once the JIT compiles a rehearsal method that calls {@code Comm.recv}, it
 * inlines {@code recv} there, and from then on the rehearsal's calls no longer count towards compiling {@code recv}
 * itself; {@code recv} stayed in C1's code, and a program's first interpreted loop had C2 compile it (and the methods
 * under it) beside its first messages, a stall of milliseconds. A call through a method handle that is not a
 * constant is not inlined (the JIT cannot see which method the handle points to), as long as that handle is young
 * ({@link #CALLS_PER_HANDLE}). Not thread-safe: one rehearsal uses it.
 */
final class ProgramCalls
{
    private static final MethodType SEND_TYPE = MethodType.methodType(void.class, Object.class, int.class,
        Datatype.class, int.class, int.class);
    private static final MethodType RECV_TYPE = SEND_TYPE.changeReturnType(Status.class);
    private static final MethodType POST_TYPE = SEND_TYPE.changeReturnType(Request.class);
    private static final MethodType EXCHANGE_TYPE = MethodType.methodType(void.class, Object.class, int.class,
        Datatype.class, Object.class, int.class, Datatype.class);

    /** Entry points, by index into {@link #handles}. */
    private static final int SEND = 0;
    private static final int RECV = 1;
    private static final int I_SEND = 2;
    private static final int I_RECV = 3;
    private static final int WAIT_ALL = 4;
    private static final int BARRIER = 5;
    private static final int BCAST = 6;
    private static final int REDUCE = 7;
    private static final int ALL_REDUCE = 8;
    private static final int ALL_TO_ALL = 9;
    private static final int ALL_GATHER = 10;
    private static final int ENTRIES = 11;

    /**
     * Calls through one handle before it is replaced by a new one. A handle invoked more often than
     * {@code java.lang.invoke}'s customisation threshold (127 calls) gets a code path of its own in which its target
     * is a constant, and the JIT inlines the target there again.
     */
    private static final int CALLS_PER_HANDLE = 100;

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();
    private final MethodHandle[] handles = new MethodHandle[ENTRIES];
    private final int[] calls = new int[ENTRIES];

    /** A handle to entry point {@code entry} that has made fewer than {@link #CALLS_PER_HANDLE} calls. */
    private MethodHandle handle(final int entry)
    {
        if (0 == calls[entry]++ % CALLS_PER_HANDLE)
        {
            handles[entry] = lookUp(entry);
        }
        return handles[entry];
    }

    /** A new handle to entry point {@code entry}. */
    private MethodHandle lookUp(final int entry)
    {
        try
        {
            return switch (entry)
            {
                case SEND -> lookup.findVirtual(Comm.class, "send", SEND_TYPE);
                case RECV -> lookup.findVirtual(Comm.class, "recv", RECV_TYPE);
                case I_SEND -> lookup.findVirtual(Comm.class, "iSend", POST_TYPE);
                case I_RECV -> lookup.findVirtual(Comm.class, "iRecv", POST_TYPE);
                case WAIT_ALL -> lookup.findStatic(Request.class, "waitAll",
                    MethodType.methodType(void.class, Request[].class));
                case BARRIER -> lookup.findVirtual(Comm.class, "barrier", MethodType.methodType(void.class));
                case BCAST -> lookup.findVirtual(Comm.class, "bcast",
                    MethodType.methodType(void.class, Object.class, int.class, Datatype.class, int.class));
                case REDUCE -> lookup.findVirtual(Comm.class, "reduce", MethodType.methodType(void.class,
                    Object.class, Object.class, int.class, Datatype.class, Op.class, int.class));
                case ALL_REDUCE -> lookup.findVirtual(Comm.class, "allReduce", MethodType.methodType(void.class,
                    Object.class, Object.class, int.class, Datatype.class, Op.class));
                case ALL_TO_ALL -> lookup.findVirtual(Comm.class, "allToAll", EXCHANGE_TYPE);
                case ALL_GATHER -> lookup.findVirtual(Comm.class, "allGather", EXCHANGE_TYPE);
                default -> throw new IllegalArgumentException("no entry point " + entry);
            };
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("mpi lost an entry point the rehearsal calls", ex);
        }
    }

    /** {@link Comm#send}. */
    void send(final Comm comm, final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        try
        {
            handle(SEND).invokeExact(comm, buf, count, type, dest, tag);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#recv}. */
    Status recv(final Comm comm, final Object buf, final int count, final Datatype type, final int source,
        final int tag) throws MPIException
    {
        try
        {
            return (Status)handle(RECV).invokeExact(comm, buf, count, type, source, tag);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#iSend}. */
    Request iSend(final Comm comm, final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        try
        {
            return (Request)handle(I_SEND).invokeExact(comm, buf, count, type, dest, tag);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#iRecv}. */
    Request iRecv(final Comm comm, final Object buf, final int count, final Datatype type, final int source,
        final int tag) throws MPIException
    {
        try
        {
            return (Request)handle(I_RECV).invokeExact(comm, buf, count, type, source, tag);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Request#waitAll}. */
    void waitAll(final Request[] requests) throws MPIException
    {
        try
        {
            handle(WAIT_ALL).invokeExact(requests);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#barrier}. */
    void barrier(final Comm comm) throws MPIException
    {
        try
        {
            handle(BARRIER).invokeExact(comm);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#bcast}. */
    void bcast(final Comm comm, final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        try
        {
            handle(BCAST).invokeExact(comm, buf, count, type, root);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#reduce(Object, Object, int, Datatype, Op, int)}. */
    void reduce(final Comm comm, final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op, final int root) throws MPIException
    {
        try
        {
            handle(REDUCE).invokeExact(comm, sendbuf, recvbuf, count, type, op, root);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#allReduce(Object, Object, int, Datatype, Op)}. */
    void allReduce(final Comm comm, final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        try
        {
            handle(ALL_REDUCE).invokeExact(comm, sendbuf, recvbuf, count, type, op);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#allToAll(Object, int, Datatype, Object, int, Datatype)}. */
    void allToAll(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        try
        {
            handle(ALL_TO_ALL).invokeExact(comm, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** {@link Comm#allGather(Object, int, Datatype, Object, int, Datatype)}. */
    void allGather(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        try
        {
            handle(ALL_GATHER).invokeExact(comm, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
        }
        catch (final Throwable ex)
        {
            throw rethrown(ex);
        }
    }

    /** What a call threw, as this class's methods declare it: MPI's own exception, or unchecked as it was. */
    private static MPIException rethrown(final Throwable ex)
    {
        if (ex instanceof MPIException mpi)
        {
            return mpi;
        }
        if (ex instanceof RuntimeException unchecked)
        {
            throw unchecked;
        }
        if (ex instanceof Error error)
        {
            throw error;
        }
        throw new IllegalStateException("an MPI call threw a checked exception it does not declare", ex);
    }
}
