package io.mpi4j.ci.jobs;


import mpi.MPI;

/**
 * bSend with an attached buffer returns before the receiver posts anything, even for messages far above the
 * eager limit; detachBuffer waits until the buffered messages are gone; the receiver gets them intact.
 */
public final class BufferedSend
{
    static final int MESSAGES = 4;
    static final int BYTES = 200 << 10;

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        if (rank == 0)
        {
            final byte[] attached = new byte[MESSAGES * (BYTES + 4096)];
            MPI.attachBuffer(attached);
            MPI.COMM_WORLD.barrier();
            final byte[] data = new byte[BYTES];
            final double t0 = MPI.wtime();
            for (int m = 0; m < MESSAGES; m++)
            {
                for (int i = 0; i < BYTES; i++)
                {
                    data[i] = Expect.pattern(0, 1, m, i);
                }
                MPI.COMM_WORLD.bSend(data, BYTES, MPI.BYTE, 1, m);
            }
            final double sending = MPI.wtime() - t0;
            Expect.that(sending < 0.8, "bSend blocked for " + sending + " s while the receiver slept");
            Expect.that(MPI.detachBuffer() == attached, "detachBuffer returned another array than attached");
            final double detached = MPI.wtime() - t0;
            System.out.printf("OK bsend sending=%.3f s detachedAfter=%.3f s%n", sending, detached);
        }
        else if (rank == 1)
        {
            MPI.COMM_WORLD.barrier();
            Thread.sleep(1500);
            final byte[] data = new byte[BYTES];
            for (int m = 0; m < MESSAGES; m++)
            {
                MPI.COMM_WORLD.recv(data, BYTES, MPI.BYTE, 0, m);
                for (int i = 0; i < BYTES; i++)
                {
                    Expect.that(data[i] == Expect.pattern(0, 1, m, i), "message " + m + " byte " + i);
                }
            }
            System.out.println("OK bsend received=" + MESSAGES);
        }
        else
        {
            MPI.COMM_WORLD.barrier();
        }
        MPI.Finalize();
    }
}
