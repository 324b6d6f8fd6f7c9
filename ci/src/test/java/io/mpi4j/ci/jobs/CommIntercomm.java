package io.mpi4j.ci.jobs;

import mpi.Comm;
import mpi.Group;
import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/** Intercommunicators: create from the two halves of world, traffic across, remote group, dup, merge, free. */
public final class CommIntercomm
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final int size = world.getSize();
        final int lowSize = size / 2;
        final boolean low = rank < lowSize;
        final Intracomm half = world.split(low ? 0 : 1, rank);
        final int remoteSize = low ? size - lowSize : lowSize;
        // leaders: rank 0 of each half; in world they are 0 and lowSize
        final Intercomm inter = world.createIntercomm(half, 0, low ? lowSize : 0, 42);
        Expect.that(inter.isInter(), "isInter");
        Expect.equal(half.getSize(), inter.getSize(), "local size");
        Expect.equal(half.getRank(), inter.getRank(), "local rank");
        Expect.equal(remoteSize, inter.getRemoteSize(), "remote size");
        final Group remote = inter.getRemoteGroup();
        Expect.equal(remoteSize, remote.getSize(), "remote group size");
        Expect.equal(MPI.UNDEFINED, remote.getRank(), "not in the remote group");
        final int[] zero = Group.translateRanks(remote, new int[]{ 0 }, world.getGroup());
        Expect.equal(low ? lowSize : 0, zero[0], "remote rank 0 is the other leader");
        System.out.println("OK intercomm-create rank=" + rank);

        // point-to-point across: each process exchanges with the remote process of the same local rank (mod size)
        exchange(inter, rank, low, lowSize);
        System.out.println("OK intercomm-p2p rank=" + rank);

        final Intercomm dup = inter.dup();
        Expect.that(dup.isInter(), "dup is inter");
        Expect.equal(MPI.CONGRUENT, Comm.compare(inter, dup), "dup congruent");
        Expect.equal(remoteSize, dup.getRemoteSize(), "dup remote size");
        exchange(dup, rank, low, lowSize);
        final Intercomm idup = inter.iDup();
        idup.getRequest().waitFor();
        exchange(idup, rank, low, lowSize);
        idup.free();
        System.out.println("OK intercomm-dup rank=" + rank);

        // merge: low half passes high=false so it comes first; then the reverse
        final Intracomm merged = inter.merge(!low);
        Expect.that(!merged.isInter(), "merge gives an intracommunicator");
        Expect.equal(size, merged.getSize(), "merged size");
        Expect.equal(rank, merged.getRank(), "merged rank (low half first)");
        merged.barrier();
        final Intracomm flipped = dup.merge(low);
        Expect.equal(low ? rank + (size - lowSize) : rank - lowSize, flipped.getRank(), "merged rank (high first)");
        final int[] got = new int[1];
        final int me = flipped.getRank();
        flipped.sendRecv(new int[]{ rank }, 1, MPI.INT, (me + 1) % size, 0, got, 1, MPI.INT, (me - 1 + size) % size, 0);
        System.out.println("OK intercomm-merge rank=" + rank);

        dup.free();
        inter.free();
        Expect.that(inter.isNull(), "freed intercomm");
        Expect.error(MPI.ERR_COMM, "remote size after free", inter::getRemoteSize);
        Expect.error(MPI.ERR_COMM, "send after free", () -> inter.send(new int[1], 1, MPI.INT, 0, 0));
        merged.free();
        flipped.free();
        half.free();
        System.out.println("OK intercomm-free rank=" + rank);
        MPI.Finalize();
    }

    private static void exchange(final Intercomm inter, final int rank, final boolean low, final int lowSize)
        throws MPIException
    {
        final int me = inter.getRank();
        final int remoteSize = inter.getRemoteSize();
        final int localSize = inter.getSize();
        // every process sends to remote rank (me % remoteSize); receives from every remote rank that targets it
        inter.send(new int[]{ rank }, 1, MPI.INT, me % remoteSize, 7);
        for (int r = 0; r < remoteSize; r++)
        {
            if (r % localSize == me)
            {
                final int[] got = new int[1];
                inter.recv(got, 1, MPI.INT, r, 7);
                Expect.equal(low ? lowSize + r : r, got[0], "message from remote rank " + r);
            }
        }
    }
}
