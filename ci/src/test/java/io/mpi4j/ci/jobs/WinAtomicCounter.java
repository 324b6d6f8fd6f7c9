package io.mpi4j.ci.jobs;

import java.lang.invoke.VarHandle;
import java.nio.LongBuffer;

import mpi.Info;
import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * Ranks 1.. increment two counters in rank 0's window of MPI.LONGs, ITERATIONS times each: one with fetchAndOp(SUM),
 * one with a compareAndSwap retry loop fed by fetchAndOp(NO_OP). The window says acc_single_intrinsic=true, so over
 * RDMA these are verbs atomics. The epoch is lockAll with MODE_NOCHECK and every result is waited for with flush: no
 * message needs rank 0's answer, and rank 0 makes no MPI call until both counters are complete. Run with
 * MPI4J_RMA_PROGRESS=off (no passive-target thread), only the RDMA path can get them there: through the target's
 * progress the job would wait for rank 0 and fail at the deadline. Argument "checked": rank 0 serves meanwhile
 * (the same program where there is no RDMA, so the result is checked everywhere).
 */
public final class WinAtomicCounter
{
    private static final int ITERATIONS = 100;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final boolean spin = args.length == 0 || !"checked".equals(args[0]);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final LongBuffer mem = MPI.newLongBuffer(2);
        final Info info = new Info();
        info.set("acc_single_intrinsic", "true");
        final Win win = new Win(mem, 2, 1, info, MPI.COMM_WORLD);
        final long expected = (long)(size - 1) * ITERATIONS;
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            if (spin)
            {
                // no MPI call here: the NIC alone updates this memory
                final long deadline = System.nanoTime() + 600_000_000_000L;
                while ((mem.get(0) < expected || mem.get(1) < expected) && System.nanoTime() < deadline)
                {
                    // sleep rather than spin: the origins may share this rank's cores
                    sleep();
                    VarHandle.acquireFence();
                }
                Expect.equal(expected, mem.get(0), "fetchAndOp counter while rank 0 made no MPI call");
                Expect.equal(expected, mem.get(1), "compareAndSwap counter while rank 0 made no MPI call");
            }
        }
        else
        {
            increment(win, size);
        }
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            Expect.equal(expected, mem.get(0), "final fetchAndOp counter");
            Expect.equal(expected, mem.get(1), "final compareAndSwap counter");
        }
        win.free();
        System.out.println("OK atomic counter rank " + rank);
        MPI.Finalize();
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void increment(final Win win, final int size) throws MPIException
    {
        final LongBuffer one = MPI.newLongBuffer(1);
        one.put(0, 1);
        final LongBuffer previous = MPI.newLongBuffer(1);
        final LongBuffer current = MPI.newLongBuffer(1);
        final LongBuffer next = MPI.newLongBuffer(1);
        final LongBuffer swapped = MPI.newLongBuffer(1);
        final long bound = (long)(size - 1) * ITERATIONS;
        win.lockAll(MPI.MODE_NOCHECK);
        long seen = -1;
        for (int i = 0; i < ITERATIONS; i++)
        {
            win.fetchAndOp(one, previous, MPI.LONG, 0, 0, MPI.SUM);
            win.flush(0);
            Expect.that(previous.get(0) >= 0 && previous.get(0) < bound, "fetched " + previous.get(0));
            Expect.that(previous.get(0) > seen, "fetchAndOp results grow: " + seen + " then " + previous.get(0));
            seen = previous.get(0);
            win.fetchAndOp(one, current, MPI.LONG, 0, 1, MPI.NO_OP);
            win.flush(0);
            while (true)
            {
                next.put(0, current.get(0) + 1);
                win.compareAndSwap(next, current, swapped, MPI.LONG, 0, 1);
                win.flush(0);
                if (swapped.get(0) == current.get(0))
                {
                    break;
                }
                Expect.that(swapped.get(0) > current.get(0), "the counter never goes back");
                current.put(0, swapped.get(0));
            }
        }
        win.unlockAll();
    }
}
