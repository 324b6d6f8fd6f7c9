package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/** PROC_NULL: sends and receives complete at once; a receive's status is (PROC_NULL, ANY_TAG, count 0). */
public final class ProcNull
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int[] buf = {7, 7, 7};
        MPI.COMM_WORLD.send(buf, 3, MPI.INT, MPI.PROC_NULL, 5);
        MPI.COMM_WORLD.sSend(buf, 3, MPI.INT, MPI.PROC_NULL, 5);
        final Status s = MPI.COMM_WORLD.recv(buf, 3, MPI.INT, MPI.PROC_NULL, 5);
        Expect.equal(MPI.PROC_NULL, s.getSource(), "source of a PROC_NULL receive");
        Expect.equal(MPI.ANY_TAG, s.getTag(), "tag of a PROC_NULL receive");
        Expect.equal(0, s.getCount(MPI.INT), "count of a PROC_NULL receive");
        Expect.equal(7, buf[0], "buffer untouched");
        final Request r = MPI.COMM_WORLD.iRecv(MPI.newIntBuffer(3), 3, MPI.INT, MPI.PROC_NULL, 5);
        final Request w = MPI.COMM_WORLD.iSend(MPI.newIntBuffer(3), 3, MPI.INT, MPI.PROC_NULL, 5);
        Expect.that(r.test(), "PROC_NULL iRecv complete at once");
        Expect.that(w.test(), "PROC_NULL iSend complete at once");
        final Status p = MPI.COMM_WORLD.iProbe(MPI.PROC_NULL, 5);
        Expect.that(p != null && p.getSource() == MPI.PROC_NULL, "iProbe(PROC_NULL) finds the null message");

        // Shift along a non-periodic chain: the ends talk to PROC_NULL.
        final int right = rank == size - 1 ? MPI.PROC_NULL : rank + 1;
        final int left = rank == 0 ? MPI.PROC_NULL : rank - 1;
        final int[] out = {rank};
        final int[] in = {-9};
        final Status c = MPI.COMM_WORLD.sendRecv(out, 1, MPI.INT, right, 6, in, 1, MPI.INT, left, 6);
        Expect.equal(rank == 0 ? -9 : rank - 1, in[0], "value from the left");
        Expect.equal(left, c.getSource(), "sendRecv source");
        System.out.println("OK procnull rank=" + rank);
        MPI.Finalize();
    }
}
