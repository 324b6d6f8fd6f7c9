package io.mpi4j.ci.jobs;

import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * Collectives over an intercommunicator between the even and the odd world ranks: barrier, bcast with
 * MPI.ROOT / MPI.PROC_NULL, allReduce (each group gets the other group's reduction), allGather (each group gets the
 * other group's blocks), their non-blocking forms, and ERR_COMM for a collective not defined there yet.
 */
public final class CollInter
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int worldRank = MPI.COMM_WORLD.getRank();
        final int worldSize = MPI.COMM_WORLD.getSize();
        final int colour = worldRank % 2;
        final Intracomm local = MPI.COMM_WORLD.split(colour, worldRank);
        final Intercomm inter = MPI.COMM_WORLD.createIntercomm(local, 0, colour == 0 ? 1 : 0, 77);
        inter.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = inter.getRank();
        final int size = inter.getSize();
        final int remoteSize = inter.getRemoteSize();
        // world rank of local rank r in group g
        final int otherColour = 1 - colour;

        inter.barrier();
        inter.iBarrier().waitFor();

        for (final int n : new int[] {0, 1, 1000, 300_000})
        {
            // group 0's last process broadcasts to group 1
            final int[] data = new int[n];
            final int rootLocal = size - 1;
            if (colour == 0)
            {
                if (rank == rootLocal)
                {
                    for (int i = 0; i < n; i++) data[i] = i ^ 0x5a5a;
                    inter.bcast(data, n, MPI.INT, MPI.ROOT);
                }
                else
                {
                    inter.bcast(null, 0, MPI.INT, MPI.PROC_NULL);
                }
            }
            else
            {
                inter.bcast(data, n, MPI.INT, remoteSize - 1);
                for (int i = 0; i < n; i++) Expect.equal(i ^ 0x5a5a, data[i], "inter bcast n=" + n + " at " + i);
            }
            // allReduce: each group receives the sum over the other group of (world rank + i)
            final long[] mine = new long[n];
            for (int i = 0; i < n; i++) mine[i] = worldRank + i;
            final long[] sum = new long[n];
            inter.allReduce(mine, sum, n, MPI.LONG, MPI.SUM);
            final long[] sum2 = new long[n];
            inter.iAllReduce(mine, sum2, n, MPI.LONG, MPI.SUM).waitFor();
            for (int i = 0; i < n; i++)
            {
                long expected = 0;
                for (int w = otherColour; w < worldSize; w += 2) expected += w + i;
                Expect.equal(expected, sum[i], "inter allReduce n=" + n + " at " + i);
                Expect.equal(expected, sum2[i], "inter iAllReduce n=" + n + " at " + i);
            }
        }
        // allGather: each process receives the other group's world ranks, in their local rank order
        final int[] ranks = new int[remoteSize * 2];
        inter.allGather(new int[] {worldRank, -worldRank}, 2, MPI.INT, ranks, 2, MPI.INT);
        final int[] ranks2 = new int[remoteSize * 2];
        inter.iAllGather(new int[] {worldRank, -worldRank}, 2, MPI.INT, ranks2, 2, MPI.INT).waitFor();
        for (int r = 0; r < remoteSize; r++)
        {
            final int w = otherColour + 2 * r;
            Expect.equal(w, ranks[2 * r], "inter allGather " + r);
            Expect.equal(-w, ranks[2 * r + 1], "inter allGather " + r);
            Expect.equal(w, ranks2[2 * r], "inter iAllGather " + r);
        }
        Expect.error(MPI.ERR_COMM, "inter gather", () -> inter.gather(new int[1], 1, MPI.INT, new int[4], 1,
            MPI.INT, 0));
        Expect.error(MPI.ERR_ROOT, "inter bcast bad root", () -> inter.bcast(new int[1], 1, MPI.INT, remoteSize));
        inter.free();
        local.free();
        System.out.println("OK inter rank=" + worldRank + " size=" + worldSize);
        MPI.Finalize();
    }
}
