package io.mpi4j.bench;

import java.nio.FloatBuffer;

import mpi.MPI;
import mpi.MPIException;

/**
 * OSU-method allreduce latency ({@code osu_allreduce}): for each size (4 B ... max, floats, {@code MPI.SUM}) every
 * rank runs {@code warmup} untimed then {@code iterations} timed {@code allReduce} calls, timing each call; the
 * figure is the average over ranks of each rank's mean time per call. Direct buffers from {@link MPI#newFloatBuffer}.
 * <pre>bin/mpi4jrun -n 2 java -cp bench/target/classes io.mpi4j.bench.OsuAllReduce [-m bytes] [-i n] [-x n]</pre>
 */
public final class OsuAllReduce
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final OsuOptions options = OsuOptions.parse(args, 1_000, 100);
        if (options.maxBytes == 4 << 20 && !java.util.Arrays.asList(args).contains("-m"))
        {
            options.maxBytes = 1 << 20;
        }
        final int rank = MPI.COMM_WORLD.getRank();
        final int maxCount = Math.max(1, options.maxBytes / 4);
        final FloatBuffer send = MPI.newFloatBuffer(maxCount);
        final FloatBuffer recv = MPI.newFloatBuffer(maxCount);
        for (int i = 0; i < maxCount; i++)
        {
            send.put(i, 1.0f);
        }
        if (rank == 0)
        {
            System.out.println("# OSU MPI Allreduce Latency Test (mpi4j, OSU method), " + MPI.COMM_WORLD.getSize() +
                " ranks");
            System.out.println(String.format("%-10s%20s", "# Size", "Avg Latency (us)"));
        }
        // untimed JIT warm-up over the small sizes: OSU's warm-up counts are sized for C
        for (int bytes = 4; bytes <= options.jitMaxBytes() && options.jitRounds > 0; bytes *= 2)
        {
            for (int i = 0; i < options.jitRounds / 4; i++)
            {
                MPI.COMM_WORLD.allReduce(send, recv, bytes / 4, MPI.FLOAT, MPI.SUM);
            }
        }
        final double[] local = new double[1];
        final double[] total = new double[1];
        for (int bytes = 4; bytes <= options.maxBytes; bytes *= 2)
        {
            final int count = bytes / 4;
            final int iterations = options.iterationsFor(bytes, 10);
            final int warmup = options.warmupFor(bytes, 10);
            MPI.COMM_WORLD.barrier();
            long elapsed = 0;
            for (int i = 0; i < warmup + iterations; i++)
            {
                final long t0 = System.nanoTime();
                MPI.COMM_WORLD.allReduce(send, recv, count, MPI.FLOAT, MPI.SUM);
                if (i >= warmup)
                {
                    elapsed += System.nanoTime() - t0;
                }
            }
            MPI.COMM_WORLD.barrier();
            local[0] = elapsed / 1e3 / iterations;
            MPI.COMM_WORLD.reduce(local, total, 1, MPI.DOUBLE, MPI.SUM, 0);
            if (rank == 0)
            {
                System.out.printf("%-10d%20.2f%n", bytes, total[0] / MPI.COMM_WORLD.getSize());
            }
        }
        MPI.Finalize();
    }
}
