package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.Status;

/**
 * A program's first messages and collectives on {@code COMM_WORLD}, sent by a rank that may leave MPI_Init before
 * its partner has finished rehearsing there: the rehearsal looks for messages on {@code COMM_WORLD} (with a tag of
 * its own, 6) and runs a barrier on it, and must take nothing of the program's. Rank 0 sends tag 6, then tag 1;
 * rank 1 receives with any tag and must get both, in order, and nothing else.
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
