package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Operation;
import io.mpi4j.rma.Epochs;
import io.mpi4j.rma.RmaOperations;
import io.mpi4j.rma.Window;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An MPI window: memory of every process of a communicator that the others read and write with one-sided
 * operations ({@code MPI_Win}). Signatures are Open MPI's Java binding's: sizes and displacement units count
 * elements of the base buffer's type, displacements count displacement units. The engine is {@code io.mpi4j.rma}:
 * {@link Window} (the window), {@link RmaOperations} (put, get, accumulates) and {@link Epochs} (synchronisation);
 * this class checks arguments and turns the engine's errors into the window's error handler's behaviour.
 */
public final class Win implements Freeable
{
    /** Flavour argument of the allocating constructor: {@code MPI_Win_allocate}. */
    public static final int FLAVOR_PRIVATE = 0;
    /** Flavour argument of the allocating constructor: {@code MPI_Win_allocate_shared}. */
    public static final int FLAVOR_SHARED = 1;
    /** The null window handle. */
    public static final int WIN_NULL = 0;

    private static final AtomicInteger NEXT_KEYVAL = new AtomicInteger(io.mpi4j.comm.KeyvalRegistry.FIRST_USER_KEYVAL);

    private final Window window;
    /** The window's own communicator as the facade knows it: carries the error handler, given to requests. */
    private final Intracomm errors;
    /** Memory of the window, kept reachable as long as the window lives. */
    private final Buffer memory;
    private final Map<Integer, Object> attributes = new HashMap<>();
    private volatile String name = "";
    private volatile Info info;
    private volatile boolean freed;
    /** The size the program gave, in bytes: the WIN_SIZE attribute (the memory exposed may be less, see above). */
    private final long requestedSize;

    /**
     * Creates a window over a direct buffer. Binds {@code MPI_WIN_CREATE}; collective over {@code comm}.
     *
     * @param base     the memory exposed: a direct buffer (its position is ignored, as in Open MPI)
     * @param size     window size in elements of the buffer's type
     * @param dispUnit displacement unit in elements of the buffer's type
     * @param info     hints ({@code no_locks}; {@code acc_single_intrinsic}: every accumulate is one predefined
     *                 element, so 8-byte fetch-and-op SUM/NO_OP and compare-and-swap may use RDMA atomics)
     * @param comm     intracommunicator of the processes sharing the window
     * @throws MPIException for a bad size or displacement unit, or a failed creation
     */
    public Win(final Buffer base, final int size, final int dispUnit, final Info info, final Comm comm)
        throws MPIException
    {
        final String op = "MPI_Win_create";
        if (!base.isDirect())
        {
            throw new IllegalArgumentException("The buffer must be direct.");
        }
        final int unit = elementBytes(base);
        final long sizeBytes = (long)size * unit;
        checkShape(op, comm, size, dispUnit, sizeBytes);
        this.memory = base;
        this.info = copyOf(info);
        this.requestedSize = sizeBytes;
        // Open MPI takes a size larger than the buffer; only the buffer is exposed, so no request writes past it
        final long exposed = Math.min(sizeBytes, (long)base.capacity() * unit);
        this.window = create(op, comm, Window.fixedMemory(UserBuffer.address(base), exposed),
            Window.FLAVOR_CREATE, dispUnit * unit, info);
        this.errors = new Intracomm(Comm.USER, window.communicator(), MPI.ERRORS_ARE_FATAL);
        WinRehearsal.once();
    }

    /**
     * Creates a window over memory MPI allocates. Binds {@code MPI_WIN_ALLOCATE} ({@link #FLAVOR_PRIVATE}) and
     * {@code MPI_WIN_ALLOCATE_SHARED} ({@link #FLAVOR_SHARED}); collective over {@code comm}. The memory is a direct
     * buffer of {@code size} elements of {@code base}'s type, which {@link #getBuffer()} returns. With the shared
     * flavour every process of {@code comm} maps every other's memory ({@link #sharedQuery}): puts and gets are
     * copies, and a process on another node makes the creation fail with MPI_ERR_RMA_SHARED.
     *
     * @param size     window size in elements of {@code base}'s type
     * @param dispUnit displacement unit in elements of {@code base}'s type
     * @param info     hints ({@code no_locks})
     * @param comm     intracommunicator; for the shared flavour, of processes on one node
     * @param base     a direct buffer whose type gives the element size
     * @param flavor   {@link #FLAVOR_PRIVATE} or {@link #FLAVOR_SHARED}
     * @throws MPIException for a bad size, displacement unit or flavour
     */
    public Win(final int size, final int dispUnit, final Info info, final Comm comm, final Buffer base,
        final int flavor) throws MPIException
    {
        final String op = flavor == FLAVOR_SHARED ? "MPI_Win_allocate_shared" : "MPI_Win_allocate";
        if (!base.isDirect())
        {
            throw new IllegalArgumentException("The buffer must be direct.");
        }
        if (flavor != FLAVOR_PRIVATE && flavor != FLAVOR_SHARED)
        {
            throw comm.raise(ErrorClass.ERR_ARG, op + ": flavor " + flavor +
                " is neither Win.FLAVOR_PRIVATE nor Win.FLAVOR_SHARED");
        }
        final int unit = elementBytes(base);
        final long sizeBytes = (long)size * unit;
        checkShape(op, comm, size, dispUnit, sizeBytes);
        this.info = copyOf(info);
        this.requestedSize = sizeBytes;
        // MPI_Win_allocate among processes of one node lives in shared memory too (Open MPI's osc/sm does
        // likewise): puts and gets become copies that no target has to serve
        final Window onNode = flavor == FLAVOR_SHARED || allocatesOnNode(comm)
            ? createShared(op, comm, sizeBytes, dispUnit * unit, info, flavor == FLAVOR_SHARED) : null;
        if (null != onNode)
        {
            this.window = onNode;
            this.memory = window.sharedSlice(window.communicator().rank());
        }
        else
        {
            final ByteBuffer allocated = MPI.newByteBuffer((int)sizeBytes);
            this.memory = allocated;
            this.window = create(op, comm, Window.fixedMemory(UserBuffer.address(allocated), sizeBytes),
                Window.FLAVOR_ALLOCATE, dispUnit * unit, info);
        }
        this.errors = new Intracomm(Comm.USER, window.communicator(), MPI.ERRORS_ARE_FATAL);
        WinRehearsal.once();
    }

