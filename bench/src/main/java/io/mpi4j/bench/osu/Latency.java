package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.MPI;
import mpi.MPIException;

/**
 * {@code osu_latency}: ranks 0 and 1 ping-pong one message of each size (0 B, 1 B, 2 B ... max) with blocking
 * {@code MPI_Send}/{@code MPI_Recv}; after {@code -x} untimed round trips, each of the {@code -i} timed ones is
 * timed and latency = total / (2 * iterations). Direct buffers from {@link MPI#newByteBuffer}.
 */
public final class Latency
{
    static final String NAME = "osu_latency";
    private static final int TAG = 1;

    private Latency()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        OsuProgram.run(NAME, OsuOptions.Family.LATENCY, args, 2, 2, Latency::run);
    }

    private static void run(final OsuOptions options, final int rank, final int ranks, final OsuReport report)
        throws MPIException
    {
        final ByteBuffer send = Buffers.filled(options.maxSize, 'a');
        final ByteBuffer recv = Buffers.filled(options.maxSize, 'b');
        report.header("OSU MPI Latency Test", true);
        report.datatype("MPI_CHAR");
        report.columns("Avg Latency(us)");
        for (int size = options.minSize; size <= options.maxSize; size = OsuOptions.nextSize(size))
        {
            final int iterations = options.iterationsFor(size);
            final int skip = options.skipFor(size);
            MPI.COMM_WORLD.barrier();
            long total = 0;
            for (int i = 0; i < iterations + skip; i++)
            {
                if (rank == 0)
                {
                    final long start = System.nanoTime();
                    MPI.COMM_WORLD.send(send, size, MPI.BYTE, 1, TAG);
                    MPI.COMM_WORLD.recv(recv, size, MPI.BYTE, 1, TAG);
                    if (i >= skip)
                    {
                        total += System.nanoTime() - start;
                    }
                }
                else
                {
                    MPI.COMM_WORLD.recv(recv, size, MPI.BYTE, 0, TAG);
                    MPI.COMM_WORLD.send(send, size, MPI.BYTE, 0, TAG);
                }
            }
            report.row(size, total / 1e3 / (2.0 * iterations));
        }
    }
}
