package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Message;
import mpi.Status;

/** probe / iProbe / mProbe / imProbe: size a buffer from the status, then receive exactly that message. */
public final class Probe
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int[] sizes = {0, 3, 1000, 70_000, 300_000};
        if (rank == 0)
        {
            for (int round = 0; round < 4; round++)
            {
                for (int i = 0; i < sizes.length; i++)
                {
                    final int[] data = new int[sizes[i]];
                    java.util.Arrays.fill(data, round * 100 + i);
                    MPI.COMM_WORLD.send(data, data.length, MPI.INT, 1, 40 + i);
                }
            }
            // Two messages with the same tag: the mProbe'd first one is no longer matchable by recv.
            MPI.COMM_WORLD.send(new int[] {1}, 1, MPI.INT, 1, 50);
            MPI.COMM_WORLD.send(new int[] {2, 2}, 2, MPI.INT, 1, 50);
            System.out.println("OK probe sent");
        }
        else if (rank == 1)
        {
            // round 0: blocking probe with ANY_TAG
            for (int i = 0; i < sizes.length; i++)
            {
                final Status s = MPI.COMM_WORLD.probe(0, MPI.ANY_TAG);
                receiveProbed(s, 0, i, sizes);
            }
            // round 1: iProbe until something is there
            for (int i = 0; i < sizes.length; i++)
            {
                Status s;
                while ((s = MPI.COMM_WORLD.iProbe(MPI.ANY_SOURCE, 40 + i)) == null)
                {
                    Thread.onSpinWait();
                }
                receiveProbed(s, 1, i, sizes);
            }
            // round 2: mProbe + mRecv
            for (int i = 0; i < sizes.length; i++)
            {
                final Message m = new Message();
                final Status s = m.mProbe(0, MPI.ANY_TAG, MPI.COMM_WORLD);
                Expect.equal(40 + i, s.getTag(), "mProbe tag");
                final int count = s.getCount(MPI.INT);
                Expect.equal(sizes[i], count, "mProbe count");
                final int[] buf = new int[count];
                final Status r = m.mRecv(buf, count, MPI.INT);
                Expect.equal(count, r.getCount(MPI.INT), "mRecv count");
                checkContent(buf, 2 * 100 + i);
            }
            // round 3: imProbe until something is there
            for (int i = 0; i < sizes.length; i++)
            {
                final Message m = new Message();
                Status s;
                while ((s = m.imProbe(0, 40 + i, MPI.COMM_WORLD)) == null)
                {
                    Thread.onSpinWait();
                }
                final int[] buf = new int[s.getCount(MPI.INT)];
                m.mRecv(buf, buf.length, MPI.INT);
                checkContent(buf, 3 * 100 + i);
            }
            final Message first = new Message();
            final Status s1 = first.mProbe(0, 50, MPI.COMM_WORLD);
            Expect.equal(1, s1.getCount(MPI.INT), "first tag-50 message");
            final int[] second = new int[2];
            final Status s2 = MPI.COMM_WORLD.recv(second, 2, MPI.INT, 0, 50);
            Expect.equal(2, s2.getCount(MPI.INT), "recv skips the mProbe'd message");
            Expect.equal(2, second[1], "content of second message");
            final int[] firstBuf = new int[1];
            first.mRecv(firstBuf, 1, MPI.INT);
            Expect.equal(1, firstBuf[0], "mRecv of the first message");
            System.out.println("OK probe received");
        }
        MPI.Finalize();
    }

    private static void receiveProbed(final Status s, final int round, final int i, final int[] sizes)
        throws MPIException
    {
        Expect.equal(0, s.getSource(), "probe source");
        Expect.equal(40 + i, s.getTag(), "probe tag");
        final int count = s.getCount(MPI.INT);
        Expect.equal(sizes[i], count, "probe count");
        final int[] buf = new int[count];
        final Status r = MPI.COMM_WORLD.recv(buf, count, MPI.INT, s.getSource(), s.getTag());
        Expect.equal(count, r.getCount(MPI.INT), "recv count after probe");
        checkContent(buf, round * 100 + i);
    }

    private static void checkContent(final int[] buf, final int value)
    {
        for (int k = 0; k < buf.length; k++)
        {
            Expect.equal(value, buf[k], "element " + k);
        }
    }
}
