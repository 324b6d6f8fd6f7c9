package io.mpi4j.ci.jobs;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * Traffic between nodes: each rank says where it runs ("NODE" from MPI_Get_processor_name), then exchanges with
 * every other rank a small message (eager) and a 3 MiB one (rendezvous, many frames), and runs bcast, allReduce
 * (small and 4 MiB, the ring algorithm), allGather and allToAll, checking every value. Prints "OK across" at the end.
 */
public final class AcrossNodes
{
    private static final int LARGE = 3 << 20;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        final int rank = world.getRank();
        final int size = world.getSize();
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("NODE " + MPI.getProcessorName());
        System.out.flush();

        for (int shift = 1; shift < size; shift++)
        {
            final int to = (rank + shift) % size;
            final int from = (rank - shift + size) % size;
            final int[] small = {rank * 1000 + shift};
            final int[] got = new int[1];
            world.sendRecv(small, 1, MPI.INT, to, 1, got, 1, MPI.INT, from, 1);
            check(got[0] == from * 1000 + shift, "small message from " + from + ": " + got[0]);

            final byte[] large = new byte[LARGE];
            for (int i = 0; i < LARGE; i++)
            {
                large[i] = (byte)(i * 31 + rank);
            }
            final byte[] in = new byte[LARGE];
            final Status status = world.sendRecv(large, LARGE, MPI.BYTE, to, 2, in, LARGE, MPI.BYTE, from, 2);
            check(status.getCount(MPI.BYTE) == LARGE, "large message from " + from + ": " +
                status.getCount(MPI.BYTE) + " bytes");
            for (int i = 0; i < LARGE; i++)
            {
                if (in[i] != (byte)(i * 31 + from))
                {
                    check(false, "large message from " + from + ": byte " + i + " is " + in[i]);
                }
            }
        }

        final long[] root = {rank == size - 1 ? 424242L : -1L};
        world.bcast(root, 1, MPI.LONG, size - 1);
        check(root[0] == 424242L, "bcast: " + root[0]);

        final int[] sum = {rank + 1};
        world.allReduce(sum, 1, MPI.INT, MPI.SUM);
        check(sum[0] == size * (size + 1) / 2, "allReduce: " + sum[0]);

        final int n = 1 << 20;
        final int[] big = new int[n];
        java.util.Arrays.fill(big, rank);
        world.allReduce(big, n, MPI.INT, MPI.SUM);
        for (int i = 0; i < n; i++)
        {
            if (big[i] != size * (size - 1) / 2)
            {
                check(false, "large allReduce: element " + i + " is " + big[i]);
            }
        }

        final int[] gathered = new int[size];
        world.allGather(new int[]{rank * 7}, 1, MPI.INT, gathered, 1, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            check(gathered[r] == r * 7, "allGather[" + r + "]: " + gathered[r]);
        }

        final int[] out = new int[size];
        final int[] back = new int[size];
        for (int r = 0; r < size; r++)
        {
            out[r] = rank * 100 + r;
        }
        world.allToAll(out, 1, MPI.INT, back, 1, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            check(back[r] == r * 100 + rank, "allToAll[" + r + "]: " + back[r]);
        }
        world.barrier();
        System.out.println("OK across rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    private static void check(final boolean ok, final String what)
    {
        if (!ok)
        {
            System.out.println("FAIL " + what);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }
}
