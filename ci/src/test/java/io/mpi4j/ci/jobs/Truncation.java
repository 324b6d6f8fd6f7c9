package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * A message longer than the receive buffer fails with ERR_TRUNCATE (ERRORS_RETURN), and the next message from
 * the same sender is intact; both for an eager-sized and a rendezvous-sized message.
 */
public final class Truncation
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = MPI.COMM_WORLD.getRank();
        for (final int n : new int[] {100, 1 << 18})
        {
            if (rank == 0)
            {
                final int[] data = new int[n];
                for (int i = 0; i < n; i++)
                {
                    data[i] = i * 3 + 1;
                }
                MPI.COMM_WORLD.send(data, n, MPI.INT, 1, 5);
                final int[] next = {42, 43, 44, 45, 46, 47, 48, 49, 50, 51};
                MPI.COMM_WORLD.send(next, next.length, MPI.INT, 1, 5);
            }
            else if (rank == 1)
            {
                final int[] small = new int[n / 2];
                final mpi.MPIException e = Expect.error(MPI.ERR_TRUNCATE, "truncate " + n + " ints",
                    () -> MPI.COMM_WORLD.recv(small, small.length, MPI.INT, 0, 5));
                System.out.println("truncation message: " + e.getMessage());
                final int[] next = new int[10];
                final Status status = MPI.COMM_WORLD.recv(next, next.length, MPI.INT, 0, 5);
                Expect.equal(10, status.getCount(MPI.INT), "count of the message after the truncated one");
                for (int i = 0; i < 10; i++)
                {
                    Expect.equal(42 + i, next[i], "element " + i + " of the message after the truncated one");
                }
            }
        }
        System.out.println("OK truncation rank=" + rank);
        MPI.Finalize();
    }
}
