package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * Senders stream messages to rank 0 until told to stop; rank 0's ANY_SOURCE loop must eventually see every
 * sender (a receiver that always served the first busy sender would never stop them).
 */
public final class Fairness
{
    static final int DATA = 1;
    static final int STOP = 2;
    static final int DONE = 3;
    static final long LIMIT = 2_000_000;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final long[] buf = new long[4];
        MPI.COMM_WORLD.barrier();
        if (rank == 0)
        {
            final long[] seen = new long[size];
            final long[] firstAt = new long[size];
            int distinct = 0;
            int done = 0;
            boolean stopped = false;
            long n = 0;
            while (done < size - 1)
            {
                final Status status = MPI.COMM_WORLD.recv(buf, buf.length, MPI.LONG, MPI.ANY_SOURCE, MPI.ANY_TAG);
                final int src = status.getSource();
                n++;
                Expect.that(n < LIMIT, "after " + n + " messages some sender was never seen: counts "
                    + java.util.Arrays.toString(seen));
                if (status.getTag() == DONE)
                {
                    done++;
                    continue;
                }
                if (seen[src]++ == 0)
                {
                    firstAt[src] = n;
                    distinct++;
                }
                if (!stopped && distinct == size - 1)
                {
                    stopped = true;
                    for (int p = 1; p < size; p++)
                    {
                        MPI.COMM_WORLD.send(buf, 1, MPI.LONG, p, STOP);
                    }
                }
            }
            System.out.println("OK fairness messages=" + n + " firstSeenAt=" + java.util.Arrays.toString(firstAt)
                + " counts=" + java.util.Arrays.toString(seen));
        }
        else
        {
            long sent = 0;
            while (true)
            {
                buf[0] = rank;
                buf[1] = sent++;
                MPI.COMM_WORLD.send(buf, 2, MPI.LONG, 0, DATA);
                if (MPI.COMM_WORLD.iProbe(0, STOP) != null)
                {
                    MPI.COMM_WORLD.recv(buf, 1, MPI.LONG, 0, STOP);
                    MPI.COMM_WORLD.send(buf, 1, MPI.LONG, 0, DONE);
                    break;
                }
            }
            System.out.println("OK fairness sent=" + sent);
        }
        MPI.Finalize();
    }
}
