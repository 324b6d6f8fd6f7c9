package io.mpi4j.ci.jobs;

import java.nio.IntBuffer;

import mpi.Group;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Win;

/**
 * Every one-sided operation under one synchronisation mode (argument: fence, pscw, lock, lockall): put (small and
 * large), get, accumulate from every rank into one place, fetchAndOp, compareAndSwap, getAccumulate, and the
 * request-based forms; each rank checks what arrived in its own window and what its fetches returned.
 */
public final class WinSync
{
    private static final int HEAD = 16;
    private static final int BIG = 40_000;

    private static String mode;
    private static Win win;
    private static Group all;
    private static int size;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        mode = args[0];
        final int rank = MPI.COMM_WORLD.getRank();
        size = MPI.COMM_WORLD.getSize();
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        final IntBuffer mem = MPI.newIntBuffer(HEAD + BIG);
        win = new Win(mem, HEAD + BIG, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        all = MPI.COMM_WORLD.getGroup();
        open();

        // epoch 1: puts (inline and large), accumulate into rank 0, fetch-and-op, compare-and-swap, get-accumulate
        final IntBuffer small = MPI.newIntBuffer(4);
        for (int i = 0; i < 4; i++)
        {
            small.put(i, rank * 100 + i);
        }
        win.put(small, 4, MPI.INT, next, 0, 4, MPI.INT);
        final IntBuffer big = MPI.newIntBuffer(BIG);
        for (int i = 0; i < BIG; i++)
        {
            big.put(i, rank * 1_000_000 + i);
        }
        win.put(big, BIG, MPI.INT, next, HEAD, BIG, MPI.INT);
        final IntBuffer one = MPI.newIntBuffer(1);
        one.put(0, rank + 1);
        win.accumulate(one, 1, MPI.INT, 0, 4, 1, MPI.INT, MPI.SUM);
        final IntBuffer inc = MPI.newIntBuffer(1);
        inc.put(0, 1);
        final IntBuffer fetched = MPI.newIntBuffer(1);
        win.fetchAndOp(inc, fetched, MPI.INT, 0, 8, MPI.SUM);
        final IntBuffer swapIn = MPI.newIntBuffer(1);
        swapIn.put(0, rank + 1);
        final IntBuffer compare = MPI.newIntBuffer(1);
        final IntBuffer swapped = MPI.newIntBuffer(1);
        swapped.put(0, -1);
        win.compareAndSwap(swapIn, compare, swapped, MPI.INT, 0, 9);
        final IntBuffer mine = MPI.newIntBuffer(1);
        mine.put(0, rank);
        final IntBuffer old = MPI.newIntBuffer(1);
        old.put(0, -1);
        win.getAccumulate(mine, 1, MPI.INT, old, 1, MPI.INT, next, 10, 1, MPI.INT, MPI.REPLACE);
        boundary();

        for (int i = 0; i < 4; i++)
        {
            Expect.equal(prev * 100 + i, mem.get(i), mode + ": put element " + i);
        }
        for (int i = 0; i < BIG; i += 997)
        {
            Expect.equal(prev * 1_000_000L + i, mem.get(HEAD + i), mode + ": large put element " + i);
        }
        Expect.equal(prev * 1_000_000L + BIG - 1, mem.get(HEAD + BIG - 1), mode + ": large put last element");
        if (rank == 0)
        {
            Expect.equal((long)size * (size + 1) / 2, mem.get(4), mode + ": accumulated sum");
            Expect.equal(size, mem.get(8), mode + ": fetchAndOp counter");
            Expect.that(mem.get(9) >= 1 && mem.get(9) <= size, mode + ": compareAndSwap winner " + mem.get(9));
        }
        Expect.that(fetched.get(0) >= 0 && fetched.get(0) < size, mode + ": fetched " + fetched.get(0));
        final int[] winners = {swapped.get(0) == 0 ? 1 : 0};
        MPI.COMM_WORLD.allReduce(winners, 1, MPI.INT, MPI.SUM);
        Expect.equal(1, winners[0], mode + ": compareAndSwap succeeded exactly once");
        final int[] distinct = {1 << fetched.get(0)};
        MPI.COMM_WORLD.allReduce(distinct, 1, MPI.INT, MPI.BOR);
        Expect.equal((1 << size) - 1, distinct[0], mode + ": fetchAndOp results are 0..size-1");
        Expect.equal(0, old.get(0), mode + ": getAccumulate old value");
        Expect.equal(prev, mem.get(10), mode + ": getAccumulate REPLACE stored");

        // epoch 2: get back what this rank put; request-based put and accumulate
        final IntBuffer got = MPI.newIntBuffer(4);
        win.get(got, 4, MPI.INT, next, 0, 4, MPI.INT);
        final IntBuffer bigGot = MPI.newIntBuffer(BIG);
        win.get(bigGot, BIG, MPI.INT, next, HEAD, BIG, MPI.INT);
        final IntBuffer seven = MPI.newIntBuffer(1);
        seven.put(0, rank + 7);
        final Request rput = win.rPut(seven, 1, MPI.INT, next, 12, 1, MPI.INT);
        final Request racc = win.rAccumulate(inc, 1, MPI.INT, 0, 13, 1, MPI.INT, MPI.SUM);
        rput.waitFor();
        racc.waitFor();
        boundary();
        for (int i = 0; i < 4; i++)
        {
            Expect.equal(rank * 100 + i, got.get(i), mode + ": get element " + i);
        }
        for (int i = 0; i < BIG; i += 1009)
        {
            Expect.equal(rank * 1_000_000L + i, bigGot.get(i), mode + ": large get element " + i);
        }
        Expect.equal(prev + 7, mem.get(12), mode + ": rPut");
        if (rank == 0)
        {
            Expect.equal(size, mem.get(13), mode + ": rAccumulate");
        }

        // epoch 3: request-based get and get-accumulate (NO_OP: a fetch)
        final IntBuffer rgot = MPI.newIntBuffer(1);
        final Request rget = win.rGet(rgot, 1, MPI.INT, next, 12, 1, MPI.INT);
        final IntBuffer counter = MPI.newIntBuffer(1);
        final Request rgacc = win.rGetAccumulate(null, 0, MPI.INT, counter, 1, MPI.INT, 0, 13, 1, MPI.INT,
            MPI.NO_OP);
        rget.waitFor();
        rgacc.waitFor();
        Expect.equal(rank + 7, rgot.get(0), mode + ": rGet");
        Expect.equal(size, counter.get(0), mode + ": rGetAccumulate NO_OP");
        close();
        win.free();
        System.out.println("OK " + mode);
        MPI.Finalize();
    }

    private static void open() throws MPIException
    {
        switch (mode)
        {
            case "fence":
                win.fence(MPI.MODE_NOPRECEDE);
                break;
            case "pscw":
                win.post(all, 0);
                win.start(all, 0);
                break;
            case "lock":
                for (int r = 0; r < size; r++)
                {
                    win.lock(MPI.LOCK_SHARED, r, 0);
                }
                break;
            case "lockall":
                win.lockAll(0);
                break;
            default:
                throw new AssertionError("mode " + mode);
        }
    }

    private static void close() throws MPIException
    {
        switch (mode)
        {
            case "fence":
                win.fence(MPI.MODE_NOSUCCEED);
                break;
            case "pscw":
                win.complete();
                win.waitFor();
                break;
            case "lock":
                for (int r = 0; r < size; r++)
                {
                    win.flush(r);
                    win.unlock(r);
                }
                MPI.COMM_WORLD.barrier();
                break;
            default:
                win.flushAll();
                win.unlockAll();
                MPI.COMM_WORLD.barrier();
        }
    }

    private static void boundary() throws MPIException
    {
        if ("fence".equals(mode))
        {
            win.fence(0);
            return;
        }
        close();
        open();
    }
}
