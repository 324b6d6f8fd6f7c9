package io.mpi4j.ci.jobs;

import java.nio.IntBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/** Cancelling a posted receive: the status says cancelled, and a later message is not swallowed by it. */
public final class Cancel
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int[] v = new int[1];
        if (rank == 0)
        {
            final IntBuffer buf = MPI.newIntBuffer(1);
            buf.put(0, -1);
            final Request r = MPI.COMM_WORLD.iRecv(buf, 1, MPI.INT, 1, 99);
            r.cancel();
            final Status s = r.waitStatus();
            Expect.that(s.isCancelled(), "status of a cancelled receive says cancelled");
            Expect.equal(-1, buf.get(0), "cancelled receive left the buffer alone");

            MPI.COMM_WORLD.send(v, 1, MPI.INT, 1, 1);
            final Status got = MPI.COMM_WORLD.recv(v, 1, MPI.INT, 1, 99);
            Expect.equal(42, v[0], "message after cancel");
            Expect.that(!got.isCancelled(), "normal receive not cancelled");
            System.out.println("OK cancel");
        }
        else if (rank == 1)
        {
            MPI.COMM_WORLD.recv(v, 1, MPI.INT, 0, 1);
            v[0] = 42;
            MPI.COMM_WORLD.send(v, 1, MPI.INT, 0, 99);
            System.out.println("OK cancel");
        }
        MPI.Finalize();
    }
}
