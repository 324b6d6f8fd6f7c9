package io.mpi4j.bench;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

import java.nio.ByteBuffer;

/**
 * What a program's first collectives cost right after {@code MPI_Init}: passes of OSU-like rounds (a reduce, an
 * allreduce, a bcast, an alltoall and an allgather of 1 B to 4 KiB, each followed by a barrier, on direct buffers
 * and arrays in turn, now and then one of 16, 64 or 160 KiB, and a reduce of one double), timed by kind of round
 * and reported per pass once all are done (a report between passes would itself be the program's first string
 * formatting, which stalls the other ranks). The first passes against the last show what the JIT still did after
 * MPI_Init:
 * <pre>bin/mpi4jrun -n 2 java -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
 *     io.mpi4j.bench.CollectiveBurst [passes [rounds]]</pre>
 * Prints, for rank 0, milliseconds of small rounds / large rounds per pass.
 */
public final class CollectiveBurst
{
    private static final int[] LARGE = { 16 << 10, 64 << 10, 160 << 10 };
    private static final int ARRAY_BYTES = 8 << 10;

    private CollectiveBurst()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int passes = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2_048;
        final Intracomm comm = MPI.COMM_WORLD;
        final ByteBuffer out = MPI.newByteBuffer(1 << 20);
        final ByteBuffer in = MPI.newByteBuffer(1 << 20);
        final byte[] arrayOut = new byte[ARRAY_BYTES];
        final byte[] arrayIn = new byte[ARRAY_BYTES];
        final double[] figure = new double[1];
        final double[] sum = new double[1];
        final long[][] nanos = new long[passes][2];
        for (int pass = 0; pass < passes; pass++)
        {
            for (int round = 0; round < rounds; round++)
            {
                final boolean arrays = (round & 1) != 0;
                final boolean large = round % 32 == 16;
                final int bytes = large ? LARGE[round / 32 % LARGE.length] : 1 << (round % 13);
                final int block = Math.min(bytes, (arrays ? ARRAY_BYTES : 1 << 20) / comm.getSize());
                final Object send = arrays ? arrayOut : out;
                final Object receive = arrays ? arrayIn : in;
                final long start = System.nanoTime();
                comm.reduce(send, receive, bytes, MPI.BYTE, MPI.SUM, 0);
                comm.barrier();
                comm.allReduce(send, receive, bytes, MPI.BYTE, MPI.SUM);
                comm.barrier();
                comm.bcast(send, bytes, MPI.BYTE, 0);
                comm.barrier();
                comm.allToAll(send, block, MPI.BYTE, receive, block, MPI.BYTE);
                comm.barrier();
                comm.allGather(send, block, MPI.BYTE, receive, block, MPI.BYTE);
                comm.barrier();
                comm.reduce(figure, sum, 1, MPI.DOUBLE, MPI.SUM, 0);
                nanos[pass][large ? 1 : 0] += System.nanoTime() - start;
            }
        }
        if (comm.getRank() == 0)
        {
            final StringBuilder line = new StringBuilder("ms of small/large rounds per pass:");
            for (final long[] pass : nanos)
            {
                line.append(' ').append(pass[0] / 100_000 / 10.0).append('/').append(pass[1] / 100_000 / 10.0);
            }
            System.out.println(line);
        }
        MPI.Finalize();
    }
}
