package mpi;

import io.mpi4j.comm.AttributeTable;
import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.TagSpace;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.SendMode;
import io.mpi4j.p2p.StatusRecord;
import io.mpi4j.runtime.MpiRuntime;

import java.util.function.Function;

/**
 * A communicator ({@code MPI_Comm}): point-to-point messaging, collectives, error handling, naming and attributes. Each
 * public method binds one MPI operation and hands it to the class that checks its arguments and calls the engine:
 * {@code PointToPointCalls}, {@code PersistentCalls} and {@code ProbeCalls} (point-to-point), {@code CollectiveCalls}
 * (collectives, whose bindings {@code Comm} inherits from {@code CommCollectives}),
 * {@code DuplicateCalls} and {@code AttributeCalls} (communicator management). Errors go to the communicator's error
 * handler: {@link MPI#ERRORS_ARE_FATAL} (the default) aborts the job, {@link MPI#ERRORS_RETURN} throws
 * {@link MPIException} with the MPI error class ({@code MPI.ERR_RANK}, {@code MPI.ERR_TAG}, {@code MPI.ERR_COUNT},
 * {@code MPI.ERR_TRUNCATE}, ...); every call throws it when MPI is not running or the communicator was freed.
 * <p>
 * Parameters keep their meaning throughout: {@code buf}, {@code sendbuf}, {@code recvbuf} are buffers;
 * {@code count}, {@code sendcount}, {@code recvcount} numbers of items of the datatype {@code type},
 * {@code sendtype}, {@code recvtype} (v-variants: one count per rank, with {@code displs} giving where each rank's
 * block starts, in items); {@code dest} a rank or {@code MPI.PROC_NULL}; {@code source} a rank,
 * {@code MPI.ANY_SOURCE} or {@code MPI.PROC_NULL}; {@code tag} a tag from 0 to the {@code MPI.TAG_UB} attribute,
 * or {@code MPI.ANY_TAG} when receiving; {@code root} the rank of the root, whose receive buffers (gather) and send
 * buffers (scatter) are the only ones read there; {@code op} the reduction operator. Receives return the
 * {@link Status} of the message; non-blocking calls return the {@link Request} to complete.
 * <p>
 * Buffers may be primitive arrays, heap NIO buffers or direct NIO buffers, in blocking and non-blocking calls alike.
 * A heap buffer starts at its {@code arrayOffset()}, a direct buffer at its first byte; positions are ignored (use
 * {@code MPI.slice} to start further in). The methods taking a single buffer where Open MPI has them are the
 * {@code MPI_IN_PLACE} forms.
 */
public class Comm extends CommCollectives implements Freeable
{
    static final int USER = 0;
    static final int WORLD = 1;
    static final int SELF = 2;
    /** {@code MPI.COMM_NULL}. */
    static final int NULL = 3;

    /** Largest tag; the value of the {@code MPI.TAG_UB} attribute. */
    static final int TAG_MAX = TagSpace.USER_TAG_MAX;

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

    /** {@code MPI_COMM_TYPE_SHARED}, as Open MPI's binding names it here (see {@link Intracomm#splitType}). */
    public static final int TYPE_SHARED = MPI.COMM_TYPE_SHARED;

    private final int predefined;
    private volatile Communicator state;
    volatile Errhandler errhandler;

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
     * The one place errors are dispatched: with {@code ERRORS_ARE_FATAL} the job is aborted and this never returns;
     * otherwise the exception to throw is returned ({@code throw comm.raise(...)}).
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

    /** The live communicator of a receive, after checking its buffer, source and tag. */
    final Communicator receiving(final String op, final Object buf, final int count, final Datatype type,
        final int source, final int tag) throws MPIException
    {
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkSource(op, c, source);
        checkRecvTag(op, tag);
        return c;
    }

