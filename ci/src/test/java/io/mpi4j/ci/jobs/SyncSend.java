package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/**
 * sSend returns only after the receiver matched it: the receiver sleeps before posting its receive, the sender
 * measures how long sSend took (small message, then a rendezvous-sized one). A standard small send, for
 * contrast, returns at once.
 */
public final class SyncSend
{
    static final long SLEEP_MS = 1000;

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final byte[] small = new byte[16];
        final byte[] large = new byte[1 << 20];
        if (rank == 0)
        {
            MPI.COMM_WORLD.barrier();
            final double t0 = MPI.wtime();
            MPI.COMM_WORLD.send(small, small.length, MPI.BYTE, 1, 1);
            final double standard = MPI.wtime() - t0;
            MPI.COMM_WORLD.sSend(small, small.length, MPI.BYTE, 1, 2);
            final double sync = MPI.wtime() - t0;
            Expect.that(standard < 0.5, "standard eager send took " + standard + " s");
            Expect.that(sync >= 0.8, "sSend returned after " + sync + " s, before the receiver (sleeping "
                + SLEEP_MS + " ms) posted its receive");

            MPI.COMM_WORLD.barrier();
            final double t1 = MPI.wtime();
            MPI.COMM_WORLD.sSend(large, large.length, MPI.BYTE, 1, 3);
            final double syncLarge = MPI.wtime() - t1;
            Expect.that(syncLarge >= 0.8, "large sSend returned after " + syncLarge + " s");
            System.out.printf("OK ssend standard=%.4f s sync=%.3f s syncLarge=%.3f s%n", standard, sync, syncLarge);
        }
        else if (rank == 1)
        {
            MPI.COMM_WORLD.barrier();
            Thread.sleep(SLEEP_MS);
            MPI.COMM_WORLD.recv(small, small.length, MPI.BYTE, 0, 2);
            MPI.COMM_WORLD.recv(small, small.length, MPI.BYTE, 0, 1);
            MPI.COMM_WORLD.barrier();
            Thread.sleep(SLEEP_MS);
            MPI.COMM_WORLD.recv(large, large.length, MPI.BYTE, 0, 3);
            System.out.println("OK ssend received");
        }
        MPI.Finalize();
    }
}
