package io.mpi4j.bench;

import java.nio.DoubleBuffer;

import mpi.Datatype;
import mpi.MPI;
import mpi.MPIException;

/**
 * Halo exchange of one matrix column, the same loop as {@code bench/c/halo_vector.c}: an N x N row-major matrix of
 * doubles in a direct buffer, its first column described by {@code createVector(N, 1, N, MPI.DOUBLE)}; ranks 0 and 1
 * ping-pong the column (blocking send/recv of one vector), {@code warmup} untimed round trips then {@code iterations}
 * timed ones; rank 0 prints "N microseconds" per one-way exchange for N = 256 ... max. The counts are OSU's
 * defaults, 10,000 after 1,000 for a column of up to 8 KiB and a tenth of each above, with no other warm-up pass.
 * <pre>bin/mpi4jrun -n 2 java -cp bench/target/classes io.mpi4j.bench.HaloVector [-m maxN] [-i n] [-x n]</pre>
 */
public final class HaloVector
{
    private static final int TAG = 7;
    /** Above this OSU's benchmarks run a tenth of the iterations. */
    private static final int LARGE_MESSAGE_BYTES = 8192;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        int maxN = 2048;
        int iterations = 10_000;
        int warmup = 1_000;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "-m": maxN = Integer.parseInt(args[i + 1]); break;
                case "-i": iterations = Integer.parseInt(args[i + 1]); break;
                case "-x": warmup = Integer.parseInt(args[i + 1]); break;
                default: break;
            }
        }
        final int rank = MPI.COMM_WORLD.getRank();
        final DoubleBuffer matrix = MPI.newDoubleBuffer(maxN * maxN);
        for (int i = 0; i < maxN * maxN; i++)
        {
            matrix.put(i, rank * 1e6 + i);
        }
        if (0 == rank)
        {
            System.out.println("# mpi4j halo exchange of a matrix column (MPI_Type_vector of doubles), one-way us");
            System.out.printf("%-10s%20s%n", "# N", "Latency (us)");
        }
        for (int n = 256; n <= maxN; n *= 2)
        {
            final Datatype column = Datatype.createVector(n, 1, n, MPI.DOUBLE);
            column.commit();
            MPI.COMM_WORLD.barrier();
            final boolean large = n * Double.BYTES > LARGE_MESSAGE_BYTES;
            final int timed = large ? iterations / 10 : iterations;
            final int skipped = large ? warmup / 10 : warmup;
            long start = 0;
            for (int i = 0; i < skipped + timed; i++)
            {
                if (i == skipped)
                {
                    start = System.nanoTime();
                }
                if (0 == rank)
                {
                    MPI.COMM_WORLD.send(matrix, 1, column, 1, TAG);
                    MPI.COMM_WORLD.recv(matrix, 1, column, 1, TAG);
                }
                else
                {
                    MPI.COMM_WORLD.recv(matrix, 1, column, 0, TAG);
                    MPI.COMM_WORLD.send(matrix, 1, column, 0, TAG);
                }
            }
            final double micros = (System.nanoTime() - start) / 1e3 / (2.0 * timed);
            column.free();
            if (0 == rank)
            {
                System.out.printf("%-10d%20.2f%n", n, micros);
            }
        }
        MPI.Finalize();
    }
}
