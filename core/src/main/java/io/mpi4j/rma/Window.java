package io.mpi4j.rma;

import io.mpi4j.coll.BlockingCollectives;
import io.mpi4j.coll.SharedSegment;
import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.TagSpace;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.ScheduledOperation;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;

/**
 * The state behind {@code mpi.Win}: a private duplicate of the creating communicator (every one-sided message
 * travels in its point-to-point context, see {@link TagSpace#RMA_HEADER}), the memory this process exposes, every
 * member's window size and displacement unit (exchanged at creation, so an origin checks a target range before
 * sending), the target side ({@link TargetHandler}), the origin's requests not yet known complete, and the two
 * halves of the API: {@link RmaOperations} (put, get, accumulates) and {@link Epochs} (synchronisation).
 */
public final class Window
{
    /** {@code MPI_WIN_FLAVOR_CREATE}. */
    public static final int FLAVOR_CREATE = 1;
    /** {@code MPI_WIN_FLAVOR_ALLOCATE}. */
    public static final int FLAVOR_ALLOCATE = 2;
    /** {@code MPI_WIN_FLAVOR_DYNAMIC}. */
    public static final int FLAVOR_DYNAMIC = 3;
    /** {@code MPI_WIN_FLAVOR_SHARED}. */
    public static final int FLAVOR_SHARED = 4;

    private static final int SETUP_LENGTH = 2 * Long.BYTES;
    /** {@code mpi4jrun --report-transports}: each rank names, at MPI_Win_free, what went over remote memory. */
    private static final String REPORT_ENV = "MPI4J_REPORT_TRANSPORTS";

    final PointToPoint p2p;
    final Communicator comm;
    final MessageEndpoint endpoint;
    final int context;
    final WindowMemory memory;
    final int flavor;
    final int dispUnit;
    final boolean noLocks;
    final long[] sizes;
    final int[] dispUnits;
    final TargetHandler handler;
    private final RmaOperations operations;
    private final Epochs epochs;
    private final SharedSegment shared;
    /** Accumulates applied straight to a shared segment's memory, or null (not a shared-segment window). */
    private final NodeAccumulates nodeAccumulates;
    /** MPI_Win_lock and lockAll taken in the shared segment, or null (locks are requests to the target). */
    private final PassiveLocks passiveLocks;
    private final boolean hardwareAtomics;
    /** Puts, gets and atomics straight over the transport's remote memory (RDMA), or null. */
    private RemoteWindow remote;

    /** Origin requests whose completion has not been seen (sends of data, receives of answers), with targets. */
    private final ArrayList<Operation> pending = new ArrayList<>();
    private final IntArrayList pendingTargets = new IntArrayList();
    /** Per pending request: 1 if its operation is the window's alone (an answer no program holds), else 0. */
    private final IntArrayList pendingReusable = new IntArrayList();
    /**
     * {@code pending.size()}, written under the monitor and read without it: a flush on a shared segment, whose loads
     * and stores leave nothing pending, takes no monitor.
     */
    private volatile int pendingCount;
    /**
     * Retired answer receives no program holds, re-posted for later answers (see {@link #answer}). A lock-free queue,
     * not a list under the window's monitor: a flush retires its answer with no monitor to exit (see
     * {@link #retireAnswer}).
     */
    private final ManyToManyConcurrentArrayQueue<Operation> idleAnswers =
        new ManyToManyConcurrentArrayQueue<>(MAX_IDLE_ANSWERS);
    /** The list {@link #awaitPending} takes requests into, while no other thread's wait uses it. */
    private final ArrayList<Operation> takenScratch = new ArrayList<>();
    private final IntArrayList takenReusable = new IntArrayList();
    private boolean takenScratchBusy;
    private int replySequence;
    private volatile boolean freed;

