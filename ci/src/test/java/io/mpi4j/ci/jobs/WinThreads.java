package io.mpi4j.ci.jobs;

import java.nio.IntBuffer;
import java.util.concurrent.atomic.AtomicReference;

import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * MPI_THREAD_MULTIPLE: inside one lockAll epoch, several threads of every rank accumulate into rank 0's counter
 * and fetch-and-add another, flushing as they go; the final values must be exact.
 */
public final class WinThreads
{
    private static final int THREADS = 3;
    private static final int ITERATIONS = 150;

    public static void main(final String[] args) throws Exception
    {
        final int provided = MPI.InitThread(args, MPI.THREAD_MULTIPLE);
        Expect.equal(MPI.THREAD_MULTIPLE, provided, "thread level");
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final IntBuffer mem = MPI.newIntBuffer(2);
        final Win win = new Win(mem, 2, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        win.lockAll(0);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++)
        {
            threads[t] = new Thread(() ->
            {
                try
                {
                    final IntBuffer one = MPI.newIntBuffer(1);
                    one.put(0, 1);
                    final IntBuffer previous = MPI.newIntBuffer(1);
                    for (int i = 0; i < ITERATIONS; i++)
                    {
                        win.accumulate(one, 1, MPI.INT, 0, 0, 1, MPI.INT, MPI.SUM);
                        win.fetchAndOp(one, previous, MPI.INT, 0, 1, MPI.SUM);
                        win.flush(0);
                    }
                }
                catch (final Throwable e)
                {
                    failure.compareAndSet(null, e);
                }
            });
            threads[t].start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        if (null != failure.get())
        {
            throw new AssertionError("a thread failed", failure.get());
        }
        win.unlockAll();
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            final long expected = (long)size * THREADS * ITERATIONS;
            Expect.equal(expected, mem.get(0), "accumulated from every thread");
            Expect.equal(expected, mem.get(1), "fetch-and-added from every thread");
        }
        win.free();
        System.out.println("OK");
        MPI.Finalize();
    }
}
