package io.mpi4j.ci.jobs;

import java.nio.IntBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/** Many ranks (more than cores): a ring, then every rank pings every other rank. */
public final class ManyRanks
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int[] token = new int[1];
        if (rank == 0)
        {
            MPI.COMM_WORLD.send(token, 1, MPI.INT, 1 % size, 0);
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, size - 1, 0);
            Expect.equal(size - 1, token[0], "ring token");
        }
        else
        {
            MPI.COMM_WORLD.recv(token, 1, MPI.INT, rank - 1, 0);
            token[0]++;
            MPI.COMM_WORLD.send(token, 1, MPI.INT, (rank + 1) % size, 0);
        }

        // all-to-all pings: post every receive, then every send
        final IntBuffer in = MPI.newIntBuffer(size);
        final IntBuffer out = MPI.newIntBuffer(size);
        final Request[] reqs = new Request[2 * size];
        for (int p = 0; p < size; p++)
        {
            in.put(p, -1);
            reqs[p] = MPI.COMM_WORLD.iRecv(MPI.slice(in, p), 1, MPI.INT, p, 1);
        }
        for (int p = 0; p < size; p++)
        {
            out.put(p, rank * 1000 + p);
            reqs[size + p] = MPI.COMM_WORLD.iSend(MPI.slice(out, p), 1, MPI.INT, p, 1);
        }
        Request.waitAll(reqs);
        for (int p = 0; p < size; p++)
        {
            Expect.equal(p * 1000 + rank, in.get(p), "ping from " + p);
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("OK many rank=" + rank + " size=" + size);
        MPI.Finalize();
    }
}