    private Window(final PointToPoint p2p, final Communicator comm, final WindowMemory memory, final int flavor,
        final int dispUnit, final boolean noLocks, final SharedSegment shared, final boolean hardwareAtomics)
    {
        this.shared = shared;
        this.hardwareAtomics = hardwareAtomics;
        this.p2p = p2p;
        this.comm = comm;
        this.endpoint = comm.endpoint();
        this.context = comm.contextId();
        this.memory = memory;
        this.flavor = flavor;
        this.dispUnit = dispUnit;
        this.noLocks = noLocks;
        this.sizes = new long[comm.size()];
        this.dispUnits = new int[comm.size()];
        // a shared segment carries, after the members' parts, an accumulate lock and a passive-target lock per member
        final AccumulateLocks locks = null == shared ? null :
            new AccumulateLocks(shared.address(comm.size()), comm.size());
        this.passiveLocks = null == shared ? null :
            new PassiveLocks(shared.address(comm.size()) + AccumulateLocks.bytes(comm.size()), comm.size());
        this.nodeAccumulates = null == shared ? null : new NodeAccumulates(shared, locks, comm.rank());
        this.handler = new TargetHandler(p2p, endpoint, context, memory, locks, comm.rank());
        this.operations = new RmaOperations(this);
        this.epochs = new Epochs(this);
    }

    /**
     * Collective: makes the window over {@code memory} on {@code comm}, a communicator this window owns from now
     * on (a fresh duplicate of the program's), and starts serving requests.
     *
     * @param dispUnit bytes of one displacement unit at this process (1 for a dynamic window)
     * @param noLocks  the {@code no_locks} info key: this window is never locked
     */
    public static Window create(final PointToPoint p2p, final Communicator comm, final WindowMemory memory,
        final int flavor, final int dispUnit, final boolean noLocks)
    {
        return create(p2p, comm, memory, flavor, dispUnit, noLocks, false);
    }

    /**
     * As {@link #create(PointToPoint, Communicator, WindowMemory, int, int, boolean)}.
     *
     * @param hardwareAtomics the {@code acc_single_intrinsic} info key: accumulates are single intrinsic elements,
     *                        so 8-byte fetch-and-add and compare-and-swap may be verbs atomics ({@link RemoteWindow})
     */
    public static Window create(final PointToPoint p2p, final Communicator comm, final WindowMemory memory,
        final int flavor, final int dispUnit, final boolean noLocks, final boolean hardwareAtomics)
    {
        final Window w = new Window(p2p, comm, memory, flavor, dispUnit, noLocks, null, hardwareAtomics);
        w.start();
        return w;
    }

    private void start()
    {
        exchangeShapes();
        remote = RemoteWindow.create(this, null == shared && !memory.isDynamic(), hardwareAtomics);
        PassiveProgress.acquire(p2p);
        handler.start();
        // nobody sends a request before every member serves them
        BlockingCollectives.barrier(p2p, comm);
    }

    /** A window over {@code size} bytes of native memory at {@code address}. */
    public static WindowMemory fixedMemory(final long address, final long size)
    {
        return WindowMemory.fixed(address, size);
    }

    /** The memory of a dynamic window. */
    public static WindowMemory dynamicMemory()
    {
        return WindowMemory.dynamic();
    }

    private void exchangeShapes()
    {
        final byte[] mine = new byte[SETUP_LENGTH];
        final UnsafeBuffer view = new UnsafeBuffer(mine);
        view.putLong(0, memory.size());
        view.putLong(Long.BYTES, dispUnit);
        final byte[][] all = allGather(p2p, comm, mine);
        for (int r = 0; r < all.length; r++)
        {
            final UnsafeBuffer v = new UnsafeBuffer(all[r]);
            sizes[r] = v.getLong(0);
            dispUnits[r] = (int)v.getLong(Long.BYTES);
        }
    }

