package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.Request;
import mpi.Status;

/** Started without the launcher: a job of one process that talks to itself, small and large messages. */
public final class SingletonSelf
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        Expect.equal(1, MPI.COMM_WORLD.getSize(), "singleton size");
        Expect.equal(0, MPI.COMM_WORLD.getRank(), "singleton rank");
        System.out.println("PID " + ProcessHandle.current().pid());
        final int[] out = {1, 2, 3};
        final int[] in = new int[3];
        MPI.COMM_WORLD.send(out, 3, MPI.INT, 0, 4);
        final Status s = MPI.COMM_WORLD.recv(in, 3, MPI.INT, 0, 4);
        Expect.equal(0, s.getSource(), "source");
        Expect.equal(3, in[2], "content");

        final byte[] big = new byte[4 << 20];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = Expect.pattern(0, 0, 1, i);
        }
        final byte[] back = new byte[big.length];
        final Request r = MPI.COMM_WORLD.iRecv(back, back.length, MPI.BYTE, MPI.ANY_SOURCE, MPI.ANY_TAG);
        MPI.COMM_WORLD.send(big, big.length, MPI.BYTE, 0, 5);
        final Status rs = r.waitStatus();
        Expect.equal(5, rs.getTag(), "tag");
        Expect.that(java.util.Arrays.equals(big, back), "4 MiB to self intact");

        final Status sr = MPI.COMM_WORLD.sendRecv(out, 3, MPI.INT, 0, 6, in, 3, MPI.INT, 0, 6);
        Expect.equal(3, sr.getCount(MPI.INT), "sendRecv to self");
        MPI.COMM_SELF.send(out, 1, MPI.INT, 0, 7);
        MPI.COMM_SELF.recv(in, 1, MPI.INT, 0, 7);
        System.out.println("OK singleton");
        MPI.Finalize();
    }
}
