package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Status;

/**
 * MPI's non-overtaking rule between one sender and one receiver: (1) messages of mixed sizes (eager and
 * rendezvous) and two tags received with ANY_TAG arrive in send order; (2) when the receiver takes all of tag B
 * first, the tag-A messages wait as unexpected and still come out in order.
 */
public final class NonOvertaking
{
    static final int MIXED = 3000;
    static final int SMALL = 1000;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final byte[] big = new byte[256 << 10];
        if (rank == 0)
        {
            for (int i = 0; i < MIXED; i++)
            {
                final int bytes = size(i);
                stamp(big, i);
                MPI.COMM_WORLD.send(big, bytes, MPI.BYTE, 1, i % 2 == 0 ? 10 : 11);
            }
            final int[] v = new int[1];
            for (int i = 0; i < SMALL; i++)
            {
                v[0] = i;
                MPI.COMM_WORLD.send(v, 1, MPI.INT, 1, 20);
                MPI.COMM_WORLD.send(v, 1, MPI.INT, 1, 21);
            }
            System.out.println("OK nonovertaking sent");
        }
        else if (rank == 1)
        {
            for (int i = 0; i < MIXED; i++)
            {
                final Status status = MPI.COMM_WORLD.recv(big, big.length, MPI.BYTE, 0, MPI.ANY_TAG);
                Expect.equal(i, seq(big), "sequence number of message " + i);
                Expect.equal(i % 2 == 0 ? 10 : 11, status.getTag(), "tag of message " + i);
                Expect.equal(size(i), status.getCount(MPI.BYTE), "size of message " + i);
            }
            final int[] v = new int[1];
            for (int i = 0; i < SMALL; i++)
            {
                MPI.COMM_WORLD.recv(v, 1, MPI.INT, 0, 21);
                Expect.equal(i, v[0], "tag 21 order");
            }
            for (int i = 0; i < SMALL; i++)
            {
                MPI.COMM_WORLD.recv(v, 1, MPI.INT, 0, 20);
                Expect.equal(i, v[0], "tag 20 order");
            }
            System.out.println("OK nonovertaking received=" + (MIXED + 2 * SMALL));
        }
        MPI.Finalize();
    }

    /** Mostly small, every 7th large enough for rendezvous, every 13th empty-but-stamped. */
    static int size(final int i)
    {
        if (i % 7 == 3)
        {
            return (64 << 10) + i;
        }
        if (i % 97 == 5)
        {
            return 256 << 10;
        }
        return 4 + i % 300;
    }

    static void stamp(final byte[] b, final int seq)
    {
        b[0] = (byte)seq;
        b[1] = (byte)(seq >>> 8);
        b[2] = (byte)(seq >>> 16);
        b[3] = (byte)(seq >>> 24);
    }

    static int seq(final byte[] b)
    {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }
}
