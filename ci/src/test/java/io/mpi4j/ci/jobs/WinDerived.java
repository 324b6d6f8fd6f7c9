package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

import mpi.Datatype;
import mpi.DoubleInt;
import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * One-sided operations with datatypes that have gaps, at the origin and at the target: a put into every other int
 * of the target, a get into every third int of the origin, an accumulate large enough to travel behind its header,
 * and a get-accumulate fetch into a strided result; MINLOC through a derived type of DOUBLE_INT pairs.
 */
public final class WinDerived
{
    private static final int N = 300;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        final IntBuffer mem = MPI.newIntBuffer(4 * N);
        for (int i = 0; i < 4 * N; i++)
        {
            mem.put(i, -1);
        }
        final Win win = new Win(mem, 4 * N, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        final Datatype everyOther = Datatype.createVector(N, 1, 2, MPI.INT);
        everyOther.commit();
        final Datatype everyThird = Datatype.createVector(N, 1, 3, MPI.INT);
        everyThird.commit();

        // put N ints into every other int of the next rank (N * 4 bytes: behind the header)
        final IntBuffer values = MPI.newIntBuffer(N);
        for (int i = 0; i < N; i++)
        {
            values.put(i, rank * 10_000 + i);
        }
        win.fence(0);
        win.put(values, N, MPI.INT, next, 0, 1, everyOther);
        // and 4 ints (inline) into every other int from 2N on
        final Datatype fourOther = Datatype.createVector(4, 1, 2, MPI.INT);
        fourOther.commit();
        win.put(values, 4, MPI.INT, next, 2 * N, 1, fourOther);
        win.fence(0);
        for (int i = 0; i < N; i++)
        {
            Expect.equal(prev * 10_000L + i, mem.get(2 * i), "strided put element " + i);
            Expect.equal(-1, mem.get(2 * i + 1), "gap " + i + " untouched");
        }
        for (int i = 0; i < 4; i++)
        {
            Expect.equal(prev * 10_000L + i, mem.get(2 * N + 2 * i), "small strided put element " + i);
        }

        // get the strided ints back into every third int here
        final IntBuffer got = MPI.newIntBuffer(3 * N);
        for (int i = 0; i < 3 * N; i++)
        {
            got.put(i, -7);
        }
        win.get(got, 1, everyThird, next, 0, 1, everyOther);
        // accumulate 1 into each strided int of the next rank, from every rank's view: target type with gaps
        final IntBuffer ones = MPI.newIntBuffer(N);
        for (int i = 0; i < N; i++)
        {
            ones.put(i, 1);
        }
        win.fence(0);
        for (int i = 0; i < N; i++)
        {
            Expect.equal(rank * 10_000L + i, got.get(3 * i), "strided get element " + i);
            Expect.equal(-7, got.get(3 * i + 1), "origin gap " + i + " untouched");
        }
        win.accumulate(ones, N, MPI.INT, next, 0, 1, everyOther, MPI.SUM);
        win.fence(0);
        for (int i = 0; i < N; i++)
        {
            Expect.equal(prev * 10_000L + i + 1, mem.get(2 * i), "strided accumulate element " + i);
        }
        final IntBuffer fetched = MPI.newIntBuffer(3 * N);
        win.getAccumulate(null, 0, MPI.INT, fetched, 1, everyThird, next, 0, 1, everyOther, MPI.NO_OP);
        win.fence(MPI.MODE_NOSUCCEED);
        for (int i = 0; i < N; i++)
        {
            Expect.equal(rank * 10_000L + i + 1, fetched.get(3 * i), "strided fetch element " + i);
        }
        win.free();

        // MINLOC through a type built of pairs (two DOUBLE_INT per item): its pairs travel packed, without C's
        // padding, and land in the target's padded layout, on a created window and on an allocated one
        final int extent = MPI.doubleInt.getExtent();
        final Datatype twoPairs = Datatype.createContiguous(2, MPI.DOUBLE_INT);
        twoPairs.commit();
        final ByteBuffer created = MPI.newByteBuffer(2 * extent);
        final Win[] windows = {new Win(created, 2 * extent, 1, MPI.INFO_NULL, MPI.COMM_WORLD),
            new Win(2 * extent, 1, MPI.INFO_NULL, MPI.COMM_WORLD, MPI.newByteBuffer(0), Win.FLAVOR_PRIVATE)};
        final ByteBuffer mine = MPI.newByteBuffer(2 * extent);
        pair(mine, 0).putValue(size - rank);
        pair(mine, 0).putIndex(rank);
        pair(mine, 1).putValue(rank);
        pair(mine, 1).putIndex(10 * rank);
        for (final Win pairWin : windows)
        {
            final ByteBuffer target = pairWin == windows[0] ? created : (ByteBuffer)pairWin.getBuffer();
            for (int i = 0; i < 2; i++)
            {
                pair(target, i).putValue(1e9);
                pair(target, i).putIndex(-1);
            }
            pairWin.fence(0);
            pairWin.accumulate(mine, 1, twoPairs, 0, 0, 1, twoPairs, MPI.MINLOC);
            pairWin.fence(0);
            if (0 == rank)
            {
                Expect.that(1.0 == pair(target, 0).getValue(), "MINLOC pair 0 value " +
                    pair(target, 0).getValue());
                Expect.equal(size - 1, pair(target, 0).getIndex(), "MINLOC pair 0 index");
                Expect.that(0.0 == pair(target, 1).getValue(), "MINLOC pair 1 value " +
                    pair(target, 1).getValue());
                Expect.equal(0, pair(target, 1).getIndex(), "MINLOC pair 1 index");
            }
            pairWin.free();
        }
        twoPairs.free();
        System.out.println("OK");
        MPI.Finalize();
    }

    private static DoubleInt.Data pair(final ByteBuffer buffer, final int index) throws MPIException
    {
        return MPI.doubleInt.getData(buffer, index);
    }
}
