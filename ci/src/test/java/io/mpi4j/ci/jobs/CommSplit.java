package io.mpi4j.ci.jobs;

import mpi.Group;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/** split, splitType, create, createGroup and the Group operations. */
public final class CommSplit
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final int size = world.getSize();

        // split by parity, ranks reversed by key; the last rank stays out
        final int colour = rank == size - 1 && size > 2 ? MPI.UNDEFINED : rank % 2;
        final Intracomm part = world.split(colour, -rank);
        if (colour == MPI.UNDEFINED)
        {
            Expect.that(part.isNull(), "UNDEFINED gives COMM_NULL");
            Expect.that(part == MPI.COMM_NULL, "UNDEFINED gives MPI.COMM_NULL");
        }
        else
        {
            int members = 0;
            int higher = 0;
            for (int r = 0; r < size; r++)
            {
                final boolean in = r % 2 == colour && !(r == size - 1 && size > 2);
                members += in ? 1 : 0;
                higher += in && r > rank ? 1 : 0;
            }
            Expect.equal(members, part.getSize(), "split size");
            Expect.equal(higher, part.getRank(), "split rank (key = -rank)");
            // traffic inside the part, and a sum over its members by a ring
            final int[] token = { rank };
            final int n = part.getSize();
            final int me = part.getRank();
            final int[] in = new int[1];
            int sum = rank;
            for (int step = 1; step < n; step++)
            {
                part.sendRecv(token, 1, MPI.INT, (me + 1) % n, 1, in, 1, MPI.INT, (me - 1 + n) % n, 1);
                token[0] = in[0];
                sum += in[0];
            }
            int expected = 0;
            for (int r = 0; r < size; r++)
            {
                expected += r % 2 == colour && !(r == size - 1 && size > 2) ? r : 0;
            }
            Expect.equal(expected, sum, "sum over the split part");
            part.free();
        }
        System.out.println("OK split rank=" + rank);

        final Intracomm shared = world.splitType(MPI.COMM_TYPE_SHARED, rank, MPI.INFO_NULL);
        Expect.equal(size, shared.getSize(), "all ranks share memory");
        Expect.equal(rank, shared.getRank(), "shared rank");
        shared.free();
        Expect.that(world.splitType(MPI.UNDEFINED, 0, MPI.INFO_NULL).isNull(), "splitType UNDEFINED");
        System.out.println("OK splitType rank=" + rank);

        // groups
        final Group all = world.getGroup();
        Expect.equal(size, all.getSize(), "group size");
        Expect.equal(rank, all.getRank(), "group rank");
        final int[] evens = new int[(size + 1) / 2];
        for (int i = 0; i < evens.length; i++)
        {
            evens[i] = 2 * i;
        }
        final Group even = all.incl(evens);
        final Group odd = all.excl(evens);
        Expect.equal(evens.length, even.getSize(), "incl size");
        Expect.equal(size - evens.length, odd.getSize(), "excl size");
        Expect.equal(rank % 2 == 0 ? rank / 2 : MPI.UNDEFINED, even.getRank(), "incl rank");
        final Group evenRange = all.rangeIncl(new int[][]{ { 0, size - 1, 2 } });
        Expect.equal(MPI.IDENT, Group.compare(even, evenRange), "rangeIncl = incl");
        final Group oddRange = all.rangeExcl(new int[][]{ { 0, size - 1, 2 } });
        Expect.equal(MPI.IDENT, Group.compare(odd, oddRange), "rangeExcl = excl");
        final Group union = Group.union(odd, even);
        Expect.equal(size, union.getSize(), "union size");
        Expect.equal(size > 1 ? MPI.SIMILAR : MPI.IDENT, Group.compare(union, all), "union similar");
        Expect.equal(0, Group.intersection(odd, even).getSize(), "intersection empty");
        Expect.equal(MPI.IDENT, Group.compare(Group.difference(all, odd), even), "difference");
        final int[] ranks = new int[size];
        for (int i = 0; i < size; i++)
        {
            ranks[i] = i;
        }
        final int[] inEven = Group.translateRanks(all, ranks, even);
        for (int i = 0; i < size; i++)
        {
            Expect.equal(i % 2 == 0 ? i / 2 : MPI.UNDEFINED, inEven[i], "translate " + i);
        }
        Expect.equal(MPI.UNEQUAL, Group.compare(even, all), "compare unequal");
        Expect.error(MPI.ERR_RANK, "incl out of range", () -> all.incl(new int[]{ size }));
        Expect.error(MPI.ERR_RANK, "incl repeated", () -> all.incl(new int[]{ 0, 0 }));
        Expect.error(MPI.ERR_RANK, "excl negative", () -> all.excl(new int[]{ -1 }));
        Expect.error(MPI.ERR_RANK, "range out", () -> all.rangeIncl(new int[][]{ { 0, size, 1 } }));
        Expect.error(MPI.ERR_RANK, "translate out", () -> Group.translateRanks(all, new int[]{ size }, even));
        System.out.println("OK groups rank=" + rank);

        // create: collective over world, members get the comm; createGroup: only the members call it
        final Intracomm evenComm = world.create(even);
        Expect.that((rank % 2 == 0) == !evenComm.isNull(), "create membership");
        if (rank % 2 == 0)
        {
            Expect.equal(rank / 2, evenComm.getRank(), "create rank");
            Expect.equal(even.getSize(), evenComm.getSize(), "create size");
            evenComm.barrier();
            evenComm.free();
        }
        if (rank % 2 == 1)
        {
            final Intracomm oddComm = world.createGroup(odd, 77);
            Expect.equal(rank / 2, oddComm.getRank(), "createGroup rank");
            final int[] got = new int[1];
            final int n = oddComm.getSize();
            oddComm.sendRecv(new int[]{ rank }, 1, MPI.INT, (oddComm.getRank() + 1) % n, 0,
                got, 1, MPI.INT, (oddComm.getRank() - 1 + n) % n, 0);
            Expect.equal(2 * ((oddComm.getRank() - 1 + n) % n) + 1, got[0], "createGroup traffic");
            oddComm.free();
        }
        Expect.error(MPI.ERR_GROUP, "createGroup without me", () -> world.createGroup(rank % 2 == 0 ? odd : even, 1));
        even.free();
        Expect.that(even.isNull(), "freed group tests null");
        Expect.error(MPI.ERR_GROUP, "freed group", even::getSize);
        System.out.println("OK create rank=" + rank);
        MPI.Finalize();
    }
}
