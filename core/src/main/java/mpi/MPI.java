package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.io.OpenFile;
import io.mpi4j.p2p.BufferedSendSpace;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.runtime.MpiRuntime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MPI environment: initialization and finalization, the predefined communicators, datatypes, error handlers
 * and constants, timers, and helpers for direct buffers. Source-compatible with Open MPI's Java binding; the
 * predefined objects exist from class loading on and are bound to the running job by {@link #Init}.
 */
public final class MPI
{
    private static final int NOT_STARTED = 0;
    private static final int RUNNING = 1;
    private static final int FINALIZED = 2;
    private static final ByteOrder NATIVE_ORDER = ByteOrder.nativeOrder();

    private static volatile int lifecycle = NOT_STARTED;
    private static volatile PointToPoint engine;
    private static volatile Thread initThread;
    private static byte[] attachedBuffer;

    // Thread support levels (MPI_THREAD_*).
    public static final int THREAD_SINGLE = MpiRuntime.THREAD_SINGLE;
    public static final int THREAD_FUNNELED = MpiRuntime.THREAD_FUNNELED;
    public static final int THREAD_SERIALIZED = MpiRuntime.THREAD_SERIALIZED;
    public static final int THREAD_MULTIPLE = MpiRuntime.THREAD_MULTIPLE;

    // Wildcards and special ranks; values are Open MPI's.
    public static final int ANY_SOURCE = PointToPoint.ANY_SOURCE;
    public static final int ANY_TAG = PointToPoint.ANY_TAG;
    public static final int PROC_NULL = PointToPoint.PROC_NULL;
    public static final int ROOT = -4;
    public static final int UNDEFINED = -32766;

    // Results of compare operations.
    public static final int IDENT = 0;
    public static final int CONGRUENT = 1;
    public static final int SIMILAR = 2;
    public static final int UNEQUAL = 3;

    // Topology kinds (Comm.getTopology); values are Open MPI's.
    public static final int GRAPH = 1;
    public static final int CART = 2;
    public static final int DIST_GRAPH = 3;

    // Predefined attribute keys (Comm.getAttr).
    public static final int TAG_UB = 0;
    public static final int HOST = 1;
    public static final int IO = 2;
    public static final int WTIME_IS_GLOBAL = 3;
    public static final int APPNUM = 4;
    public static final int LASTUSEDCODE = 5;
    public static final int UNIVERSE_SIZE = 6;
    public static final int WIN_BASE = 7;
    public static final int WIN_SIZE = 8;
    public static final int WIN_DISP_UNIT = 9;
    public static final int WIN_CREATE_FLAVOR = 10;
    public static final int WIN_MODEL = 11;
    public static final int KEYVAL_INVALID = -1;

    // Version of the MPI standard implemented.
    public static final int VERSION = 3;
    public static final int SUBVERSION = 1;

    // Limits.
    /** Bytes of the attached buffer each buffered send takes on top of its data: what the engine charges. */
    public static final int BSEND_OVERHEAD = BufferedSendSpace.BSEND_OVERHEAD;
    public static final int MAX_OBJECT_NAME = 64;
    public static final int MAX_PORT_NAME = 1024;
    public static final int MAX_DATAREP_STRING = 128;
    public static final int MAX_INFO_KEY = 36;
    public static final int MAX_INFO_VAL = 256;
    private static final int MAX_PROCESSOR_NAME = 256;

    // Error classes.
    public static final int SUCCESS = ErrorClass.SUCCESS;
    public static final int ERR_BUFFER = ErrorClass.ERR_BUFFER;
    public static final int ERR_COUNT = ErrorClass.ERR_COUNT;
    public static final int ERR_TYPE = ErrorClass.ERR_TYPE;
    public static final int ERR_TAG = ErrorClass.ERR_TAG;
    public static final int ERR_COMM = ErrorClass.ERR_COMM;
    public static final int ERR_RANK = ErrorClass.ERR_RANK;
    public static final int ERR_REQUEST = ErrorClass.ERR_REQUEST;
    public static final int ERR_ROOT = ErrorClass.ERR_ROOT;
    public static final int ERR_GROUP = ErrorClass.ERR_GROUP;
    public static final int ERR_OP = ErrorClass.ERR_OP;
    public static final int ERR_TOPOLOGY = ErrorClass.ERR_TOPOLOGY;
    public static final int ERR_DIMS = ErrorClass.ERR_DIMS;
    public static final int ERR_ARG = ErrorClass.ERR_ARG;
    public static final int ERR_UNKNOWN = ErrorClass.ERR_UNKNOWN;
    public static final int ERR_TRUNCATE = ErrorClass.ERR_TRUNCATE;
    public static final int ERR_OTHER = ErrorClass.ERR_OTHER;
    public static final int ERR_INTERN = ErrorClass.ERR_INTERN;
    public static final int ERR_IN_STATUS = ErrorClass.ERR_IN_STATUS;
    public static final int ERR_PENDING = ErrorClass.ERR_PENDING;
    public static final int ERR_ACCESS = ErrorClass.ERR_ACCESS;
    public static final int ERR_AMODE = ErrorClass.ERR_AMODE;
    public static final int ERR_ASSERT = ErrorClass.ERR_ASSERT;
    public static final int ERR_BAD_FILE = ErrorClass.ERR_BAD_FILE;
    public static final int ERR_BASE = ErrorClass.ERR_BASE;
    public static final int ERR_CONVERSION = ErrorClass.ERR_CONVERSION;
    public static final int ERR_DISP = ErrorClass.ERR_DISP;
    public static final int ERR_DUP_DATAREP = ErrorClass.ERR_DUP_DATAREP;
    public static final int ERR_FILE_EXISTS = ErrorClass.ERR_FILE_EXISTS;
    public static final int ERR_FILE_IN_USE = ErrorClass.ERR_FILE_IN_USE;
    public static final int ERR_FILE = ErrorClass.ERR_FILE;
    public static final int ERR_INFO_KEY = ErrorClass.ERR_INFO_KEY;
    public static final int ERR_INFO_NOKEY = ErrorClass.ERR_INFO_NOKEY;
    public static final int ERR_INFO_VALUE = ErrorClass.ERR_INFO_VALUE;
    public static final int ERR_INFO = ErrorClass.ERR_INFO;
    public static final int ERR_IO = ErrorClass.ERR_IO;
    public static final int ERR_KEYVAL = ErrorClass.ERR_KEYVAL;
    public static final int ERR_LOCKTYPE = ErrorClass.ERR_LOCKTYPE;
    public static final int ERR_NAME = ErrorClass.ERR_NAME;
    public static final int ERR_NO_MEM = ErrorClass.ERR_NO_MEM;
    public static final int ERR_NOT_SAME = ErrorClass.ERR_NOT_SAME;
    public static final int ERR_NO_SPACE = ErrorClass.ERR_NO_SPACE;
    public static final int ERR_NO_SUCH_FILE = ErrorClass.ERR_NO_SUCH_FILE;
    public static final int ERR_PORT = ErrorClass.ERR_PORT;
    public static final int ERR_QUOTA = ErrorClass.ERR_QUOTA;
    public static final int ERR_READ_ONLY = ErrorClass.ERR_READ_ONLY;
    public static final int ERR_RMA_CONFLICT = ErrorClass.ERR_RMA_CONFLICT;
    public static final int ERR_RMA_SYNC = ErrorClass.ERR_RMA_SYNC;
    public static final int ERR_SERVICE = ErrorClass.ERR_SERVICE;
    public static final int ERR_SIZE = ErrorClass.ERR_SIZE;
    public static final int ERR_SPAWN = ErrorClass.ERR_SPAWN;
    public static final int ERR_UNSUPPORTED_DATAREP = ErrorClass.ERR_UNSUPPORTED_DATAREP;
    public static final int ERR_UNSUPPORTED_OPERATION = ErrorClass.ERR_UNSUPPORTED_OPERATION;
    public static final int ERR_WIN = ErrorClass.ERR_WIN;
    /** ULFM: a process involved in the call failed (jobs started with {@code mpi4jrun --enable-recovery}). */
    public static final int ERR_PROC_FAILED = ErrorClass.ERR_PROC_FAILED;
    /** ULFM: a wildcard receive waits on a communicator with an unacknowledged failure. */
    public static final int ERR_PROC_FAILED_PENDING = ErrorClass.ERR_PROC_FAILED_PENDING;
    /** ULFM: the communicator was revoked. */
    public static final int ERR_REVOKED = ErrorClass.ERR_REVOKED;
    public static final int ERR_RMA_RANGE = ErrorClass.ERR_RMA_RANGE;
    public static final int ERR_RMA_ATTACH = ErrorClass.ERR_RMA_ATTACH;
    public static final int ERR_RMA_FLAVOR = ErrorClass.ERR_RMA_FLAVOR;
    public static final int ERR_RMA_SHARED = ErrorClass.ERR_RMA_SHARED;
    public static final int ERR_LASTCODE = ErrorClass.ERR_LASTCODE;
    /** Open MPI's out-of-resources error, below zero like in {@code mpi.h}. */
    public static final int ERR_SYSRESOURCE = -2;

    // Error handlers: created before the communicators that refer to them.
    public static final Errhandler ERRORS_ARE_FATAL = new Errhandler(true, "MPI_ERRORS_ARE_FATAL");
    public static final Errhandler ERRORS_RETURN = new Errhandler(false, "MPI_ERRORS_RETURN");

    // Basic datatypes: base Java element type, its size in bytes, base elements per item.
    public static final Datatype DATATYPE_NULL = new Datatype(Datatype.NULL, 0, 0, "MPI_DATATYPE_NULL");
    public static final Datatype BYTE = new Datatype(Datatype.BYTE, 1, 1, "MPI_BYTE");
    public static final Datatype CHAR = new Datatype(Datatype.CHAR, 2, 1, "MPI_CHAR");
    public static final Datatype SHORT = new Datatype(Datatype.SHORT, 2, 1, "MPI_SHORT");
    public static final Datatype BOOLEAN = new Datatype(Datatype.BOOLEAN, 1, 1, "MPI_BOOLEAN");
    public static final Datatype INT = new Datatype(Datatype.INT, 4, 1, "MPI_INT");
    public static final Datatype LONG = new Datatype(Datatype.LONG, 8, 1, "MPI_LONG");
    public static final Datatype FLOAT = new Datatype(Datatype.FLOAT, 4, 1, "MPI_FLOAT");
    public static final Datatype DOUBLE = new Datatype(Datatype.DOUBLE, 8, 1, "MPI_DOUBLE");
    public static final Datatype PACKED = new Datatype(Datatype.BYTE, 1, 1, "MPI_PACKED");
    public static final Datatype FLOAT_COMPLEX = new Datatype(Datatype.FLOAT, 4, 2, "MPI_FLOAT_COMPLEX");
    public static final Datatype DOUBLE_COMPLEX = new Datatype(Datatype.DOUBLE, 8, 2, "MPI_DOUBLE_COMPLEX");

    // ---- collectives: value-index pairs for MINLOC/MAXLOC and the predefined reduction operators.
    // MPI.INT2 fits an int[]; the other pairs have C's struct layout and travel in (direct) ByteBuffers.
    public static final Datatype INT2 = new Datatype(Datatype.INT, 4, 2, "MPI_2INT");
    public static final Datatype SHORT_INT = new Datatype(Datatype.SHORT_INT, 8, 1, "MPI_SHORT_INT");
    public static final Datatype LONG_INT = new Datatype(Datatype.LONG_INT, 16, 1, "MPI_LONG_INT");
    public static final Datatype FLOAT_INT = new Datatype(Datatype.FLOAT_INT, 8, 1, "MPI_FLOAT_INT");
    public static final Datatype DOUBLE_INT = new Datatype(Datatype.DOUBLE_INT, 16, 1, "MPI_DOUBLE_INT");
    public static final Op MAX = new Op(io.mpi4j.coll.ReductionOp.MAX, "MPI_MAX");
    public static final Op MIN = new Op(io.mpi4j.coll.ReductionOp.MIN, "MPI_MIN");
    public static final Op SUM = new Op(io.mpi4j.coll.ReductionOp.SUM, "MPI_SUM");
    public static final Op PROD = new Op(io.mpi4j.coll.ReductionOp.PROD, "MPI_PROD");
    public static final Op LAND = new Op(io.mpi4j.coll.ReductionOp.LAND, "MPI_LAND");
    public static final Op BAND = new Op(io.mpi4j.coll.ReductionOp.BAND, "MPI_BAND");
    public static final Op LOR = new Op(io.mpi4j.coll.ReductionOp.LOR, "MPI_LOR");
    public static final Op BOR = new Op(io.mpi4j.coll.ReductionOp.BOR, "MPI_BOR");
    public static final Op LXOR = new Op(io.mpi4j.coll.ReductionOp.LXOR, "MPI_LXOR");
    public static final Op BXOR = new Op(io.mpi4j.coll.ReductionOp.BXOR, "MPI_BXOR");
    public static final Op MINLOC = new Op(io.mpi4j.coll.ReductionOp.MINLOC, "MPI_MINLOC");
    public static final Op MAXLOC = new Op(io.mpi4j.coll.ReductionOp.MAXLOC, "MPI_MAXLOC");
    /** {@code MPI_REPLACE}: one-sided accumulates store the origin's data. */
    public static final Op REPLACE = new Op(io.mpi4j.rma.Accumulation.REPLACE, "MPI_REPLACE");
    /** {@code MPI_NO_OP}: one-sided get-accumulates only fetch. */
    public static final Op NO_OP = new Op(io.mpi4j.rma.Accumulation.NO_OP, "MPI_NO_OP");

    // One-sided communication: assertions, lock types, window flavours and memory models.
    public static final int MODE_NOCHECK = io.mpi4j.rma.Epochs.MODE_NOCHECK;
    public static final int MODE_NOPRECEDE = io.mpi4j.rma.Epochs.MODE_NOPRECEDE;
    public static final int MODE_NOPUT = io.mpi4j.rma.Epochs.MODE_NOPUT;
    public static final int MODE_NOSTORE = io.mpi4j.rma.Epochs.MODE_NOSTORE;
    public static final int MODE_NOSUCCEED = io.mpi4j.rma.Epochs.MODE_NOSUCCEED;
    public static final int LOCK_EXCLUSIVE = 1;
    public static final int LOCK_SHARED = 2;
    public static final int WIN_FLAVOR_CREATE = io.mpi4j.rma.Window.FLAVOR_CREATE;
    public static final int WIN_FLAVOR_ALLOCATE = io.mpi4j.rma.Window.FLAVOR_ALLOCATE;
    public static final int WIN_FLAVOR_DYNAMIC = io.mpi4j.rma.Window.FLAVOR_DYNAMIC;
    public static final int WIN_FLAVOR_SHARED = io.mpi4j.rma.Window.FLAVOR_SHARED;
    public static final int WIN_SEPARATE = 1;
    public static final int WIN_UNIFIED = 0;

    // ---- datatypes: the struct objects of the value-index pair types (Open MPI's MPI.int2 ... MPI.doubleInt),
    // with C's layouts on LP64 (the pair datatypes above are the matching MPI types).
    /** Struct object for {@link #INT2}. */
    public static final Int2 int2 = new Int2(Integer.BYTES, Integer.BYTES);
    /** Struct object for {@link #SHORT_INT}. */
    public static final ShortInt shortInt = new ShortInt(Short.BYTES, Integer.BYTES, Integer.BYTES);
    /** Struct object for {@link #LONG_INT}. */
    public static final LongInt longInt = new LongInt(Long.BYTES, Long.BYTES, Integer.BYTES);
    /** Struct object for {@link #FLOAT_INT}. */
    public static final FloatInt floatInt = new FloatInt(Float.BYTES, Integer.BYTES);
    /** Struct object for {@link #DOUBLE_INT}. */
    public static final DoubleInt doubleInt = new DoubleInt(Double.BYTES, Integer.BYTES);
    // ---- end of datatypes

    // ---- parallel I/O: file access modes, seek modes and the current-displacement marker (Open MPI's values)
    public static final int MODE_CREATE = io.mpi4j.io.AccessMode.CREATE;
    public static final int MODE_RDONLY = io.mpi4j.io.AccessMode.RDONLY;
    public static final int MODE_WRONLY = io.mpi4j.io.AccessMode.WRONLY;
    public static final int MODE_RDWR = io.mpi4j.io.AccessMode.RDWR;
    public static final int MODE_DELETE_ON_CLOSE = io.mpi4j.io.AccessMode.DELETE_ON_CLOSE;
    public static final int MODE_UNIQUE_OPEN = io.mpi4j.io.AccessMode.UNIQUE_OPEN;
    public static final int MODE_EXCL = io.mpi4j.io.AccessMode.EXCL;
    public static final int MODE_APPEND = io.mpi4j.io.AccessMode.APPEND;
    public static final int MODE_SEQUENTIAL = io.mpi4j.io.AccessMode.SEQUENTIAL;
    public static final int SEEK_SET = io.mpi4j.io.OpenFile.SEEK_SET;
    public static final int SEEK_CUR = io.mpi4j.io.OpenFile.SEEK_CUR;
    public static final int SEEK_END = io.mpi4j.io.OpenFile.SEEK_END;
    public static final int DISPLACEMENT_CURRENT = (int)io.mpi4j.io.OpenFile.DISPLACEMENT_CURRENT;
    // ---- end of parallel I/O constants

    public static final Request REQUEST_NULL = new Request(null, null, null);
    public static final Group GROUP_EMPTY = new Group(new long[0], UNDEFINED, true);
    public static final Info INFO_NULL = new Info("MPI_INFO_NULL", null);
    public static final Info INFO_ENV = new Info("MPI_INFO_ENV", new LinkedHashMap<>());

    /** All processes of the job. Exists before {@code Init}; usable between {@code Init} and {@code Finalize}. */
    public static final Intracomm COMM_WORLD = new Intracomm(Comm.WORLD, null, ERRORS_ARE_FATAL);
    /** The calling process alone. */
    public static final Intracomm COMM_SELF = new Intracomm(Comm.SELF, null, ERRORS_ARE_FATAL);
    /** The null communicator: what {@code split} returns to processes that pass {@code MPI.UNDEFINED}. */
    public static final Intracomm COMM_NULL = new Intracomm(Comm.NULL, null, ERRORS_ARE_FATAL);
    /** {@code MPI_COMM_TYPE_SHARED} for {@link Intracomm#splitType}: processes that can share memory. */
    public static final int COMM_TYPE_SHARED = 0;

    private MPI()
    {
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Life cycle

    /**
     * Initializes MPI. Binds {@code MPI_INIT}.
     *
     * @param args arguments of {@code main}
     * @return the arguments, unchanged (the launcher passes none of its own)
     * @throws MPIException if MPI was already initialized or the job cannot be joined
     */
    public static String[] Init(final String[] args) throws MPIException
    {
        start("MPI_Init", args, THREAD_SINGLE);
        return args;
    }

    /**
     * Initializes MPI with a thread support level. Binds {@code MPI_INIT_THREAD}.
     *
     * @param args     arguments of {@code main}
     * @param required thread support wanted, {@code MPI.THREAD_SINGLE}..{@code MPI.THREAD_MULTIPLE}
     * @return thread support provided
     * @throws MPIException if MPI was already initialized or the job cannot be joined
     */
    public static int InitThread(final String[] args, final int required) throws MPIException
    {
        return start("MPI_Init_thread", args, required);
    }

    private static synchronized int start(final String op, final String[] args, final int required)
        throws MPIException
    {
        if (RUNNING == lifecycle)
        {
            throw new MPIException(ERR_OTHER, op + ": MPI is already initialized");
        }
        if (FINALIZED == lifecycle)
        {
            throw new MPIException(ERR_OTHER, op + ": MPI has been finalized and cannot be initialized again");
        }
        if (required < THREAD_SINGLE || required > THREAD_MULTIPLE)
        {
            throw new MPIException(ERR_ARG, op + ": thread level " + required + " is invalid (valid: " +
                THREAD_SINGLE + ".." + THREAD_MULTIPLE + ")");
        }
        final int provided;
        final MpiRuntime runtime;
        try
        {
            provided = MpiRuntime.init(null == args ? new String[0] : args, required);
            runtime = MpiRuntime.get();
            COMM_WORLD.bind(runtime.world());
            COMM_SELF.bind(runtime.self());
            engine = runtime.p2p();
            // Issue 4: a spawned process connects to its parents before MPI_Init returns.
            DynamicSupport.joinParent(runtime);
        }
        catch (final MpiError ex)
        {
            throw new MPIException(ex.errorClass(), op + ": " + ex.getMessage());
        }
        initThread = Thread.currentThread();
        describeEnvironment(args, runtime, provided);
        lifecycle = RUNNING;
        InitRehearsal.run(runtime);
        return provided;
    }

    private static void describeEnvironment(final String[] args, final MpiRuntime runtime, final int provided)
    {
        INFO_ENV.replaceEnvironment(EnvironmentInfo.describe(args, runtime, threadLevelName(provided)));
    }

    private static String threadLevelName(final int level)
    {
        switch (level)
        {
            case THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
            case THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
            case THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
            default: return "MPI_THREAD_SINGLE";
        }
    }

    /**
     * Finalizes MPI. Binds {@code MPI_FINALIZE}; no MPI call is allowed afterwards.
     *
     * @throws MPIException if MPI is not running
     */
    public static void Finalize() throws MPIException
    {
        final String op = "MPI_Finalize";
        synchronized (MPI.class)
        {
            check(op);
            // Attributes of COMM_SELF, then COMM_WORLD, are deleted first, last set first, as the standard orders it.
            AttributeCalls.deleteAll(COMM_SELF, op);
            AttributeCalls.deleteAll(COMM_WORLD, op);
            OpenFile.closeLeftOpen();
            io.mpi4j.rma.PassiveProgress.shutdown();
            try
            {
                MpiRuntime.shutdown();
            }
            catch (final MpiError ex)
            {
                throw new MPIException(ex.errorClass(), op + ": " + ex.getMessage());
            }
            lifecycle = FINALIZED;
        }
    }

    /**
     * Whether {@code Init} has been called (still true after {@code Finalize}). Binds {@code MPI_INITIALIZED}.
     *
     * @return true once initialized
     * @throws MPIException never in mpi4j; declared for source compatibility
     */
    public static boolean isInitialized() throws MPIException
    {
        return NOT_STARTED != lifecycle;
    }

    /**
     * Whether {@code Finalize} has been called. Binds {@code MPI_FINALIZED}.
     *
     * @return true once finalized
     * @throws MPIException never in mpi4j; declared for source compatibility
     */
    public static boolean isFinalized() throws MPIException
    {
        return FINALIZED == lifecycle;
    }

    /**
     * Thread support level provided. Binds {@code MPI_QUERY_THREAD}.
     *
     * @return thread level
     * @throws MPIException if MPI is not running
     */
    public static int queryThread() throws MPIException
    {
        final String op = "MPI_Query_thread";
        check(op);
        try
        {
            return MpiRuntime.get().threadLevel();
        }
        catch (final MpiError ex)
        {
            throw new MPIException(ex.errorClass(), op + ": " + ex.getMessage());
        }
    }

    /**
     * Whether the calling thread is the one that initialized MPI. Binds {@code MPI_IS_THREAD_MAIN}.
     *
     * @return true on the main thread
     * @throws MPIException if MPI is not running
     */
    public static boolean isThreadMain() throws MPIException
    {
        check("MPI_Is_thread_main");
        return Thread.currentThread() == initThread;
    }

    /**
     * The version of the MPI standard implemented. Binds {@code MPI_GET_VERSION}.
     *
     * Callable before {@code MPI.Init} and after {@code MPI.Finalize}; like Open MPI's binding it declares no
     * checked exception.
     *
     * @return version and subversion
     */
    public static Version getVersion()
    {
        return new Version(VERSION, SUBVERSION);
    }

    /**
     * Name and version of the library. Binds {@code MPI_GET_LIBRARY_VERSION}.
     *
     * Callable before {@code MPI.Init} and after {@code MPI.Finalize}; like Open MPI's binding it declares no
     * checked exception.
     *
     * @return library version string
     */
    public static String getLibVersion()
    {
        final String version = MPI.class.getPackage().getImplementationVersion();
        return "mpi4j " + (null == version ? "development build" : version) + " (MPI " + VERSION + "." +
            SUBVERSION + ", Open MPI Java binding compatible)";
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Environment

    /**
     * Elapsed wall-clock time. Binds {@code MPI_WTIME}.
     *
     * @return seconds since an arbitrary time in the past
     * @throws MPIException if MPI is not running
     */
    public static double wtime() throws MPIException
    {
        check("MPI_Wtime");
        return System.nanoTime() * 1e-9;
    }

    /**
     * Resolution of {@link #wtime()}. Binds {@code MPI_WTICK}.
     *
     * @return seconds between clock ticks
     * @throws MPIException if MPI is not running
     */
    public static double wtick() throws MPIException
    {
        check("MPI_Wtick");
        return 1e-9;
    }

    /**
     * Name of the node this process runs on. Binds {@code MPI_GET_PROCESSOR_NAME}.
     *
     * @return processor name
     * @throws MPIException if MPI is not running
     */
    public static String getProcessorName() throws MPIException
    {
        final String op = "MPI_Get_processor_name";
        check(op);
        try
        {
            final String name = MpiRuntime.get().processorName();
            return name.length() < MAX_PROCESSOR_NAME ? name : name.substring(0, MAX_PROCESSOR_NAME - 1);
        }
        catch (final MpiError ex)
        {
            throw new MPIException(ex.errorClass(), op + ": " + ex.getMessage());
        }
    }

    /**
     * Provides buffer space for buffered-mode sends. Binds {@code MPI_BUFFER_ATTACH}. Buffered sends copy their data
     * into space charged against this buffer's length and free it when the message is gone.
     *
     * @param buffer buffer space; each message needs its size plus {@link #BSEND_OVERHEAD}
     * @throws MPIException {@code MPI.ERR_BUFFER} if the buffer is null or one is already attached
     */
    public static void attachBuffer(final byte[] buffer) throws MPIException
    {
        final String op = "MPI_Buffer_attach";
        check(op);
        synchronized (MPI.class)
        {
            if (null == buffer)
            {
                throw COMM_WORLD.raise(ERR_BUFFER, op + ": buffer is null");
            }
            if (null != attachedBuffer)
            {
                throw COMM_WORLD.raise(ERR_BUFFER, op + ": a buffer of " + attachedBuffer.length +
                    " bytes is already attached; detach it first");
            }
            try
            {
                engine.bufferedSends().attach(buffer.length);
            }
            catch (final MpiError ex)
            {
                throw COMM_WORLD.raise(op, ex);
            }
            attachedBuffer = buffer;
        }
    }

    /**
     * Removes the buffer space for buffered sends, after waiting for the messages using it. Binds
     * {@code MPI_BUFFER_DETACH}.
     *
     * @return the buffer that was attached (the same array), or null if none was
     * @throws MPIException if MPI is not running
     */
    public static byte[] detachBuffer() throws MPIException
    {
        final String op = "MPI_Buffer_detach";
        check(op);
        synchronized (MPI.class)
        {
            final byte[] buffer = attachedBuffer;
            if (null == buffer)
            {
                return null;
            }
            try
            {
                engine.bufferedSends().detach();
            }
            catch (final MpiError ex)
            {
                throw COMM_WORLD.raise(op, ex);
            }
            attachedBuffer = null;
            return buffer;
        }
    }

    /**
     * Profiling control. Binds {@code MPI_PCONTROL}; mpi4j has no profiling layer, so this does nothing.
     *
     * @param level profiling level
     * @param obj   profiling information
     */
    public static void pControl(final int level, final Object obj)
    {
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Package-private plumbing for the other facade classes

    /** Throws ERR_OTHER unless MPI is running; {@code op} names the MPI call in the message. */
    static void check(final String op) throws MPIException
    {
        final int state = lifecycle;
        if (RUNNING != state)
        {
            throw new MPIException(ERR_OTHER, NOT_STARTED == state ?
                op + ": MPI is not initialized: call MPI.Init first" : op + ": MPI has been finalized");
        }
    }

    /** The point-to-point engine; valid once {@link #check} passed. */
    static PointToPoint engine()
    {
        return engine;
    }

    /** {@code MPI_ERRORS_ARE_FATAL}: report, abort the job, never return. */
    static void fatal(final int errorClass, final String message)
    {
        System.err.println("mpi4j: " + message + " [" + ErrorClass.name(errorClass) + "]");
        System.err.flush();
        System.out.flush();
        try
        {
            MpiRuntime.get().abort(errorClass, message);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("mpi4j: abort failed (" + ex + "); exiting this process only");
        }
        // abort() does not return; if the runtime could not abort, at least this process must not continue.
        Runtime.getRuntime().halt(0 == errorClass ? 1 : errorClass);
    }

    /** Object names are limited to {@code MAX_OBJECT_NAME - 1} characters, as in C. */
    static String truncateName(final String name)
    {
        return name.length() < MAX_OBJECT_NAME ? name : name.substring(0, MAX_OBJECT_NAME - 1);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Direct buffers in native byte order: what the transports can use without conversion.

    /**
     * Allocates a direct byte buffer in native byte order.
     *
     * @param capacity capacity in bytes
     * @return new buffer
     */
    public static ByteBuffer newByteBuffer(final int capacity)
    {
        return MpiRuntime.newDirectBuffer(capacity).order(NATIVE_ORDER);
    }

    /**
     * Allocates a direct char buffer in native byte order.
     *
     * @param capacity capacity in chars
     * @return new buffer
     */
    public static CharBuffer newCharBuffer(final int capacity)
    {
        return newByteBuffer(Math.multiplyExact(capacity, Character.BYTES)).asCharBuffer();
    }

    /**
     * Allocates a direct short buffer in native byte order.
     *
     * @param capacity capacity in shorts
     * @return new buffer
     */
    public static ShortBuffer newShortBuffer(final int capacity)
    {
        return newByteBuffer(Math.multiplyExact(capacity, Short.BYTES)).asShortBuffer();
    }

    /**
     * Allocates a direct int buffer in native byte order.
     *
     * @param capacity capacity in ints
     * @return new buffer
     */
    public static IntBuffer newIntBuffer(final int capacity)
    {
        return newByteBuffer(Math.multiplyExact(capacity, Integer.BYTES)).asIntBuffer();
    }

    /**
     * Allocates a direct long buffer in native byte order.
     *
     * @param capacity capacity in longs
     * @return new buffer
     */
    public static LongBuffer newLongBuffer(final int capacity)
    {
        return newByteBuffer(Math.multiplyExact(capacity, Long.BYTES)).asLongBuffer();
    }

    /**
     * Allocates a direct float buffer in native byte order.
     *
     * @param capacity capacity in floats
     * @return new buffer
     */
    public static FloatBuffer newFloatBuffer(final int capacity)
    {
        return newByteBuffer(Math.multiplyExact(capacity, Float.BYTES)).asFloatBuffer();
    }

    /**
     * Allocates a direct double buffer in native byte order.
     *
     * @param capacity capacity in doubles
     * @return new buffer
     */
    public static DoubleBuffer newDoubleBuffer(final int capacity)
    {
        return newByteBuffer(Math.multiplyExact(capacity, Double.BYTES)).asDoubleBuffer();
    }

    // Slices start a buffer at an element offset; MPI calls ignore buffer positions. Unlike Open MPI's binding,
    // the original buffer's position and limit are left alone.

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity, in native byte order.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static ByteBuffer slice(final ByteBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset).order(NATIVE_ORDER);
    }

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static CharBuffer slice(final CharBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset);
    }

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static ShortBuffer slice(final ShortBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset);
    }

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static IntBuffer slice(final IntBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset);
    }

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static LongBuffer slice(final LongBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset);
    }

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static FloatBuffer slice(final FloatBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset);
    }

    /**
     * A buffer sharing {@code buf}'s content from element {@code offset} to its capacity.
     *
     * @param buf    buffer
     * @param offset first element of the slice
     * @return the slice
     */
    public static DoubleBuffer slice(final DoubleBuffer buf, final int offset)
    {
        return buf.slice(offset, buf.capacity() - offset);
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}, in native byte order.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static ByteBuffer slice(final byte[] buf, final int offset)
    {
        return ByteBuffer.wrap(buf, offset, buf.length - offset).slice().order(NATIVE_ORDER);
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static CharBuffer slice(final char[] buf, final int offset)
    {
        return CharBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static ShortBuffer slice(final short[] buf, final int offset)
    {
        return ShortBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static IntBuffer slice(final int[] buf, final int offset)
    {
        return IntBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static LongBuffer slice(final long[] buf, final int offset)
    {
        return LongBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static FloatBuffer slice(final float[] buf, final int offset)
    {
        return FloatBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    /**
     * A heap buffer over {@code buf} starting at element {@code offset}.
     *
     * @param buf    array
     * @param offset first element of the slice
     * @return the slice
     */
    public static DoubleBuffer slice(final double[] buf, final int offset)
    {
        return DoubleBuffer.wrap(buf, offset, buf.length - offset).slice();
    }
}
