package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.SendMode;
import io.mpi4j.p2p.StatusRecord;
import io.mpi4j.runtime.JobEnvironment;
import io.mpi4j.runtime.MpiRuntime;

/**
 * A communicator ({@code MPI_Comm}): point-to-point messaging, error handling, naming and attributes. The facade
 * validates every argument, hands the call to the engine ({@link PointToPoint}) and sends errors to the
 * communicator's error handler: {@link MPI#ERRORS_ARE_FATAL} (the default) aborts the job, {@link MPI#ERRORS_RETURN}
 * throws {@link MPIException}.
 * <p>
 * Buffers may be primitive arrays, heap NIO buffers or direct NIO buffers, in blocking and non-blocking calls alike.
 * A heap buffer starts at its {@code arrayOffset()}, a direct buffer at its first byte; positions are ignored (use
 * {@code MPI.slice} to start further in).
 */
public class Comm implements Freeable
{
    static final int USER = 0;
    static final int WORLD = 1;
    static final int SELF = 2;

    /** Largest tag; the value of the {@code MPI.TAG_UB} attribute. */
    static final int TAG_MAX = Integer.MAX_VALUE;

    static final String OP_SEND = "MPI_Send";
    static final String OP_BSEND = "MPI_Bsend";
    static final String OP_SSEND = "MPI_Ssend";
    static final String OP_RSEND = "MPI_Rsend";
    static final String OP_RECV = "MPI_Recv";
    static final String OP_ISEND = "MPI_Isend";
    static final String OP_IBSEND = "MPI_Ibsend";
    static final String OP_ISSEND = "MPI_Issend";
    static final String OP_IRSEND = "MPI_Irsend";
    static final String OP_IRECV = "MPI_Irecv";
    static final String OP_SENDRECV = "MPI_Sendrecv";
    static final String OP_SENDRECV_REPLACE = "MPI_Sendrecv_replace";
    static final String OP_PROBE = "MPI_Probe";
    static final String OP_IPROBE = "MPI_Iprobe";
    static final String OP_MPROBE = "MPI_Mprobe";
    static final String OP_IMPROBE = "MPI_Improbe";

    private final int predefined;
    private volatile Communicator state;
    private volatile Errhandler errhandler;

    Comm(final int predefined, final Communicator state, final Errhandler errhandler)
    {
        this.predefined = predefined;
        this.state = state;
        this.errhandler = errhandler;
    }

    /** Called by {@code MPI.Init} for COMM_WORLD and COMM_SELF, which exist before MPI does. */
    final void bind(final Communicator communicator)
    {
        state = communicator;
    }

    /** The engine's communicator, with MPI running and this communicator not freed. */
    final Communicator live(final String op) throws MPIException
    {
        MPI.check(op);
        final Communicator c = state;
        if (null == c || c.isFreed())
        {
            throw invalidComm(op + ": the communicator has been freed");
        }
        return c;
    }

    /** Errors about a communicator that cannot handle them itself go to MPI_COMM_WORLD's handler. */
    static MPIException invalidComm(final String message)
    {
        return MPI.COMM_WORLD.raise(ErrorClass.ERR_COMM, message);
    }

    /**
     * The one place errors are dispatched: with {@code ERRORS_ARE_FATAL} the job is aborted and this never
     * returns; otherwise the exception to throw is returned ({@code throw comm.raise(...)}).
     */
    final MPIException raise(final int errorClass, final String message)
    {
        if (errhandler.isFatal())
        {
            MPI.fatal(errorClass, message);
        }
        return new MPIException(errorClass, message);
    }

