package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * Rank 0 receives everything with ANY_SOURCE / ANY_TAG; the status must name the real sender and tag, and the
 * messages of each sender arrive in the order it sent them.
 */
public final class Wildcard
{
    static final int PER_SENDER = 500;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            final int[] next = new int[size];
            final int[] buf = new int[64];
            final int total = PER_SENDER * (size - 1);
            for (int n = 0; n < total; n++)
            {
                final Status status = MPI.COMM_WORLD.recv(buf, buf.length, MPI.INT, MPI.ANY_SOURCE, MPI.ANY_TAG);
                final int src = status.getSource();
                Expect.that(src > 0 && src < size, "source " + src + " out of range");
                Expect.equal(src, buf[0], "sender recorded in payload");
                Expect.equal(next[src], buf[1], "sequence from " + src + " (non-overtaking)");
                Expect.equal(src * 1000 + next[src] % 7, status.getTag(), "tag of message from " + src);
                Expect.equal(2 + next[src] % 50, status.getCount(MPI.INT), "count of message from " + src);
                next[src]++;
            }
            // Specific source with ANY_TAG, then ANY_SOURCE with a specific tag; sent only after the go, so the
            // wildcard loop above cannot take them.
            for (int p = 1; p < size; p++)
            {
                MPI.COMM_WORLD.send(buf, 1, MPI.INT, p, 76);
            }
            final Status s1 = MPI.COMM_WORLD.recv(buf, 1, MPI.INT, size - 1, MPI.ANY_TAG);
            Expect.equal(size - 1, s1.getSource(), "specific source");
            Expect.equal(77, s1.getTag(), "ANY_TAG reports the tag");
            final Status s2 = MPI.COMM_WORLD.recv(buf, 1, MPI.INT, MPI.ANY_SOURCE, 78);
            Expect.equal(1, s2.getSource(), "ANY_SOURCE reports the source");
            Expect.equal(78, s2.getTag(), "specific tag");
            System.out.println("OK wildcard received=" + total);
        }
        else
        {
            final int[] buf = new int[64];
            for (int i = 0; i < PER_SENDER; i++)
            {
                buf[0] = rank;
                buf[1] = i;
                MPI.COMM_WORLD.send(buf, 2 + i % 50, MPI.INT, 0, rank * 1000 + i % 7);
            }
            MPI.COMM_WORLD.recv(buf, 1, MPI.INT, 0, 76);
            if (rank == size - 1)
            {
                MPI.COMM_WORLD.send(buf, 1, MPI.INT, 0, 77);
            }
            if (rank == 1)
            {
                MPI.COMM_WORLD.send(buf, 1, MPI.INT, 0, 78);
            }
            System.out.println("OK wildcard sent=" + PER_SENDER);
        }
        MPI.Finalize();
    }
}