    /** Every member's {@code mine} (all of one length), in rank order; a synchronisation point as well. */
    static byte[][] allGather(final PointToPoint p2p, final Communicator comm, final byte[] mine)
    {
        final int n = comm.size();
        final int me = comm.rank();
        final MessageEndpoint endpoint = comm.endpoint();
        final int context = comm.contextId();
        final byte[][] all = new byte[n][];
        final Operation[] ops = new Operation[2 * n];
        for (int r = 0; r < n; r++)
        {
            if (r != me)
            {
                all[r] = new byte[mine.length];
                ops[2 * r] = p2p.irecvOn(endpoint, context, all[r], Memory.BYTE_ARRAY_BASE, mine.length, r,
                    TagSpace.RMA_SETUP);
            }
        }
        for (int r = 0; r < n; r++)
        {
            if (r != me)
            {
                ops[2 * r + 1] = p2p.isendOn(endpoint, context, mine, Memory.BYTE_ARRAY_BASE, mine.length, r,
                    TagSpace.RMA_SETUP);
            }
        }
        for (final Operation op : ops)
        {
            if (null != op)
            {
                p2p.completion().await(op);
                check(op);
            }
        }
        all[me] = mine;
        return all;
    }

    /**
     * Collective MPI_Win_allocate_shared: the members' parts live in one shared-memory file that every member maps
     * ({@link SharedSegment}), so {@link #sharedSlice} reaches any part with loads and stores and puts and gets
     * to any member are copies. Fails with MPI_ERR_RMA_SHARED at every member when one cannot map it (a member on
     * another node).
     *
     * @param jobId the job id of the first member's job, in the file's name so the job's cleanup finds it
     */
    public static Window createShared(final PointToPoint p2p, final Communicator comm, final long size,
        final int dispUnit, final boolean noLocks, final String jobId)
    {
        return createShared(p2p, comm, size, dispUnit, noLocks, jobId, FLAVOR_SHARED, true);
    }

    /**
     * Collective MPI_Win_allocate when every member may share a node: the memory lives in one shared segment as
     * for {@link #createShared}, so puts and gets are copies, but the window keeps the allocate flavour. Null at
     * every member (and nothing left behind) when some member cannot map the segment: the caller then makes an
     * ordinary window.
     */
    public static Window allocateOnNode(final PointToPoint p2p, final Communicator comm, final long size,
        final int dispUnit, final boolean noLocks, final String jobId)
    {
        return createShared(p2p, comm, size, dispUnit, noLocks, jobId, FLAVOR_ALLOCATE, false);
    }

    private static Window createShared(final PointToPoint p2p, final Communicator comm, final long size,
        final int dispUnit, final boolean noLocks, final String jobId, final int flavor, final boolean required)
    {
        final int me = comm.rank();
        final byte[] mine = new byte[Long.BYTES];
        new UnsafeBuffer(mine).putLong(0, size);
        final byte[][] gathered = allGather(p2p, comm, mine);
        // the members' parts, then the control part: the accumulate locks and the passive-target locks
        final long[] sizes = new long[gathered.length + 1];
        for (int r = 0; r < gathered.length; r++)
        {
            sizes[r] = new UnsafeBuffer(gathered[r]).getLong(0);
        }
        sizes[gathered.length] = AccumulateLocks.bytes(gathered.length) + PassiveLocks.bytes(gathered.length);
        final long length = SharedSegment.layout(sizes)[sizes.length];
        // the first member names and creates the file; its record tells the others where it is
        final byte[] record = new byte[NAME_RECORD];
        if (me == 0)
        {
            final String name = "mpi4j-" + jobId + "-win-" + comm.contextId() + "-" + ProcessHandle.current().pid();
            String failure = null;
            try
            {
                SharedSegment.create(SharedSegment.DIRECTORY.resolve(name), length);
            }
            catch (final java.io.IOException | RuntimeException ex)
            {
                failure = "cannot create " + SharedSegment.DIRECTORY.resolve(name) + ": " + ex.getMessage();
            }
            writeRecord(record, null == failure ? name : "!" + failure);
        }
        final String first = readRecord(allGather(p2p, comm, record)[0]);
        if (first.startsWith("!"))
        {
            if (!required)
            {
                return null;
            }
            throw new MpiError(ErrorClass.ERR_RMA_SHARED, first.substring(1));
        }
        final java.nio.file.Path file = SharedSegment.DIRECTORY.resolve(first);
        SharedSegment segment = null;
        String failure = null;
        try
        {
            segment = SharedSegment.map(file, sizes);
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            failure = "rank " + me + " cannot map " + file + " (is it on another node?): " + ex.getMessage();
        }
        final byte[] status = new byte[NAME_RECORD];
        writeRecord(status, null == failure ? "" : failure);
        final byte[][] statuses = allGather(p2p, comm, status);
        if (me == 0)
        {
            try
            {
                java.nio.file.Files.deleteIfExists(file);
            }
            catch (final java.io.IOException ex)
            {
                System.err.println("mpi4j: could not remove " + file + ": " + ex.getMessage());
            }
        }
        for (final byte[] s : statuses)
        {
            final String text = readRecord(s);
            if (!text.isEmpty())
            {
                if (!required)
                {
                    // the mapping made here goes when it is collected
                    return null;
                }
                throw new MpiError(ErrorClass.ERR_RMA_SHARED, text);
            }
        }
        final Window w = new Window(p2p, comm, WindowMemory.fixed(segment.address(me), size), flavor,
            dispUnit, noLocks, segment, false);
        w.start();
        return w;
    }

