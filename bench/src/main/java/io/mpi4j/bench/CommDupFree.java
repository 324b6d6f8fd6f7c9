package io.mpi4j.bench;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * Cost of {@code MPI_Comm_dup} + {@code MPI_Comm_free} on {@code COMM_WORLD}, the same loop as
 * {@code bench/c/comm_dup_free.c}: {@code warmup} untimed rounds, a barrier, then {@code iterations} timed rounds of
 * dup then free; rank 0 prints the mean microseconds per dup+free.
 * <pre>bin/mpi4jrun -n 2 java -cp bench/target/classes io.mpi4j.bench.CommDupFree [-i n] [-x n]</pre>
 */
public final class CommDupFree
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        int iterations = 10_000;
        int warmup = 1_000;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            if ("-i".equals(args[i]))
            {
                iterations = Integer.parseInt(args[i + 1]);
            }
            else if ("-x".equals(args[i]))
            {
                warmup = Integer.parseInt(args[i + 1]);
            }
        }
        final Intracomm world = MPI.COMM_WORLD;
        // JIT warm-up beyond the C warm-up count: the loop must be compiled before it is timed.
        for (int i = 0; i < warmup * 10; i++)
        {
            world.dup().free();
        }
        world.barrier();
        final long start = System.nanoTime();
        for (int i = 0; i < iterations; i++)
        {
            world.dup().free();
        }
        final long elapsed = System.nanoTime() - start;
        world.barrier();
        if (world.getRank() == 0)
        {
            System.out.println("# mpi4j MPI_Comm_dup + MPI_Comm_free, " + world.getSize() + " ranks, " + iterations +
                " iterations");
            System.out.printf("dup_free_us %.3f%n", elapsed / 1e3 / iterations);
        }
        MPI.Finalize();
    }
}
