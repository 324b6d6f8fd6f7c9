package io.mpi4j.bench;

import java.nio.ByteBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/**
 * OSU-method unidirectional bandwidth ({@code osu_bw}): for each size (1 B ... max), rank 0 posts a window of 64
 * {@code iSend}s, waits for all, then waits for a 4-byte acknowledgement from rank 1, which posts the matching 64
 * {@code iRecv}s; {@code warmup} untimed windows, then {@code iterations} timed ones;
 * bandwidth = bytes * 64 * iterations / elapsed, in MB/s (10^6 bytes). Direct buffers from {@link MPI#newByteBuffer}.
 * <pre>bin/mpi4jrun -n 2 java -cp bench/target/classes io.mpi4j.bench.OsuBandwidth [-m bytes] [-i n] [-x n]</pre>
 */
public final class OsuBandwidth
{
    private static final int WINDOW = 64;
    private static final int TAG = 100;
    private static final int ACK_TAG = 101;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final OsuOptions options = OsuOptions.parse(args, 100, 10);
        final int rank = MPI.COMM_WORLD.getRank();
        if (MPI.COMM_WORLD.getSize() != 2)
        {
            if (rank == 0)
            {
                System.err.println("OsuBandwidth needs exactly 2 ranks");
            }
            MPI.Finalize();
            System.exit(1);
        }
        final ByteBuffer sendBuf = MPI.newByteBuffer(Math.max(1, options.maxBytes));
        final ByteBuffer recvBuf = MPI.newByteBuffer(Math.max(1, options.maxBytes));
        final ByteBuffer ack = MPI.newByteBuffer(4);
        for (int i = 0; i < options.maxBytes; i++)
        {
            sendBuf.put(i, (byte)'a');
            recvBuf.put(i, (byte)'b');
        }
        final Request[] window = new Request[WINDOW];
        if (rank == 0)
        {
            System.out.println("# OSU MPI Bandwidth Test (mpi4j, OSU method)");
            System.out.printf("%-10s%20s%n", "# Size", "Bandwidth (MB/s)");
        }
        for (int bytes = 1; bytes <= options.jitMaxBytes() && options.jitRounds > 0; bytes *= 2)
        {
            for (int i = 0; i < Math.max(1, options.jitRounds / WINDOW); i++)
            {
                window(rank, sendBuf, recvBuf, ack, window, bytes);
            }
        }
        for (int bytes = 1; bytes <= options.maxBytes; bytes *= 2)
        {
            // OSU: 20 timed windows and 2 warm-up ones above 8 KiB with its defaults (100 and 10)
            final int iterations = options.iterationsFor(bytes, 5);
            final int warmup = options.warmupFor(bytes, 5);
            MPI.COMM_WORLD.barrier();
            long start = 0;
            for (int i = 0; i < warmup + iterations; i++)
            {
                if (i == warmup)
                {
                    start = System.nanoTime();
                }
                window(rank, sendBuf, recvBuf, ack, window, bytes);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (rank == 0)
            {
                System.out.printf("%-10d%20.2f%n", bytes, (double)bytes * WINDOW * iterations / seconds / 1e6);
            }
        }
        MPI.Finalize();
    }

    /** One OSU window: 64 non-blocking sends (rank 0) or receives (rank 1), then the acknowledgement. */
    private static void window(final int rank, final ByteBuffer sendBuf, final ByteBuffer recvBuf, final ByteBuffer ack,
        final Request[] window, final int bytes) throws MPIException
    {
        if (rank == 0)
        {
            for (int w = 0; w < WINDOW; w++)
            {
                window[w] = MPI.COMM_WORLD.iSend(sendBuf, bytes, MPI.BYTE, 1, TAG);
            }
            Request.waitAll(window);
            MPI.COMM_WORLD.recv(ack, 4, MPI.BYTE, 1, ACK_TAG);
        }
        else
        {
            for (int w = 0; w < WINDOW; w++)
            {
                window[w] = MPI.COMM_WORLD.iRecv(recvBuf, bytes, MPI.BYTE, 0, TAG);
            }
            Request.waitAll(window);
            MPI.COMM_WORLD.send(ack, 4, MPI.BYTE, 0, ACK_TAG);
        }
    }
}
