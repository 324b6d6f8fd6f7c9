package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/**
 * bcast, gather(v), scatter(v), allGather(v), allToAll(v) and the non-blocking ones, with every root, in-place
 * forms, arrays and direct buffers, sizes from 0 B to 4 MiB; a wildcard point-to-point receive posted around the
 * collectives must not match any of their messages; bad arguments fail with their error class.
 */
public final class CollMovement
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

        // a wildcard receive that only the final point-to-point message may complete
        final int[] p2p = new int[1];
        final Request wildcard = rank == 0 ? world.iRecv(p2p, 1, MPI.INT, MPI.ANY_SOURCE, MPI.ANY_TAG) : null;

        for (final int bytes : new int[] {0, 1, 13, 4096, 100_003, 300_000, 4 * 1024 * 1024})
        {
            for (int root = 0; root < size; root += bytes > 100_000 ? Math.max(1, size - 1) : 1)
            {
                final byte[] buf = new byte[bytes];
                if (rank == root)
                {
                    for (int i = 0; i < bytes; i++) buf[i] = (byte)(i * 31 + root);
                }
                world.bcast(buf, bytes, MPI.BYTE, root);
                for (int i = 0; i < bytes; i++)
                {
                    if (buf[i] != (byte)(i * 31 + root))
                    {
                        throw new AssertionError("bcast " + bytes + " root " + root + " at " + i);
                    }
                }
            }
        }
        // iBcast of a direct buffer
        final IntBuffer ib = MPI.newIntBuffer(1000);
        if (rank == size - 1)
        {
            for (int i = 0; i < 1000; i++) ib.put(i, i * 7);
        }
        world.iBcast(ib, 1000, MPI.INT, size - 1).waitFor();
        for (int i = 0; i < 1000; i++) Expect.equal(i * 7, ib.get(i), "iBcast " + i);

        for (final int n : new int[] {0, 1, 5, 3000})
        {
            for (int root = 0; root < size; root++)
            {
                gatherScatter(world, n, root);
            }
            allGathers(world, n);
            allToAlls(world, n);
        }
        concurrent(world);
        world.iBarrier().waitFor();

        final Status early = rank == 0 ? wildcard.getStatus() : null;
        if (null != early)
        {
            final Status st = early;
            throw new AssertionError("wildcard receive matched a collective message: source " + st.getSource() +
                " tag " + st.getTag() + " count " + st.getCount(MPI.BYTE));
        }
        // nobody sends the point-to-point message before rank 0 has checked
        world.barrier();
        if (rank == size - 1)
        {
            world.send(new int[] {4242}, 1, MPI.INT, 0, 9);
        }
        if (rank == 0)
        {
            final Status st = wildcard.waitStatus();
            Expect.equal(4242, p2p[0], "p2p payload");
            Expect.equal(size - 1, st.getSource(), "p2p source");
            Expect.equal(9, st.getTag(), "p2p tag");
        }
        errors(world);
        System.out.println("OK movement rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    private static void gatherScatter(final Intracomm world, final int n, final int root) throws MPIException
    {
        final String row = "n=" + n + " root=" + root;
        final int[] mine = new int[n];
        for (int i = 0; i < n; i++) mine[i] = v(rank, root, i);
        final int[] all = new int[n * size];
        world.gather(mine, n, MPI.INT, all, n, MPI.INT, root);
        if (rank == root)
        {
            checkBlocks(all, n, row + " gather", false);
        }
        // in place
        final int[] inPlace = new int[n * size];
        if (rank == root)
        {
            System.arraycopy(mine, 0, inPlace, rank * n, n);
            world.gather(inPlace, n, MPI.INT, root);
            checkBlocks(inPlace, n, row + " gather in place", false);
        }
        else
        {
            world.gather(mine, n, MPI.INT, root);
        }
        // gatherv: rank i sends i + n items, placed in reverse order with a gap of one
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
        if (rank == root)
        {
            world.gatherv(vsend, vsend.length, MPI.INT, vrecv, counts, displs, MPI.INT, root);
            for (int r = 0; r < size; r++)
            {
                for (int i = 0; i < counts[r]; i++) Expect.equal(v(r, root, i), vrecv[displs[r] + i], row + " gatherv");
            }
        }
        else
        {
            world.gatherv(vsend, vsend.length, MPI.INT, root);
        }
        // scatter: the root's block for rank r holds v(root, r, i)
        final int[] source = new int[n * size];
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < n; i++) source[r * n + i] = v(root, r, i);
        }
        final int[] got = new int[n];
        world.scatter(rank == root ? source : null, n, MPI.INT, got, n, MPI.INT, root);
        for (int i = 0; i < n; i++) Expect.equal(v(root, rank, i), got[i], row + " scatter");
        final int[] inout = rank == root ? source.clone() : new int[n];
        world.scatter(inout, n, MPI.INT, root);
        for (int i = 0; i < n; i++)
        {
            Expect.equal(v(root, rank, i), inout[(rank == root ? rank * n : 0) + i], row + " scatter in place");
        }
        // scatterv with the gatherv layout
        final int[] vsource = new int[at];
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < counts[r]; i++) vsource[displs[r] + i] = v(root, r, i);
        }
        final int[] vgot = new int[counts[rank]];
        if (rank == root)
        {
            world.scatterv(vsource, counts, displs, MPI.INT, vgot, vgot.length, MPI.INT, root);
        }
        else
        {
            world.scatterv(vgot, vgot.length, MPI.INT, root);
        }
        for (int i = 0; i < vgot.length; i++) Expect.equal(v(root, rank, i), vgot[i], row + " scatterv");
    }

    /** Block r of {@code all} must hold v(r, dest, i) where dest is the root (gather) or the reader (allgather). */
    private static void checkBlocks(final int[] all, final int n, final String row, final boolean toMe)
    {
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < n; i++)
            {
                final int expected = toMe ? v(r, rank, i) : v(r, rank, i);
                Expect.equal(expected, all[r * n + i], row + " block " + r + " item " + i);
            }
        }
    }

    private static void allGathers(final Intracomm world, final int n) throws MPIException
    {
        final String row = "n=" + n;
        final int[] mine = new int[n];
        for (int i = 0; i < n; i++) mine[i] = v(rank, 0, i) + 1;
        final int[] all = new int[n * size];
        world.allGather(mine, n, MPI.INT, all, n, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < n; i++) Expect.equal(v(r, 0, i) + 1, all[r * n + i], row + " allGather");
        }
        final int[] inPlace = new int[n * size];
        System.arraycopy(mine, 0, inPlace, rank * n, n);
        world.allGather(inPlace, n, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < n; i++) Expect.equal(v(r, 0, i) + 1, inPlace[r * n + i], row + " allGather in place");
        }
        final ByteBuffer direct = MPI.newByteBuffer(4 * n * size);
        world.iAllGather(mine, n, MPI.INT, direct, n, MPI.INT).waitFor();
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < n; i++)
            {
                Expect.equal(v(r, 0, i) + 1, direct.getInt(4 * (r * n + i)), row + " iAllGather direct");
            }
        }
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        int at = 0;
        for (int i = 0; i < size; i++)
        {
            counts[i] = (i * 3 + n) % 5 + n;
            displs[i] = at + 2;
            at += counts[i] + 2;
        }
        final int[] vsend = new int[counts[rank]];
        for (int i = 0; i < vsend.length; i++) vsend[i] = v(rank, 1, i);
        final int[] vall = new int[at];
        world.allGatherv(vsend, vsend.length, MPI.INT, vall, counts, displs, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < counts[r]; i++) Expect.equal(v(r, 1, i), vall[displs[r] + i], row + " allGatherv");
        }
    }

    private static void allToAlls(final Intracomm world, final int n) throws MPIException
    {
        final String row = "n=" + n;
        final long[] send = new long[n * size];
        for (int d = 0; d < size; d++)
        {
            for (int i = 0; i < n; i++) send[d * n + i] = v(rank, d, i);
        }
        final long[] recv = new long[n * size];
        world.allToAll(send, n, MPI.LONG, recv, n, MPI.LONG);
        for (int s = 0; s < size; s++)
        {
            for (int i = 0; i < n; i++) Expect.equal(v(s, rank, i), recv[s * n + i], row + " allToAll");
        }
        final long[] recv2 = new long[n * size];
        world.iAllToAll(send, n, MPI.LONG, recv2, n, MPI.LONG).waitFor();
        for (int s = 0; s < size; s++)
        {
            for (int i = 0; i < n; i++) Expect.equal(v(s, rank, i), recv2[s * n + i], row + " iAllToAll");
        }
        // alltoallv: rank s sends (s + d) % 3 + n items to d
        final int[] scounts = new int[size];
        final int[] sdispls = new int[size];
        final int[] rcounts = new int[size];
        final int[] rdispls = new int[size];
        int sat = 0;
        int rat = 0;
        for (int d = 0; d < size; d++)
        {
            scounts[d] = (rank + d) % 3 + n;
            sdispls[d] = sat;
            sat += scounts[d];
            rcounts[d] = (d + rank) % 3 + n;
            rdispls[d] = rat + 1;
            rat += rcounts[d] + 1;
        }
        final int[] vs = new int[sat];
        for (int d = 0; d < size; d++)
        {
            for (int i = 0; i < scounts[d]; i++) vs[sdispls[d] + i] = v(rank, d, i);
        }
        final int[] vr = new int[rat];
        world.allToAllv(vs, scounts, sdispls, MPI.INT, vr, rcounts, rdispls, MPI.INT);
        for (int s = 0; s < size; s++)
        {
            for (int i = 0; i < rcounts[s]; i++) Expect.equal(v(s, rank, i), vr[rdispls[s] + i], row + " allToAllv");
        }
    }

    /** Several non-blocking collectives in flight at once, completed in reverse order, never cross. */
    private static void concurrent(final Intracomm world) throws MPIException
    {
        final int n = 777;
        final int[] a = new int[n];
        final int[] b = new int[n];
        final int[] sum = new int[n];
        final int[] gathered = new int[size];
        final long[] exchanged = new long[size];
        final long[] outgoing = new long[size];
        for (int i = 0; i < n; i++)
        {
            a[i] = rank == 0 ? i : -1;
            b[i] = rank == size - 1 ? -i : -2;
        }
        for (int d = 0; d < size; d++) outgoing[d] = v(rank, d, 0);
        final Request[] requests = {
            world.iBcast(a, n, MPI.INT, 0),
            world.iBcast(b, n, MPI.INT, size - 1),
            world.iAllReduce(new int[] {rank + 1}, sum, 1, MPI.INT, MPI.SUM),
            world.iAllGather(new int[] {rank * 3}, 1, MPI.INT, gathered, 1, MPI.INT),
            world.iAllToAll(outgoing, 1, MPI.LONG, exchanged, 1, MPI.LONG),
            world.iBarrier()};
        for (int k = requests.length - 1; k >= 0; k--)
        {
            requests[k].waitFor();
        }
        for (int i = 0; i < n; i++)
        {
            Expect.equal(i, a[i], "concurrent iBcast a " + i);
            Expect.equal(-i, b[i], "concurrent iBcast b " + i);
        }
        Expect.equal((long)size * (size + 1) / 2, sum[0], "concurrent iAllReduce");
        for (int r = 0; r < size; r++)
        {
            Expect.equal(r * 3, gathered[r], "concurrent iAllGather " + r);
            Expect.equal(v(r, rank, 0), exchanged[r], "concurrent iAllToAll " + r);
        }
    }

    private static void errors(final Intracomm world)
    {
        Expect.error(MPI.ERR_ROOT, "bcast root out of range", () -> world.bcast(new int[1], 1, MPI.INT, size));
        Expect.error(MPI.ERR_ROOT, "reduce negative root", () -> world.reduce(new int[1], new int[1], 1, MPI.INT,
            MPI.SUM, -1));
        Expect.error(MPI.ERR_COUNT, "negative count", () -> world.allReduce(new int[1], new int[1], -1, MPI.INT,
            MPI.SUM));
        Expect.error(MPI.ERR_OP, "SUM on BOOLEAN", () -> world.allReduce(new boolean[1], new boolean[1], 1,
            MPI.BOOLEAN, MPI.SUM));
        Expect.error(MPI.ERR_OP, "null op", () -> world.allReduce(new int[1], new int[1], 1, MPI.INT, null));
        Expect.error(MPI.ERR_COUNT, "buffer too short in bytes", () -> world.bcast(new double[1], 3, MPI.INT, 0));
        Expect.error(MPI.ERR_TYPE, "uncommitted type",
            () -> world.bcast(new int[4], 1, Datatype.createVector(2, 1, 2, MPI.INT), 0));
    }
}
