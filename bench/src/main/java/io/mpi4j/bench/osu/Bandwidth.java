package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/**
 * {@code osu_bw} and {@code osu_bibw}. Unidirectional: rank 0 posts a window ({@code -W}, 64) of
 * {@code MPI_Isend}s, waits for them, then for rank 1's 1-byte acknowledgement; rank 1 posts the window's
 * {@code MPI_Irecv}s. Bidirectional: both ranks post the window's receives and then its sends. Each timed window
 * is timed; MB/s = size / 10^6 * window * iterations (* 2 bidirectional) / total seconds.
 */
public final class Bandwidth
{
    static final String NAME = "osu_bw";
    static final String BIDIRECTIONAL_NAME = "osu_bibw";
    private static final int TAG = 100;
    private static final int ACK_TAG = 101;

    private final boolean bidirectional;

    private Bandwidth(final boolean bidirectional)
    {
        this.bidirectional = bidirectional;
    }

    public static void main(final String[] args) throws MPIException
    {
        OsuProgram.run(NAME, OsuOptions.Family.BANDWIDTH, args, 2, 2, new Bandwidth(false)::run);
    }

    /** {@code osu_bibw}. */
    public static void bidirectional(final String[] args) throws MPIException
    {
        OsuProgram.run(BIDIRECTIONAL_NAME, OsuOptions.Family.BANDWIDTH, args, 2, 2, new Bandwidth(true)::run);
    }

    private void run(final OsuOptions options, final int rank, final int ranks, final OsuReport report)
        throws MPIException
    {
        final ByteBuffer send = Buffers.filled(options.maxSize, 'a');
        final ByteBuffer recv = Buffers.filled(options.maxSize, 'b');
        final Request[] sends = new Request[options.windowSize];
        final Request[] recvs = new Request[options.windowSize];
        final int peer = 1 - rank;
        report.header(bidirectional ? "OSU MPI Bi-Directional Bandwidth Test" : "OSU MPI Bandwidth Test", true);
        report.datatype("MPI_CHAR");
        report.columns("Bandwidth (MB/s)");
        for (int size = Math.max(1, options.minSize); size <= options.maxSize; size *= 2)
        {
            final int iterations = options.iterationsFor(size);
            final int skip = options.skipFor(size);
            MPI.COMM_WORLD.barrier();
            long total = 0;
            for (int i = 0; i < iterations + skip; i++)
            {
                final long start = System.nanoTime();
                if (bidirectional)
                {
                    for (int w = 0; w < sends.length; w++)
                    {
                        recvs[w] = MPI.COMM_WORLD.iRecv(recv, size, MPI.BYTE, peer, TAG);
                    }
                    for (int w = 0; w < sends.length; w++)
                    {
                        sends[w] = MPI.COMM_WORLD.iSend(send, size, MPI.BYTE, peer, TAG);
                    }
                    if (rank == 0)
                    {
                        Request.waitAll(sends);
                        Request.waitAll(recvs);
                    }
                    else
                    {
                        Request.waitAll(recvs);
                        Request.waitAll(sends);
                    }
                }
                else if (rank == 0)
                {
                    for (int w = 0; w < sends.length; w++)
                    {
                        sends[w] = MPI.COMM_WORLD.iSend(send, size, MPI.BYTE, 1, TAG);
                    }
                    Request.waitAll(sends);
                    MPI.COMM_WORLD.recv(recv, 1, MPI.BYTE, 1, ACK_TAG);
                }
                else
                {
                    for (int w = 0; w < recvs.length; w++)
                    {
                        recvs[w] = MPI.COMM_WORLD.iRecv(recv, size, MPI.BYTE, 0, TAG);
                    }
                    Request.waitAll(recvs);
                    MPI.COMM_WORLD.send(send, 1, MPI.BYTE, 0, ACK_TAG);
                }
                if (i >= skip)
                {
                    total += System.nanoTime() - start;
                }
            }
            final double megabytes = size / 1e6 * options.windowSize * iterations * (bidirectional ? 2 : 1);
            report.row(size, megabytes / (total / 1e9));
        }
    }
}
