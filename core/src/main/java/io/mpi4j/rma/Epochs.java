package io.mpi4j.rma;

import io.mpi4j.coll.BlockingCollectives;
import io.mpi4j.comm.TagSpace;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Operation;
import org.agrona.UnsafeApi;

import java.lang.invoke.VarHandle;

/**
 * Synchronisation of one window at one process: which access epochs are open (fence, start/complete, locks) and
 * the exposure epoch of post/wait. Remote completion rests on the target serving one origin's requests in order
 * ({@link TargetHandler}): a FLUSH, UNLOCK or COMPLETE request is served after everything sent before it. Only
 * targets that were written to since their last flush get a FLUSH round trip; gets and fetches complete when their
 * answers arrive. On a shared segment, locks are words of the segment ({@link PassiveLocks}) and the epoch's loads and
 * stores are complete once visible, so lock, unlock and flush send nothing unless a put went as a message.
 */
public final class Epochs
{
    /** {@code MPI_MODE_NOCHECK}. */
    public static final int MODE_NOCHECK = 1;
    /** {@code MPI_MODE_NOPRECEDE}. */
    public static final int MODE_NOPRECEDE = 2;
    /** {@code MPI_MODE_NOPUT}. */
    public static final int MODE_NOPUT = 4;
    /** {@code MPI_MODE_NOSTORE}. */
    public static final int MODE_NOSTORE = 8;
    /** {@code MPI_MODE_NOSUCCEED}. */
    public static final int MODE_NOSUCCEED = 16;
    private static final int ALL_MODES = MODE_NOCHECK | MODE_NOPRECEDE | MODE_NOPUT | MODE_NOSTORE | MODE_NOSUCCEED;

    private final Window w;
    private final int size;
    /** Written by put or accumulate since the last FLUSH/UNLOCK/COMPLETE: needs a round trip to be known done. */
    private final boolean[] modified;
    /** Lock type held on each target (0: none). */
    private final int[] locks;
    /** Whether that lock was taken with a LOCK request (not under MPI_MODE_NOCHECK). */
    private final boolean[] lockRequested;
    private int lockCount;
    private boolean lockAll;
    private boolean lockAllRequested;
    private boolean fenceOpen;
    private int[] accessGroup;
    private int[] exposureGroup;
    private Operation[] postSends;
    /** The answer of a FLUSH to one target, the common synchronisation of a passive epoch. */
    private final byte[] flushAnswer = new byte[RmaWire.ACK_LENGTH];
    private boolean flushAnswerBusy;

    Epochs(final Window w)
    {
        this.w = w;
        this.size = w.sizes.length;
        this.modified = new boolean[size];
        this.locks = new int[size];
        this.lockRequested = new boolean[size];
    }

    void modified(final int target)
    {
        modified[target] = true;
    }

