package io.mpi4j.ci.jobs;

import java.nio.DoubleBuffer;
import java.nio.IntBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.UserFunction;
import mpi.Win;

/**
 * Bad one-sided input under MPI.ERRORS_RETURN on the window: each row must fail with its MPI error class and a
 * message, and afterwards the window still works (a fence epoch with a put and a get).
 */
public final class WinBadInput
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int next = (rank + 1) % size;
        final IntBuffer mem = MPI.newIntBuffer(8);
        final Win win = new Win(mem, 8, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        win.setErrhandler(MPI.ERRORS_RETURN);
        final IntBuffer data = MPI.newIntBuffer(4);

        Expect.error(MPI.ERR_RMA_SYNC, "put outside an epoch",
            () -> win.put(data, 1, MPI.INT, next, 0, 1, MPI.INT));
        Expect.error(MPI.ERR_RMA_SYNC, "unlock without lock", () -> win.unlock(next));
        Expect.error(MPI.ERR_RMA_SYNC, "complete without start", win::complete);
        Expect.error(MPI.ERR_RMA_SYNC, "wait without post", win::waitFor);
        Expect.error(MPI.ERR_RMA_SYNC, "flush outside a passive epoch", () -> win.flush(next));
        Expect.error(MPI.ERR_LOCKTYPE, "lock type 7", () -> win.lock(7, next, 0));
        Expect.error(MPI.ERR_RANK, "lock of rank size", () -> win.lock(MPI.LOCK_SHARED, size, 0));
        Expect.error(MPI.ERR_ASSERT, "fence assertion 12345", () -> win.fence(12345));

        win.fence(0);
        Expect.error(MPI.ERR_RMA_RANGE, "put past the window's end",
            () -> win.put(data, 4, MPI.INT, next, 6, 4, MPI.INT));
        Expect.error(MPI.ERR_RMA_RANGE, "get at a negative displacement",
            () -> win.get(data, 1, MPI.INT, next, -1, 1, MPI.INT));
        Expect.error(MPI.ERR_TYPE, "origin int, target double",
            () -> win.put(data, 2, MPI.INT, next, 0, 1, MPI.DOUBLE));
        final DoubleBuffer doubles = MPI.newDoubleBuffer(1);
        // a datatype of another element size counts bytes of the buffer, as in Open MPI's binding: 3 ints > 8 bytes
        Expect.error(MPI.ERR_COUNT, "a one-double buffer described as three ints",
            () -> win.put(doubles, 3, MPI.INT, next, 0, 3, MPI.INT));
        Expect.error(MPI.ERR_COUNT, "count beyond the origin buffer",
            () -> win.put(data, 5, MPI.INT, next, 0, 5, MPI.INT));
        Expect.error(MPI.ERR_RANK, "target rank size", () -> win.put(data, 1, MPI.INT, size, 0, 1, MPI.INT));
        final Op user = new Op(new UserFunction() { }, true);
        Expect.error(MPI.ERR_OP, "user operator in accumulate",
            () -> win.accumulate(data, 1, MPI.INT, next, 0, 1, MPI.INT, user));
        Expect.error(MPI.ERR_RMA_SYNC, "free with an open lock", () ->
        {
            win.lock(MPI.LOCK_SHARED, next, 0);
            try
            {
                win.free();
            }
            finally
            {
                win.unlock(next);
            }
        });

        // still usable
        data.put(0, rank + 40);
        win.put(data, 1, MPI.INT, next, 3, 1, MPI.INT);
        win.fence(0);
        Expect.equal((rank + size - 1) % size + 40, mem.get(3), "put after the errors");
        final IntBuffer got = MPI.newIntBuffer(1);
        win.get(got, 1, MPI.INT, next, 3, 1, MPI.INT);
        win.fence(MPI.MODE_NOSUCCEED);
        Expect.equal(rank + 40, got.get(0), "get after the errors");
        win.free();

        // dynamic windows: attach/detach mistakes, and a put to memory the target never attached
        final Win dynamic = new Win(MPI.INFO_NULL, MPI.COMM_WORLD);
        dynamic.setErrhandler(MPI.ERRORS_RETURN);
        final IntBuffer region = MPI.newIntBuffer(16);
        dynamic.attach(region, 16);
        Expect.error(MPI.ERR_RMA_ATTACH, "attach overlapping memory", () -> dynamic.attach(region, 4));
        final IntBuffer other = MPI.newIntBuffer(4);
        Expect.error(MPI.ERR_RMA_ATTACH, "detach memory never attached", () -> dynamic.detach(other));
        Expect.error(MPI.ERR_RMA_FLAVOR, "sharedQuery on a dynamic window", () -> dynamic.sharedQuery(0));
        dynamic.lock(MPI.LOCK_SHARED, next, 0);
        dynamic.put(data, 1, MPI.INT, next, 8, 1, MPI.INT);
        final MPIException refused = Expect.error(MPI.ERR_RMA_RANGE, "put to an address the target never attached",
            () -> dynamic.unlock(next));
        Expect.that(refused.getMessage().contains("rank " + next), "the message names the target: " +
            refused.getMessage());
        dynamic.lock(MPI.LOCK_SHARED, next, 0);
        dynamic.unlock(next);
        MPI.COMM_WORLD.barrier();
        dynamic.detach(region);
        dynamic.free();
        final Win created = new Win(region, 16, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        created.setErrhandler(MPI.ERRORS_RETURN);
        Expect.error(MPI.ERR_RMA_FLAVOR, "attach to a window that is not dynamic", () -> created.attach(other, 4));
        created.free();
        System.out.println("OK");
        MPI.Finalize();
    }
}