    /**
     * Creates a window without memory, which {@link #attach} adds to. Binds {@code MPI_WIN_CREATE_DYNAMIC}; origins
     * address it with absolute addresses (displacement unit 1).
     *
     * @param info hints ({@code no_locks})
     * @param comm intracommunicator
     * @throws MPIException if the creation fails
     */
    public Win(final Info info, final Comm comm) throws MPIException
    {
        final String op = "MPI_Win_create_dynamic";
        comm.live(op);
        this.memory = null;
        this.info = copyOf(info);
        this.requestedSize = 0;
        this.window = create(op, comm, Window.dynamicMemory(), Window.FLAVOR_DYNAMIC, 1, info);
        this.errors = new Intracomm(Comm.USER, window.communicator(), MPI.ERRORS_ARE_FATAL);
        WinRehearsal.once();
    }

    private static int elementBytes(final Buffer base)
    {
        if (base instanceof ByteBuffer)
        {
            return 1;
        }
        if (base instanceof CharBuffer || base instanceof ShortBuffer)
        {
            return 2;
        }
        if (base instanceof IntBuffer || base instanceof FloatBuffer)
        {
            return 4;
        }
        if (base instanceof LongBuffer || base instanceof DoubleBuffer)
        {
            return 8;
        }
        throw new IllegalArgumentException("Unsupported buffer type " + base.getClass().getName());
    }

    private static void checkShape(final String op, final Comm comm, final int size, final int dispUnit,
        final long sizeBytes) throws MPIException
    {
        comm.live(op);
        if (size < 0 || sizeBytes > Integer.MAX_VALUE)
        {
            throw comm.raise(ErrorClass.ERR_SIZE, op + ": window size " + size + " is invalid (0.." +
                Integer.MAX_VALUE + " bytes)");
        }
        if (dispUnit <= 0)
        {
            throw comm.raise(ErrorClass.ERR_DISP, op + ": displacement unit " + dispUnit + " must be positive");
        }
    }

    private static Info copyOf(final Info info) throws MPIException
    {
        return null == info || info.isNull() ? new Info() : info.dup();
    }

    private static Window create(final String op, final Comm comm, final io.mpi4j.rma.WindowMemory memory,
        final int flavor, final int dispUnitBytes, final Info info) throws MPIException
    {
        final Communicator parent = comm.live(op);
        if (parent.isInter())
        {
            throw comm.raise(ErrorClass.ERR_COMM, op + ": windows are created over intracommunicators only");
        }
        final boolean noLocks = null != info && !info.isNull() && "true".equalsIgnoreCase(info.get("no_locks"));
        // Open MPI's osc/rdma key: accumulates are single intrinsic elements, so they may be the NIC's atomics
        final boolean singleIntrinsic = null != info && !info.isNull() &&
            "true".equalsIgnoreCase(info.get("acc_single_intrinsic"));
        Communicator own = null;
        try
        {
            own = CommSupport.factory().dup(parent);
            own.name("window of " + parent.name());
            return Window.create(MPI.engine(), own, memory, flavor, dispUnitBytes, noLocks, singleIntrinsic);
        }
        catch (final MpiError ex)
        {
            if (null != own)
            {
                CommSupport.factory().abandon(own);
            }
            throw comm.raise(op, ex);
        }
    }

    /**
     * Whether MPI_Win_allocate tries a shared segment first: not when the job forces one transport between its
     * processes (MPI4J_TRANSPORT), since the program then asks for that transport's one-sided path.
     */
    private static boolean allocatesOnNode(final Comm comm) throws MPIException
    {
        return !forcesAnotherTransport() && membersShareANode(comm);
    }

    /** Whether MPI4J_TRANSPORT forces a transport other than shared memory on the job. */
    static boolean forcesAnotherTransport()
    {
        final String forced = System.getenv(io.mpi4j.runtime.MpiRuntime.TRANSPORT_ENV);
        return null != forced && !forced.isEmpty() && !"shm".equals(forced);
    }

    /**
     * Whether every member of {@code comm} runs on one node, by the node identity the transports use. Being able
     * to map a segment is not enough: the nodes that containers or network namespaces make of one machine may see
     * one /dev/shm, yet their processes talk over the network, so a window segment must not span them.
     */
    private static boolean membersShareANode(final Comm comm) throws MPIException
    {
        if (comm.isInter())
        {
            // refused with its own error by the creation
            return true;
        }
        final long hash = io.mpi4j.runtime.MpiRuntime.nodeHash();
        // max(~h) is ~min(h): one reduction gives the largest and the smallest node hash
        final long[] extremes = {hash, ~hash};
        comm.allReduce(extremes, 2, MPI.LONG, MPI.MAX);
        return extremes[0] == ~extremes[1];
    }

    /** An allocate_shared window ({@code required}), or an allocate one in shared memory: null if it cannot be. */
    private static Window createShared(final String op, final Comm comm, final long sizeBytes,
        final int dispUnitBytes, final Info info, final boolean required) throws MPIException
    {
        final Communicator parent = comm.live(op);
        if (parent.isInter())
        {
            throw comm.raise(ErrorClass.ERR_COMM, op + ": windows are created over intracommunicators only");
        }
        final boolean noLocks = null != info && !info.isNull() && "true".equalsIgnoreCase(info.get("no_locks"));
        Communicator own = null;
        try
        {
            own = CommSupport.factory().dup(parent);
            own.name("window of " + parent.name());
            final io.mpi4j.runtime.JobEnvironment job = io.mpi4j.runtime.MpiRuntime.get().job();
            final String jobId = null == job ? "singleton-" + ProcessHandle.current().pid() : job.jobId();
            final Window w = required ? Window.createShared(MPI.engine(), own, sizeBytes, dispUnitBytes, noLocks, jobId)
                : Window.allocateOnNode(MPI.engine(), own, sizeBytes, dispUnitBytes, noLocks, jobId);
            if (null == w)
            {
                CommSupport.factory().abandon(own);
            }
            return w;
        }
        catch (final MpiError ex)
        {
            if (null != own)
            {
                CommSupport.factory().abandon(own);
            }
            throw comm.raise(op, ex);
        }
    }

