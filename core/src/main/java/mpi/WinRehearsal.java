package mpi;

import io.mpi4j.runtime.CompilerQuiet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The first window of a process rehearses the one-sided calls a program makes on a window in shared memory, so
 * that its first thousands of operations run compiled code. A put to a mapped window is a copy of a few
 * nanoseconds once compiled, but its checks (the window, the epoch, the target's bounds, the datatypes) take some
 * microseconds in the interpreter: a program timing its first puts, gets or accumulates saw 10-100 times the
 * steady-state latency, and a few thousand 64 KiB puts ran at a third of the copy's bandwidth.
 * <p>
 * It creates a window of its own on {@code MPI.COMM_SELF}, of the allocate flavour (shared memory, the same
 * classes a window among the processes of one node uses), and drives the program-facing calls on it: put, get,
 * accumulate and get-accumulate of bytes and doubles, fetch-and-op, compare-and-swap, request-based put, under a
 * shared lock with flushes, lock/unlock per operation, lock-all and fences; then it waits until the JIT has
 * compiled what that made hot. The window is freed and unmapped after; nothing of it reaches the program's windows. It runs
 * once per process, for at most {@link #BUDGET_NANOS}, not with more ranks than cores, and not when the job forces
 * a transport other than shared memory ({@code MPI4J_TRANSPORT}).
 * <p>
 * On unless {@code MPI4J_WIN_REHEARSAL=0}. The profile it gives {@code Win.flush} once made HotSpot 17's C2
 * compiler crash (SIGSEGV in {@code PhaseMacroExpand::expand_unlock_node}) in a quarter of the runs of Open MPI's
 * {@code onesided/CFetchAndOp}: the monitor exit of the window's answer pool, inlined into {@code flush}. That pool
 * is lock-free now (see {@code rma.Window#retireAnswer}), and the test ran 40 of 40 with the rehearsal on.
 */
final class WinRehearsal
{
    /** Environment variable: {@code 0} turns the rehearsal off. */
    static final String ENV = "MPI4J_WIN_REHEARSAL";

    /** Environment variable: when set, the process says on stderr what its rehearsal did and took. */
    static final String REPORT_ENV = "MPI4J_WIN_REHEARSAL_REPORT";

    /** Longest the rehearsal holds the window creation that runs it, rounds and the wait for the JIT together. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

    /** How long the JIT must have finished no compilation before its queue counts as drained. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

    /** Rounds, each a dozen operations: past the JIT's thresholds for compiling the calls optimised. */
    static final int ROUNDS = 8_000;

    /** Sizes cycle through 1 B ... 4 KiB (powers of two), so every branch of the copy and the kernels is profiled. */
    private static final int SIZE_STEPS = 13;
    private static final int LARGE_BYTES = 64 << 10;
    private static final int WINDOW_BYTES = 2 * LARGE_BYTES;

    private static final AtomicBoolean CLAIMED = new AtomicBoolean();

    private final long start = System.nanoTime();
    private final long deadline = start + BUDGET_NANOS;
    private final ByteBuffer origin = MPI.newByteBuffer(LARGE_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer result = MPI.newByteBuffer(LARGE_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer compare = MPI.newByteBuffer(Long.BYTES).order(ByteOrder.nativeOrder());
    private int rounds;
    private long roundsMs;

    private WinRehearsal()
    {
    }

    /** Rehearses if no window of this process has yet; a failure only ends the rehearsal. */
    static void once()
    {
        // with more ranks than cores the ranks' rehearsals would take turns on the cores, each in the others' way;
        // with another transport forced, windows take its path, not the shared segment's copies rehearsed here
        if (CLAIMED.get() || !CLAIMED.compareAndSet(false, true) || "0".equals(System.getenv(ENV)) ||
            io.mpi4j.runtime.MpiRuntime.get().oversubscribed() || Win.forcesAnotherTransport())
        {
            return;
        }
        final WinRehearsal rehearsal = new WinRehearsal();
        Win win = null;
        boolean quiet = false;
        try
        {
            win = new Win(WINDOW_BYTES, 1, null, MPI.COMM_SELF, MPI.newByteBuffer(1), Win.FLAVOR_PRIVATE);
            win.setErrhandler(MPI.ERRORS_RETURN);
            rehearsal.run(win);
            rehearsal.roundsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rehearsal.start);
            quiet = CompilerQuiet.await(QUIET_NANOS, rehearsal::inBudget);
        }
        catch (final MPIException | RuntimeException ignore)
        {
            // A warm-up only: the program meets the same error, if any, on its own window.
        }
        finally
        {
            if (null != win)
            {
                try
                {
                    win.free();
                    // its memory never reached the program: no buffer of it may outlive the window
                    win.engineWindow().unmapShared();
                }
                catch (final MPIException | RuntimeException ignore)
                {
                    // freed with MPI_Finalize otherwise
                }
            }
        }
        if (null != System.getenv(REPORT_ENV))
        {
            System.err.println("mpi4j: rehearsal of one-sided calls: " + rehearsal.rounds + " rounds in " + rehearsal.roundsMs + " ms, " +
                (quiet ? "JIT quiet" : "JIT not quiet before the budget ran out") + ", " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rehearsal.start) + " ms");
        }
    }

    private boolean inBudget()
    {
        return System.nanoTime() - deadline < 0;
    }

    private void run(final Win win) throws MPIException
    {
        win.lock(MPI.LOCK_SHARED, 0, 0);
        while (rounds < ROUNDS && inBudget())
        {
            final int step = rounds % SIZE_STEPS;
            final int bytes = rounds % 256 == 255 ? LARGE_BYTES : 1 << step;
            final int disp = (rounds & 1) * LARGE_BYTES;
            win.put(origin, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE);
            win.flush(0);
            win.get(result, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE);
            win.flush(0);
            win.accumulate(origin, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE, MPI.SUM);
            win.flush(0);
            final int doubles = Math.max(1, bytes / Double.BYTES);
            win.accumulate(origin, doubles, MPI.DOUBLE, 0, disp, doubles, MPI.DOUBLE, MPI.SUM);
            win.flushLocal(0);
            if ((rounds & 3) == 0)
            {
                win.getAccumulate(origin, doubles, MPI.DOUBLE, result, doubles, MPI.DOUBLE, 0, disp, doubles,
                    MPI.DOUBLE, MPI.SUM);
                win.fetchAndOp(origin, result, MPI.LONG, 0, 0, MPI.SUM);
                win.compareAndSwap(origin, compare, result, MPI.LONG, 0, 0);
                win.rPut(origin, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE).waitFor();
                win.flushAll();
            }
            if ((rounds & 15) == 0)
            {
                // the other epochs programs time: lock/unlock per operation, lock-all, fences
                win.unlock(0);
                win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
                win.put(origin, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE);
                win.unlock(0);
                win.lockAll(0);
                win.get(result, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE);
                win.unlockAll();
                win.fence(0);
                win.put(origin, bytes, MPI.BYTE, 0, disp, bytes, MPI.BYTE);
                win.fence(MPI.MODE_NOSUCCEED);
                win.lock(MPI.LOCK_SHARED, 0, 0);
            }
            rounds++;
        }
        win.unlock(0);
    }
}