    /** Throws MPI_ERR_RMA_SYNC unless an access epoch covers {@code target}. */
    void checkAccess(final String op, final int target)
    {
        if (fenceOpen || lockAll || locks[target] != 0 || contains(accessGroup, target))
        {
            return;
        }
        throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": no access epoch is open to rank " + target +
            " (open one with fence, start, lock or lockAll first)");
    }

    /**
     * MPI_Win_free's first step: fails while a lock or post/start epoch is open; completes at their targets the
     * requests of a fence epoch left open, so none arrives after the targets stopped serving.
     */
    void quiesce()
    {
        if (lockCount > 0 || lockAll || null != accessGroup || null != exposureGroup)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, "MPI_Win_free: an epoch is still open on this window " +
                "(unlock, complete or wait first)");
        }
        flushModified(-1);
        fenceOpen = false;
    }

    private static boolean contains(final int[] group, final int rank)
    {
        if (null != group)
        {
            for (final int r : group)
            {
                if (r == rank)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static void checkAssert(final String op, final int assertion)
    {
        if ((assertion & ~ALL_MODES) != 0)
        {
            throw new MpiError(ErrorClass.ERR_ASSERT, op + ": assertion " + assertion + " is not a combination of " +
                "MPI.MODE_NOCHECK, MODE_NOSTORE, MODE_NOPUT, MODE_NOPRECEDE and MODE_NOSUCCEED");
        }
    }

    // -------------------------------------------------------------------------------------------------- fence

    /** MPI_Win_fence: completes this process's requests at their targets, then synchronises every member. */
    public void fence(final int assertion)
    {
        final String op = "MPI_Win_fence";
        checkAssert(op, assertion);
        if (lockCount > 0 || lockAll || null != accessGroup || null != exposureGroup)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": a lock or post/start epoch is open on this window");
        }
        flushModified(-1);
        w.awaitPending(-1);
        BlockingCollectives.barrier(w.p2p, w.comm);
        fenceOpen = (assertion & MODE_NOSUCCEED) == 0;
    }

    // ------------------------------------------------------------------------------------- post/start/complete/wait

    /** MPI_Win_start: an access epoch to {@code targets} (window ranks), once each has posted. */
    public void start(final int[] targets, final int assertion)
    {
        final String op = "MPI_Win_start";
        checkAssert(op, assertion);
        if (null != accessGroup || lockCount > 0 || lockAll)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": an access epoch is already open on this window");
        }
        if ((assertion & MODE_NOCHECK) == 0)
        {
            final Operation[] posts = new Operation[targets.length];
            for (int i = 0; i < targets.length; i++)
            {
                posts[i] = w.p2p.irecvOn(w.endpoint, w.context, null, 0, 0, targets[i], TagSpace.RMA_POST);
            }
            for (final Operation post : posts)
            {
                w.await(post);
            }
        }
        accessGroup = targets.clone();
        fenceOpen = false;
    }

    /** MPI_Win_complete: ends the access epoch of start; the targets learn it after the epoch's requests. */
    public void complete()
    {
        final String op = "MPI_Win_complete";
        final int[] group = accessGroup;
        if (null == group)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": no access epoch was started (call start first)");
        }
        w.awaitRemote(-1);
        for (final int target : group)
        {
            w.operations().announce(RmaWire.COMPLETE, target);
            modified[target] = false;
        }
        accessGroup = null;
        w.awaitPending(-1);
    }

    /** MPI_Win_post: an exposure epoch to {@code origins} (window ranks). */
    public void post(final int[] origins, final int assertion)
    {
        final String op = "MPI_Win_post";
        checkAssert(op, assertion);
        if (null != exposureGroup)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": an exposure epoch is already open (call waitFor)");
        }
        exposureGroup = origins.clone();
        final Operation[] sends = new Operation[origins.length];
        if ((assertion & MODE_NOCHECK) == 0)
        {
            for (int i = 0; i < origins.length; i++)
            {
                sends[i] = w.p2p.isendOn(w.endpoint, w.context, null, 0, 0, origins[i], TagSpace.RMA_POST);
            }
        }
        postSends = sends;
    }

    /** MPI_Win_wait: until every origin of the exposure epoch completed its access epoch. */
    public void waitFor()
    {
        final int[] group = exposure("MPI_Win_wait");
        final int expected = group.length;
        w.awaitCondition(() -> w.handler.completes() >= expected);
        endExposure(expected);
    }

    /** MPI_Win_test: whether the exposure epoch could end now; ends it if so. */
    public boolean test()
    {
        final int[] group = exposure("MPI_Win_test");
        w.progress();
        if (w.handler.completes() < group.length)
        {
            return false;
        }
        endExposure(group.length);
        return true;
    }

    private int[] exposure(final String op)
    {
        final int[] group = exposureGroup;
        if (null == group)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": no exposure epoch was posted (call post first)");
        }
        return group;
    }

    private void endExposure(final int expected)
    {
        w.handler.consumeCompletes(expected);
        exposureGroup = null;
        for (final Operation send : postSends)
        {
            if (null != send)
            {
                w.await(send);
            }
        }
        postSends = null;
    }

    // ------------------------------------------------------------------------------------------ passive target

    /** MPI_Win_lock of {@code target} in {@code type} ({@link TargetLock#EXCLUSIVE} or {@link TargetLock#SHARED}). */
    public void lock(final int type, final int target, final int assertion)
    {
        final String op = "MPI_Win_lock";
        checkAssert(op, assertion);
        checkLockable(op, type, target);
        if (locks[target] != 0 || lockAll)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": rank " + target + " is already locked by this process");
        }
        final boolean request = (assertion & MODE_NOCHECK) == 0;
        final PassiveLocks segment = w.passiveLocks();
        if (request && null != segment)
        {
            takeInSegment(segment, type, target);
        }
        else if (request)
        {
            final byte[] answer = new byte[RmaWire.ACK_LENGTH];
            answered(w.operations().request(RmaWire.LOCK, target, type, answer), answer, op, target);
        }
        locks[target] = type;
        lockRequested[target] = request;
        lockCount++;
    }

    /** MPI_Win_unlock: completes the requests to {@code target} there and releases its lock. */
    public void unlock(final int target)
    {
        final String op = "MPI_Win_unlock";
        checkRank(op, target);
        if (locks[target] == 0)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": rank " + target + " is not locked by this process");
        }
        w.awaitRemote(target);
        final int type = locks[target];
        final boolean requested = lockRequested[target];
        locks[target] = 0;
        lockCount--;
        final PassiveLocks segment = w.passiveLocks();
        if (null != segment)
        {
            try
            {
                // loads and stores of a shared segment are complete at the target once visible; only a put that
                // went as a message (a target type with gaps) costs a FLUSH round trip
                flushModified(target);
                w.awaitPending(target);
                VarHandle.fullFence();
            }
            finally
            {
                if (requested)
                {
                    releaseInSegment(segment, type, target);
                }
            }
            return;
        }
        final byte[] answer = new byte[RmaWire.ACK_LENGTH];
        final Operation reply = requested ?
            w.operations().request(RmaWire.UNLOCK, target, type, answer) :
            w.operations().request(RmaWire.FLUSH, target, 0, answer);
        modified[target] = false;
        answered(reply, answer, op, target);
        w.awaitPending(target);
    }

    /** MPI_Win_lock_all: a shared lock on every member. */
    public void lockAll(final int assertion)
    {
        final String op = "MPI_Win_lock_all";
        checkAssert(op, assertion);
        checkLockable(op, TargetLock.SHARED, 0);
        if (lockAll || lockCount > 0)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": this process already holds a lock on this window");
        }
        final boolean request = (assertion & MODE_NOCHECK) == 0;
        final PassiveLocks segment = w.passiveLocks();
        if (request && null != segment)
        {
            for (int r = 0; r < size; r++)
            {
                takeInSegment(segment, TargetLock.SHARED, r);
            }
        }
        else if (request)
        {
            roundTrip(op, RmaWire.LOCK, TargetLock.SHARED, false);
        }
        lockAll = true;
        lockAllRequested = request;
    }

    /** MPI_Win_unlock_all. */
    public void unlockAll()
    {
        final String op = "MPI_Win_unlock_all";
        if (!lockAll)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": lockAll was not called on this window");
        }
        lockAll = false;
        w.awaitRemote(-1);
        final PassiveLocks segment = w.passiveLocks();
        if (null != segment)
        {
            try
            {
                flushModified(-1);
                w.awaitPending(-1);
                VarHandle.fullFence();
            }
            finally
            {
                if (lockAllRequested)
                {
                    for (int r = 0; r < size; r++)
                    {
                        segment.releaseShared(r);
                    }
                }
            }
            return;
        }
        if (lockAllRequested)
        {
            roundTrip(op, RmaWire.UNLOCK, TargetLock.SHARED, false);
        }
        else
        {
            flushModified(-1);
        }
        java.util.Arrays.fill(modified, false);
        w.awaitPending(-1);
    }

    /**
     * Takes a lock in the shared segment, turning the progress engine while it waits: the holder may need this
     * process to serve a request of its epoch (a put with gaps at the target) before it can release.
     */
    private void takeInSegment(final PassiveLocks segment, final int type, final int target)
    {
        if (type == TargetLock.EXCLUSIVE)
        {
            segment.awaitExclusive(target);
            if (!segment.tryExclusive(target))
            {
                w.awaitCondition(() -> segment.tryExclusive(target));
            }
        }
        else if (!segment.tryShared(target))
        {
            w.awaitCondition(() -> segment.tryShared(target));
        }
    }

    private static void releaseInSegment(final PassiveLocks segment, final int type, final int target)
    {
        if (type == TargetLock.EXCLUSIVE)
        {
            segment.releaseExclusive(target);
        }
        else
        {
            segment.releaseShared(target);
        }
    }

    /** MPI_Win_flush: the requests to {@code target} are complete there. */
    public void flush(final int target)
    {
        final String op = "MPI_Win_flush";
        checkPassive(op, target);
        flushModified(target);
        w.awaitPending(target);
        // stores into a shared window are complete once they are visible
        VarHandle.fullFence();
    }

    /** MPI_Win_flush_all. */
    public void flushAll()
    {
        checkPassive("MPI_Win_flush_all", -1);
        flushModified(-1);
        w.awaitPending(-1);
        VarHandle.fullFence();
    }

    /** MPI_Win_flush_local: the origin buffers of the requests to {@code target} may be reused. */
    public void flushLocal(final int target)
    {
        final String op = "MPI_Win_flush_local";
        checkPassive(op, target);
        w.awaitPending(target);
    }

    /** MPI_Win_flush_local_all. */
    public void flushLocalAll()
    {
        checkPassive("MPI_Win_flush_local_all", -1);
        w.awaitPending(-1);
    }

    /** MPI_Win_sync: the program's loads and stores and the window's copy agree (one copy here: a full fence). */
    public void sync()
    {
        VarHandle.fullFence();
    }

    private void checkRank(final String op, final int target)
    {
        if (target < 0 || target >= size)
        {
            throw new MpiError(ErrorClass.ERR_RANK, op + ": rank " + target + " is out of range for a window of " +
                size + " processes");
        }
    }

    private void checkLockable(final String op, final int type, final int target)
    {
        if (type != TargetLock.EXCLUSIVE && type != TargetLock.SHARED)
        {
            throw new MpiError(ErrorClass.ERR_LOCKTYPE, op + ": lock type " + type + " is neither " +
                "MPI.LOCK_EXCLUSIVE nor MPI.LOCK_SHARED");
        }
        checkRank(op, target);
        if (w.noLocks)
        {
            throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": the window was created with info no_locks=true");
        }
    }

    private void checkPassive(final String op, final int target)
    {
        if (target >= 0)
        {
            checkRank(op, target);
        }
        if (lockAll || (target >= 0 ? locks[target] != 0 : lockCount > 0))
        {
            return;
        }
        throw new MpiError(ErrorClass.ERR_RMA_SYNC, op + ": only allowed in a passive-target epoch (lock or " +
            "lockAll) " + (target >= 0 ? "on rank " + target : "on this window"));
    }

    /** FLUSH round trips to {@code target} (every modified target if -1), all sent before any is awaited. */
    private void flushModified(final int target)
    {
        if (target >= 0)
        {
            if (modified[target])
            {
                modified[target] = false;
                final byte[] answer = takeAnswer();
                final Operation reply = w.operations().request(RmaWire.FLUSH, target, 0, answer);
                try
                {
                    answered(reply, answer, "MPI_Win_flush", target);
                }
                finally
                {
                    giveAnswer(answer, reply);
                }
            }
            return;
        }
        roundTrip("MPI_Win_flush", RmaWire.FLUSH, 0, true);
    }

    /** One request of {@code kind} to each member (only the modified ones if {@code modifiedOnly}), answers awaited. */
    private void roundTrip(final String op, final int kind, final int lockType, final boolean modifiedOnly)
    {
        final Operation[] replies = new Operation[size];
        final byte[][] answers = new byte[size][];
        for (int r = 0; r < size; r++)
        {
            if (!modifiedOnly || modified[r])
            {
                modified[r] = false;
                answers[r] = new byte[RmaWire.ACK_LENGTH];
                replies[r] = w.operations().request(kind, r, lockType, answers[r]);
            }
        }
        MpiError first = null;
        for (int r = 0; r < size; r++)
        {
            if (null != replies[r])
            {
                try
                {
                    answered(replies[r], answers[r], op, r);
                }
                catch (final MpiError ex)
                {
                    first = null == first ? ex : first;
                }
            }
        }
        if (null != first)
        {
            throw first;
        }
    }

    /** The answer array of a FLUSH to one target, or a new one while another thread's flush uses it. */
    private synchronized byte[] takeAnswer()
    {
        if (flushAnswerBusy)
        {
            return new byte[RmaWire.ACK_LENGTH];
        }
        flushAnswerBusy = true;
        return flushAnswer;
    }

    /** Takes back {@code answer} once its receive is over (one still posted keeps it: it may yet be written). */
    private synchronized void giveAnswer(final byte[] answer, final Operation reply)
    {
        if (answer == flushAnswer && reply.isComplete())
        {
            flushAnswerBusy = false;
        }
    }

    private void answered(final Operation reply, final byte[] answer, final String op, final int target)
    {
        w.await(reply);
        w.retireAnswer(reply);
        // native order, as the target wrote it (a view would be an object per answer)
        final int refused = UnsafeApi.getInt(answer, Memory.BYTE_ARRAY_BASE);
        if (refused != ErrorClass.SUCCESS)
        {
            throw new MpiError(refused, op + ": rank " + target + " refused a request of this process: " +
                ErrorClass.name(refused) + " (outside the memory attached to its dynamic window)");
        }
    }
}
