package io.mpi4j.ci.jobs;

import mpi.Intracomm;
import mpi.MPI;

/**
 * ULFM's calls where nothing fails, in any job (also a singleton started without mpi4jrun): agree is the AND over
 * the members, shrink keeps everyone, revoke makes later calls fail with ERR_REVOKED on every member while agree
 * and shrink still work on the revoked communicator.
 */
public final class UlfmAlone
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final int size = world.getSize();
        Expect.equal(size == 1 ? 5 : 4, world.agree(rank == 0 ? 5 : 6), "agree");
        final Intracomm dup = world.dup();
        Expect.that(!dup.isRevoked(), "not revoked yet");
        Expect.equal(0, dup.getFailed().getSize(), "no failure");
        final Intracomm same = dup.shrink();
        Expect.equal(size, same.getSize(), "shrink without failures keeps everyone");
        Expect.equal(rank, same.getRank(), "and their ranks");
        if (rank == 0)
        {
            dup.revoke();
        }
        // Every member sees the revoke, the revoker at once, the others when the launcher's notice arrives.
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!dup.isRevoked())
        {
            Expect.that(System.nanoTime() < deadline, "the revoke did not arrive");
            Thread.sleep(1);
        }
        if (size > 1)
        {
            // A collective over one process sends nothing, so it completes even on a revoked communicator.
            Expect.error(MPI.ERR_REVOKED, "barrier on the revoked communicator", dup::barrier);
        }
        Expect.error(MPI.ERR_REVOKED, "send on the revoked communicator",
            () -> dup.send(new int[1], 1, MPI.INT, 0, 0));
        Expect.equal(7, dup.agree(7), "agree on the revoked communicator");
        final Intracomm fresh = dup.shrink();
        Expect.that(!fresh.isRevoked(), "the shrunk communicator is usable");
        final int[] sum = { 1 };
        fresh.allReduce(sum, 1, MPI.INT, MPI.SUM);
        Expect.equal(size, sum[0], "allreduce on the shrunk communicator");
        world.barrier();
        System.out.println("OK ulfm " + rank);
        MPI.Finalize();
    }
}
