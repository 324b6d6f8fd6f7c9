package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * MPI_Win_allocate_shared: every rank stores into its own part, and after a fence reads its neighbour's part
 * through sharedQuery (loads); puts and gets (copies between mapped parts), an accumulate from every rank into
 * rank 0 and a fetchAndOp work as on any window; the allocate flavour (private memory) alongside.
 */
public final class WinShared
{
    private static final int INTS = 64;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        final Win win = new Win(INTS, 1, MPI.INFO_NULL, MPI.COMM_WORLD, MPI.newIntBuffer(0), Win.FLAVOR_SHARED);
        Expect.equal(MPI.WIN_FLAVOR_SHARED, (Integer)win.getAttr(MPI.WIN_CREATE_FLAVOR), "flavor attribute");
        final IntBuffer own = ((ByteBuffer)win.getBuffer()).asIntBuffer();
        for (int i = 0; i < INTS; i++)
        {
            own.put(i, rank * 1000 + i);
        }
        win.fence(0);
        final IntBuffer neighbour = win.sharedQuery(next).asIntBuffer();
        for (int i = 0; i < INTS; i++)
        {
            Expect.equal(next * 1000 + i, neighbour.get(i), "load from rank " + next + "'s part, element " + i);
        }
        win.fence(0);

        final IntBuffer data = MPI.newIntBuffer(4);
        for (int i = 0; i < 4; i++)
        {
            data.put(i, -rank - i);
        }
        win.put(data, 4, MPI.INT, next, 10, 4, MPI.INT);
        final IntBuffer one = MPI.newIntBuffer(1);
        one.put(0, 1);
        win.accumulate(one, 1, MPI.INT, 0, 20, 1, MPI.INT, MPI.SUM);
        win.fence(0);
        for (int i = 0; i < 4; i++)
        {
            Expect.equal(-prev - i, own.get(10 + i), "put element " + i);
        }
        if (rank == 0)
        {
            Expect.equal(20 + size, own.get(20), "accumulated into rank 0");
        }
        final IntBuffer got = MPI.newIntBuffer(4);
        win.get(got, 4, MPI.INT, next, 10, 4, MPI.INT);
        final IntBuffer fetched = MPI.newIntBuffer(1);
        win.fetchAndOp(one, fetched, MPI.INT, 0, 21, MPI.SUM);
        win.fence(MPI.MODE_NOSUCCEED);
        for (int i = 0; i < 4; i++)
        {
            Expect.equal(-rank - i, got.get(i), "get element " + i);
        }
        Expect.that(fetched.get(0) >= 21 && fetched.get(0) < 21 + size, "fetched " + fetched.get(0));
        win.free();

        final Win allocated = new Win(INTS, 1, MPI.INFO_NULL, MPI.COMM_WORLD, MPI.newIntBuffer(0), Win.FLAVOR_PRIVATE);
        final IntBuffer mine = ((ByteBuffer)allocated.getBuffer()).asIntBuffer();
        allocated.lockAll(0);
        final IntBuffer r = MPI.newIntBuffer(1);
        r.put(0, rank + 5);
        allocated.put(r, 1, MPI.INT, next, 3, 1, MPI.INT);
        allocated.unlockAll();
        MPI.COMM_WORLD.barrier();
        Expect.equal(prev + 5, mine.get(3), "put into allocated memory");
        allocated.free();
        System.out.println("OK");
        MPI.Finalize();
    }
}
