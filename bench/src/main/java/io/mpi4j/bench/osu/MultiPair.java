package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/**
 * The many-pairs point-to-point benchmarks: rank r below {@code pairs} is paired with rank r + pairs (OSU's block
 * ordering), every iteration starts with a barrier of all ranks, and the senders' times are summed over the
 * senders (a communicator split by {@code rank < pairs}) and divided by the number of pairs.
 * <ul>
 * <li>{@code osu_mbw_mr}: each sender posts a window of {@code MPI_Isend}s, waits, and receives a 1-byte
 * acknowledgement; aggregate MB/s = size / 10^6 * pairs * window * iterations / time, messages/s = MB/s * 10^6 /
 * size.</li>
 * <li>{@code osu_multi_lat}: every pair ping-pongs concurrently; latency = time / (2 * iterations).</li>
 * </ul>
 */
public final class MultiPair
{
    static final String BANDWIDTH_NAME = "osu_mbw_mr";
    static final String LATENCY_NAME = "osu_multi_lat";
    private static final int TAG = 100;
    private static final int ACK_TAG = 101;
    private static final int LATENCY_TAG = 1;

    private final double[] time = new double[1];
    private final double[] timeSum = new double[1];

    private MultiPair()
    {
    }

    /** {@code osu_mbw_mr}. */
    public static void main(final String[] args) throws MPIException
    {
        OsuProgram.run(BANDWIDTH_NAME, OsuOptions.Family.MULTI_BANDWIDTH, args, 2, Integer.MAX_VALUE,
            new MultiPair()::bandwidth);
    }

    /** {@code osu_multi_lat}. */
    public static void latency(final String[] args) throws MPIException
    {
        OsuProgram.run(LATENCY_NAME, OsuOptions.Family.LATENCY, args, 2, Integer.MAX_VALUE,
            new MultiPair()::latency);
    }

    private void bandwidth(final OsuOptions options, final int rank, final int ranks, final OsuReport report)
        throws MPIException
    {
        final int pairs = options.pairs < 0 ? ranks / 2 : options.pairs;
        if (pairs > ranks / 2)
        {
            throw new IllegalArgumentException("Invalid Number of Pairs [-p " + pairs + "]: " + ranks
                + " processes make at most " + ranks / 2);
        }
        final ByteBuffer send = Buffers.filled(options.maxSize, 'a');
        final ByteBuffer recv = Buffers.filled(options.maxSize, 'b');
        final Request[] window = new Request[options.windowSize];
        report.header("OSU MPI Multiple Bandwidth / Message Rate Test", false);
        report.line("# [ pairs: " + pairs + " ] [ window size: " + options.windowSize + " ]");
        report.datatype("MPI_CHAR");
        report.columns("MB/s", "Messages/s");
        final Intracomm senders = MPI.COMM_WORLD.split(rank < pairs ? 1 : 0, rank);
        for (int size = Math.max(1, options.minSize); size <= options.maxSize; size *= 2)
        {
            final int iterations = options.iterationsFor(size);
            final int skip = options.skipFor(size);
            MPI.COMM_WORLD.barrier();
            long total = 0;
            for (int i = 0; i < iterations + skip; i++)
            {
                MPI.COMM_WORLD.barrier();
                if (rank < pairs)
                {
                    final long start = System.nanoTime();
                    for (int w = 0; w < window.length; w++)
                    {
                        window[w] = MPI.COMM_WORLD.iSend(send, size, MPI.BYTE, rank + pairs, TAG);
                    }
                    Request.waitAll(window);
                    MPI.COMM_WORLD.recv(recv, 1, MPI.BYTE, rank + pairs, ACK_TAG);
                    if (i >= skip)
                    {
                        total += System.nanoTime() - start;
                    }
                }
                else if (rank < 2 * pairs)
                {
                    for (int w = 0; w < window.length; w++)
                    {
                        window[w] = MPI.COMM_WORLD.iRecv(recv, size, MPI.BYTE, rank - pairs, TAG);
                    }
                    Request.waitAll(window);
                    MPI.COMM_WORLD.send(send, 1, MPI.BYTE, rank - pairs, ACK_TAG);
                }
            }
            final double seconds = senderMean(senders, total, pairs);
            final double megabytesPerSecond = size / 1e6 * pairs * options.windowSize * iterations / seconds;
            report.row(size, megabytesPerSecond, megabytesPerSecond * 1e6 / size);
        }
        senders.free();
    }

    private void latency(final OsuOptions options, final int rank, final int ranks, final OsuReport report)
        throws MPIException
    {
        final int pairs = ranks / 2;
        final ByteBuffer send = Buffers.filled(options.maxSize, 'a');
        final ByteBuffer recv = Buffers.filled(options.maxSize, 'b');
        report.header("OSU MPI Multi Latency Test", true);
        report.datatype("MPI_CHAR");
        report.columns("Avg Latency(us)");
        final Intracomm senders = MPI.COMM_WORLD.split(rank < pairs ? 1 : 0, rank);
        for (int size = options.minSize; size <= options.maxSize; size = OsuOptions.nextSize(size))
        {
            final int iterations = options.iterationsFor(size);
            final int skip = options.skipFor(size);
            MPI.COMM_WORLD.barrier();
            long total = 0;
            for (int i = 0; i < iterations + skip; i++)
            {
                MPI.COMM_WORLD.barrier();
                if (rank < pairs)
                {
                    final long start = System.nanoTime();
                    MPI.COMM_WORLD.send(send, size, MPI.BYTE, rank + pairs, LATENCY_TAG);
                    MPI.COMM_WORLD.recv(recv, size, MPI.BYTE, rank + pairs, LATENCY_TAG);
                    if (i >= skip)
                    {
                        total += System.nanoTime() - start;
                    }
                }
                else if (rank < 2 * pairs)
                {
                    MPI.COMM_WORLD.recv(recv, size, MPI.BYTE, rank - pairs, LATENCY_TAG);
                    MPI.COMM_WORLD.send(send, size, MPI.BYTE, rank - pairs, LATENCY_TAG);
                }
            }
            report.row(size, senderMean(senders, total, pairs) * 1e6 / (2.0 * iterations));
        }
        senders.free();
    }

    /** The senders' mean of their total timed nanoseconds, in seconds, at rank 0 (other ranks: meaningless). */
    private double senderMean(final Intracomm senders, final long totalNanos, final int pairs) throws MPIException
    {
        time[0] = totalNanos / 1e9;
        senders.reduce(time, timeSum, 1, MPI.DOUBLE, MPI.SUM, 0);
        return timeSum[0] / pairs;
    }
}
