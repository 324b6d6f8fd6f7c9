package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/** Calls before MPI.Init and after MPI.Finalize fail with ERR_OTHER and a message saying why. */
public final class OutsideInit
{
    public static void main(final String[] args) throws MPIException
    {
        final int[] v = new int[1];
        Expect.that(!MPI.isInitialized(), "isInitialized before Init");
        final MPIException before = Expect.error(MPI.ERR_OTHER, "getRank before Init", () -> MPI.COMM_WORLD.getRank());
        Expect.that(before.getMessage().toLowerCase().contains("init"), "message says Init: " + before.getMessage());
        Expect.error(MPI.ERR_OTHER, "send before Init", () -> MPI.COMM_WORLD.send(v, 1, MPI.INT, 0, 0));
        System.out.println("before: " + before.getMessage());

        MPI.Init(args);
        Expect.that(MPI.isInitialized(), "isInitialized after Init");
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        v[0] = rank;
        MPI.COMM_WORLD.sendRecvReplace(v, 1, MPI.INT, next, 3, prev, 3);
        Expect.equal(prev, v[0], "ring shift");
        MPI.Finalize();

        Expect.that(MPI.isFinalized(), "isFinalized after Finalize");
        final MPIException after = Expect.error(MPI.ERR_OTHER, "send after Finalize",
            () -> MPI.COMM_WORLD.send(v, 1, MPI.INT, next, 0));
        Expect.that(after.getMessage().toLowerCase().contains("finalize"), "message says finalized: "
            + after.getMessage());
        Expect.error(MPI.ERR_OTHER, "getRank after Finalize", () -> MPI.COMM_WORLD.getRank());
        System.out.println("after: " + after.getMessage());
        System.out.println("OK outside-init rank=" + rank);
    }
}
