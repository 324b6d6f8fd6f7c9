package io.mpi4j.ci.jobs;

import java.lang.invoke.VarHandle;
import java.nio.IntBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * Many ranks increment one counter in rank 0's window, ITERATIONS times each (argument "lock": exclusive lock,
 * get, flush, put, unlock; "fetch": shared lock and fetchAndOp). Rank 0 makes no MPI call until the others are
 * done (only the passive-target progress thread serves its window meanwhile), then increments too; the final value
 * must be exact.
 */
public final class WinCounter
{
    private static final int ITERATIONS = 200;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final String how = args[0];
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final IntBuffer mem = MPI.newIntBuffer(1);
        final Win win = new Win(mem, 1, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        if (rank == 0)
        {
            // compute, outside MPI, until the others' increments have all landed here: only the passive-target
            // progress thread can serve them meanwhile
            final long others = (long)(size - 1) * ITERATIONS;
            // emulated machines (the RDMA VM stage) run slower by MPI4J_CI_TIME_SCALE
            final long scale = Long.parseLong(System.getenv().getOrDefault("MPI4J_CI_TIME_SCALE", "1"));
            final long deadline = System.nanoTime() + 30_000_000_000L * Math.max(1, scale);
            while (mem.get(0) < others && System.nanoTime() < deadline)
            {
                VarHandle.acquireFence();
                Thread.onSpinWait();
            }
            Expect.equal(others, mem.get(0), how + ": increments served while rank 0 made no MPI call");
        }
        incrementAll(win, how, size);
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            win.lock(MPI.LOCK_SHARED, 0, 0);
            Expect.equal((long)size * ITERATIONS, mem.get(0), how + ": final counter");
            win.unlock(0);
        }
        win.free();
        System.out.println("OK " + how);
        MPI.Finalize();
    }

    private static void incrementAll(final Win win, final String how, final int size) throws MPIException
    {
        final IntBuffer value = MPI.newIntBuffer(1);
        final IntBuffer one = MPI.newIntBuffer(1);
        one.put(0, 1);
        final IntBuffer previous = MPI.newIntBuffer(1);
        for (int i = 0; i < ITERATIONS; i++)
        {
            if ("lock".equals(how))
            {
                win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
                win.get(value, 1, MPI.INT, 0, 0, 1, MPI.INT);
                win.flush(0);
                value.put(0, value.get(0) + 1);
                win.put(value, 1, MPI.INT, 0, 0, 1, MPI.INT);
                win.unlock(0);
            }
            else
            {
                win.lock(MPI.LOCK_SHARED, 0, 0);
                win.fetchAndOp(one, previous, MPI.INT, 0, 0, MPI.SUM);
                win.unlock(0);
                Expect.that(previous.get(0) >= 0 && previous.get(0) < size * ITERATIONS,
                    "fetched " + previous.get(0));
            }
        }
    }
}
