package io.mpi4j.ci.jobs;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import mpi.Datatype;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Win;

/**
 * Accumulates into an MPI_Win_allocate window on one node, where the memory is a shared segment and origins apply
 * them themselves. Every rank but 0 hammers rank 0's window under lockAll(MODE_NOCHECK): accumulate/raccumulate SUM
 * of a long, fetchAndOp/getAccumulate SUM of an int (every fetched value must be unique: each increment saw the one
 * before it), a compare-and-swap increment loop on a long, and vector-typed SUM and MAX of doubles. Rank 0 makes no
 * MPI call meanwhile, and the job runs with the passive-target progress thread off, so nothing but the origins can
 * have applied them; the final values must be exact. Then every rank accumulates into every other under fence,
 * post/start/complete/wait and exclusive locks mixed with shared-lock fetches, and read-modify-writes of plain
 * gets and puts under exclusive locks, again to exact values.
 */
public final class WinNodeAccumulate
{
    private static final int ITERATIONS = 400;
    /** Byte offsets in each window. */
    private static final int SUM = 0;
    private static final int CAS = 8;
    private static final int FETCHED = 16;
    private static final int DOUBLES = 24;
    private static final int WINDOW_BYTES = DOUBLES + 8 * Double.BYTES;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final Win win = new Win(WINDOW_BYTES, 1, MPI.INFO_NULL, MPI.COMM_WORLD, MPI.newByteBuffer(1),
            Win.FLAVOR_PRIVATE);
        final ByteBuffer mem = ((ByteBuffer)win.getBuffer()).order(ByteOrder.nativeOrder());
        MPI.COMM_WORLD.barrier();
        final Datatype everyOther = Datatype.createVector(4, 1, 2, MPI.DOUBLE);
        everyOther.commit();
        final int origins = size - 1;
        final int[] fetched = new int[ITERATIONS];
        if (rank == 0)
        {
            awaitOutsideMpi(mem, (long)origins * ITERATIONS);
        }
        else
        {
            hammer(win, rank, everyOther, fetched);
        }
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            VarHandle.fullFence();
            final long total = (long)origins * ITERATIONS;
            Expect.equal(total, mem.getLong(SUM), "accumulate SUM");
            Expect.equal(total, mem.getLong(CAS), "compare-and-swap increments");
            Expect.equal(total, mem.getInt(FETCHED), "fetchAndOp/getAccumulate SUM");
            for (int i = 0; i < 8; i++)
            {
                final double expected = i % 2 == 0 ? total : origins;
                Expect.that(mem.getDouble(DOUBLES + i * Double.BYTES) == expected, "double " + i + " is " +
                    mem.getDouble(DOUBLES + i * Double.BYTES) + ", expected " + expected);
            }
        }
        // every fetched value is unique: no two fetch-and-ops saw the same counter
        final int[] all = new int[size * ITERATIONS];
        MPI.COMM_WORLD.gather(fetched, ITERATIONS, MPI.INT, all, ITERATIONS, MPI.INT, 0);
        if (rank == 0)
        {
            final boolean[] seen = new boolean[origins * ITERATIONS];
            for (int i = ITERATIONS; i < all.length; i++)
            {
                Expect.that(all[i] >= 0 && all[i] < seen.length && !seen[all[i]], "fetched " + all[i] + " twice " +
                    "or out of range");
                seen[all[i]] = true;
            }
        }
        everyOther.free();
        win.free();
        everyoneToEveryone(rank, size);
        System.out.println("OK node accumulates");
        MPI.Finalize();
    }

    /** Rank 0: computes, outside MPI, until the origins' accumulates have all landed in its memory. */
    private static void awaitOutsideMpi(final ByteBuffer mem, final long total)
    {
        final long scale = Long.parseLong(System.getenv().getOrDefault("MPI4J_CI_TIME_SCALE", "1"));
        final long deadline = System.nanoTime() + 60_000_000_000L * Math.max(1, scale);
        while ((mem.getLong(SUM) < total || mem.getLong(CAS) < total || mem.getInt(FETCHED) < total) &&
            System.nanoTime() < deadline)
        {
            VarHandle.acquireFence();
            Thread.onSpinWait();
        }
        Expect.equal(total, mem.getLong(SUM), "accumulates applied while rank 0 made no MPI call");
    }

    private static void hammer(final Win win, final int rank, final Datatype everyOther, final int[] fetched)
        throws MPIException
    {
        final LongBuffer one = MPI.newLongBuffer(1);
        one.put(0, 1);
        final IntBuffer intOne = MPI.newIntBuffer(1);
        intOne.put(0, 1);
        final IntBuffer previous = MPI.newIntBuffer(1);
        final LongBuffer seen = MPI.newLongBuffer(1);
        final LongBuffer next = MPI.newLongBuffer(1);
        final LongBuffer old = MPI.newLongBuffer(1);
        final DoubleBuffer ones = MPI.newDoubleBuffer(8);
        final DoubleBuffer ranks = MPI.newDoubleBuffer(8);
        // the vector type reaches 7 doubles of the origin buffer too (every other one is read)
        for (int i = 0; i < 8; i++)
        {
            ones.put(i, 1.0);
            ranks.put(i, rank);
        }
        win.lockAll(MPI.MODE_NOCHECK);
        for (int i = 0; i < ITERATIONS; i++)
        {
            if (i % 2 == 0)
            {
                win.accumulate(one, 1, MPI.LONG, 0, SUM, 1, MPI.LONG, MPI.SUM);
            }
            else
            {
                final Request r = win.rAccumulate(one, 1, MPI.LONG, 0, SUM, 1, MPI.LONG, MPI.SUM);
                r.waitFor();
            }
            if (i % 3 == 0)
            {
                win.getAccumulate(intOne, 1, MPI.INT, previous, 1, MPI.INT, 0, FETCHED, 1, MPI.INT, MPI.SUM);
            }
            else
            {
                win.fetchAndOp(intOne, previous, MPI.INT, 0, FETCHED, MPI.SUM);
            }
            win.flush(0);
            fetched[i] = previous.get(0);
            // an increment by compare-and-swap: read atomically, then swap in the successor until nobody came between
            win.fetchAndOp(one, seen, MPI.LONG, 0, CAS, MPI.NO_OP);
            win.flush(0);
            while (true)
            {
                next.put(0, seen.get(0) + 1);
                win.compareAndSwap(next, seen, old, MPI.LONG, 0, CAS);
                win.flush(0);
                if (old.get(0) == seen.get(0))
                {
                    break;
                }
                seen.put(0, old.get(0));
            }
            win.accumulate(ones, 1, everyOther, 0, DOUBLES, 1, everyOther, MPI.SUM);
            win.accumulate(ranks, 1, everyOther, 0, DOUBLES + Double.BYTES, 1, everyOther, MPI.MAX);
        }
        win.unlockAll();
    }

    /** Each rank adds to every rank's counter under fence, post/start/complete/wait and exclusive locks. */
    private static void everyoneToEveryone(final int rank, final int size) throws MPIException
    {
        final Win win = new Win(Long.BYTES, 1, MPI.INFO_NULL, MPI.COMM_WORLD, MPI.newByteBuffer(1),
            Win.FLAVOR_PRIVATE);
        final ByteBuffer mem = ((ByteBuffer)win.getBuffer()).order(ByteOrder.nativeOrder());
        final LongBuffer one = MPI.newLongBuffer(1);
        one.put(0, 1);
        final LongBuffer previous = MPI.newLongBuffer(1);
        final int rounds = 50;
        win.fence(0);
        for (int i = 0; i < rounds; i++)
        {
            for (int t = 0; t < size; t++)
            {
                win.accumulate(one, 1, MPI.LONG, t, 0, 1, MPI.LONG, MPI.SUM);
            }
        }
        win.fence(0);
        Expect.equal((long)size * rounds, mem.getLong(0), "fence epoch");
        final mpi.Group world = MPI.COMM_WORLD.getGroup();
        for (int i = 0; i < rounds; i++)
        {
            win.post(world, 0);
            win.start(world, 0);
            for (int t = 0; t < size; t++)
            {
                win.accumulate(one, 1, MPI.LONG, t, 0, 1, MPI.LONG, MPI.SUM);
            }
            win.complete();
            win.waitFor();
        }
        Expect.equal(2L * size * rounds, mem.getLong(0), "post/start/complete/wait epochs");
        MPI.COMM_WORLD.barrier();
        for (int i = 0; i < rounds; i++)
        {
            final int t = (rank + i) % size;
            if (i % 2 == 0)
            {
                win.lock(MPI.LOCK_EXCLUSIVE, t, 0);
                win.accumulate(one, 1, MPI.LONG, t, 0, 1, MPI.LONG, MPI.SUM);
                win.unlock(t);
            }
            else
            {
                win.lock(MPI.LOCK_SHARED, t, 0);
                win.fetchAndOp(one, previous, MPI.LONG, t, 0, MPI.SUM);
                win.unlock(t);
                Expect.that(previous.get(0) >= 2L * size * rounds, "fetched " + previous.get(0));
            }
        }
        MPI.COMM_WORLD.barrier();
        win.lock(MPI.LOCK_SHARED, rank, 0);
        // round i has exactly one rank on each target
        Expect.equal(2L * size * rounds + rounds, mem.getLong(0), "lock epochs");
        win.unlock(rank);
        MPI.COMM_WORLD.barrier();
        // exclusive locks exclude: a read-modify-write of plain gets and puts loses no increment
        final LongBuffer value = MPI.newLongBuffer(1);
        for (int i = 0; i < rounds; i++)
        {
            win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
            win.get(value, 1, MPI.LONG, 0, 0, 1, MPI.LONG);
            win.flush(0);
            value.put(0, value.get(0) + 1);
            win.put(value, 1, MPI.LONG, 0, 0, 1, MPI.LONG);
            win.unlock(0);
        }
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            win.lock(MPI.LOCK_SHARED, 0, 0);
            Expect.equal(2L * size * rounds + rounds + (long)size * rounds, mem.getLong(0), "exclusive epochs");
            win.unlock(0);
        }
        world.free();
        win.free();
    }
}
