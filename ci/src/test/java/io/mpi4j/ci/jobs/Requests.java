package io.mpi4j.ci.jobs;

import java.nio.IntBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/** Request.waitAny / waitAnyStatus / waitAll / waitAllStatus / testAll / test on receives completed out of order. */
public final class Requests
{
    static final int N = 8;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int[] go = new int[1];
        if (rank == 0)
        {
            // waitAny: the sender sends tags in reverse order
            IntBuffer[] bufs = buffers();
            Request[] reqs = post(bufs);
            final boolean[] done = new boolean[N];
            for (int k = 0; k < N; k++)
            {
                final int index = Request.waitAny(reqs);
                Expect.that(index >= 0 && index < N, "waitAny index " + index);
                Expect.that(!done[index], "waitAny returned " + index + " twice");
                done[index] = true;
                Expect.equal(index, bufs[index].get(0), "content of request " + index);
            }
            Expect.equal(MPI.UNDEFINED, Request.waitAny(reqs), "waitAny over completed requests");

            // waitAnyStatus
            bufs = buffers();
            reqs = post(bufs);
            for (int k = 0; k < N; k++)
            {
                final Status s = Request.waitAnyStatus(reqs);
                final int index = s.getIndex();
                Expect.equal(index, s.getTag(), "tag of request " + index);
                Expect.equal(1, s.getSource(), "source");
            }

            // waitAllStatus
            bufs = buffers();
            reqs = post(bufs);
            final Status[] all = Request.waitAllStatus(reqs);
            for (int i = 0; i < N; i++)
            {
                Expect.equal(i, all[i].getTag(), "waitAllStatus tag " + i);
                Expect.equal(i, bufs[i].get(0), "waitAll content " + i);
            }

            // testAll is false until the sender is told to go
            bufs = buffers();
            reqs = post(bufs);
            Expect.that(!Request.testAll(reqs), "testAll before anything was sent");
            Expect.that(!reqs[0].test(), "test before anything was sent");
            MPI.COMM_WORLD.send(go, 1, MPI.INT, 1, 99);
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Request.testAll(reqs))
            {
                Expect.that(System.nanoTime() < deadline, "testAll never became true");
            }
            for (int i = 0; i < N; i++)
            {
                Expect.equal(i, bufs[i].get(0), "testAll content " + i);
            }

            // waitAll on mixed send and receive requests
            bufs = buffers();
            final Request[] mixed = new Request[2 * N];
            final IntBuffer out = MPI.newIntBuffer(N);
            for (int i = 0; i < N; i++)
            {
                mixed[i] = MPI.COMM_WORLD.iRecv(bufs[i], 1, MPI.INT, 1, i);
                out.put(i, 1000 + i);
                mixed[N + i] = MPI.COMM_WORLD.iSend(MPI.slice(out, i), 1, MPI.INT, 1, 200 + i);
            }
            Request.waitAll(mixed);
            for (int i = 0; i < N; i++)
            {
                Expect.equal(i, bufs[i].get(0), "mixed content " + i);
            }
            System.out.println("OK requests");
        }
        else if (rank == 1)
        {
            for (int round = 0; round < 3; round++)
            {
                sendReversed();
            }
            MPI.COMM_WORLD.recv(go, 1, MPI.INT, 0, 99);
            sendReversed();
            final Request[] mixed = new Request[2 * N];
            final IntBuffer in = MPI.newIntBuffer(N);
            for (int i = 0; i < N; i++)
            {
                mixed[i] = MPI.COMM_WORLD.iRecv(MPI.slice(in, i), 1, MPI.INT, 0, 200 + i);
            }
            final IntBuffer out = MPI.newIntBuffer(N);
            for (int i = N - 1; i >= 0; i--)
            {
                out.put(i, i);
                mixed[N + i] = MPI.COMM_WORLD.iSend(MPI.slice(out, i), 1, MPI.INT, 0, i);
            }
            Request.waitAll(mixed);
            for (int i = 0; i < N; i++)
            {
                Expect.equal(1000 + i, in.get(i), "mixed content at rank 1, " + i);
            }
            System.out.println("OK requests");
        }
        MPI.Finalize();
    }

    private static IntBuffer[] buffers()
    {
        final IntBuffer[] bufs = new IntBuffer[N];
        for (int i = 0; i < N; i++)
        {
            bufs[i] = MPI.newIntBuffer(1);
            bufs[i].put(0, -1);
        }
        return bufs;
    }

    private static Request[] post(final IntBuffer[] bufs) throws MPIException
    {
        final Request[] reqs = new Request[N];
        for (int i = 0; i < N; i++)
        {
            reqs[i] = MPI.COMM_WORLD.iRecv(bufs[i], 1, MPI.INT, 1, i);
        }
        return reqs;
    }

    private static void sendReversed() throws MPIException
    {
        final int[] v = new int[1];
        for (int i = N - 1; i >= 0; i--)
        {
            v[0] = i;
            MPI.COMM_WORLD.send(v, 1, MPI.INT, 0, i);
        }
    }
}
