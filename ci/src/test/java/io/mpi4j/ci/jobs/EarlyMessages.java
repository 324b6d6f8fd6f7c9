package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import mpi.MPI;
import mpi.Request;
import mpi.Status;

/**
 * A program's first messages and collectives on {@code COMM_WORLD}, sent by a rank that may leave MPI_Init before
 * its partner has finished rehearsing there: the rehearsal looks for messages on {@code COMM_WORLD} (with a tag of
 * its own, 6) and runs a barrier on it, and must take nothing of the program's. Rank 0 sends tag 6, then tag 1;
 * rank 1 receives with any tag and must get both, in order, and nothing else. The rehearsal sends small messages on
 * direct buffers by the receiver's read for a while; after it, such a message from rank 0 must go eager again: its
 * send completes before rank 1 posts the receive.
 */
public final class EarlyMessages
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int[] value = new int[1];
        if (0 == rank)
        {
            value[0] = 42;
            MPI.COMM_WORLD.send(value, 1, MPI.INT, 1, 6);
            value[0] = 7;
            MPI.COMM_WORLD.send(value, 1, MPI.INT, 1, 1);
        }
        else if (1 == rank)
        {
            expect(MPI.COMM_WORLD.recv(value, 1, MPI.INT, MPI.ANY_SOURCE, MPI.ANY_TAG), value, 6, 42);
            expect(MPI.COMM_WORLD.recv(value, 1, MPI.INT, MPI.ANY_SOURCE, MPI.ANY_TAG), value, 1, 7);
        }
        MPI.COMM_WORLD.barrier();
        eagerAgain(rank);
        final Status extra = MPI.COMM_WORLD.iProbe(MPI.ANY_SOURCE, MPI.ANY_TAG);
        if (null != extra)
        {
            throw new IllegalStateException("a message nobody sent: tag " + extra.getTag() + " from " +
                extra.getSource());
        }
        final int[] sum = { rank };
        MPI.COMM_WORLD.allReduce(sum, 1, MPI.INT, MPI.SUM);
        if (sum[0] != size * (size - 1) / 2)
        {
            throw new IllegalStateException("allreduce of the ranks gave " + sum[0]);
        }
        System.out.println("OK rank=" + rank);
        MPI.Finalize();
    }

    /** Rank 0's 8 bytes on a direct buffer complete without rank 1's receive, which waits behind a barrier. */
    private static void eagerAgain(final int rank) throws Exception
    {
        final ByteBuffer buffer = MPI.newByteBuffer(8);
        if (0 == rank)
        {
            buffer.putLong(0, 0x5eed);
            final Request send = MPI.COMM_WORLD.iSend(buffer, 8, MPI.BYTE, 1, 2);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean sent = send.test();
            while (!sent && System.nanoTime() - deadline < 0)
            {
                sent = send.test();
            }
            MPI.COMM_WORLD.barrier();
            send.waitFor();
            if (!sent)
            {
                throw new IllegalStateException("an 8-byte send waited for its receive: it did not go eager");
            }
        }
        else
        {
            MPI.COMM_WORLD.barrier();
            if (1 == rank)
            {
                MPI.COMM_WORLD.recv(buffer, 8, MPI.BYTE, 0, 2);
                if (0x5eed != buffer.getLong(0))
                {
                    throw new IllegalStateException("the 8-byte message arrived as " + buffer.getLong(0));
                }
            }
        }
    }

    private static void expect(final Status status, final int[] value, final int tag, final int expected)
        throws Exception
    {
        if (status.getTag() != tag || status.getSource() != 0 || value[0] != expected)
        {
            throw new IllegalStateException("expected " + expected + " with tag " + tag + " from rank 0, got " +
                value[0] + " with tag " + status.getTag() + " from rank " + status.getSource());
        }
    }
}