    final MPIException raise(final String op, final MpiError error)
    {
        final String message = error.getMessage();
        return raise(error.errorClass(), null != message && message.startsWith("MPI_") ? message : op + ": " + message);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Validation: plain compares on the good path; messages are built only on failure.

    final void checkBuffer(final String op, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        final int error = UserBuffer.verify(buf, count, type);
        if (ErrorClass.SUCCESS != error)
        {
            throw raise(error, UserBuffer.explain(error, op, buf, count, type));
        }
    }

    final void checkDest(final String op, final Communicator c, final int rank) throws MPIException
    {
        if ((rank < 0 || rank >= c.size()) && rank != MPI.PROC_NULL)
        {
            throw raise(ErrorClass.ERR_RANK, op + ": rank " + rank + " is out of range for communicator " +
                c.name() + " of size " + c.size() + " (valid: 0.." + (c.size() - 1) + " or MPI.PROC_NULL)");
        }
    }

    final void checkSource(final String op, final Communicator c, final int rank) throws MPIException
    {
        if ((rank < 0 || rank >= c.size()) && rank != MPI.PROC_NULL && rank != MPI.ANY_SOURCE)
        {
            throw raise(ErrorClass.ERR_RANK, op + ": rank " + rank + " is out of range for communicator " +
                c.name() + " of size " + c.size() + " (valid: 0.." + (c.size() - 1) +
                ", MPI.ANY_SOURCE or MPI.PROC_NULL)");
        }
    }

    final void checkSendTag(final String op, final int tag) throws MPIException
    {
        if (tag < 0)
        {
            throw raise(ErrorClass.ERR_TAG, op + ": tag " + tag + " is out of range (valid: 0.." + TAG_MAX + ")");
        }
    }

    final void checkRecvTag(final String op, final int tag) throws MPIException
    {
        if (tag < 0 && tag != MPI.ANY_TAG)
        {
            throw raise(ErrorClass.ERR_TAG, op + ": tag " + tag + " is out of range (valid: 0.." + TAG_MAX +
                " or MPI.ANY_TAG)");
        }
    }

    /** Dispatches an error the engine reported in a receive's status (truncation). */
    final MPIException receiveError(final String op, final StatusRecord record, final long capacity)
    {
        if (ErrorClass.ERR_TRUNCATE == record.error)
        {
            return raise(ErrorClass.ERR_TRUNCATE, op + ": message from rank " + record.source + " with tag " +
                record.tag + " is larger than the receive buffer of " + capacity + " bytes");
        }
        return raise(record.error, op + ": " + ErrorClass.name(record.error));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Communicator queries and management

    /**
     * Number of processes in the group. Binds {@code MPI_COMM_SIZE}.
     *
     * @return size of the communicator
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final int getSize() throws MPIException
    {
        return live("MPI_Comm_size").size();
    }

    /**
     * Rank of the calling process. Binds {@code MPI_COMM_RANK}.
     *
     * @return rank in this communicator
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final int getRank() throws MPIException
    {
        return live("MPI_Comm_rank").rank();
    }

    /**
     * Compares two communicators. Binds {@code MPI_COMM_COMPARE}: {@code MPI.IDENT} if both are the same
     * communicator, otherwise {@code MPI.UNEQUAL} (CONGRUENT and SIMILAR arrive with dup/split).
     *
     * @param comm1 first communicator
     * @param comm2 second communicator
     * @return {@code MPI.IDENT} or {@code MPI.UNEQUAL}
     * @throws MPIException if MPI is not running or a communicator is null or freed
     */
    public static int compare(final Comm comm1, final Comm comm2) throws MPIException
    {
        final String op = "MPI_Comm_compare";
        MPI.check(op);
        if (null == comm1 || null == comm2)
        {
            throw invalidComm(op + ": communicator is null");
        }
        return comm1.live(op) == comm2.live(op) ? MPI.IDENT : MPI.UNEQUAL;
    }

    /**
     * Frees the communicator. Binds {@code MPI_COMM_FREE}; predefined communicators cannot be freed.
     *
     * @throws MPIException {@code MPI.ERR_COMM} for COMM_WORLD, COMM_SELF or an already freed communicator
     */
    @Override
    public final void free() throws MPIException
    {
        final String op = "MPI_Comm_free";
        final Communicator c = live(op);
        if (USER != predefined)
        {
            throw raise(ErrorClass.ERR_COMM, op + ": " + c.name() + " is a predefined communicator and cannot be freed");
        }
        c.markFreed();
    }

    /**
     * Whether the communicator has been freed.
     *
     * @return true once freed
     */
    public final boolean isNull()
    {
        final Communicator c = state;
        return null != c && c.isFreed();
    }

    /**
     * Whether this is an inter-communicator. Binds {@code MPI_COMM_TEST_INTER}.
     *
     * @return true for inter-communicators
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final boolean isInter() throws MPIException
    {
        return live("MPI_Comm_test_inter").isInter();
    }

    /**
     * The group of the communicator. Binds {@code MPI_COMM_GROUP}.
     *
     * @return a new group object
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final Group getGroup() throws MPIException
    {
        final Communicator c = live("MPI_Comm_group");
        final long[] members = new long[c.size()];
        for (int i = 0; i < members.length; i++)
        {
            members[i] = c.member(i);
        }
        return new Group(members, c.rank());
    }

    /**
     * Sets the print name. Binds {@code MPI_COMM_SET_NAME}; names longer than {@code MPI.MAX_OBJECT_NAME - 1}
     * characters are truncated.
     *
     * @param name new name
     * @throws MPIException if MPI is not running, the communicator was freed or {@code name} is null
     */
    public final void setName(final String name) throws MPIException
    {
        final String op = "MPI_Comm_set_name";
        final Communicator c = live(op);
        if (null == name)
        {
            throw raise(ErrorClass.ERR_ARG, op + ": name is null");
        }
        c.name(MPI.truncateName(name));
    }

    /**
     * The print name ("MPI_COMM_WORLD" for {@code MPI.COMM_WORLD}). Binds {@code MPI_COMM_GET_NAME}.
     *
     * @return name
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final String getName() throws MPIException
    {
        return live("MPI_Comm_get_name").name();
    }

    /**
     * Sets the error handler. Binds {@code MPI_COMM_SET_ERRHANDLER}.
     *
     * @param errhandler {@code MPI.ERRORS_ARE_FATAL} or {@code MPI.ERRORS_RETURN}
     * @throws MPIException if MPI is not running, the communicator was freed or the handler is null
     */
    public final void setErrhandler(final Errhandler errhandler) throws MPIException
    {
        final String op = "MPI_Comm_set_errhandler";
        live(op);
        if (null == errhandler)
        {
            throw raise(ErrorClass.ERR_ARG, op + ": error handler is null");
        }
        this.errhandler = errhandler;
    }

    /**
     * The error handler. Binds {@code MPI_COMM_GET_ERRHANDLER}.
     *
     * @return current error handler
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final Errhandler getErrhandler() throws MPIException
    {
        live("MPI_Comm_get_errhandler");
        return errhandler;
    }

    /**
     * Invokes the error handler with {@code errorCode}. Binds {@code MPI_COMM_CALL_ERRHANDLER}: with
     * {@code ERRORS_ARE_FATAL} the job aborts, with {@code ERRORS_RETURN} nothing happens.
     *
     * @param errorCode error class to report
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public void callErrhandler(final int errorCode) throws MPIException
    {
        final String op = "MPI_Comm_call_errhandler";
        final Communicator c = live(op);
        if (errhandler.isFatal())
        {
            MPI.fatal(errorCode, op + ": error " + ErrorClass.name(errorCode) + " raised on " + c.name());
        }
    }

    /**
     * Aborts every process of the job. Binds {@code MPI_ABORT}; does not return.
     *
     * @param errorcode exit code of the job
     * @throws MPIException if MPI is not running
     */
    public final void abort(final int errorcode) throws MPIException
    {
        final String op = "MPI_Abort";
        MPI.check(op);
        final Communicator c = state;
        try
        {
            MpiRuntime.get().abort(errorcode, op + " was called on " + (null == c ? "?" : c.name()) +
                " with error code " + errorcode);
        }
        catch (final MpiError ex)
        {
            throw new MPIException(ex.errorClass(), ex.getMessage());
        }
    }

    /**
     * Reads an attribute. Binds {@code MPI_COMM_GET_ATTR}; the predefined keys {@code MPI.TAG_UB}, {@code MPI.HOST},
     * {@code MPI.IO}, {@code MPI.WTIME_IS_GLOBAL} (a Boolean), {@code MPI.APPNUM}, {@code MPI.UNIVERSE_SIZE} and
     * {@code MPI.LASTUSEDCODE} are supported; user key values come with attribute caching.
     *
     * @param keyval attribute key
     * @return attribute value
     * @throws MPIException {@code MPI.ERR_KEYVAL} for an unknown key
     */
    public final Object getAttr(final int keyval) throws MPIException
    {
        final String op = "MPI_Comm_get_attr";
        live(op);
        switch (keyval)
        {
            case MPI.TAG_UB: return TAG_MAX;
            case MPI.HOST: return MPI.PROC_NULL;
            case MPI.IO: return MPI.ANY_SOURCE;
            case MPI.WTIME_IS_GLOBAL: return Boolean.FALSE;
            case MPI.LASTUSEDCODE: return MPI.ERR_LASTCODE;
            case MPI.APPNUM:
            case MPI.UNIVERSE_SIZE:
                try
                {
                    final JobEnvironment job = MpiRuntime.get().job();
                    return MPI.APPNUM == keyval ? job.appnum() : job.universeSize();
                }
                catch (final MpiError ex)
                {
                    throw raise(op, ex);
                }
            default:
                throw raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a known attribute key");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Blocking point-to-point

    /**
     * Blocking send. Binds {@code MPI_SEND}.
     *
     * @param buf   send buffer: primitive array or NIO buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination, or {@code MPI.PROC_NULL}
     * @param tag   message tag
     * @throws MPIException on invalid arguments (with {@code MPI.ERRORS_RETURN})
     */
    public final void send(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        blockingSend(SendMode.STANDARD, OP_SEND, buf, count, type, dest, tag);
    }

    /**
     * Buffered-mode send, using the buffer given to {@code MPI.attachBuffer}. Binds {@code MPI_BSEND}.
     *
     * @param buf   send buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @throws MPIException on invalid arguments or lack of attached buffer space
     */
    public final void bSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        blockingSend(SendMode.BUFFERED, OP_BSEND, buf, count, type, dest, tag);
    }

    /**
     * Synchronous-mode send: returns once the receive has started. Binds {@code MPI_SSEND}.
     *
     * @param buf   send buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @throws MPIException on invalid arguments
     */
    public final void sSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        blockingSend(SendMode.SYNCHRONOUS, OP_SSEND, buf, count, type, dest, tag);
    }

    /**
     * Ready-mode send: the matching receive must already be posted. Binds {@code MPI_RSEND}.
     *
     * @param buf   send buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @throws MPIException on invalid arguments
     */
    public final void rSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        blockingSend(SendMode.READY, OP_RSEND, buf, count, type, dest, tag);
    }

    private void blockingSend(
        final int mode, final String op, final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkDest(op, c, dest);
        checkSendTag(op, tag);
        try
        {
            MPI.engine().send(
                c, UserBuffer.base(buf), UserBuffer.address(buf), (long)count * type.byteSize, dest, tag, mode);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Blocking receive. Binds {@code MPI_RECV}.
     *
     * @param buf    receive buffer: primitive array or NIO buffer
     * @param count  number of items the buffer can take
     * @param type   datatype of each item
     * @param source rank of the source, {@code MPI.ANY_SOURCE} or {@code MPI.PROC_NULL}
     * @param tag    message tag or {@code MPI.ANY_TAG}
     * @return status of the received message
     * @throws MPIException on invalid arguments or truncation
     */
    public final Status recv(final Object buf, final int count, final Datatype type, final int source, final int tag)
        throws MPIException
    {
        final String op = OP_RECV;
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkSource(op, c, source);
        checkRecvTag(op, tag);
        final long capacity = (long)count * type.byteSize;
        final StatusRecord record = Status.scratch();
        try
        {
            MPI.engine().recv(c, UserBuffer.base(buf), UserBuffer.address(buf), capacity, source, tag, record);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        if (ErrorClass.SUCCESS != record.error)
        {
            throw receiveError(op, record, capacity);
        }
        return new Status().load(record);
    }

    /**
     * Sends one message and receives another, without deadlock between the two. Binds {@code MPI_SENDRECV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount number of items to send
     * @param sendtype  datatype of each sent item
     * @param dest      rank of the destination
     * @param sendtag   tag of the sent message
     * @param recvbuf   receive buffer
     * @param recvcount number of items the receive buffer can take
     * @param recvtype  datatype of each received item
     * @param source    rank of the source or {@code MPI.ANY_SOURCE}
     * @param recvtag   tag of the received message or {@code MPI.ANY_TAG}
     * @return status of the received message
     * @throws MPIException on invalid arguments or truncation
     */
    public final Status sendRecv(
        final Object sendbuf, final int sendcount, final Datatype sendtype, final int dest, final int sendtag,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int source, final int recvtag)
        throws MPIException
    {
        final String op = OP_SENDRECV;
        final Communicator c = live(op);
        checkBuffer(op, sendbuf, sendcount, sendtype);
        checkDest(op, c, dest);
        checkSendTag(op, sendtag);
        checkBuffer(op, recvbuf, recvcount, recvtype);
        checkSource(op, c, source);
        checkRecvTag(op, recvtag);
        return exchange(op, c, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            (long)sendcount * sendtype.byteSize, dest, sendtag,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), (long)recvcount * recvtype.byteSize, source,
            recvtag);
    }

    /**
     * Sends the buffer and receives a message into the same buffer. Binds {@code MPI_SENDRECV_REPLACE}.
     *
     * @param buf     send and receive buffer
     * @param count   number of items to send, and that the buffer can take
     * @param type    datatype of each item
     * @param dest    rank of the destination
     * @param sendtag tag of the sent message
     * @param source  rank of the source or {@code MPI.ANY_SOURCE}
     * @param recvtag tag of the received message or {@code MPI.ANY_TAG}
     * @return status of the received message
     * @throws MPIException on invalid arguments or truncation
     */
    public final Status sendRecvReplace(
        final Object buf, final int count, final Datatype type, final int dest, final int sendtag, final int source,
        final int recvtag) throws MPIException
    {
        final String op = OP_SENDRECV_REPLACE;
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkDest(op, c, dest);
        checkSendTag(op, sendtag);
        checkSource(op, c, source);
        checkRecvTag(op, recvtag);
        final long bytes = (long)count * type.byteSize;
        if (bytes > Integer.MAX_VALUE - 16)
        {
            throw raise(ErrorClass.ERR_COUNT, op + ": " + bytes + " bytes is more than one Java array can hold");
        }
        final Object base = UserBuffer.base(buf);
        final long address = UserBuffer.address(buf);
        // The outgoing data must survive the incoming message landing in the same buffer.
        final byte[] outgoing = new byte[(int)bytes];
        UserBuffer.copy(base, address, outgoing, UserBuffer.byteArrayOffset(), bytes);
        return exchange(op, c, outgoing, UserBuffer.byteArrayOffset(), bytes, dest, sendtag,
            base, address, bytes, source, recvtag);
    }

    private Status exchange(
        final String op, final Communicator c,
        final Object sendBase, final long sendAddress, final long sendBytes, final int dest, final int sendtag,
        final Object recvBase, final long recvAddress, final long capacity, final int source, final int recvtag)
        throws MPIException
    {
        final PointToPoint p2p = MPI.engine();
        final StatusRecord record = Status.scratch();
        final Operation send;
        try
        {
            send = p2p.isend(c, sendBase, sendAddress, sendBytes, dest, sendtag, SendMode.STANDARD);
            p2p.recv(c, recvBase, recvAddress, capacity, source, recvtag, record);
            p2p.await(send);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        if (ErrorClass.SUCCESS != record.error)
        {
            throw receiveError(op, record, capacity);
        }
        if (ErrorClass.SUCCESS != send.status().error)
        {
            throw raise(send.status().error, op + ": send to rank " + dest + " failed with " +
                ErrorClass.name(send.status().error));
        }
        return new Status().load(record);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Non-blocking point-to-point. Open MPI accepts only direct buffers here; mpi4j also accepts arrays and heap
    // buffers, which the program must leave untouched until the request completes.

    /**
     * Starts a standard-mode send. Binds {@code MPI_ISEND}.
     *
     * @param buf   send buffer: primitive array or NIO buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @return request to complete with {@code waitFor}/{@code test}
     * @throws MPIException on invalid arguments
     */
    public final Request iSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return startSend(SendMode.STANDARD, OP_ISEND, buf, count, type, dest, tag);
    }

    /**
     * Starts a buffered-mode send. Binds {@code MPI_IBSEND}.
     *
     * @param buf   send buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request ibSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return startSend(SendMode.BUFFERED, OP_IBSEND, buf, count, type, dest, tag);
    }

    /**
     * Starts a synchronous-mode send. Binds {@code MPI_ISSEND}.
     *
     * @param buf   send buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request isSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return startSend(SendMode.SYNCHRONOUS, OP_ISSEND, buf, count, type, dest, tag);
    }

    /**
     * Starts a ready-mode send. Binds {@code MPI_IRSEND}.
     *
     * @param buf   send buffer
     * @param count number of items to send
     * @param type  datatype of each item
     * @param dest  rank of the destination
     * @param tag   message tag
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request irSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return startSend(SendMode.READY, OP_IRSEND, buf, count, type, dest, tag);
    }

    private Request startSend(
        final int mode, final String op, final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkDest(op, c, dest);
        checkSendTag(op, tag);
        try
        {
            return new Request(MPI.engine().isend(
                c, UserBuffer.base(buf), UserBuffer.address(buf), (long)count * type.byteSize, dest, tag, mode),
                this, buf);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Starts a receive. Binds {@code MPI_IRECV}.
     *
     * @param buf    receive buffer: primitive array or NIO buffer
     * @param count  number of items the buffer can take
     * @param type   datatype of each item
     * @param source rank of the source, {@code MPI.ANY_SOURCE} or {@code MPI.PROC_NULL}
     * @param tag    message tag or {@code MPI.ANY_TAG}
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iRecv(final Object buf, final int count, final Datatype type, final int source, final int tag)
        throws MPIException
    {
        final String op = OP_IRECV;
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkSource(op, c, source);
        checkRecvTag(op, tag);
        try
        {
            return new Request(MPI.engine().irecv(
                c, UserBuffer.base(buf), UserBuffer.address(buf), (long)count * type.byteSize, source, tag),
                this, buf);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Probes and synchronization

    /**
     * Checks for a matching message without receiving it. Binds {@code MPI_IPROBE}.
     *
     * @param source rank of the source or {@code MPI.ANY_SOURCE}
     * @param tag    message tag or {@code MPI.ANY_TAG}
     * @return status of the waiting message, or null if none is waiting
     * @throws MPIException on invalid arguments
     */
    public final Status iProbe(final int source, final int tag) throws MPIException
    {
        final String op = OP_IPROBE;
        final Communicator c = live(op);
        checkSource(op, c, source);
        checkRecvTag(op, tag);
        final StatusRecord record = Status.scratch();
        try
        {
            return MPI.engine().iprobe(c, source, tag, record) ? new Status().load(record) : null;
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Waits for a matching message without receiving it. Binds {@code MPI_PROBE}.
     *
     * @param source rank of the source or {@code MPI.ANY_SOURCE}
     * @param tag    message tag or {@code MPI.ANY_TAG}
     * @return status of the waiting message
     * @throws MPIException on invalid arguments
     */
    public final Status probe(final int source, final int tag) throws MPIException
    {
        final String op = OP_PROBE;
        final Communicator c = live(op);
        checkSource(op, c, source);
        checkRecvTag(op, tag);
        final StatusRecord record = Status.scratch();
        try
        {
            MPI.engine().probe(c, source, tag, record);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        return new Status().load(record);
    }

    /** MPI_Mprobe / MPI_Improbe for {@link Message}: the matched message goes into {@code message}. */
    final Status matchedProbe(final Message message, final int source, final int tag, final boolean block)
        throws MPIException
    {
        final String op = block ? OP_MPROBE : OP_IMPROBE;
        final Communicator c = live(op);
        checkSource(op, c, source);
        checkRecvTag(op, tag);
        final StatusRecord record = Status.scratch();
        try
        {
            final PointToPoint p2p = MPI.engine();
            final io.mpi4j.p2p.MatchedMessage matched =
                block ? p2p.mprobe(c, source, tag, record) : p2p.improbe(c, source, tag, record);
            if (null == matched)
            {
                return null;
            }
            message.matched(matched, this);
            return new Status().load(record);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Blocks until every process of the communicator has called it. Binds {@code MPI_BARRIER}.
     *
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final void barrier() throws MPIException
    {
        final String op = "MPI_Barrier";
        final Communicator c = live(op);
        try
        {
            MPI.engine().barrier(c);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    @Override
    public String toString()
    {
        final Communicator c = state;
        return null == c ? (WORLD == predefined ? "MPI_COMM_WORLD" : SELF == predefined ? "MPI_COMM_SELF" : "Comm")
            : c.name();
    }
}
