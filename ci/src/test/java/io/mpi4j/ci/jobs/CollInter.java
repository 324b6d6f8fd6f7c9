package io.mpi4j.ci.jobs;

import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * Collectives over an intercommunicator between the even and the odd world ranks: barrier, bcast with
 * MPI.ROOT / MPI.PROC_NULL, allReduce (each group gets the other group's reduction), allGather (each group gets the
 * other group's blocks), their non-blocking forms. Then every other intercommunicator collective (reduce, gather(v),
 * scatter(v), allGatherv, allToAll(v), reduceScatter(Block), iReduce, iAllToAll) against a sequential reference,
 * with each group as the root's group, over the even/odd intercommunicator and, from 4 ranks, over one between
 * groups of unequal sizes (the first quarter of the world ranks and the rest).
 */
public final class CollInter
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int worldRank = MPI.COMM_WORLD.getRank();
        final int worldSize = MPI.COMM_WORLD.getSize();
        final int colour = worldRank % 2;
        final Intracomm local = MPI.COMM_WORLD.split(colour, worldRank);
        final Intercomm inter = MPI.COMM_WORLD.createIntercomm(local, 0, colour == 0 ? 1 : 0, 77);
        inter.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = inter.getRank();
        final int size = inter.getSize();
        final int remoteSize = inter.getRemoteSize();
        // world rank of local rank r in group g
        final int otherColour = 1 - colour;

        inter.barrier();
        inter.iBarrier().waitFor();

        for (final int n : new int[] {0, 1, 1000, 300_000})
        {
            // group 0's last process broadcasts to group 1
            final int[] data = new int[n];
            final int rootLocal = size - 1;
            if (colour == 0)
            {
                if (rank == rootLocal)
                {
                    for (int i = 0; i < n; i++) data[i] = i ^ 0x5a5a;
                    inter.bcast(data, n, MPI.INT, MPI.ROOT);
                }
                else
                {
                    inter.bcast(null, 0, MPI.INT, MPI.PROC_NULL);
                }
            }
            else
            {
                inter.bcast(data, n, MPI.INT, remoteSize - 1);
                for (int i = 0; i < n; i++) Expect.equal(i ^ 0x5a5a, data[i], "inter bcast n=" + n + " at " + i);
            }
            // allReduce: each group receives the sum over the other group of (world rank + i)
            final long[] mine = new long[n];
            for (int i = 0; i < n; i++) mine[i] = worldRank + i;
            final long[] sum = new long[n];
            inter.allReduce(mine, sum, n, MPI.LONG, MPI.SUM);
            final long[] sum2 = new long[n];
            inter.iAllReduce(mine, sum2, n, MPI.LONG, MPI.SUM).waitFor();
            for (int i = 0; i < n; i++)
            {
                long expected = 0;
                for (int w = otherColour; w < worldSize; w += 2) expected += w + i;
                Expect.equal(expected, sum[i], "inter allReduce n=" + n + " at " + i);
                Expect.equal(expected, sum2[i], "inter iAllReduce n=" + n + " at " + i);
            }
        }
        // allGather: each process receives the other group's world ranks, in their local rank order
        final int[] ranks = new int[remoteSize * 2];
        inter.allGather(new int[] {worldRank, -worldRank}, 2, MPI.INT, ranks, 2, MPI.INT);
        final int[] ranks2 = new int[remoteSize * 2];
        inter.iAllGather(new int[] {worldRank, -worldRank}, 2, MPI.INT, ranks2, 2, MPI.INT).waitFor();
        for (int r = 0; r < remoteSize; r++)
        {
            final int w = otherColour + 2 * r;
            Expect.equal(w, ranks[2 * r], "inter allGather " + r);
            Expect.equal(-w, ranks[2 * r + 1], "inter allGather " + r);
            Expect.equal(w, ranks2[2 * r], "inter iAllGather " + r);
        }
        Expect.error(MPI.ERR_ROOT, "inter bcast bad root", () -> inter.bcast(new int[1], 1, MPI.INT, remoteSize));
        Expect.error(MPI.ERR_ROOT, "inter gather bad root", () -> inter.gather(new int[1], 1, MPI.INT, new int[4], 1,
            MPI.INT, remoteSize));
        Expect.error(MPI.ERR_ROOT, "inter reduce bad root", () -> inter.reduce(new int[1], new int[1], 1, MPI.INT,
            MPI.SUM, -7));
        Expect.error(MPI.ERR_ROOT, "inter scatterv bad root", () -> inter.scatterv(new int[1], new int[] {1},
            new int[] {0}, MPI.INT, new int[1], 1, MPI.INT, remoteSize + 1));

        final int[][] parity = new int[2][];
        for (int g = 0; g < 2; g++)
        {
            parity[g] = new int[(worldSize - g + 1) / 2];
            for (int r = 0; r < parity[g].length; r++) parity[g][r] = g + 2 * r;
        }
        checkAll(inter, parity, colour, worldRank, "even/odd");
        inter.free();
        local.free();

        if (worldSize >= 4)
        {
            // unequal groups: world ranks [0, k) and [k, n)
            final int k = worldSize / 4;
            final int[][] split = {new int[k], new int[worldSize - k]};
            for (int w = 0; w < worldSize; w++)
            {
                if (w < k) split[0][w] = w;
                else split[1][w - k] = w;
            }
            final int c2 = worldRank < k ? 0 : 1;
            final Intracomm local2 = MPI.COMM_WORLD.split(c2, worldRank);
            final Intercomm inter2 = MPI.COMM_WORLD.createIntercomm(local2, 0, c2 == 0 ? k : 0, 78);
            inter2.setErrhandler(MPI.ERRORS_RETURN);
            Expect.equal(split[c2].length, inter2.getSize(), "unequal local size");
            Expect.equal(split[1 - c2].length, inter2.getRemoteSize(), "unequal remote size");
            checkAll(inter2, split, c2, worldRank, "unequal");
            inter2.free();
            local2.free();
        }
        System.out.println("OK inter rank=" + worldRank + " size=" + worldSize);
        MPI.Finalize();
    }

    /** Value of item {@code i} of process {@code w}'s contribution: distinct per process and item. */
    private static int v(final int w, final int i)
    {
        return w * 1_000_000 + i;
    }

    /**
     * Every rooted and all-to-all intercommunicator collective, each checked against what the sequential
     * definition gives. {@code groups[g]} lists group g's world ranks in local rank order; this process is in group
     * {@code colour}.
     */
    private static void checkAll(final Intercomm inter, final int[][] groups, final int colour, final int worldRank,
        final String label) throws MPIException
    {
        final int[] theirs = groups[1 - colour];
        final int p = groups[colour].length;
        final int q = theirs.length;
        final int rank = inter.getRank();
        Expect.equal(worldRank, groups[colour][rank], label + " group layout");
        for (int rootGroup = 0; rootGroup < 2; rootGroup++)
        {
            final int rootLocal = rootGroup == 0 ? groups[0].length - 1 : 0;
            final boolean inRootGroup = colour == rootGroup;
            final boolean isRoot = inRootGroup && rank == rootLocal;
            final int root = inRootGroup ? (isRoot ? MPI.ROOT : MPI.PROC_NULL) : rootLocal;
            final String row = label + " root group " + rootGroup + ": ";
            final int rootWorld = groups[rootGroup][rootLocal];

            // reduce (+ iReduce): the root gets the sum over the other group, item by item
            for (final int n : new int[] {1, 3000, 40_000})
            {
                final long[] mine = new long[n];
                for (int i = 0; i < n; i++) mine[i] = v(worldRank, i);
                final long[] out = new long[n];
                final long[] out2 = new long[n];
                inter.reduce(mine, out, n, MPI.LONG, MPI.SUM, root);
                inter.iReduce(mine, out2, n, MPI.LONG, MPI.SUM, root).waitFor();
                final int[] prod = {1};
                inter.reduce(new int[] {worldRank + 2}, prod, 1, MPI.INT, MPI.PROD, root);
                if (isRoot)
                {
                    long expectedProd = 1;
                    for (final int w : theirs) expectedProd *= w + 2;
                    Expect.equal(expectedProd, prod[0], row + "reduce prod");
                    for (int i = 0; i < n; i++)
                    {
                        long expected = 0;
                        for (final int w : theirs) expected += v(w, i);
                        Expect.equal(expected, out[i], row + "reduce n=" + n + " at " + i);
                        Expect.equal(expected, out2[i], row + "iReduce n=" + n + " at " + i);
                    }
                }
                else
                {
                    for (int i = 0; i < n; i++) Expect.equal(0, out[i] | out2[i], row + "reduce untouched");
                }
            }

            // gather: the root gets {w, -w, 7} of every process of the other group, in rank order
            final int[] gathered = new int[3 * q];
            inter.gather(new int[] {worldRank, -worldRank, 7}, 3, MPI.INT, gathered, 3, MPI.INT, root);
            if (isRoot)
            {
                for (int r = 0; r < q; r++)
                {
                    Expect.equal(theirs[r], gathered[3 * r], row + "gather " + r);
                    Expect.equal(-theirs[r], gathered[3 * r + 1], row + "gather " + r);
                    Expect.equal(7, gathered[3 * r + 2], row + "gather " + r);
                }
            }
            // gather of a large block: past the eager sizes
            final int big = 20_000;
            final int[] bigSend = new int[big];
            for (int i = 0; i < big; i++) bigSend[i] = v(worldRank, i);
            final int[] bigRecv = new int[isRoot ? big * q : 0];
            inter.gather(bigSend, big, MPI.INT, bigRecv, big, MPI.INT, root);
            if (isRoot)
            {
                for (int r = 0; r < q; r++)
                    for (int i = 0; i < big; i += 997) Expect.equal(v(theirs[r], i), bigRecv[r * big + i],
                        row + "gather big " + r + " at " + i);
            }

            // gatherv: remote rank r sends r + 1 items, placed with a gap of one item; gaps stay untouched
            {
                final int[] counts = new int[q];
                final int[] displs = new int[q];
                int extent = 0;
                for (int r = 0; r < q; r++)
                {
                    counts[r] = r + 1;
                    displs[r] = extent + 1;
                    extent = displs[r] + counts[r];
                }
                final int[] out = new int[extent];
                java.util.Arrays.fill(out, -1);
                final int[] send = new int[rank + 1];
                for (int j = 0; j <= rank; j++) send[j] = v(worldRank, j);
                if (isRoot)
                {
                    inter.gatherv(null, 0, MPI.INT, out, counts, displs, MPI.INT, root);
                    int at = 0;
                    for (int r = 0; r < q; r++)
                    {
                        Expect.equal(-1, out[at], row + "gatherv gap " + r);
                        for (int j = 0; j < counts[r]; j++)
                            Expect.equal(v(theirs[r], j), out[displs[r] + j], row + "gatherv " + r + "." + j);
                        at = displs[r] + counts[r];
                    }
                }
                else if (inRootGroup)
                {
                    inter.gatherv(null, 0, MPI.INT, null, null, null, MPI.INT, root);
                }
                else
                {
                    inter.gatherv(send, rank + 1, MPI.INT, root);
                }
            }

            // scatter: remote rank r gets {rootWorld, r, 5}; also a large block
            {
                final int[] send = new int[isRoot ? 3 * q : 0];
                for (int r = 0; isRoot && r < q; r++)
                {
                    send[3 * r] = worldRank;
                    send[3 * r + 1] = r;
                    send[3 * r + 2] = 5;
                }
                final int[] got = {-1, -1, -1};
                inter.scatter(send, 3, MPI.INT, got, 3, MPI.INT, root);
                final int[] bigOut = new int[isRoot ? big * q : 0];
                for (int r = 0; isRoot && r < q; r++)
                    for (int i = 0; i < big; i++) bigOut[r * big + i] = v(r, i);
                final int[] bigGot = new int[big];
                inter.scatter(bigOut, big, MPI.INT, bigGot, big, MPI.INT, root);
                if (!inRootGroup)
                {
                    Expect.equal(rootWorld, got[0], row + "scatter from");
                    Expect.equal(rank, got[1], row + "scatter block");
                    Expect.equal(5, got[2], row + "scatter block");
                    for (int i = 0; i < big; i += 991) Expect.equal(v(rank, i), bigGot[i], row + "scatter big " + i);
                }
                else
                {
                    Expect.equal(-1, got[0], row + "scatter untouched");
                }
            }

            // scatterv: remote rank r gets r + 2 items from displacement 3 r (overlapping ranges are legal)
            {
                final int[] counts = new int[q];
                final int[] displs = new int[q];
                for (int r = 0; r < q; r++)
                {
                    counts[r] = r + 2;
                    displs[r] = 3 * r;
                }
                final int[] send = new int[isRoot ? 4 * q + 2 : 0];
                for (int i = 0; i < send.length; i++) send[i] = v(worldRank, i);
                final int[] got = new int[rank + 3];
                java.util.Arrays.fill(got, -1);
                if (isRoot)
                {
                    inter.scatterv(send, counts, displs, MPI.INT, root);
                }
                else if (inRootGroup)
                {
                    inter.scatterv(null, null, null, MPI.INT, null, 0, MPI.INT, root);
                }
                else
                {
                    inter.scatterv(got, rank + 2, MPI.INT, root);
                    for (int j = 0; j < rank + 2; j++)
                        Expect.equal(v(rootWorld, 3 * rank + j), got[j], row + "scatterv " + j);
                    Expect.equal(-1, got[rank + 2], row + "scatterv past the block");
                }
            }
        }

        // allToAll (+ iAllToAll): the groups' blocks differ in size (n + colour sent, n + 1 - colour received)
        for (final int n : new int[] {2, 12_000})
        {
            final int sc = n + colour;
            final int rc = n + 1 - colour;
            final int[] send = new int[sc * q];
            for (int j = 0; j < q; j++)
                for (int k = 0; k < sc; k++) send[j * sc + k] = worldRank * 1_000_000 + j * 30_000 + k;
            final int[] recv = new int[rc * q];
            final int[] recv2 = new int[rc * q];
            inter.allToAll(send, sc, MPI.INT, recv, rc, MPI.INT);
            inter.iAllToAll(send, sc, MPI.INT, recv2, rc, MPI.INT).waitFor();
            for (int j = 0; j < q; j++)
                for (int k = 0; k < rc; k++)
                {
                    final int expected = theirs[j] * 1_000_000 + rank * 30_000 + k;
                    Expect.equal(expected, recv[j * rc + k], label + " allToAll n=" + n + " from " + j + " at " + k);
                    Expect.equal(expected, recv2[j * rc + k], label + " iAllToAll n=" + n + " from " + j);
                }
        }

        // allToAllv: process w sends w % 3 + j + 1 items to remote rank j, placed with gaps on both sides
        {
            final int[] scounts = new int[q];
            final int[] sdispls = new int[q];
            int sx = 0;
            for (int j = 0; j < q; j++)
            {
                scounts[j] = worldRank % 3 + j + 1;
                sdispls[j] = sx + 2;
                sx = sdispls[j] + scounts[j];
            }
            final int[] send = new int[sx];
            for (int j = 0; j < q; j++)
                for (int k = 0; k < scounts[j]; k++) send[sdispls[j] + k] = worldRank * 1000 + j * 100 + k;
            final int[] rcounts = new int[q];
            final int[] rdispls = new int[q];
            int rx = 0;
            for (int j = 0; j < q; j++)
            {
                rcounts[j] = theirs[j] % 3 + rank + 1;
                rdispls[j] = rx + 1;
                rx = rdispls[j] + rcounts[j];
            }
            final int[] recv = new int[rx];
            java.util.Arrays.fill(recv, -1);
            inter.allToAllv(send, scounts, sdispls, MPI.INT, recv, rcounts, rdispls, MPI.INT);
            for (int j = 0; j < q; j++)
            {
                Expect.equal(-1, recv[rdispls[j] - 1], label + " allToAllv gap " + j);
                for (int k = 0; k < rcounts[j]; k++)
                    Expect.equal(theirs[j] * 1000 + rank * 100 + k, recv[rdispls[j] + k],
                        label + " allToAllv from " + j + " at " + k);
            }
        }

        // allGatherv: process w contributes w % 3 + 1 items; remote rank j's land at a gap of one item
        for (final int scale : new int[] {1, 9000})
        {
            final int sc = (worldRank % 3 + 1) * scale;
            final int[] send = new int[sc];
            for (int k = 0; k < sc; k++) send[k] = v(worldRank, k);
            final int[] counts = new int[q];
            final int[] displs = new int[q];
            int extent = 0;
            for (int j = 0; j < q; j++)
            {
                counts[j] = (theirs[j] % 3 + 1) * scale;
                displs[j] = extent + 1;
                extent = displs[j] + counts[j];
            }
            final int[] recv = new int[extent];
            java.util.Arrays.fill(recv, -1);
            inter.allGatherv(send, sc, MPI.INT, recv, counts, displs, MPI.INT);
            for (int j = 0; j < q; j++)
            {
                Expect.equal(-1, recv[displs[j] - 1], label + " allGatherv gap " + j);
                for (int k = 0; k < counts[j]; k++)
                    Expect.equal(v(theirs[j], k), recv[displs[j] + k], label + " allGatherv " + j + " at " + k);
            }
        }

        // reduceScatterBlock: both groups reduce vectors of p q m items; this group's rank r gets block r of the
        // other group's sum
        for (final int m : new int[] {1, 3000})
        {
            final int total = p * q * m;
            final int block = total / p;
            final long[] send = new long[total];
            for (int i = 0; i < total; i++) send[i] = v(worldRank, i);
            final long[] recv = new long[block];
            inter.reduceScatterBlock(send, recv, block, MPI.LONG, MPI.SUM);
            for (int i = 0; i < block; i++)
            {
                long expected = 0;
                for (final int w : theirs) expected += v(w, rank * block + i);
                Expect.equal(expected, recv[i], label + " reduceScatterBlock m=" + m + " at " + i);
            }
        }

        // reduceScatter: 40 items, local rank r < p - 1 gets r of them (rank 0 none), the last rank the rest;
        // MAX of a value that is not monotonic in the world rank
        {
            final int total = 40;
            final int[] counts = new int[p];
            int sum = 0;
            for (int r = 0; r < p - 1; r++)
            {
                counts[r] = r;
                sum += r;
            }
            counts[p - 1] = total - sum;
            int offset = 0;
            for (int r = 0; r < rank; r++) offset += counts[r];
            final int[] send = new int[total];
            for (int i = 0; i < total; i++) send[i] = ((worldRank * 7 + i * 3) % 11) * 100 + worldRank;
            final int[] recv = new int[counts[rank]];
            inter.reduceScatter(send, recv, counts, MPI.INT, MPI.MAX);
            for (int i = 0; i < counts[rank]; i++)
            {
                int expected = Integer.MIN_VALUE;
                for (final int w : theirs) expected = Math.max(expected, ((w * 7 + (offset + i) * 3) % 11) * 100 + w);
                Expect.equal(expected, recv[i], label + " reduceScatter at " + i);
            }
        }
        Expect.error(MPI.ERR_ARG, label + " reduceScatterBlock in place", () -> inter.reduceScatterBlock(new long[p],
            1, MPI.LONG, MPI.SUM));
    }
}
