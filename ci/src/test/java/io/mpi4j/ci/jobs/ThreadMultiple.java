package io.mpi4j.ci.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import mpi.MPI;
import mpi.MPIException;

/** MPI_THREAD_MULTIPLE: several threads per rank ping-pong at once, each on its own tag, with checked content. */
public final class ThreadMultiple
{
    static final int THREADS = 4;
    static final int ROUNDS = 2000;

    public static void main(final String[] args) throws Exception
    {
        final int provided = MPI.InitThread(args, MPI.THREAD_MULTIPLE);
        Expect.equal(MPI.THREAD_MULTIPLE, provided, "provided thread level");
        Expect.equal(MPI.THREAD_MULTIPLE, MPI.queryThread(), "queryThread");
        final int rank = MPI.COMM_WORLD.getRank();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            final int tag = 100 + t;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    pingPong(rank, tag);
                }
                catch (final Throwable e)
                {
                    // the peer thread would wait forever for this one: end the whole job now
                    failure.compareAndSet(null, e);
                    e.printStackTrace();
                    try
                    {
                        MPI.COMM_WORLD.abort(1);
                    }
                    catch (final MPIException ignored)
                    {
                        Runtime.getRuntime().halt(1);
                    }
                }
            }, "worker-" + t);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        if (failure.get() != null)
        {
            throw new AssertionError("a worker thread failed", failure.get());
        }
        System.out.println("OK threads rank=" + rank + " threads=" + THREADS + " rounds=" + ROUNDS);
        MPI.Finalize();
    }

    private static void pingPong(final int rank, final int tag) throws Exception
    {
        final int peer = 1 - rank;
        final long[] buf = new long[16 << 10];
        for (int round = 0; round < ROUNDS; round++)
        {
            // every 100th message is large enough for the rendezvous path
            final int count = round % 100 == 7 ? buf.length : 2 + round % 16;
            if (rank == 0)
            {
                buf[0] = tag * 1_000_000L + round;
                buf[count - 1] = -buf[0];
                MPI.COMM_WORLD.send(buf, count, MPI.LONG, peer, tag);
                MPI.COMM_WORLD.recv(buf, buf.length, MPI.LONG, peer, tag);
                Expect.equal(tag * 1_000_000L + round + 1, buf[0], "pong of thread tag " + tag);
            }
            else
            {
                final mpi.Status s = MPI.COMM_WORLD.recv(buf, buf.length, MPI.LONG, peer, tag);
                Expect.equal(count, s.getCount(MPI.LONG), "count on tag " + tag);
                Expect.equal(tag * 1_000_000L + round, buf[0], "ping on tag " + tag);
                Expect.equal(-buf[0], buf[count - 1], "last element on tag " + tag);
                buf[0]++;
                MPI.COMM_WORLD.send(buf, 1, MPI.LONG, peer, tag);
            }
        }
    }
}
