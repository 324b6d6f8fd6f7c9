package io.mpi4j.ci.jobs;

import java.util.SplittableRandom;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/**
 * Soak for args[0] seconds (default 20): in every round each rank sends every other rank one message of a random
 * size (0..256 KiB, so eager and rendezvous) and random tag with iSend, and receives its messages of the round in
 * one of three ways (probe + recv, iprobe polling + recv, iRecv of any tag from each source); every byte is checked
 * against a pattern of (source, destination, sequence, index), and sizes and tags against what the sender chose
 * (the sender's random stream is seeded by its rank, so the receiver replays it). A one-int allreduce ends each
 * round and decides, from rank 0's clock, whether to go on.
 */
public final class SoakMixed
{
    private static final int MAX_BYTES = 256 << 10;
    private static final int TAGS = 100;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        // What each sender draws (size, tag) for each destination, replayed by the receivers.
        final SplittableRandom[] draws = new SplittableRandom[size];
        for (int r = 0; r < size; r++)
        {
            draws[r] = new SplittableRandom(0x5eed0000L + r);
        }
        final byte[][] out = new byte[size][MAX_BYTES];
        final byte[][] in = new byte[size][MAX_BYTES];
        final int[][] sizes = new int[size][size];
        final int[][] tags = new int[size][size];
        final Request[] sends = new Request[size];
        final Request[] recvs = new Request[size];
        final double start = MPI.wtime();
        long bytes = 0;
        int round = 0;
        while (true)
        {
            for (int src = 0; src < size; src++)
            {
                for (int dst = 0; dst < size; dst++)
                {
                    if (src != dst)
                    {
                        sizes[src][dst] = draws[src].nextInt(MAX_BYTES + 1);
                        tags[src][dst] = draws[src].nextInt(TAGS);
                    }
                }
            }
            for (int dst = 0; dst < size; dst++)
            {
                if (dst != rank)
                {
                    final int n = sizes[rank][dst];
                    for (int i = 0; i < n; i++)
                    {
                        out[dst][i] = Expect.pattern(rank, dst, round, i);
                    }
                    sends[dst] = MPI.COMM_WORLD.iSend(out[dst], n, MPI.BYTE, dst, tags[rank][dst]);
                }
            }
            final int method = round % 3;
            if (method == 2)
            {
                for (int src = 0; src < size; src++)
                {
                    if (src != rank)
                    {
                        recvs[src] = MPI.COMM_WORLD.iRecv(in[src], MAX_BYTES, MPI.BYTE, src, MPI.ANY_TAG);
                    }
                }
                for (int src = 0; src < size; src++)
                {
                    if (src != rank)
                    {
                        final Status s = recvs[src].waitStatus();
                        check(rank, round, src, s.getTag(), s.getCount(MPI.BYTE), in[src], sizes, tags);
                        bytes += s.getCount(MPI.BYTE);
                    }
                }
            }
            else
            {
                for (int k = 1; k < size; k++)
                {
                    Status probed;
                    if (method == 0)
                    {
                        probed = MPI.COMM_WORLD.probe(MPI.ANY_SOURCE, MPI.ANY_TAG);
                    }
                    else
                    {
                        while ((probed = MPI.COMM_WORLD.iProbe(MPI.ANY_SOURCE, MPI.ANY_TAG)) == null)
                        {
                            Thread.onSpinWait();
                        }
                    }
                    final int src = probed.getSource();
                    final int n = probed.getCount(MPI.BYTE);
                    final Status s = MPI.COMM_WORLD.recv(in[src], n, MPI.BYTE, src, probed.getTag());
                    Expect.equal(n, s.getCount(MPI.BYTE), "round " + round + ": probed and received sizes");
                    check(rank, round, src, s.getTag(), n, in[src], sizes, tags);
                    bytes += n;
                }
            }
            for (int dst = 0; dst < size; dst++)
            {
                if (dst != rank)
                {
                    sends[dst].waitFor();
                }
            }
            round++;
            final int[] goOn = { rank == 0 && MPI.wtime() - start >= seconds ? 0 : 1 };
            MPI.COMM_WORLD.allReduce(goOn, 1, MPI.INT, MPI.MIN);
            if (goOn[0] == 0)
            {
                break;
            }
        }
        System.out.println("OK rank " + rank + " rounds " + round + " bytes " + bytes);
        MPI.Finalize();
    }

    private static void check(final int rank, final int round, final int src, final int tag, final int n,
        final byte[] data, final int[][] sizes, final int[][] tags)
    {
        final String where = "round " + round + ", message from " + src;
        Expect.equal(sizes[src][rank], n, where + ": size");
        Expect.equal(tags[src][rank], tag, where + ": tag");
        for (int i = 0; i < n; i++)
        {
            if (data[i] != Expect.pattern(src, rank, round, i))
            {
                throw new AssertionError(where + ": byte " + i + " is " + data[i] + ", expected " +
                    Expect.pattern(src, rank, round, i));
            }
        }
    }
}
