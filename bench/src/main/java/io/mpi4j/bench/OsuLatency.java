package io.mpi4j.bench;

import java.nio.ByteBuffer;

import mpi.MPI;
import mpi.MPIException;
import org.HdrHistogram.Histogram;

/**
 * OSU-method point-to-point latency ({@code osu_latency}): ranks 0 and 1 ping-pong one message of each size
 * (0 B, 1 B, 2 B ... max), first {@code warmup} untimed round trips, then {@code iterations} timed ones;
 * latency = elapsed / (2 * iterations). Blocking {@code send}/{@code recv} on direct buffers from
 * {@link MPI#newByteBuffer}. With {@code -p}, rank 0 also records every round trip / 2 and prints p50, p99, max,
 * min and p10 (the low end shows the fast path when a loaded host stretches most round trips).
 * <pre>bin/mpi4jrun -n 2 java -cp bench/target/classes io.mpi4j.bench.OsuLatency [-m bytes] [-i n] [-x n] [-p]</pre>
 */
public final class OsuLatency
{
    private static final int TAG = 1;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final OsuOptions options = OsuOptions.parse(args, 10_000, 1_000);
        final int rank = MPI.COMM_WORLD.getRank();
        if (MPI.COMM_WORLD.getSize() != 2)
        {
            if (rank == 0)
            {
                System.err.println("OsuLatency needs exactly 2 ranks");
            }
            MPI.Finalize();
            System.exit(1);
        }
        final ByteBuffer sendBuf = MPI.newByteBuffer(Math.max(1, options.maxBytes));
        final ByteBuffer recvBuf = MPI.newByteBuffer(Math.max(1, options.maxBytes));
        for (int i = 0; i < options.maxBytes; i++)
        {
            sendBuf.put(i, (byte)'a');
            recvBuf.put(i, (byte)'b');
        }
        final Histogram histogram = options.percentiles ? new Histogram(3_600_000_000_000L, 3) : null;
        if (rank == 0)
        {
            System.out.println("# OSU MPI Latency Test (mpi4j, OSU method)");
            System.out.println(options.percentiles
                ? String.format("%-10s%20s%12s%12s%12s%12s%12s", "# Size", "Latency (us)", "p50 (us)", "p99 (us)",
                    "max (us)", "min (us)", "p10 (us)")
                : String.format("%-10s%20s", "# Size", "Latency (us)"));
        }
        for (int bytes = 0; bytes <= options.jitMaxBytes() && options.jitRounds > 0; bytes = bytes == 0 ? 1 : bytes * 2)
        {
            pingPong(rank, sendBuf, recvBuf, bytes, options.jitRounds);
        }
        for (int bytes = 0; bytes <= options.maxBytes; bytes = bytes == 0 ? 1 : bytes * 2)
        {
            final int iterations = options.iterationsFor(bytes, 10);
            final int warmup = options.warmupFor(bytes, 10);
            MPI.COMM_WORLD.barrier();
            if (histogram != null)
            {
                histogram.reset();
            }
            long start = 0;
            for (int i = 0; i < warmup + iterations; i++)
            {
                if (i == warmup)
                {
                    start = System.nanoTime();
                }
                if (rank == 0)
                {
                    final long t0 = histogram != null ? System.nanoTime() : 0;
                    MPI.COMM_WORLD.send(sendBuf, bytes, MPI.BYTE, 1, TAG);
                    MPI.COMM_WORLD.recv(recvBuf, bytes, MPI.BYTE, 1, TAG);
                    if (histogram != null && i >= warmup)
                    {
                        histogram.recordValue((System.nanoTime() - t0) / 2);
                    }
                }
                else
                {
                    MPI.COMM_WORLD.recv(recvBuf, bytes, MPI.BYTE, 0, TAG);
                    MPI.COMM_WORLD.send(sendBuf, bytes, MPI.BYTE, 0, TAG);
                }
            }
            final double micros = (System.nanoTime() - start) / 1e3 / (2.0 * iterations);
            if (rank == 0)
            {
                if (histogram != null)
                {
                    System.out.printf("%-10d%20.2f%12.2f%12.2f%12.2f%12.2f%12.2f%n", bytes, micros,
                        histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                        histogram.getMaxValue() / 1e3, histogram.getMinValue() / 1e3,
                        histogram.getValueAtPercentile(10) / 1e3);
                }
                else
                {
                    System.out.printf("%-10d%20.2f%n", bytes, micros);
                }
            }
        }
        MPI.Finalize();
    }

    private static void pingPong(final int rank, final ByteBuffer sendBuf, final ByteBuffer recvBuf, final int bytes,
        final int rounds) throws MPIException
    {
        MPI.COMM_WORLD.barrier();
        for (int i = 0; i < rounds; i++)
        {
            if (rank == 0)
            {
                MPI.COMM_WORLD.send(sendBuf, bytes, MPI.BYTE, 1, TAG);
                MPI.COMM_WORLD.recv(recvBuf, bytes, MPI.BYTE, 1, TAG);
            }
            else
            {
                MPI.COMM_WORLD.recv(recvBuf, bytes, MPI.BYTE, 0, TAG);
                MPI.COMM_WORLD.send(sendBuf, bytes, MPI.BYTE, 0, TAG);
            }
        }
    }
}
