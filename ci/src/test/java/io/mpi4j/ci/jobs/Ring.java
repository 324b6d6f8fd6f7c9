package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/** A token goes around the ring {@code laps} times; each rank adds its rank + 1. */
public final class Ring
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int laps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int next = (rank + 1) % size;
        final int prev = (rank + size - 1) % size;
        final int tag = 17;
        final int[] token = new int[1];
        final int perLap = size * (size + 1) / 2;

        for (int lap = 0; lap < laps; lap++)
        {
            if (rank == 0)
            {
                token[0] += 1;
                MPI.COMM_WORLD.send(token, 1, MPI.INT, next, tag);
                final Status status = MPI.COMM_WORLD.recv(token, 1, MPI.INT, prev, tag);
                Expect.equal(prev, status.getSource(), "source");
                Expect.equal(tag, status.getTag(), "tag");
                Expect.equal(1, status.getCount(MPI.INT), "count");
                Expect.equal((long)(lap + 1) * perLap, token[0], "token after lap " + lap);
            }
            else
            {
                MPI.COMM_WORLD.recv(token, 1, MPI.INT, prev, tag);
                token[0] += rank + 1;
                MPI.COMM_WORLD.send(token, 1, MPI.INT, next, tag);
            }
        }
        System.out.println("OK ring rank=" + rank + " size=" + size + " token=" + token[0]);
        MPI.Finalize();
    }
}