    /** The engine's window, freed or not (for the runtime's own windows). */
    Window engineWindow()
    {
        return window;
    }

    // ------------------------------------------------------------------------------------------------- plumbing

    /** The engine's window, with MPI running and this window not freed. */
    private Window live(final String op) throws MPIException
    {
        MPI.check(op);
        if (freed)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_WIN, op + ": the window has been freed");
        }
        return window;
    }

    private MPIException raise(final int errorClass, final String message)
    {
        return errors.raise(errorClass, message);
    }

    private MPIException raise(final String op, final MpiError error)
    {
        return errors.raise(op, error);
    }

    /** Packed bytes of {@code count} items of {@code type} at {@code buf}, after checking them. */
    private long originBytes(final String op, final Buffer buf, final int count, final Datatype type)
        throws MPIException
    {
        if (null == type || type.isContiguous())
        {
            final int error = UserBuffer.verify(buf, count, type);
            if (ErrorClass.SUCCESS != error)
            {
                throw raise(error, UserBuffer.explain(error, op, buf, count, type));
            }
            return (long)count * type.byteSize;
        }
        // a datatype with gaps: packed here, which point-to-point's checks do not cover yet
        checkTypeWithGaps(op, type);
        if (count < 0)
        {
            throw raise(ErrorClass.ERR_COUNT, op + ": count " + count + " is negative");
        }
        final int elementType = UserBuffer.elementType(buf);
        if (null == buf ? count > 0 : UserBuffer.UNSUPPORTED == elementType)
        {
            throw raise(ErrorClass.ERR_BUFFER, UserBuffer.explain(ErrorClass.ERR_BUFFER, op, buf, count, type));
        }
        if (null != buf && UserBuffer.ANY != elementType && elementType != type.baseType)
        {
            throw raise(ErrorClass.ERR_TYPE, UserBuffer.explain(ErrorClass.ERR_TYPE, op, buf, count, type));
        }
        final io.mpi4j.datatype.TypeMap map = type.typeMap();
        if (map.lowestOffset(count) < 0 || (null != buf && map.highestOffset(count) > UserBuffer.capacityBytes(buf)))
        {
            throw raise(ErrorClass.ERR_COUNT, op + ": " + count + " items of " + type + " reach bytes " +
                map.lowestOffset(count) + ".." + map.highestOffset(count) + ", outside the buffer");
        }
        return map.packedSize(count);
    }

    private void checkTypeWithGaps(final String op, final Datatype type) throws MPIException
    {
        if (type.isNull() || !type.isCommitted())
        {
            throw raise(ErrorClass.ERR_TYPE, op + ": datatype " + type + " is freed or not committed");
        }
    }

    /** The target side's bytes, which must describe the same data as the origin's. */
    private long targetBytes(final String op, final long originBytes, final Datatype originType, final int count,
        final Datatype type) throws MPIException
    {
        if (count < 0)
        {
            throw raise(ErrorClass.ERR_COUNT, op + ": target count " + count + " is negative");
        }
        if (null == type || type.baseType == Datatype.NULL)
        {
            throw raise(ErrorClass.ERR_TYPE, op + ": the target datatype is null");
        }
        if (type.isContiguous() ? !type.isUsable() : type.isNull() || !type.isCommitted())
        {
            throw raise(ErrorClass.ERR_TYPE, op + ": the target datatype " + type + " is freed or not committed");
        }
        if (type.baseType != originType.baseType)
        {
            throw raise(ErrorClass.ERR_TYPE, op + ": origin datatype " + originType + " and target datatype " +
                type + " are not built from the same predefined datatype");
        }
        final long bytes = type.typeMap().packedSize(count);
        if (bytes != originBytes)
        {
            throw raise(ErrorClass.ERR_TYPE, op + ": origin (" + originBytes + " bytes) and target (" + bytes +
                " bytes) describe different amounts of data");
        }
        return bytes;
    }

    /** The reduction code of {@code op} for one-sided accumulates (predefined operators only). */
    private int reductionCode(final String name, final Op op) throws MPIException
    {
        if (null == op || op.code == 0 || op.isNull())
        {
            throw raise(ErrorClass.ERR_OP, name + ": one-sided accumulates take predefined operators, MPI.REPLACE " +
                "and MPI.NO_OP only");
        }
        return op.code;
    }

    /**
     * The reduction kernels' element type: a predefined type's own (pairs included), else the base type, whose
     * elements are what a datatype with gaps is made of (complex numbers then add up part by part, as MPI_SUM does).
     */
    private static int reductionType(final Datatype type)
    {
        // MINLOC/MAXLOC pairs: a derived type's pairs travel and combine packed, a predefined one's padded
        final int pair = type.pairType();
        if (pair >= 0)
        {
            return pair;
        }
        final int t = type.reductionType();
        return t > 0 ? t : type.baseType;
    }

    /** Kernel items in one element: always 1, see {@link #reductionType}. */
    private static int reductionItems(final Datatype type)
    {
        return 1;
    }

    /** Bytes of one element accumulates are atomic in. */
    private static int reductionElementBytes(final Datatype type)
    {
        final int pair = type.pairType();
        if (pair >= 0)
        {
            return io.mpi4j.coll.ReductionType.size(pair);
        }
        return type.reductionType() > 0 ? type.byteSize : type.baseSize;
    }

    private Request request(final Operation op, final Buffer buffer)
    {
        return new Request(op, errors, buffer);
    }

    // ------------------------------------------------------------------------------------------------ memory

    /**
     * The memory of a window made by the allocating constructor (or the buffer given to {@code MPI_Win_create}):
     * a direct byte buffer in native order over the whole window; null for a dynamic window. An mpi4j addition:
     * Open MPI's binding has no way to reach memory MPI allocated.
     *
     * @return the window's memory
     */
    public Buffer getBuffer()
    {
        return memory;
    }

    /**
     * The part of an {@code MPI_Win_allocate_shared} window that belongs to {@code rank}: a direct byte buffer in
     * native order over memory that process and this one both map, for loads and stores. Binds
     * {@code MPI_WIN_SHARED_QUERY} (an mpi4j addition; Open MPI's binding has none).
     *
     * @param rank a rank of the window's group
     * @return the memory of {@code rank}
     * @throws MPIException for a window of another flavour (MPI_ERR_RMA_FLAVOR) or a bad rank
     */
    public ByteBuffer sharedQuery(final int rank) throws MPIException
    {
        final String op = "MPI_Win_shared_query";
        final Window w = live(op);
        if (w.flavor() != Window.FLAVOR_SHARED)
        {
            throw raise(ErrorClass.ERR_RMA_FLAVOR, op + ": the window was not made with Win.FLAVOR_SHARED");
        }
        if (rank < 0 || rank >= w.communicator().size())
        {
            throw raise(ErrorClass.ERR_RANK, op + ": rank " + rank + " is out of range for a window of " +
                w.communicator().size() + " processes");
        }
        return w.sharedSlice(rank);
    }

    /**
     * Attaches memory to a dynamic window. Binds {@code MPI_WIN_ATTACH}; origins address it by its address.
     *
     * @param base a direct buffer
     * @param size bytes of it to attach, in elements of its type
     * @throws MPIException for a window that is not dynamic, or overlapping memory
     */
    public void attach(final Buffer base, final int size) throws MPIException
    {
        final String op = "MPI_Win_attach";
        final Window w = live(op);
        if (!base.isDirect())
        {
            throw new IllegalArgumentException("The buffer must be direct.");
        }
        final int unit = elementBytes(base);
        if (size < 0 || (long)size * unit > (long)base.capacity() * unit)
        {
            throw raise(ErrorClass.ERR_SIZE, op + ": size " + size + " does not fit the buffer");
        }
        try
        {
            w.attach(UserBuffer.address(base), (long)size * unit);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        synchronized (attached)
        {
            attached.put(UserBuffer.address(base), base);
        }
    }

    private final Map<Long, Buffer> attached = new HashMap<>();

    /**
     * Detaches memory from a dynamic window. Binds {@code MPI_WIN_DETACH}.
     *
     * @param base the buffer given to {@link #attach}
     * @throws MPIException if it was not attached
     */
    public void detach(final Buffer base) throws MPIException
    {
        final String op = "MPI_Win_detach";
        final Window w = live(op);
        if (!base.isDirect())
        {
            throw new IllegalArgumentException("The buffer must be direct.");
        }
        try
        {
            w.detach(UserBuffer.address(base));
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        synchronized (attached)
        {
            attached.remove(UserBuffer.address(base));
        }
    }

    /**
     * The group of the window's processes. Binds {@code MPI_WIN_GET_GROUP}.
     *
     * @return a new group
     * @throws MPIException if the window was freed
     */
    public Group getGroup() throws MPIException
    {
        final Communicator c = live("MPI_Win_get_group").communicator();
        return new Group(c.localMembers(), c.rank());
    }

    // ------------------------------------------------------------------------------------------------ operations

    /**
     * Writes to a target's window. Binds {@code MPI_PUT}.
     *
     * @param origin      origin buffer
     * @param orgCount    items in the origin buffer
     * @param orgType     datatype of the origin items
     * @param targetRank  target rank in the window's group
     * @param targetDisp  displacement into the target window, in its displacement units
     * @param targetCount items at the target
     * @param targetType  datatype of the target items
     * @throws MPIException outside an access epoch (MPI_ERR_RMA_SYNC), out of the window (MPI_ERR_RMA_RANGE), ...
     */
    public void put(final Buffer origin, final int orgCount, final Datatype orgType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType) throws MPIException
    {
        doPut("MPI_Put", origin, orgCount, orgType, targetRank, targetDisp, targetCount, targetType);
    }

    /**
     * Request-based {@link #put}. Binds {@code MPI_RPUT}; the request completes when the origin buffer may be
     * reused.
     *
     * @return the request
     * @throws MPIException as {@link #put}
     */
    public Request rPut(final Buffer origin, final int orgCount, final Datatype orgType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType) throws MPIException
    {
        return request(doPut("MPI_Rput", origin, orgCount, orgType, targetRank, targetDisp, targetCount,
            targetType), origin);
    }

    private Operation doPut(final String op, final Buffer origin, final int orgCount, final Datatype orgType,
        final int targetRank, final int targetDisp, final int targetCount, final Datatype targetType)
        throws MPIException
    {
        return transfer(op, true, false, origin, orgCount, orgType, targetRank, targetDisp, targetCount, targetType);
    }

    /**
     * A put ({@code write}) or a get: the checks they share, then the operation; {@code kept}: the program gets the
     * operation in a request.
     */
    private Operation transfer(final String op, final boolean write, final boolean kept, final Buffer origin,
        final int orgCount,
        final Datatype orgType, final int targetRank, final int targetDisp, final int targetCount,
        final Datatype targetType) throws MPIException
    {
        final Window w = live(op);
        final long bytes = originBytes(op, origin, orgCount, orgType);
        targetBytes(op, bytes, orgType, targetCount, targetType);
        try
        {
            return write ?
                w.operations().put(op, orgType.typeMap(), orgCount, UserBuffer.base(origin),
                    UserBuffer.address(origin), targetRank, targetDisp, targetType.typeMap(), targetCount) :
                w.operations().get(op, orgType.typeMap(), orgCount, UserBuffer.base(origin),
                    UserBuffer.address(origin), targetRank, targetDisp, targetType.typeMap(), targetCount, kept);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Reads from a target's window. Binds {@code MPI_GET}; the data is there once the epoch (or a flush) ends.
     *
     * @param origin      origin buffer, receives the data
     * @param orgCount    items in the origin buffer
     * @param orgType     datatype of the origin items
     * @param targetRank  target rank in the window's group
     * @param targetDisp  displacement into the target window, in its displacement units
     * @param targetCount items at the target
     * @param targetType  datatype of the target items
     * @throws MPIException as {@link #put}
     */
    public void get(final Buffer origin, final int orgCount, final Datatype orgType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType) throws MPIException
    {
        doGet("MPI_Get", false, origin, orgCount, orgType, targetRank, targetDisp, targetCount, targetType);
    }

    /**
     * Request-based {@link #get}. Binds {@code MPI_RGET}; the request completes when the data has arrived.
     *
     * @return the request
     * @throws MPIException as {@link #put}
     */
    public Request rGet(final Buffer origin, final int orgCount, final Datatype orgType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType) throws MPIException
    {
        return request(doGet("MPI_Rget", true, origin, orgCount, orgType, targetRank, targetDisp, targetCount,
            targetType), origin);
    }

    private Operation doGet(final String op, final boolean kept, final Buffer origin, final int orgCount,
        final Datatype orgType, final int targetRank, final int targetDisp, final int targetCount,
        final Datatype targetType) throws MPIException
    {
        return transfer(op, false, kept, origin, orgCount, orgType, targetRank, targetDisp, targetCount, targetType);
    }

    /**
     * Combines data into a target's window, atomically per element. Binds {@code MPI_ACCUMULATE}.
     *
     * @param origin      origin buffer
     * @param orgCount    items in the origin buffer
     * @param orgType     datatype of the origin items
     * @param targetRank  target rank in the window's group
     * @param targetDisp  displacement into the target window, in its displacement units
     * @param targetCount items at the target
     * @param targetType  datatype of the target items
     * @param op          a predefined operator, {@code MPI.REPLACE} or {@code MPI.NO_OP}
     * @throws MPIException as {@link #put}, and MPI_ERR_OP for another operator
     */
    public void accumulate(final Buffer origin, final int orgCount, final Datatype orgType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType, final Op op) throws MPIException
    {
        doAccumulate("MPI_Accumulate", origin, orgCount, orgType, targetRank, targetDisp, targetCount, targetType,
            op);
    }

    /**
     * Request-based {@link #accumulate}. Binds {@code MPI_RACCUMULATE}.
     *
     * @return the request
     * @throws MPIException as {@link #accumulate}
     */
    public Request rAccumulate(final Buffer origin, final int orgCount, final Datatype orgType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType, final Op op) throws MPIException
    {
        return request(doAccumulate("MPI_Raccumulate", origin, orgCount, orgType, targetRank, targetDisp,
            targetCount, targetType, op), origin);
    }

    private Operation doAccumulate(final String name, final Buffer origin, final int orgCount,
        final Datatype orgType, final int targetRank, final int targetDisp, final int targetCount,
        final Datatype targetType, final Op op) throws MPIException
    {
        final Window w = live(name);
        final long bytes = originBytes(name, origin, orgCount, orgType);
        targetBytes(name, bytes, orgType, targetCount, targetType);
        final int code = reductionCode(name, op);
        try
        {
            return w.operations().accumulate(name, orgType.typeMap(), orgCount, UserBuffer.base(origin),
                UserBuffer.address(origin), targetRank, targetDisp, targetType.typeMap(), targetCount, code,
                reductionType(targetType), reductionItems(targetType), reductionElementBytes(targetType));
        }
        catch (final MpiError ex)
        {
            throw raise(name, ex);
        }
    }

    /**
     * Fetches a target's data into {@code resultAddr}, then combines the origin's into it. Binds
     * {@code MPI_GET_ACCUMULATE}.
     *
     * @param origin      origin buffer (ignored with {@code MPI.NO_OP})
     * @param orgCount    items in the origin buffer
     * @param orgType     datatype of the origin items
     * @param resultAddr  buffer receiving the target's previous data
     * @param resultCount items in the result buffer
     * @param resultType  datatype of the result items
     * @param targetRank  target rank in the window's group
     * @param targetDisp  displacement into the target window, in its displacement units
     * @param targetCount items at the target
     * @param targetType  datatype of the target items
     * @param op          a predefined operator, {@code MPI.REPLACE} or {@code MPI.NO_OP}
     * @throws MPIException as {@link #accumulate}
     */
    public void getAccumulate(final Buffer origin, final int orgCount, final Datatype orgType,
        final Buffer resultAddr, final int resultCount, final Datatype resultType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType, final Op op) throws MPIException
    {
        doGetAccumulate("MPI_Get_accumulate", false, origin, orgCount, orgType, resultAddr, resultCount, resultType,
            targetRank, targetDisp, targetCount, targetType, op);
    }

    /**
     * Request-based {@link #getAccumulate}. Binds {@code MPI_RGET_ACCUMULATE}; completes when the result arrived.
     *
     * @return the request
     * @throws MPIException as {@link #accumulate}
     */
    public Request rGetAccumulate(final Buffer origin, final int orgCount, final Datatype orgType,
        final Buffer resultAddr, final int resultCount, final Datatype resultType, final int targetRank,
        final int targetDisp, final int targetCount, final Datatype targetType, final Op op) throws MPIException
    {
        return request(doGetAccumulate("MPI_Rget_accumulate", true, origin, orgCount, orgType, resultAddr,
            resultCount, resultType, targetRank, targetDisp, targetCount, targetType, op), resultAddr);
    }

    private Operation doGetAccumulate(final String name, final boolean kept, final Buffer origin,
        final int orgCount, final Datatype orgType, final Buffer resultAddr, final int resultCount,
        final Datatype resultType, final int targetRank, final int targetDisp, final int targetCount,
        final Datatype targetType, final Op op) throws MPIException
    {
        final Window w = live(name);
        final int code = reductionCode(name, op);
        final long resultBytes = originBytes(name, resultAddr, resultCount, resultType);
        targetBytes(name, resultBytes, resultType, targetCount, targetType);
        if (code != io.mpi4j.rma.Accumulation.NO_OP)
        {
            final long bytes = originBytes(name, origin, orgCount, orgType);
            targetBytes(name, bytes, orgType, targetCount, targetType);
        }
        try
        {
            return w.operations().getAccumulate(name, null == orgType ? null : orgType.typeMap(), orgCount,
                UserBuffer.base(origin), UserBuffer.address(origin), resultType.typeMap(), resultCount,
                UserBuffer.base(resultAddr), UserBuffer.address(resultAddr), targetRank, targetDisp,
                targetType.typeMap(), targetCount, code, reductionType(targetType), reductionItems(targetType),
                reductionElementBytes(targetType), kept);
        }
        catch (final MpiError ex)
        {
            throw raise(name, ex);
        }
    }

    /**
     * Fetches one element of a target's window and combines the origin's into it. Binds {@code MPI_FETCH_AND_OP}.
     *
     * @param origin     origin buffer, one element (ignored with {@code MPI.NO_OP})
     * @param resultAddr buffer receiving the previous value
     * @param dataType   a predefined datatype
     * @param targetRank target rank in the window's group
     * @param targetDisp displacement into the target window, in its displacement units
     * @param op         a predefined operator, {@code MPI.REPLACE} or {@code MPI.NO_OP}
     * @throws MPIException as {@link #accumulate}
     */
    public void fetchAndOp(final Buffer origin, final Buffer resultAddr, final Datatype dataType, final int targetRank,
        final int targetDisp, final Op op) throws MPIException
    {
        doGetAccumulate("MPI_Fetch_and_op", false, origin, 1, dataType, resultAddr, 1, dataType, targetRank,
            targetDisp, 1, dataType, op);
    }

    /**
     * Replaces one element of a target's window with {@code origin} if it equals {@code compareAddr}; the previous
     * value arrives in {@code resultAddr}. Binds {@code MPI_COMPARE_AND_SWAP}.
     *
     * @param origin      the new value
     * @param compareAddr the value compared with
     * @param resultAddr  buffer receiving the previous value
     * @param targetType  a predefined datatype
     * @param targetRank  target rank in the window's group
     * @param targetDisp  displacement into the target window, in its displacement units
     * @throws MPIException as {@link #put}
     */
    public void compareAndSwap(final Buffer origin, final Buffer compareAddr, final Buffer resultAddr,
        final Datatype targetType, final int targetRank, final int targetDisp) throws MPIException
    {
        final String op = "MPI_Compare_and_swap";
        final Window w = live(op);
        final long bytes = originBytes(op, origin, 1, targetType);
        originBytes(op, compareAddr, 1, targetType);
        originBytes(op, resultAddr, 1, targetType);
        try
        {
            w.operations().compareAndSwap(op, UserBuffer.base(origin), UserBuffer.address(origin),
                UserBuffer.base(compareAddr), UserBuffer.address(compareAddr), UserBuffer.base(resultAddr),
                UserBuffer.address(resultAddr), (int)bytes, targetRank, targetDisp);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    // ------------------------------------------------------------------------------------------ synchronisation

    /** An epoch call of the engine that may fail with {@link MpiError}. */
    @FunctionalInterface
    private interface EpochCall
    {
        void run(Epochs epochs);
    }

    private void sync(final String op, final EpochCall call) throws MPIException
    {
        final Window w = live(op);
        try
        {
            call.run(w.epochs());
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Ends the current fence epoch and starts the next. Binds {@code MPI_WIN_FENCE}; collective.
     *
     * @param assertion {@code MPI.MODE_NOSTORE}, {@code MODE_NOPUT}, {@code MODE_NOPRECEDE}, {@code MODE_NOSUCCEED}
     * @throws MPIException inside a lock or post/start epoch (MPI_ERR_RMA_SYNC)
     */
    public void fence(final int assertion) throws MPIException
    {
        final String op = "MPI_Win_fence";
        final Window w = live(op);
        try
        {
            w.epochs().fence(assertion);
        }
        catch (final MpiError ex)
        {
            throw raise(op, collectiveFailure(w, ex));
        }
    }

    /**
     * A collective synchronisation that failed. A member's death fails only the steps that wait on it, and a
     * member waiting on a survivor that already left would wait forever: the first to see a process failure
     * revokes the window's private communicator, which fails the call at every survivor. The program never
     * revoked that communicator, so a revocation is reported as the process failure it stands for.
     */
    private static MpiError collectiveFailure(final Window w, final MpiError ex)
    {
        final int error = ex.errorClass();
        if (ErrorClass.ERR_REVOKED == error)
        {
            return new MpiError(ErrorClass.ERR_PROC_FAILED, "a process of the window's group failed during a " +
                "collective synchronisation of the window", ex);
        }
        if (ErrorClass.ERR_PROC_FAILED == error || ErrorClass.ERR_PROC_FAILED_PENDING == error)
        {
            try
            {
                FaultToleranceCalls.engine().revoke(w.communicator());
            }
            catch (final RuntimeException ignored)
            {
                // a courtesy to the other survivors: this rank reports its own failure all the same
            }
        }
        return ex;
    }

    /**
     * Starts an access epoch to the processes of {@code group}. Binds {@code MPI_WIN_START}.
     *
     * @param group     targets (a subgroup of the window's)
     * @param assertion {@code MPI.MODE_NOCHECK} or 0
     * @throws MPIException for a group with foreign processes, or an epoch already open
     */
    public void start(final Group group, final int assertion) throws MPIException
    {
        final String op = "MPI_Win_start";
        final int[] ranks = ranksOf(op, group);
        sync(op, e -> e.start(ranks, assertion));
    }

    /**
     * Ends the access epoch of {@link #start}. Binds {@code MPI_WIN_COMPLETE}.
     *
     * @throws MPIException without a started epoch
     */
    public void complete() throws MPIException
    {
        sync("MPI_Win_complete", Epochs::complete);
    }

    /**
     * Starts an exposure epoch to the processes of {@code group}. Binds {@code MPI_WIN_POST}.
     *
     * @param group     origins (a subgroup of the window's)
     * @param assertion {@code MPI.MODE_NOCHECK}, {@code MODE_NOSTORE}, {@code MODE_NOPUT} or 0
     * @throws MPIException for a group with foreign processes, or an epoch already posted
     */
    public void post(final Group group, final int assertion) throws MPIException
    {
        final String op = "MPI_Win_post";
        final int[] ranks = ranksOf(op, group);
        sync(op, e -> e.post(ranks, assertion));
    }

    /**
     * Waits until every origin of the exposure epoch has completed. Binds {@code MPI_WIN_WAIT}.
     *
     * @throws MPIException without a posted epoch
     */
    public void waitFor() throws MPIException
    {
        sync("MPI_Win_wait", Epochs::waitFor);
    }

    /**
     * Whether {@link #waitFor} would return now; ends the exposure epoch if so. Binds {@code MPI_WIN_TEST}.
     *
     * @return true once every origin has completed
     * @throws MPIException without a posted epoch
     */
    public boolean test() throws MPIException
    {
        final boolean[] done = new boolean[1];
        sync("MPI_Win_test", e -> done[0] = e.test());
        return done[0];
    }

    /**
     * Starts a passive-target epoch on one process. Binds {@code MPI_WIN_LOCK}.
     *
     * @param lockType  {@code MPI.LOCK_EXCLUSIVE} or {@code MPI.LOCK_SHARED}
     * @param rank      target rank
     * @param assertion {@code MPI.MODE_NOCHECK} or 0
     * @throws MPIException for a bad lock type (MPI_ERR_LOCKTYPE), a window made with no_locks, or a held lock
     */
    public void lock(final int lockType, final int rank, final int assertion) throws MPIException
    {
        sync("MPI_Win_lock", e -> e.lock(lockType, rank, assertion));
    }

    /**
     * Ends the passive-target epoch on one process, completing its operations there. Binds {@code MPI_WIN_UNLOCK}.
     *
     * @param rank target rank
     * @throws MPIException if it is not locked
     */
    public void unlock(final int rank) throws MPIException
    {
        sync("MPI_Win_unlock", e -> e.unlock(rank));
    }

    /**
     * Shared lock on every process. Binds {@code MPI_WIN_LOCK_ALL}.
     *
     * @param assertion {@code MPI.MODE_NOCHECK} or 0
     * @throws MPIException if a lock is held
     */
    public void lockAll(final int assertion) throws MPIException
    {
        sync("MPI_Win_lock_all", e -> e.lockAll(assertion));
    }

    /**
     * Ends the epoch of {@link #lockAll}. Binds {@code MPI_WIN_UNLOCK_ALL}.
     *
     * @throws MPIException without lockAll
     */
    public void unlockAll() throws MPIException
    {
        sync("MPI_Win_unlock_all", Epochs::unlockAll);
    }

    /**
     * Synchronises the private and public copies of the window. Binds {@code MPI_WIN_SYNC}.
     *
     * @throws MPIException if the window was freed
     */
    public void sync() throws MPIException
    {
        sync("MPI_Win_sync", Epochs::sync);
    }

    /**
     * Completes the operations to one target, there. Binds {@code MPI_WIN_FLUSH}.
     *
     * @param targetRank target rank
     * @throws MPIException outside a passive-target epoch
     */
    public void flush(final int targetRank) throws MPIException
    {
        // per operation in passive-target loops: no capturing lambda
        final Window w = live("MPI_Win_flush");
        try
        {
            w.epochs().flush(targetRank);
        }
        catch (final MpiError ex)
        {
            throw raise("MPI_Win_flush", ex);
        }
    }

    /**
     * Completes every operation, at the targets. Binds {@code MPI_WIN_FLUSH_ALL}.
     *
     * @throws MPIException outside a passive-target epoch
     */
    public void flushAll() throws MPIException
    {
        sync("MPI_Win_flush_all", Epochs::flushAll);
    }

    /**
     * Completes the operations to one target locally. Binds {@code MPI_WIN_FLUSH_LOCAL}.
     *
     * @param targetRank target rank
     * @throws MPIException outside a passive-target epoch
     */
    public void flushLocal(final int targetRank) throws MPIException
    {
        // per operation in passive-target loops: no capturing lambda
        final Window w = live("MPI_Win_flush_local");
        try
        {
            w.epochs().flushLocal(targetRank);
        }
        catch (final MpiError ex)
        {
            throw raise("MPI_Win_flush_local", ex);
        }
    }

    /**
     * Completes every operation locally. Binds {@code MPI_WIN_FLUSH_LOCAL_ALL}.
     *
     * @throws MPIException outside a passive-target epoch
     */
    public void flushLocalAll() throws MPIException
    {
        sync("MPI_Win_flush_local_all", Epochs::flushLocalAll);
    }

    /** Window ranks of the members of {@code group}; MPI_ERR_GROUP for a process outside the window. */
    private int[] ranksOf(final String op, final Group group) throws MPIException
    {
        final Communicator c = live(op).communicator();
        if (null == group)
        {
            throw raise(ErrorClass.ERR_GROUP, op + ": the group is null");
        }
        final long[] members = group.members();
        final long[] window = c.localMembers();
        final int[] ranks = new int[members.length];
        for (int i = 0; i < members.length; i++)
        {
            int rank = -1;
            for (int r = 0; r < window.length; r++)
            {
                if (window[r] == members[i])
                {
                    rank = r;
                    break;
                }
            }
            if (rank < 0)
            {
                throw raise(ErrorClass.ERR_GROUP, op + ": member " + i + " of the group is not in the window's group");
            }
            ranks[i] = rank;
        }
        return ranks;
    }

    // ------------------------------------------------------------------------------------- errors, names, info

    /**
     * Sets the window's error handler. Binds {@code MPI_WIN_SET_ERRHANDLER}.
     *
     * @param errhandler {@code MPI.ERRORS_ARE_FATAL} (the default) or {@code MPI.ERRORS_RETURN}
     * @throws MPIException if the window was freed
     */
    public void setErrhandler(final Errhandler errhandler) throws MPIException
    {
        final String op = "MPI_Win_set_errhandler";
        live(op);
        if (null == errhandler)
        {
            throw raise(ErrorClass.ERR_ARG, op + ": the error handler is null");
        }
        errors.errhandler = errhandler;
    }

    /**
     * The window's error handler. Binds {@code MPI_WIN_GET_ERRHANDLER}.
     *
     * @return the error handler
     * @throws MPIException if the window was freed
     */
    public Errhandler getErrhandler() throws MPIException
    {
        live("MPI_Win_get_errhandler");
        return errors.errhandler;
    }

    /**
     * Invokes the window's error handler. Binds {@code MPI_WIN_CALL_ERRHANDLER}: with {@code MPI.ERRORS_RETURN}
     * nothing happens, as in Open MPI.
     *
     * @param errorCode error code
     * @throws MPIException if the window was freed
     */
    public void callErrhandler(final int errorCode) throws MPIException
    {
        final String op = "MPI_Win_call_errhandler";
        live(op);
        if (errors.errhandler.isFatal())
        {
            MPI.fatal(errorCode, op + ": error " + ErrorClass.name(errorCode) + " raised on window " + name);
        }
    }

    /**
     * Names the window. Binds {@code MPI_WIN_SET_NAME}.
     *
     * @param name the name
     * @throws MPIException if the window was freed
     */
    public void setName(final String name) throws MPIException
    {
        live("MPI_Win_set_name");
        this.name = MPI.truncateName(null == name ? "" : name);
    }

    /**
     * The window's name. Binds {@code MPI_WIN_GET_NAME}.
     *
     * @return the name, empty if never set
     * @throws MPIException if the window was freed
     */
    public String getName() throws MPIException
    {
        live("MPI_Win_get_name");
        return name;
    }

    /**
     * The hints in use. Binds {@code MPI_WIN_GET_INFO}.
     *
     * @return a new info object
     * @throws MPIException if the window was freed
     */
    public Info getInfo() throws MPIException
    {
        live("MPI_Win_get_info");
        return info.dup();
    }

    /**
     * Sets hints. Binds {@code MPI_WIN_SET_INFO}.
     *
     * @param info the hints
     * @throws MPIException if the window was freed
     */
    public void setInfo(final Info info) throws MPIException
    {
        live("MPI_Win_set_info");
        this.info = copyOf(info);
    }

    // ------------------------------------------------------------------------------------------------ attributes

    /**
     * A new attribute key for windows. Binds {@code MPI_WIN_CREATE_KEYVAL}.
     *
     * @return the key
     * @throws MPIException if MPI is not running
     */
    public static int createKeyval() throws MPIException
    {
        MPI.check("MPI_Win_create_keyval");
        return NEXT_KEYVAL.getAndIncrement();
    }

    /**
     * Frees an attribute key. Binds {@code MPI_WIN_FREE_KEYVAL}.
     *
     * @param keyval the key
     * @throws MPIException for a predefined key
     */
    public static void freeKeyval(final int keyval) throws MPIException
    {
        final String op = "MPI_Win_free_keyval";
        MPI.check(op);
        if (keyval < io.mpi4j.comm.KeyvalRegistry.FIRST_USER_KEYVAL)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_KEYVAL, op + ": key " + keyval + " is predefined");
        }
    }

    /**
     * Stores an attribute. Binds {@code MPI_WIN_SET_ATTR}.
     *
     * @param keyval the key
     * @param value  the value
     * @throws MPIException for a predefined key
     */
    public void setAttr(final int keyval, final Object value) throws MPIException
    {
        final String op = "MPI_Win_set_attr";
        live(op);
        if (keyval < io.mpi4j.comm.KeyvalRegistry.FIRST_USER_KEYVAL)
        {
            throw raise(ErrorClass.ERR_KEYVAL, op + ": key " + keyval + " is predefined and cannot be set");
        }
        synchronized (attributes)
        {
            attributes.put(keyval, value);
        }
    }

    /**
     * An attribute: {@code MPI.WIN_BASE} (the address, a Long), {@code WIN_SIZE} and {@code WIN_DISP_UNIT} (bytes,
     * Integers), {@code WIN_CREATE_FLAVOR} and {@code WIN_MODEL} (Integers), or a program's. Binds
     * {@code MPI_WIN_GET_ATTR}.
     *
     * @param keyval the key
     * @return the value, or null if none is set
     * @throws MPIException if the window was freed
     */
    public Object getAttr(final int keyval) throws MPIException
    {
        final Window w = live("MPI_Win_get_attr");
        switch (keyval)
        {
            case MPI.WIN_BASE:
                return w.base();
            case MPI.WIN_SIZE:
                return (int)requestedSize;
            case MPI.WIN_DISP_UNIT:
                return w.dispUnit();
            case MPI.WIN_CREATE_FLAVOR:
                return w.flavor();
            case MPI.WIN_MODEL:
                return MPI.WIN_UNIFIED;
            default:
                synchronized (attributes)
                {
                    return attributes.get(keyval);
                }
        }
    }

    /**
     * Deletes an attribute. Binds {@code MPI_WIN_DELETE_ATTR}.
     *
     * @param keyval the key
     * @throws MPIException if the window was freed
     */
    public void deleteAttr(final int keyval) throws MPIException
    {
        live("MPI_Win_delete_attr");
        synchronized (attributes)
        {
            attributes.remove(keyval);
        }
    }

    // ------------------------------------------------------------------------------------------------ freeing

    /**
     * Frees the window once every process's operations are complete. Binds {@code MPI_WIN_FREE}; collective.
     *
     * @throws MPIException with an epoch still open (MPI_ERR_RMA_SYNC)
     */
    @Override
    public void free() throws MPIException
    {
        final String op = "MPI_Win_free";
        final Window w = live(op);
        try
        {
            w.free();
            CommSupport.factory().free(w.communicator());
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        freed = true;
        synchronized (attributes)
        {
            attributes.clear();
        }
    }

    /**
     * Whether the window was freed ({@code MPI_WIN_NULL}).
     *
     * @return true once freed
     */
    public boolean isNull()
    {
        return freed;
    }
}
