package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

import mpi.Comm;
import mpi.Datatype;
import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.Request;
import mpi.UserFunction;

/**
 * The non-blocking rooted and v-collectives (iGather(v), iScatter(v), iAllGatherv, iAllToAllv, iAllToAllw,
 * iReduceScatter(Block), iScan, iExScan) with every root and their in-place forms, several of them in flight at
 * once, blocking allToAllw with a datatype per peer, reduceLocal, the intercommunicator forms, and bad arguments
 * failing with their error class while the process stays usable.
 */
public final class CollNonBlocking
{
    private static int rank;
    private static int size;

    private static int v(final int owner, final int dest, final int i)
    {
        return owner * 1_000_000 + dest * 10_000 + i;
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        size = world.getSize();
        for (final int n : new int[] {0, 1, 7, 5000})
        {
            for (int root = 0; root < size; root++)
            {
                rooted(world, n, root);
            }
            allVariants(world, n);
        }
        overlapping(world);
        allToAllw(world);
        reductions(world);
        intercomm(world);
        errors(world);
        System.out.println("OK nonblocking rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    private static void rooted(final Intracomm world, final int n, final int root) throws MPIException
    {
        final String row = "n=" + n + " root=" + root;
        final int[] mine = new int[n];
        for (int i = 0; i < n; i++) mine[i] = v(rank, root, i);
        // iGather
        final int[] all = new int[n * size];
        world.iGather(mine, n, MPI.INT, all, n, MPI.INT, root).waitFor();
        if (rank == root) checkBlocks(all, n, root, row + " iGather");
        // iGather in place
        final int[] inPlace = new int[n * size];
        if (rank == root) System.arraycopy(mine, 0, inPlace, rank * n, n);
        world.iGather(rank == root ? inPlace : mine, n, MPI.INT, root).waitFor();
        if (rank == root) checkBlocks(inPlace, n, root, row + " iGather in place");
        // iGatherv: rank i sends i + n items, placed in reverse rank order with a gap of one
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        int at = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            counts[i] = i + n;
            displs[i] = at;
            at += counts[i] + 1;
        }
        final int[] vsend = new int[rank + n];
        for (int i = 0; i < vsend.length; i++) vsend[i] = v(rank, root, i);
        final int[] vrecv = new int[at];
        java.util.Arrays.fill(vrecv, -1);
        world.iGatherv(vsend, vsend.length, MPI.INT, vrecv, counts, displs, MPI.INT, root).waitFor();
        if (rank == root) checkV(vrecv, counts, displs, root, row + " iGatherv");
        // iGatherv in place at the root, the sending form elsewhere
        java.util.Arrays.fill(vrecv, -1);
        final Request gv;
        if (rank == root)
        {
            System.arraycopy(vsend, 0, vrecv, displs[root], vsend.length);
            gv = world.iGatherv(vrecv, counts, displs, MPI.INT, root);
        }
        else
        {
            gv = world.iGatherv(vsend, vsend.length, MPI.INT, root);
        }
        gv.waitFor();
        if (rank == root) checkV(vrecv, counts, displs, root, row + " iGatherv in place");
        // iScatter: the root's block i goes to rank i
        final int[] src = new int[n * size];
        for (int d = 0; d < size; d++)
            for (int i = 0; i < n; i++) src[d * n + i] = v(root, d, i);
        final int[] got = new int[n];
        world.iScatter(src, n, MPI.INT, got, n, MPI.INT, root).waitFor();
        for (int i = 0; i < n; i++) Expect.equal(v(root, rank, i), got[i], row + " iScatter " + i);
        // iScatter in place: the root keeps its block in the send buffer
        final int[] sip = rank == root ? src.clone() : new int[n];
        world.iScatter(sip, n, MPI.INT, root).waitFor();
        for (int i = 0; i < n; i++)
            Expect.equal(v(root, rank, i), sip[(rank == root ? rank * n : 0) + i], row + " iScatter in place");
        // iScatterv with the gatherv layout, and its in-place and receiving forms
        final int[] vsrc = new int[at];
        for (int d = 0; d < size; d++)
            for (int i = 0; i < counts[d]; i++) vsrc[displs[d] + i] = v(root, d, i);
        final int[] vgot = new int[rank + n];
        world.iScatterv(vsrc, counts, displs, MPI.INT, vgot, vgot.length, MPI.INT, root).waitFor();
        for (int i = 0; i < vgot.length; i++) Expect.equal(v(root, rank, i), vgot[i], row + " iScatterv " + i);
        java.util.Arrays.fill(vgot, -1);
        if (rank == root)
        {
            world.iScatterv(vsrc, counts, displs, MPI.INT, root).waitFor();
        }
        else
        {
            world.iScatterv(vgot, vgot.length, MPI.INT, root).waitFor();
            for (int i = 0; i < vgot.length; i++) Expect.equal(v(root, rank, i), vgot[i], row + " iScatterv recv");
        }
    }

    private static void checkBlocks(final int[] all, final int n, final int root, final String row)
    {
        for (int r = 0; r < size; r++)
            for (int i = 0; i < n; i++) Expect.equal(v(r, root, i), all[r * n + i], row + " from " + r + " at " + i);
    }

    private static void checkV(final int[] buf, final int[] counts, final int[] displs, final int dest,
        final String row)
    {
        final boolean[] covered = new boolean[buf.length];
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < counts[r]; i++)
            {
                Expect.equal(v(r, dest, i), buf[displs[r] + i], row + " from " + r + " at " + i);
                covered[displs[r] + i] = true;
            }
        }
        for (int i = 0; i < buf.length; i++)
        {
            if (!covered[i]) Expect.equal(-1, buf[i], row + " gap at " + i + " was written");
        }
    }

    private static void allVariants(final Intracomm world, final int n) throws MPIException
    {
        final String row = "n=" + n;
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        int at = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            counts[i] = i + n;
            displs[i] = at;
            at += counts[i] + 1;
        }
        // iAllGatherv, on a direct buffer, then in place
        final int[] vsend = new int[rank + n];
        for (int i = 0; i < vsend.length; i++) vsend[i] = v(rank, 0, i);
        final IntBuffer direct = MPI.newIntBuffer(Math.max(1, at));
        for (int i = 0; i < at; i++) direct.put(i, -1);
        final IntBuffer dsend = MPI.newIntBuffer(Math.max(1, vsend.length));
        dsend.put(vsend, 0, vsend.length).clear();
        world.iAllGatherv(dsend, vsend.length, MPI.INT, direct, counts, displs, MPI.INT).waitFor();
        final int[] fromDirect = new int[at];
        for (int i = 0; i < at; i++) fromDirect[i] = direct.get(i);
        checkV(fromDirect, counts, displs, 0, row + " iAllGatherv direct");
        final int[] ip = new int[at];
        java.util.Arrays.fill(ip, -1);
        System.arraycopy(vsend, 0, ip, displs[rank], vsend.length);
        world.iAllGatherv(ip, counts, displs, MPI.INT).waitFor();
        checkV(ip, counts, displs, 0, row + " iAllGatherv in place");
        // iAllToAllv: rank r sends (r + d + n) % 4 + n items to d, blocks laid out in reverse with gaps
        final int[] sc = new int[size];
        final int[] sd = new int[size];
        final int[] rc = new int[size];
        final int[] rd = new int[size];
        int sat = 0;
        int rat = 0;
        for (int d = size - 1; d >= 0; d--)
        {
            sc[d] = (rank + d + n) % 4 + n;
            sd[d] = sat;
            sat += sc[d] + 2;
            rc[d] = (d + rank + n) % 4 + n;
            rd[d] = rat;
            rat += rc[d] + 1;
        }
        final int[] asend = new int[sat];
        for (int d = 0; d < size; d++)
            for (int i = 0; i < sc[d]; i++) asend[sd[d] + i] = v(rank, d, i);
        final int[] arecv = new int[rat];
        world.iAllToAllv(asend, sc, sd, MPI.INT, arecv, rc, rd, MPI.INT).waitFor();
        for (int s = 0; s < size; s++)
            for (int i = 0; i < rc[s]; i++) Expect.equal(v(s, rank, i), arecv[rd[s] + i], row + " iAllToAllv");
        // iReduceScatter: rank i gets counts[i] items of the sum; then in place
        int total = 0;
        for (int i = 0; i < size; i++) total += counts[i];
        final long[] contrib = new long[total];
        for (int i = 0; i < total; i++) contrib[i] = (long)(rank + 1) * (i + 1);
        final long[] part = new long[counts[rank]];
        world.iReduceScatter(contrib, part, counts, MPI.LONG, MPI.SUM).waitFor();
        int first = 0;
        for (int i = 0; i < rank; i++) first += counts[i];
        final long ranksSum = (long)size * (size + 1) / 2;
        for (int i = 0; i < part.length; i++)
            Expect.equal(ranksSum * (first + i + 1), part[i], row + " iReduceScatter " + i);
        final long[] inPlace = contrib.clone();
        world.iReduceScatter(inPlace, counts, MPI.LONG, MPI.SUM).waitFor();
        for (int i = 0; i < part.length; i++)
            Expect.equal(ranksSum * (first + i + 1), inPlace[i], row + " iReduceScatter in place " + i);
        // iReduceScatterBlock with MAX, then in place
        final int[] block = new int[n * size];
        for (int i = 0; i < block.length; i++) block[i] = (i * 7 + rank * 13) % 101;
        final int[] mineMax = new int[n];
        world.iReduceScatterBlock(block, mineMax, n, MPI.INT, MPI.MAX).waitFor();
        for (int i = 0; i < n; i++)
        {
            int max = Integer.MIN_VALUE;
            for (int r = 0; r < size; r++) max = Math.max(max, ((rank * n + i) * 7 + r * 13) % 101);
            Expect.equal(max, mineMax[i], row + " iReduceScatterBlock " + i);
        }
        final int[] blockIp = block.clone();
        world.iReduceScatterBlock(blockIp, n, MPI.INT, MPI.MAX).waitFor();
        for (int i = 0; i < n; i++) Expect.equal(mineMax[i], blockIp[i], row + " iReduceScatterBlock in place");
        // iScan and iExScan, separate and in place
        final double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rank + i;
        final double[] scan = new double[n];
        world.iScan(x, scan, n, MPI.DOUBLE, MPI.SUM).waitFor();
        final double[] ex = new double[n];
        java.util.Arrays.fill(ex, -5);
        world.iExScan(x, ex, n, MPI.DOUBLE, MPI.SUM).waitFor();
        final double[] scanIp = x.clone();
        world.iScan(scanIp, n, MPI.DOUBLE, MPI.SUM).waitFor();
        final double[] exIp = x.clone();
        world.iExScan(exIp, n, MPI.DOUBLE, MPI.SUM).waitFor();
        for (int i = 0; i < n; i++)
        {
            final double below = (double)rank * (rank - 1) / 2 + (double)rank * i;
            Expect.that(scan[i] == below + rank + i, row + " iScan " + i + " = " + scan[i]);
            Expect.that(scanIp[i] == below + rank + i, row + " iScan in place " + i);
            Expect.that(ex[i] == (rank == 0 ? -5 : below), row + " iExScan " + i + " = " + ex[i]);
            if (rank > 0) Expect.that(exIp[i] == below, row + " iExScan in place " + i + " = " + exIp[i]);
        }
    }

    /** Several collectives in flight at once, completed in an order other than the one they started in. */
    private static void overlapping(final Intracomm world) throws MPIException
    {
        final int n = 300;
        final int root = size - 1;
        final int[] mine = new int[n];
        for (int i = 0; i < n; i++) mine[i] = v(rank, root, i);
        final int[] all = new int[n * size];
        final int[] src = new int[n * size];
        for (int d = 0; d < size; d++)
            for (int i = 0; i < n; i++) src[d * n + i] = v(root, d, i);
        final int[] got = new int[n];
        final long[] x = new long[n];
        for (int i = 0; i < n; i++) x[i] = rank * 3L + i;
        final long[] scan = new long[n];
        final long[] red = new long[n];
        final int[] sc = new int[size];
        final int[] sd = new int[size];
        for (int d = 0; d < size; d++)
        {
            sc[d] = n;
            sd[d] = d * n;
        }
        final int[] a2a = new int[n * size];
        final int[] a2aSend = new int[n * size];
        for (int d = 0; d < size; d++)
            for (int i = 0; i < n; i++) a2aSend[d * n + i] = v(rank, d, i);
        final Request[] rs = {
            world.iGather(mine, n, MPI.INT, all, n, MPI.INT, root),
            world.iScatter(src, n, MPI.INT, got, n, MPI.INT, root),
            world.iScan(x, scan, n, MPI.LONG, MPI.SUM),
            world.iAllToAllv(a2aSend, sc, sd, MPI.INT, a2a, sc, sd, MPI.INT),
            world.iReduceScatterBlock(concat(x, size), red, n, MPI.LONG, MPI.SUM),
            world.iBarrier(),
        };
        for (int k = rs.length - 1; k >= 0; k--) rs[k].waitFor();
        if (rank == root) checkBlocks(all, n, root, "overlap iGather");
        for (int i = 0; i < n; i++)
        {
            Expect.equal(v(root, rank, i), got[i], "overlap iScatter " + i);
            Expect.equal(3L * rank * (rank + 1) / 2 + (long)(rank + 1) * i, scan[i], "overlap iScan " + i);
            Expect.equal(3L * size * (size - 1) / 2 + (long)size * i, red[i], "overlap iReduceScatterBlock " + i);
        }
        for (int s = 0; s < size; s++)
            for (int i = 0; i < n; i++) Expect.equal(v(s, rank, i), a2a[s * n + i], "overlap iAllToAllv");
        // the same again with Request.waitAll and all in flight twice over
        final Request[] twice = new Request[4];
        final int[] g1 = new int[n * size];
        final int[] g2 = new int[n * size];
        twice[0] = world.iGather(mine, n, MPI.INT, g1, n, MPI.INT, root);
        twice[1] = world.iGather(mine, n, MPI.INT, g2, n, MPI.INT, root);
        final int[] s1 = new int[n];
        final int[] s2 = new int[n];
        twice[2] = world.iScatter(src, n, MPI.INT, s1, n, MPI.INT, root);
        twice[3] = world.iScatter(src, n, MPI.INT, s2, n, MPI.INT, root);
        Request.waitAll(twice);
        if (rank == root)
        {
            checkBlocks(g1, n, root, "twice iGather 1");
            checkBlocks(g2, n, root, "twice iGather 2");
        }
        for (int i = 0; i < n; i++)
        {
            Expect.equal(v(root, rank, i), s1[i], "twice iScatter 1");
            Expect.equal(v(root, rank, i), s2[i], "twice iScatter 2");
        }
    }

    private static long[] concat(final long[] x, final int times)
    {
        final long[] out = new long[x.length * times];
        for (int t = 0; t < times; t++) System.arraycopy(x, 0, out, t * x.length, x.length);
        return out;
    }

    /**
     * allToAllw over byte buffers: to rank d this rank sends d + 1 ints to even ranks and d + 1 doubles to odd
     * ones, at byte displacements that leave gaps; the receiver's types mirror that.
     */
    private static void allToAllw(final Intracomm world) throws MPIException
    {
        final int[] sc = new int[size];
        final int[] sd = new int[size];
        final Datatype[] st = new Datatype[size];
        final int[] rc = new int[size];
        final int[] rd = new int[size];
        final Datatype[] rt = new Datatype[size];
        int sat = 3;
        int rat = 5;
        for (int d = 0; d < size; d++)
        {
            st[d] = d % 2 == 0 ? MPI.INT : MPI.DOUBLE;
            sc[d] = d + 1;
            sd[d] = sat;
            sat += sc[d] * (d % 2 == 0 ? 4 : 8) + 3;
            rt[d] = rank % 2 == 0 ? MPI.INT : MPI.DOUBLE;
            rc[d] = rank + 1;
            rd[d] = rat;
            rat += rc[d] * (rank % 2 == 0 ? 4 : 8) + 1;
        }
        for (int round = 0; round < 2; round++)
        {
            final ByteBuffer send = round == 0 ? ByteBuffer.allocate(sat) : ByteBuffer.allocateDirect(sat);
            send.order(ByteOrder.nativeOrder());
            for (int d = 0; d < size; d++)
            {
                for (int i = 0; i < sc[d]; i++)
                {
                    if (d % 2 == 0) send.putInt(sd[d] + 4 * i, v(rank, d, i));
                    else send.putDouble(sd[d] + 8 * i, v(rank, d, i) + 0.5);
                }
            }
            final ByteBuffer recv = round == 0 ? ByteBuffer.allocateDirect(rat) : ByteBuffer.allocate(rat);
            recv.order(ByteOrder.nativeOrder());
            if (round == 0)
            {
                world.allToAllw(send, sc, sd, st, recv, rc, rd, rt);
            }
            else
            {
                world.iAllToAllw(send, sc, sd, st, recv, rc, rd, rt).waitFor();
            }
            for (int s = 0; s < size; s++)
            {
                for (int i = 0; i < rc[s]; i++)
                {
                    if (rank % 2 == 0) Expect.equal(v(s, rank, i), recv.getInt(rd[s] + 4 * i), "allToAllw int");
                    else Expect.that(recv.getDouble(rd[s] + 8 * i) == v(s, rank, i) + 0.5, "allToAllw double");
                }
            }
        }
    }

    private static void reductions(final Intracomm world) throws MPIException
    {
        final int[] in = {1, 5, -3, 7};
        final int[] inout = {2, 2, 2, 2};
        Comm.reduceLocal(in, inout, 4, MPI.INT, MPI.SUM);
        Expect.equal(3, inout[0], "reduceLocal sum");
        Expect.equal(-1, inout[2], "reduceLocal sum");
        Comm.reduceLocal(in, inout, 4, MPI.INT, MPI.MAX);
        Expect.equal(9, inout[3], "reduceLocal max");
        // a non-commutative user operator: inout = in - inout, element-wise, in rank order
        final Op minus = new Op(new UserFunction()
        {
            @Override
            public void call(final ByteBuffer in, final ByteBuffer inOut, final int count, final Datatype type)
            {
                final IntBuffer x = in.order(ByteOrder.nativeOrder()).asIntBuffer();
                final IntBuffer y = inOut.order(ByteOrder.nativeOrder()).asIntBuffer();
                for (int i = 0; i < count; i++) y.put(i, x.get(i) - y.get(i));
            }
        }, false);
        Expect.that(!minus.isCommutative(), "user op is not commutative");
        Expect.that(MPI.SUM.isCommutative(), "MPI.SUM is commutative");
        final int[] a = {10, 20};
        final int[] b = {1, 2};
        Comm.reduceLocal(a, b, 2, MPI.INT, minus);
        Expect.equal(9, b[0], "reduceLocal user op");
        Expect.equal(18, b[1], "reduceLocal user op");
        final IntBuffer da = MPI.newIntBuffer(2).put(0, 4).put(1, 6);
        final IntBuffer db = MPI.newIntBuffer(2).put(0, 1).put(1, 1);
        Comm.reduceLocal(da, db, 2, MPI.INT, MPI.PROD);
        Expect.equal(4, db.get(0), "reduceLocal direct");
        Expect.equal(6, db.get(1), "reduceLocal direct");
        // iScan with an associative, non-commutative operator keeps rank order: affine maps t -> a t + b as
        // (a, b) pairs, composed lower rank first
        final Op compose = new Op(new UserFunction()
        {
            @Override
            public void call(final ByteBuffer in, final ByteBuffer inOut, final int count, final Datatype type)
            {
                final IntBuffer x = in.order(ByteOrder.nativeOrder()).asIntBuffer();
                final IntBuffer y = inOut.order(ByteOrder.nativeOrder()).asIntBuffer();
                for (int i = 0; i + 1 < count; i += 2)
                {
                    final int a = x.get(i) * y.get(i);
                    final int c = x.get(i + 1) * y.get(i) + y.get(i + 1);
                    y.put(i, a).put(i + 1, c);
                }
            }
        }, false);
        final int[] mine = {2, rank + 1};
        final int[] res = new int[2];
        world.iScan(mine, res, 2, MPI.INT, compose).waitFor();
        int ea = 1;
        int eb = 0;
        for (int r = 0; r <= rank; r++)
        {
            eb = eb * 2 + r + 1;
            ea = ea * 2;
        }
        Expect.equal(ea, res[0], "iScan non-commutative a");
        Expect.equal(eb, res[1], "iScan non-commutative b");
        final int[] ex = {-1, -1};
        world.iExScan(mine, ex, 2, MPI.INT, compose).waitFor();
        if (rank > 0)
        {
            Expect.equal(ea / 2, ex[0], "iExScan non-commutative a");
            Expect.equal((eb - rank - 1) / 2, ex[1], "iExScan non-commutative b");
        }
        compose.free();
        minus.free();
    }

    private static void intercomm(final Intracomm world) throws MPIException
    {
        if (size < 2)
        {
            return;
        }
        final int colour = rank < size / 2 ? 0 : 1;
        final Intracomm local = world.split(colour, rank);
        final Intercomm inter = world.createIntercomm(local, 0, colour == 0 ? size / 2 : 0, 78);
        inter.setErrhandler(MPI.ERRORS_RETURN);
        final int lrank = inter.getRank();
        final int remote = inter.getRemoteSize();
        final int n = 3;
        // iGather into group 0's rank 0 from group 1
        final int[] mine = {v(colour, lrank, 0), v(colour, lrank, 1), v(colour, lrank, 2)};
        final int[] all = new int[n * remote];
        final int root = colour == 0 ? (lrank == 0 ? MPI.ROOT : MPI.PROC_NULL) : 0;
        inter.iGather(mine, n, MPI.INT, all, n, MPI.INT, root).waitFor();
        if (colour == 0 && lrank == 0)
        {
            for (int r = 0; r < remote; r++)
                for (int i = 0; i < n; i++) Expect.equal(v(1, r, i), all[r * n + i], "inter iGather");
        }
        // iScatterv from group 1's rank 0 to group 0: remote rank r gets r + 1 items
        final int sroot = colour == 1 ? (lrank == 0 ? MPI.ROOT : MPI.PROC_NULL) : 0;
        final int[] counts = new int[remote];
        final int[] displs = new int[remote];
        int at = 0;
        for (int r = 0; r < remote; r++)
        {
            counts[r] = r + 1;
            displs[r] = at;
            at += counts[r];
        }
        final int[] src = new int[at];
        for (int r = 0; r < remote; r++)
            for (int i = 0; i < counts[r]; i++) src[displs[r] + i] = v(9, r, i);
        final int[] got = new int[lrank + 1];
        inter.iScatterv(src, counts, displs, MPI.INT, got, got.length, MPI.INT, sroot).waitFor();
        if (colour == 0)
        {
            for (int i = 0; i <= lrank; i++) Expect.equal(v(9, lrank, i), got[i], "inter iScatterv");
        }
        // iAllGatherv: everyone gets the other group's blocks (remote rank r sends r + 1 items)
        final int[] gv = new int[at];
        final int[] gsend = new int[lrank + 1];
        for (int i = 0; i <= lrank; i++) gsend[i] = v(colour, lrank, i);
        inter.iAllGatherv(gsend, gsend.length, MPI.INT, gv, counts, displs, MPI.INT).waitFor();
        for (int r = 0; r < remote; r++)
            for (int i = 0; i < counts[r]; i++)
                Expect.equal(v(1 - colour, r, i), gv[displs[r] + i], "inter iAllGatherv");
        // iAllToAllw with ints
        final int[] one = new int[remote];
        final int[] bytes = new int[remote];
        final Datatype[] types = new Datatype[remote];
        for (int r = 0; r < remote; r++)
        {
            one[r] = 1;
            bytes[r] = 4 * r;
            types[r] = MPI.INT;
        }
        final int[] wsend = new int[remote];
        for (int r = 0; r < remote; r++) wsend[r] = v(colour, lrank, r);
        final int[] wrecv = new int[remote];
        inter.iAllToAllw(wsend, one, bytes, types, wrecv, one, bytes, types).waitFor();
        for (int r = 0; r < remote; r++) Expect.equal(v(1 - colour, r, lrank), wrecv[r], "inter iAllToAllw");
        // iReduceScatterBlock: vectors of local * remote items on both sides; this rank gets block lrank (remote
        // items) of the other group's sum
        final int lsize = inter.getSize();
        final long[] contrib = new long[lsize * remote];
        for (int i = 0; i < contrib.length; i++) contrib[i] = 100L * colour + i + lrank;
        final long[] part = new long[remote];
        inter.iReduceScatterBlock(contrib, part, remote, MPI.LONG, MPI.SUM).waitFor();
        final int them = world.getSize() - lsize;
        for (int i = 0; i < remote; i++)
        {
            final long j = (long)lrank * remote + i;
            Expect.equal(them * (100L * (1 - colour) + j) + (long)them * (them - 1) / 2, part[i],
                "inter iReduceScatterBlock " + i);
        }
        inter.free();
        local.free();
    }

    private static void errors(final Intracomm world) throws MPIException
    {
        final int[] buf = new int[4 * size];
        Expect.error(MPI.ERR_ROOT, "iGather bad root",
            () -> world.iGather(buf, 1, MPI.INT, buf, 1, MPI.INT, size));
        Expect.error(MPI.ERR_ARG, "iGatherv null counts", () -> {
            if (rank == 0) world.iGatherv(buf, 1, MPI.INT, buf, null, null, MPI.INT, 0);
            else world.iGatherv(buf, 1, MPI.INT, buf, null, null, MPI.INT, rank).waitFor();
        });
        Expect.error(MPI.ERR_COUNT, "iScatter negative count",
            () -> world.iScatter(buf, -1, MPI.INT, buf, -1, MPI.INT, 0));
        Expect.error(MPI.ERR_BUFFER, "iScatterv null buffer",
            () -> world.iScatterv(null, 3, MPI.INT, rank == 0 ? 1 : 0));
        Expect.error(MPI.ERR_ARG, "allToAllw short type array", () -> world.allToAllw(buf, new int[size],
            new int[size], new Datatype[0], buf, new int[size], new int[size], new Datatype[size]));
        Expect.error(MPI.ERR_COUNT, "iAllToAllw block past the end", () -> {
            final int[] c = new int[size];
            final Datatype[] t = new Datatype[size];
            java.util.Arrays.fill(c, 1);
            java.util.Arrays.fill(t, MPI.INT);
            final int[] d = new int[size];
            d[size - 1] = 16 * size;
            world.iAllToAllw(buf, c, d, t, buf, c, new int[size], t);
        });
        Expect.error(MPI.ERR_TYPE, "allToAllw uncommitted type", () -> {
            final int[] c = new int[size];
            final Datatype[] t = new Datatype[size];
            java.util.Arrays.fill(c, 1);
            java.util.Arrays.fill(t, Datatype.createContiguous(1, MPI.INT));
            world.allToAllw(buf, c, new int[size], t, buf, c, new int[size], t);
        });
        Expect.error(MPI.ERR_OP, "reduceLocal null op", () -> Comm.reduceLocal(buf, buf, 1, MPI.INT, null));
        Expect.error(MPI.ERR_OP, "reduceLocal op undefined for type",
            () -> Comm.reduceLocal(new boolean[1], new boolean[1], 1, MPI.BOOLEAN, MPI.SUM));
        Expect.error(MPI.ERR_COUNT, "reduceLocal short buffer", () -> Comm.reduceLocal(buf, new int[1], 2,
            MPI.INT, MPI.SUM));
        Expect.error(MPI.ERR_OP, "iReduceScatter bad op",
            () -> world.iReduceScatter(buf, buf, new int[size], MPI.INT, null));
        // still usable
        final int[] one = {rank};
        final int[] sum = new int[1];
        world.iScan(one, sum, 1, MPI.INT, MPI.SUM).waitFor();
        Expect.equal((long)rank * (rank + 1) / 2, sum[0], "iScan after errors");
    }
}
