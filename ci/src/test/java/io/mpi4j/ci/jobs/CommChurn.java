package io.mpi4j.ci.jobs;

import java.util.Random;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * Communicator churn: {@code rounds} of "dup {@code batch}, free them", {@code splits} splits with random
 * participation, and {@code alive} communicators alive at once; no error and no memory growth.
 */
public final class CommChurn
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final int rounds = Integer.parseInt(args[0]);
        final int batch = Integer.parseInt(args[1]);
        final int splits = Integer.parseInt(args[2]);
        final int alive = Integer.parseInt(args[3]);

        final Intracomm[] comms = new Intracomm[Math.max(batch, 1)];
        long heapAfterWarmup = 0;
        final long start = System.nanoTime();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < batch; i++)
            {
                comms[i] = (i % 2 == 0 ? world : comms[i - 1]).dup();
            }
            for (int i = batch - 1; i >= 0; i--)
            {
                comms[i].free();
            }
            if (round == Math.min(rounds - 1, 5))
            {
                heapAfterWarmup = usedHeap();
            }
        }
        final long heapAfterDups = usedHeap();
        System.out.println("OK dup-free rounds=" + rounds + " batch=" + batch + " rank=" + rank + " ms=" +
            (System.nanoTime() - start) / 1_000_000 + " heapGrowthKiB=" + (heapAfterDups - heapAfterWarmup) / 1024);
        Expect.that(heapAfterDups - heapAfterWarmup < 16L << 20, "heap grew by " + (heapAfterDups - heapAfterWarmup));

        // same seed everywhere: every rank knows every rank's colour
        final Random random = new Random(12345);
        final int size = world.getSize();
        final long splitStart = System.nanoTime();
        for (int s = 0; s < splits; s++)
        {
            int colour = MPI.UNDEFINED;
            for (int r = 0; r < size; r++)
            {
                final int c = random.nextInt(3) == 0 ? MPI.UNDEFINED : random.nextInt(2);
                if (r == rank)
                {
                    colour = c;
                }
            }
            final Intracomm part = world.split(colour, rank);
            if (colour == MPI.UNDEFINED)
            {
                Expect.that(part.isNull(), "UNDEFINED gives COMM_NULL");
            }
            else
            {
                if (s % 64 == 0)
                {
                    part.barrier();
                }
                part.free();
            }
        }
        System.out.println("OK split-churn splits=" + splits + " rank=" + rank + " ms=" +
            (System.nanoTime() - splitStart) / 1_000_000);

        final Intracomm[] many = new Intracomm[alive];
        for (int i = 0; i < alive; i++)
        {
            many[i] = world.dup();
        }
        final int[] got = new int[1];
        final Intracomm last = many[alive - 1];
        last.sendRecv(new int[]{ rank }, 1, MPI.INT, (rank + 1) % size, 0, got, 1, MPI.INT, (rank - 1 + size) % size, 0);
        Expect.equal((rank - 1 + size) % size, got[0], "traffic on the last of " + alive);
        for (int i = 0; i < alive; i++)
        {
            many[i].free();
        }
        System.out.println("OK alive=" + alive + " rank=" + rank);
        MPI.Finalize();
    }

    private static long usedHeap()
    {
        final Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