    private static final int NAME_RECORD = 512;

    private static void writeRecord(final byte[] record, final String text)
    {
        final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, record.length - Integer.BYTES);
        new UnsafeBuffer(record).putInt(0, length);
        System.arraycopy(bytes, 0, record, Integer.BYTES, length);
    }

    private static String readRecord(final byte[] record)
    {
        final int length = new UnsafeBuffer(record).getInt(0);
        return new String(record, Integer.BYTES, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Process {@code rank}'s part of a shared window (MPI_Win_shared_query); null for other flavours. */
    public java.nio.ByteBuffer sharedSlice(final int rank)
    {
        return null == shared ? null : shared.slice(rank);
    }

    /**
     * Unmaps a freed window's shared memory now, rather than when the collector finds its buffers: for a window of
     * the runtime's own, whose memory no buffer of the program's reaches.
     */
    public void unmapShared()
    {
        if (!freed)
        {
            throw new IllegalStateException("the window is not freed");
        }
        if (null != shared)
        {
            shared.unmap();
        }
    }

    /** The shared mapping of an MPI_Win_allocate_shared window, or null. */
    SharedSegment shared()
    {
        return shared;
    }

    /** The accumulates an origin applies itself to a shared segment, or null. */
    NodeAccumulates nodeAccumulates()
    {
        return nodeAccumulates;
    }

    /** The passive-target locks in a shared segment, or null. */
    PassiveLocks passiveLocks()
    {
        return passiveLocks;
    }

    /** The RDMA path of this window, or null. */
    RemoteWindow remote()
    {
        return remote;
    }

    /** Starts a remote-memory operation and tracks it like any request to {@code target}. */
    Operation launch(final ScheduledOperation op, final int target)
    {
        p2p.schedule(op);
        track(op, target);
        return op;
    }

    public RmaOperations operations()
    {
        return operations;
    }

    public Epochs epochs()
    {
        return epochs;
    }

    public Communicator communicator()
    {
        return comm;
    }

    public int flavor()
    {
        return flavor;
    }

    public long base()
    {
        return memory.base();
    }

    public long size()
    {
        return memory.size();
    }

    public int dispUnit()
    {
        return dispUnit;
    }

    public boolean isFreed()
    {
        return freed;
    }

    /** MPI_Win_attach of {@code bytes} at native {@code address}. */
    public void attach(final long address, final long bytes)
    {
        if (!memory.isDynamic())
        {
            throw new MpiError(ErrorClass.ERR_RMA_FLAVOR, "only a dynamic window (new Win(info, comm)) takes attach");
        }
        if (!memory.attach(address, bytes))
        {
            throw new MpiError(ErrorClass.ERR_RMA_ATTACH, "the region overlaps memory already attached");
        }
    }

    /** MPI_Win_detach of the region attached at {@code address}. */
    public void detach(final long address)
    {
        if (!memory.isDynamic())
        {
            throw new MpiError(ErrorClass.ERR_RMA_FLAVOR, "only a dynamic window (new Win(info, comm)) takes detach");
        }
        if (!memory.detach(address))
        {
            throw new MpiError(ErrorClass.ERR_RMA_ATTACH, "no region is attached at that address");
        }
    }

    /**
     * Collective MPI_Win_free: completes this process's requests at their targets, waits for every member (so no
     * request is still on its way here), and stops serving. The communicator is the caller's to free.
     */
    public void free()
    {
        epochs.quiesce();
        awaitPending(-1);
        BlockingCollectives.barrier(p2p, comm);
        handler.stop();
        if (null != remote)
        {
            if (null != System.getenv(REPORT_ENV))
            {
                System.err.println("mpi4j: rank " + comm.rank() + " window: " + remote.report());
            }
            remote.close(p2p);
        }
        freed = true;
        PassiveProgress.release();
    }

    // ------------------------------------------------------------------------------------ origin bookkeeping

    /** The tag of the answer to this origin's next answered request. */
    synchronized int nextReplyTag()
    {
        return TagSpace.rmaReply(replySequence++);
    }

    synchronized void track(final Operation op, final int target)
    {
        track(op, target, false);
    }

    private void track(final Operation op, final int target, final boolean reusable)
    {
        if (!op.isComplete())
        {
            pending.add(op);
            pendingCount = pending.size();
            pendingTargets.addInt(target);
            pendingReusable.addInt(reusable ? 1 : 0);
        }
        else
        {
            check(op);
            if (reusable)
            {
                retireAnswer(op);
            }
        }
    }

    /**
     * Posts and tracks the receive of an answer of {@code bytes} from {@code target} with {@code replyTag} into
     * {@code (base, address)}. {@code reusable}: the caller drops the operation (a blocking get, fetch or
     * compare-and-swap), so once a wait retires it, it serves a later answer; a request-based call's operation
     * belongs to the program's request, which may look at it at any time.
     */
    synchronized Operation answer(final Object base, final long address, final long bytes, final int target,
        final int replyTag, final boolean reusable)
    {
        final Operation previous = reusable ? idleAnswers.poll() : null;
        final Operation answer = p2p.repostOn(previous, endpoint, context, base, address, bytes, target, replyTag);
        track(answer, target, reusable);
        return answer;
    }

    /**
     * Posts the receive of a synchronisation answer (FLUSH, LOCK, UNLOCK) into {@code answer}, untracked: its caller
     * waits for it and then gives it back with {@link #retireAnswer}.
     */
    synchronized Operation syncAnswer(final byte[] answer, final int target, final int replyTag)
    {
        final Operation previous = idleAnswers.poll();
        return p2p.repostOn(previous, endpoint, context, answer, Memory.BYTE_ARRAY_BASE, answer.length, target,
            replyTag);
    }

    /** Keeps a retired answer receive for {@link #answer}, if it succeeded (a failed one is left to the collector). */
    void retireAnswer(final Operation op)
    {
        // No monitor here: this is inlined into Win.flush, and with a monitor exit at this point HotSpot 17's C2
        // crashed (SIGSEGV in PhaseMacroExpand::expand_unlock_node) in one run in four of a flush-heavy program.
        // A full queue drops the operation to the collector.
        if (op.status().error == ErrorClass.SUCCESS && !op.status().cancelled)
        {
            idleAnswers.offer(op);
        }
    }

    private static final int MAX_IDLE_ANSWERS = 256;

    /**
     * Waits for the tracked requests to {@code target} (every target if -1). They are taken off the list first, so
     * other threads (MPI_THREAD_MULTIPLE) may track new ones meanwhile.
     */
    void awaitPending(final int target)
    {
        awaitPending(target, false);
    }

    /**
     * Waits for the remote-memory operations to {@code target} (every target if -1): before a message that tells
     * the target an epoch is over (UNLOCK, COMPLETE), whose own ordering covers only messages.
     */
    void awaitRemote(final int target)
    {
        if (null != remote)
        {
            awaitPending(target, true);
        }
    }

    private void awaitPending(final int target, final boolean remoteOnly)
    {
        if (0 == pendingCount)
        {
            // the usual case of a shared segment's loads and stores: this thread's own operations are counted (it
            // wrote the count), another thread's are ordered before this flush only by the program's own
            // synchronisation, which orders the count too
            return;
        }
        final ArrayList<Operation> taken;
        final IntArrayList reusable;
        synchronized (this)
        {
            if (pending.isEmpty())
            {
                // the usual case of a shared segment's loads and stores: nothing to wait for, nothing to allocate
                return;
            }
            // another thread waiting meanwhile (MPI_THREAD_MULTIPLE) gets lists of its own
            final boolean scratch = !takenScratchBusy;
            takenScratchBusy = true;
            taken = scratch ? takenScratch : new ArrayList<>();
            reusable = scratch ? takenReusable : new IntArrayList();
            for (int i = pending.size() - 1; i >= 0; i--)
            {
                if ((target < 0 || pendingTargets.getInt(i) == target) &&
                    (!remoteOnly || pending.get(i) instanceof ScheduledRemote))
                {
                    taken.add(pending.get(i));
                    reusable.addInt(pendingReusable.getInt(i));
                    removeAt(i);
                }
            }
        }
        MpiError first = null;
        try
        {
            for (int i = 0; i < taken.size(); i++)
            {
                final Operation op = taken.get(i);
                p2p.completion().await(op);
                if (null == first && op.status().error != ErrorClass.SUCCESS)
                {
                    first = new MpiError(op.status().error, describe(op));
                }
            }
        }
        finally
        {
            synchronized (this)
            {
                for (int i = 0; i < taken.size(); i++)
                {
                    // an answer whose wait threw may still be posted: only a completed one is reused
                    if (1 == reusable.getInt(i) && taken.get(i).isComplete())
                    {
                        retireAnswer(taken.get(i));
                    }
                }
                if (taken == takenScratch)
                {
                    takenScratch.clear();
                    takenReusable.clear();
                    takenScratchBusy = false;
                }
            }
        }
        if (null != first)
        {
            throw first;
        }
    }

    private void removeAt(final int i)
    {
        final int last = pending.size() - 1;
        pending.set(i, pending.get(last));
        pending.remove(last);
        pendingTargets.setInt(i, pendingTargets.getInt(last));
        pendingTargets.removeAt(last);
        pendingReusable.setInt(i, pendingReusable.getInt(last));
        pendingReusable.removeAt(last);
        pendingCount = pending.size();
    }

    void await(final Operation op)
    {
        p2p.completion().await(op);
        check(op);
    }

    private static void check(final Operation op)
    {
        if (op.status().error != ErrorClass.SUCCESS)
        {
            throw new MpiError(op.status().error, describe(op));
        }
    }

    private static String describe(final Operation op)
    {
        final String detail = op.errorDetail();
        return null != detail ? detail : "a one-sided transfer failed with " + ErrorClass.name(op.status().error);
    }

    /**
     * Turns the progress engine (idling as every wait does) until {@code condition} holds; MPI_ERR_PROC_FAILED once
     * a process of the window has failed, MPI_ERR_REVOKED once its communicator is revoked.
     */
    void awaitCondition(final PointToPoint.WaitCondition condition)
    {
        p2p.awaitCondition(endpoint, condition);
    }

    /** One progress turn (MPI_Win_test). */
    void progress()
    {
        p2p.completion().progress();
    }
}
