import java.nio.ByteBuffer;

import mpi.MPI;
import mpi.MPIException;

/**
 * mpi4j quick start. A token travels once around the ring (every hop is printed), then ranks 0 and 1 measure a
 * short ping-pong latency and a bandwidth while the other ranks wait at a barrier.
 *
 * <pre>
 * bin/mpi4jjavac -d build/examples examples/HelloRing.java
 * bin/mpi4jrun -n 4 java -cp build/examples HelloRing
 * </pre>
 */
public class HelloRing
{
    public static void main(String[] args) throws MPIException
    {
        MPI.Init(args);
        int rank = MPI.COMM_WORLD.getRank();
        int size = MPI.COMM_WORLD.getSize();
        String host = MPI.getProcessorName();

        int[] token = new int[1];
        int next = (rank + 1) % size;
        int prev = (rank + size - 1) % size;
        if (rank == 0)
        {
            System.out.println("rank 0 of " + size + " on " + host + ": sending the token to rank " + next);
            MPI.COMM_WORLD.send(token, 1, MPI.INT, next, 0);
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, prev, 0);
            System.out.println("rank 0: token is back after " + token[0] + " hops");
        }
        else
        {
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, prev, 0);
            token[0]++;
            System.out.println("rank " + rank + " of " + size + " on " + host + ": got the token from rank " + prev
                + " (hop " + token[0] + "), passing it to rank " + next);
            MPI.COMM_WORLD.send(token, 1, MPI.INT, next, 0);
        }

        MPI.COMM_WORLD.barrier();
        if (size >= 2 && rank < 2)
        {
            if (rank == 0 && size > Runtime.getRuntime().availableProcessors())
            {
                System.out.println("(" + size + " ranks share " + Runtime.getRuntime().availableProcessors() +
                    " cores: waiting ranks yield their core, so these figures are far from 2 ranks on 2 cores;" +
                    " see bench/RESULTS.md)");
            }
            pingPong(rank, 8, 10_000);
            pingPong(rank, 1024, 10_000);
            bandwidth(rank, 1 << 20, 200);
        }
        MPI.COMM_WORLD.barrier();
        MPI.Finalize();
    }

    /** Half the average round trip of a {@code bytes}-byte ping-pong between ranks 0 and 1. */
    static void pingPong(int rank, int bytes, int iterations) throws MPIException
    {
        ByteBuffer buf = MPI.newByteBuffer(bytes);
        int peer = 1 - rank;
        double start = 0;
        for (int i = -iterations / 10; i < iterations; i++)   // the negative ones warm up the JIT
        {
            if (i == 0)
            {
                start = MPI.wtime();
            }
            if (rank == 0)
            {
                MPI.COMM_WORLD.send(buf, bytes, MPI.BYTE, peer, 1);
                MPI.COMM_WORLD.recv(buf, bytes, MPI.BYTE, peer, 1);
            }
            else
            {
                MPI.COMM_WORLD.recv(buf, bytes, MPI.BYTE, peer, 1);
                MPI.COMM_WORLD.send(buf, bytes, MPI.BYTE, peer, 1);
            }
        }
        double seconds = MPI.wtime() - start;
        if (rank == 0)
        {
            System.out.printf("ping-pong %7d B: latency %8.2f us%n", bytes, seconds * 1e6 / iterations / 2);
        }
    }

    /** Rank 0 streams {@code count} messages of {@code bytes} bytes to rank 1, which acknowledges the last. */
    static void bandwidth(int rank, int bytes, int count) throws MPIException
    {
        ByteBuffer buf = MPI.newByteBuffer(bytes);
        int[] ack = new int[1];
        MPI.COMM_WORLD.sendRecv(ack, 0, MPI.INT, 1 - rank, 2, ack, 0, MPI.INT, 1 - rank, 2);
        double start = MPI.wtime();
        if (rank == 0)
        {
            for (int i = 0; i < count; i++)
            {
                MPI.COMM_WORLD.send(buf, bytes, MPI.BYTE, 1, 3);
            }
            MPI.COMM_WORLD.recv(ack, 1, MPI.INT, 1, 4);
            double seconds = MPI.wtime() - start;
            System.out.printf("bandwidth %7d B: %8.1f MB/s%n", bytes, (double)bytes * count / seconds / 1e6);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                MPI.COMM_WORLD.recv(buf, bytes, MPI.BYTE, 0, 3);
            }
            MPI.COMM_WORLD.send(ack, 1, MPI.INT, 0, 4);
        }
    }
}
