package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * Ring shifts with sendRecv and sendRecvReplace, where every rank sends at the same time: small messages and
 * 2 MiB ones (a blocking send in place of sendRecv would deadlock on the large ones).
 */
public final class SendRecv
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int right = (rank + 1) % size;
        final int left = (rank + size - 1) % size;
        for (final int n : new int[] {1, 1000, 512 << 10})
        {
            final int[] out = new int[n];
            final int[] in = new int[n + 1];
            for (int i = 0; i < n; i++)
            {
                out[i] = rank * 1_000_000 + i;
            }
            final Status s = MPI.COMM_WORLD.sendRecv(out, n, MPI.INT, right, 1, in, n + 1, MPI.INT, left, 1);
            Expect.equal(left, s.getSource(), "sendRecv source");
            Expect.equal(n, s.getCount(MPI.INT), "sendRecv count");
            for (int i = 0; i < n; i++)
            {
                Expect.equal(left * 1_000_000 + i, in[i], "sendRecv element " + i);
            }

            final double[] buf = new double[n];
            for (int i = 0; i < n; i++)
            {
                buf[i] = rank + i * 0.5;
            }
            final Status r = MPI.COMM_WORLD.sendRecvReplace(buf, n, MPI.DOUBLE, right, 2, left, 2);
            Expect.equal(left, r.getSource(), "sendRecvReplace source");
            Expect.equal(2, r.getTag(), "sendRecvReplace tag");
            for (int i = 0; i < n; i++)
            {
                Expect.that(buf[i] == left + i * 0.5, "sendRecvReplace element " + i + " = " + buf[i]);
            }
        }
        // Wildcards in sendRecv
        final int[] one = {rank};
        final int[] got = new int[1];
        final Status w = MPI.COMM_WORLD.sendRecv(one, 1, MPI.INT, right, 30 + rank, got, 1, MPI.INT,
            MPI.ANY_SOURCE, MPI.ANY_TAG);
        Expect.equal(left, w.getSource(), "wildcard source");
        Expect.equal(30 + left, w.getTag(), "wildcard tag");
        System.out.println("OK sendrecv rank=" + rank);
        MPI.Finalize();
    }
}