    /** The live communicator of a send, after checking its buffer, destination and tag. */
    final Communicator sending(final String op, final Object buf, final int count, final Datatype type,
        final int dest, final int tag) throws MPIException
    {
        final Communicator c = live(op);
        checkBuffer(op, buf, count, type);
        checkDest(op, c, dest);
        checkSendTag(op, tag);
        return c;
    }

    final void checkDest(final String op, final Communicator c, final int rank) throws MPIException
    {
        if ((rank < 0 || rank >= c.remoteSize()) && rank != MPI.PROC_NULL)
        {
            throw raise(ErrorClass.ERR_RANK, op + ": rank " + rank + " is out of range for communicator " +
                c.name() + " of size " + c.remoteSize() + " (valid: 0.." + (c.remoteSize() - 1) + " or MPI.PROC_NULL)");
        }
    }

    final void checkSource(final String op, final Communicator c, final int rank) throws MPIException
    {
        if ((rank < 0 || rank >= c.remoteSize()) && rank != MPI.PROC_NULL && rank != MPI.ANY_SOURCE)
        {
            throw raise(ErrorClass.ERR_RANK, op + ": rank " + rank + " is out of range for communicator " +
                c.name() + " of size " + c.remoteSize() + " (valid: 0.." + (c.remoteSize() - 1) +
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

    /** Number of processes in the group. Binds {@code MPI_COMM_SIZE}. */
    public final int getSize() throws MPIException
    {
        return live("MPI_Comm_size").size();
    }

    /** Rank of the calling process. Binds {@code MPI_COMM_RANK}. */
    public final int getRank() throws MPIException
    {
        return live("MPI_Comm_rank").rank();
    }

    /**
     * Compares two communicators. Binds {@code MPI_COMM_COMPARE}: {@code MPI.IDENT} if both are the same
     * communicator, {@code MPI.CONGRUENT} if their groups have the same members in the same order,
     * {@code MPI.SIMILAR} if the same members in another order, otherwise {@code MPI.UNEQUAL}.
     *
     * @param comm1 first communicator
     * @param comm2 second communicator
     * @return {@code MPI.IDENT}, {@code MPI.CONGRUENT}, {@code MPI.SIMILAR} or {@code MPI.UNEQUAL}
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
        return CommCompare.compare(comm1.live(op), comm2.live(op));
    }

    /** Frees the communicator. Binds {@code MPI_COMM_FREE}; predefined communicators cannot be freed. */
    @Override
    public final void free() throws MPIException
    {
        final String op = "MPI_Comm_free";
        final Communicator c = live(op);
        if (USER != predefined)
        {
            throw raise(ErrorClass.ERR_COMM,
                op + ": " + c.name() + " is a predefined communicator and cannot be freed");
        }
        AttributeCalls.deleteAll(this, op);
        try
        {
            CommSupport.factory().free(c);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Waits for the traffic on this communicator to be delivered, then frees it. Binds {@code MPI_COMM_DISCONNECT};
     * collective over both groups of an intercommunicator. Once the last intercommunicator to a spawned or connected
     * job is disconnected, the connections to it are closed.
     */
    public final void disconnect() throws MPIException
    {
        final String op = "MPI_Comm_disconnect";
        final Communicator c = live(op);
        if (USER != predefined)
        {
            throw raise(ErrorClass.ERR_COMM, op + ": " + c.name() + " is a predefined communicator");
        }
        AttributeCalls.deleteAll(this, op);
        try
        {
            DynamicSupport.engine().disconnect(c);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /** Whether the communicator has been freed. */
    public final boolean isNull()
    {
        final Communicator c = state;
        return NULL == predefined || (null != c && c.isFreed());
    }

    /** Whether this is an inter-communicator. Binds {@code MPI_COMM_TEST_INTER}. */
    public final boolean isInter() throws MPIException
    {
        return live("MPI_Comm_test_inter").isInter();
    }

    /** The group of the communicator. Binds {@code MPI_COMM_GROUP}. */
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

    /** The print name ("MPI_COMM_WORLD" for {@code MPI.COMM_WORLD}). Binds {@code MPI_COMM_GET_NAME}. */
    public final String getName() throws MPIException
    {
        return live("MPI_Comm_get_name").name();
    }

    /** Sets the error handler. Binds {@code MPI_COMM_SET_ERRHANDLER}. */
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

    /** The error handler. Binds {@code MPI_COMM_GET_ERRHANDLER}. */
    public final Errhandler getErrhandler() throws MPIException
    {
        live("MPI_Comm_get_errhandler");
        return errhandler;
    }

    /**
     * Invokes the error handler with {@code errorCode}. Binds {@code MPI_COMM_CALL_ERRHANDLER}: with
     * {@code ERRORS_ARE_FATAL} the job aborts, with {@code ERRORS_RETURN} nothing happens.
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

    /** Aborts every process of the job. Binds {@code MPI_ABORT}; does not return. */
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
     */
    public final Object getAttr(final int keyval) throws MPIException
    {
        return AttributeCalls.get(this, keyval);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Communicator management: dup, attributes with callbacks, intercommunicator creation. The semantics live in
    // io.mpi4j.comm (CommunicatorFactory, ContextAgreement, AttributeTable); DuplicateCalls and AttributeCalls
    // bridge them to the facade.

    /** Sentinel a {@link CopyFunction} returns to leave its attribute out of the new communicator. */
    public static final Object NO_COPY = new Object()
    {
        @Override
        public String toString()
        {
            return "MPI_NO_COPY";
        }
    };

    /** Copy callback that leaves the attribute out of the duplicate ({@code MPI_COMM_NULL_COPY_FN}). */
    public static final CopyFunction NULL_COPY_FN = (oldComm, keyval, extraState, value) -> NO_COPY;

    /** Copy callback that caches the same reference on the duplicate ({@code MPI_COMM_DUP_FN}). */
    public static final CopyFunction DUP_FN = (oldComm, keyval, extraState, value) -> value;

    /** Delete callback that does nothing ({@code MPI_COMM_NULL_DELETE_FN}). */
    public static final DeleteFunction NULL_DELETE_FN = (comm, keyval, value, extraState) -> { };

    /** Attribute copy callback ({@code MPI_Comm_copy_attr_function}), run for each attribute on dup. */
    @FunctionalInterface
    public interface CopyFunction
    {
        /**
         * Value to cache on the new communicator, or {@link Comm#NO_COPY} to leave the attribute out. Throwing makes
         * the dup fail with the exception's error class.
         *
         * @param oldComm    communicator being duplicated
         * @param keyval     attribute key
         * @param extraState extra state given to {@code createKeyval}
         * @param value      the attribute's value on {@code oldComm}
         * @return value for the duplicate, or {@code NO_COPY}
         * @throws MPIException to make the dup fail
         */
        Object copy(Comm oldComm, int keyval, Object extraState, Object value) throws MPIException;
    }

    /** Attribute delete callback ({@code MPI_Comm_delete_attr_function}): on free, deleteAttr and overwrite. */
    @FunctionalInterface
    public interface DeleteFunction
    {
        /**
         * Releases an attribute value. Throwing makes the call that deletes fail, and the attribute stays.
         *
         * @param comm       communicator the attribute is cached on
         * @param keyval     attribute key
         * @param value      the attribute's value
         * @param extraState extra state given to {@code createKeyval}
         * @throws MPIException to refuse the deletion
         */
        void delete(Comm comm, int keyval, Object value, Object extraState) throws MPIException;
    }

    /** Attributes cached on this communicator; null until the first one is set (see {@code AttributeCalls}). */
    volatile AttributeTable attributes;
    /** The request of the {@code iDup} that created this communicator, if one did. */
    volatile Request request;

    /**
     * Duplicates this communicator. Binds {@code MPI_COMM_DUP}: same group(s), topology and error handler, new context,
     * attributes as their copy callbacks decide, no name. Valid while point-to-point traffic is pending.
     */
    public Comm dup() throws MPIException
    {
        final Communicator c = live("MPI_Comm_dup");
        return c.isInter() ? dupAs("MPI_Comm_dup", s -> new Intercomm(s, null)) :
            dupAs("MPI_Comm_dup", s -> new Intracomm(USER, s, null));
    }

    /** Duplicates this communicator; an {@link MPIException} becomes a RuntimeException (as in Open MPI). */
    @Override
    public Comm clone()
    {
        try
        {
            return dup();
        }
        catch (final MPIException ex)
        {
            throw new RuntimeException(ex.getMessage(), ex);
        }
    }

    /** Duplicates this communicator with hints. Binds {@code MPI_COMM_DUP_WITH_INFO}; mpi4j takes no hints. */
    public Comm dupWithInfo(final Info info) throws MPIException
    {
        return dup();
    }

    /**
     * Starts duplicating this communicator. Binds {@code MPI_COMM_IDUP}; the new communicator may be used once the
     * request from {@link #getRequest()} on it completes.
     */
    public Comm iDup() throws MPIException
    {
        final Communicator c = live("MPI_Comm_idup");
        return c.isInter() ? iDupAs("MPI_Comm_idup", s -> new Intercomm(s, null)) :
            iDupAs("MPI_Comm_idup", s -> new Intracomm(USER, s, null));
    }

    /** The request of an {@link #iDup()} that created this communicator. */
    public final Request getRequest()
    {
        return request;
    }

    /** The duplicate, wrapped by {@code wrap}: subclasses keep their own kind (topologies, intercommunicators). */
    final <T extends Comm> T dupAs(final String op, final Function<Communicator, T> wrap) throws MPIException
    {
        return DuplicateCalls.dup(this, op, wrap);
    }

    final <T extends Comm> T iDupAs(final String op, final Function<Communicator, T> wrap) throws MPIException
    {
        return DuplicateCalls.iDup(this, op, wrap);
    }

    /**
     * Creates an attribute key whose values are copied into duplicates (Open MPI's behaviour). Binds
     * {@code MPI_COMM_CREATE_KEYVAL} with {@code MPI_COMM_DUP_FN} and {@code MPI_COMM_NULL_DELETE_FN}.
     *
     * @return the new key value
     * @throws MPIException if MPI is not running
     */
    public static int createKeyval() throws MPIException
    {
        return createKeyval(DUP_FN, NULL_DELETE_FN, null);
    }

    /**
     * Creates an attribute key with callbacks. Binds {@code MPI_COMM_CREATE_KEYVAL}.
     *
     * @param copyFn     run for the attribute on each dup ({@link #NULL_COPY_FN}, {@link #DUP_FN} or the program's)
     * @param deleteFn   run when the attribute is deleted ({@link #NULL_DELETE_FN} or the program's)
     * @param extraState passed to both callbacks
     * @return the new key value
     * @throws MPIException if MPI is not running
     */
    public static int createKeyval(final CopyFunction copyFn, final DeleteFunction deleteFn, final Object extraState)
        throws MPIException
    {
        return AttributeCalls.createKeyval(copyFn, deleteFn, extraState);
    }

    /**
     * Frees an attribute key. Binds {@code MPI_COMM_FREE_KEYVAL}; attributes still attached keep working until deleted.
     */
    public static void freeKeyval(final int keyval) throws MPIException
    {
        AttributeCalls.freeKeyval(keyval);
    }

    /**
     * Caches a value on the communicator. Binds {@code MPI_COMM_SET_ATTR}; an existing value is deleted first (its
     * delete callback runs).
     */
    public final void setAttr(final int keyval, final Object value) throws MPIException
    {
        AttributeCalls.set(this, keyval, value);
    }

    /**
     * Deletes a cached value. Binds {@code MPI_COMM_DELETE_ATTR}; the delete callback runs, and if it fails the
     * attribute stays.
     */
    public final void deleteAttr(final int keyval) throws MPIException
    {
        AttributeCalls.delete(this, keyval);
    }

    /**
     * Creates an intercommunicator; this communicator is the peer through which the two leaders talk. Binds
     * {@code MPI_INTERCOMM_CREATE}.
     *
     * @param localComm    intracommunicator of the local group
     * @param localLeader  rank of the local leader in {@code localComm}
     * @param remoteLeader rank of the remote leader in this communicator
     * @param tag          tag for the leaders' exchange
     * @return the intercommunicator
     * @throws MPIException on invalid arguments
     */
    public final Intercomm createIntercomm(final Comm localComm, final int localLeader, final int remoteLeader,
        final int tag) throws MPIException
    {
        return DuplicateCalls.createIntercomm(this, localComm, localLeader, remoteLeader, tag);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Point-to-point: checks and dispatch in PointToPointCalls and ProbeCalls. The non-blocking calls accept arrays
    // and heap buffers as well as the direct buffers Open MPI takes; the program leaves them untouched until the
    // request completes.

    /** Blocking standard-mode send. Binds {@code MPI_SEND}. */
    public final void send(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        PointToPointCalls.send(this, SendMode.STANDARD, OP_SEND, buf, count, type, dest, tag);
    }

    /** Buffered-mode send, using the buffer given to {@code MPI.attachBuffer}. Binds {@code MPI_BSEND}. */
    public final void bSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        PointToPointCalls.send(this, SendMode.BUFFERED, OP_BSEND, buf, count, type, dest, tag);
    }

    /** Synchronous-mode send: returns once the receive has started. Binds {@code MPI_SSEND}. */
    public final void sSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        PointToPointCalls.send(this, SendMode.SYNCHRONOUS, OP_SSEND, buf, count, type, dest, tag);
    }

    /** Ready-mode send: the matching receive must already be posted. Binds {@code MPI_RSEND}. */
    public final void rSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        PointToPointCalls.send(this, SendMode.READY, OP_RSEND, buf, count, type, dest, tag);
    }

    /** Blocking receive; the status of the received message. Binds {@code MPI_RECV}. */
    public final Status recv(final Object buf, final int count, final Datatype type, final int source, final int tag)
        throws MPIException
    {
        return PointToPointCalls.recv(this, buf, count, type, source, tag);
    }

    /** Sends one message and receives another, without deadlock between the two. Binds {@code MPI_SENDRECV}. */
    public final Status sendRecv(
        final Object sendbuf, final int sendcount, final Datatype sendtype, final int dest, final int sendtag,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int source, final int recvtag)
        throws MPIException
    {
        return PointToPointCalls.sendRecv(
            this, sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source, recvtag);
    }

    /** Sends the buffer and receives a message into the same buffer. Binds {@code MPI_SENDRECV_REPLACE}. */
    public final Status sendRecvReplace(
        final Object buf, final int count, final Datatype type, final int dest, final int sendtag, final int source,
        final int recvtag) throws MPIException
    {
        return PointToPointCalls.sendRecvReplace(this, buf, count, type, dest, sendtag, source, recvtag);
    }

    /**
     * Packs {@code incount} items of {@code type} from {@code inbuf} into {@code outbuf} at {@code position}.
     * Binds {@code MPI_PACK}.
     *
     * @return the position after the packed data
     * @throws MPIException {@code MPI.ERR_TRUNCATE} if they do not fit {@code outbuf}, {@code MPI.ERR_COUNT},
     *                      {@code MPI.ERR_TYPE}, {@code MPI.ERR_BUFFER}, {@code MPI.ERR_ARG} for bad arguments
     */
    public final int pack(final Object inbuf, final int incount, final Datatype type, final byte[] outbuf,
        final int position) throws MPIException
    {
        return PackCalls.pack(this, inbuf, incount, type, outbuf, position);
    }

    /**
     * Unpacks {@code outcount} items of {@code type} from {@code inbuf} at {@code position} into {@code outbuf}.
     * Binds {@code MPI_UNPACK}.
     *
     * @return the position after the unpacked data
     * @throws MPIException {@code MPI.ERR_TRUNCATE} if {@code inbuf} holds fewer bytes, {@code MPI.ERR_COUNT},
     *                      {@code MPI.ERR_TYPE}, {@code MPI.ERR_BUFFER}, {@code MPI.ERR_ARG} for bad arguments
     */
    public final int unpack(final byte[] inbuf, final int position, final Object outbuf, final int outcount,
        final Datatype type) throws MPIException
    {
        return PackCalls.unpack(this, inbuf, position, outbuf, outcount, type);
    }

    /**
     * Bytes that {@code incount} items of {@code type} pack to. Binds {@code MPI_PACK_SIZE}.
     *
     * @return the packed size in bytes
     * @throws MPIException {@code MPI.ERR_COUNT}, {@code MPI.ERR_TYPE}
     */
    public final int packSize(final int incount, final Datatype type) throws MPIException
    {
        return PackCalls.packSize(this, incount, type);
    }

    /** Starts a standard-mode send. Binds {@code MPI_ISEND}. */
    public final Request iSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return PointToPointCalls.startSend(this, SendMode.STANDARD, OP_ISEND, buf, count, type, dest, tag);
    }

    /** Starts a buffered-mode send. Binds {@code MPI_IBSEND}. */
    public final Request ibSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return PointToPointCalls.startSend(this, SendMode.BUFFERED, OP_IBSEND, buf, count, type, dest, tag);
    }

    /** Starts a synchronous-mode send. Binds {@code MPI_ISSEND}. */
    public final Request isSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return PointToPointCalls.startSend(this, SendMode.SYNCHRONOUS, OP_ISSEND, buf, count, type, dest, tag);
    }

    /** Starts a ready-mode send. Binds {@code MPI_IRSEND}. */
    public final Request irSend(final Object buf, final int count, final Datatype type, final int dest, final int tag)
        throws MPIException
    {
        return PointToPointCalls.startSend(this, SendMode.READY, OP_IRSEND, buf, count, type, dest, tag);
    }

    /** Starts a receive. Binds {@code MPI_IRECV}. */
    public final Request iRecv(final Object buf, final int count, final Datatype type, final int source, final int tag)
        throws MPIException
    {
        return PointToPointCalls.startRecv(this, buf, count, type, source, tag);
    }

    /** Creates a persistent standard-mode send, started by {@link Prequest#start}. Binds {@code MPI_SEND_INIT}. */
    public final Prequest sendInit(final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        return PersistentCalls.sendInit(this, SendMode.STANDARD, PersistentCalls.OP_SEND_INIT, buf, count, type,
            dest, tag);
    }

    /** Creates a persistent buffered-mode send. Binds {@code MPI_BSEND_INIT}. */
    public final Prequest bSendInit(final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        return PersistentCalls.sendInit(this, SendMode.BUFFERED, PersistentCalls.OP_BSEND_INIT, buf, count, type,
            dest, tag);
    }

    /** Creates a persistent synchronous-mode send. Binds {@code MPI_SSEND_INIT}. */
    public final Prequest sSendInit(final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        return PersistentCalls.sendInit(this, SendMode.SYNCHRONOUS, PersistentCalls.OP_SSEND_INIT, buf, count, type,
            dest, tag);
    }

    /** Creates a persistent ready-mode send. Binds {@code MPI_RSEND_INIT}. */
    public final Prequest rSendInit(final Object buf, final int count, final Datatype type, final int dest,
        final int tag) throws MPIException
    {
        return PersistentCalls.sendInit(this, SendMode.READY, PersistentCalls.OP_RSEND_INIT, buf, count, type,
            dest, tag);
    }

    /** Creates a persistent receive, started by {@link Prequest#start}. Binds {@code MPI_RECV_INIT}. */
    public final Prequest recvInit(final Object buf, final int count, final Datatype type, final int source,
        final int tag) throws MPIException
    {
        return PersistentCalls.recvInit(this, buf, count, type, source, tag);
    }

    /** Checks for a matching message without receiving it: its status, or null. Binds {@code MPI_IPROBE}. */
    public final Status iProbe(final int source, final int tag) throws MPIException
    {
        return ProbeCalls.probe(this, source, tag, false);
    }

    /** Waits for a matching message without receiving it; its status. Binds {@code MPI_PROBE}. */
    public final Status probe(final int source, final int tag) throws MPIException
    {
        return ProbeCalls.probe(this, source, tag, true);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Process topologies: CartComm and GraphComm override topologyKind.

    /** Which topology is attached. Binds {@code MPI_TOPO_TEST}. */
    public final int getTopology() throws MPIException
    {
        live("MPI_Topo_test");
        return topologyKind();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Fault tolerance (ULFM, jobs started with mpi4jrun --enable-recovery): the work is in io.mpi4j.comm.FaultTolerance.

    /**
     * Revokes the communicator. Binds {@code MPI_Comm_revoke} (ULFM): not collective; every pending and later
     * operation on it fails with {@code MPI.ERR_REVOKED} at every member, except {@link #agree},
     * {@link Intracomm#shrink()}, {@link #failureAck()} and {@link #getFailed()}.
     */
    public final void revoke() throws MPIException
    {
        final String op = "MPI_Comm_revoke";
        final Communicator c = live(op);
        try
        {
            FaultToleranceCalls.engine().revoke(c);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /** Whether the communicator was revoked, here or by another member. Binds {@code MPI_Comm_is_revoked} (ULFM). */
    public final boolean isRevoked() throws MPIException
    {
        return FaultToleranceCalls.engine().isRevoked(live("MPI_Comm_is_revoked"));
    }

    /**
     * The group of the processes of this communicator (its remote group for an intercommunicator) known here to
     * have failed, in rank order. Binds {@code MPI_Comm_get_failed} (ULFM).
     */
    public final Group getFailed() throws MPIException
    {
        final Communicator c = live("MPI_Comm_get_failed");
        return FaultToleranceCalls.groupOf(c, FaultToleranceCalls.engine().failedRanks(c));
    }

    /**
     * Acknowledges the failures known now: wildcard receives on this communicator no longer fail with
     * {@code MPI.ERR_PROC_FAILED_PENDING} because of them, and {@link #agree} no longer reports them. Binds
     * {@code MPI_Comm_failure_ack} (ULFM).
     */
    public final void failureAck() throws MPIException
    {
        FaultToleranceCalls.engine().acknowledge(live("MPI_Comm_failure_ack"));
    }

    /**
     * Fault-tolerant agreement. Binds {@code MPI_Comm_agree} (ULFM): collective over the live members, works on a
     * revoked communicator; returns the bitwise AND of {@code flag} over the members that did not fail, the same
     * value at all of them.
     *
     * @throws MPIException {@code MPI.ERR_PROC_FAILED} (after the agreement completed everywhere) if a member failed
     *                      whose failure was not acknowledged with {@link #failureAck()}
     */
    public final int agree(final int flag) throws MPIException
    {
        final String op = "MPI_Comm_agree";
        final Communicator c = live(op);
        try
        {
            return FaultToleranceCalls.engine().agree(c, flag);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /** The topology kind; plain communicators have none. */
    int topologyKind()
    {
        return MPI.UNDEFINED;
    }

    @Override
    public String toString()
    {
        final Communicator c = state;
        return null == c ? (WORLD == predefined ? "MPI_COMM_WORLD" : SELF == predefined ? "MPI_COMM_SELF" :
            NULL == predefined ? "MPI_COMM_NULL" : "Comm")
            : c.name();
    }
}
