package io.mpi4j.ci.jobs;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.UserFunction;

/**
 * The blocking collectives that a communicator on one node runs through its shared segment (reduce, gather,
 * scatter, allGather(v), bcast, allToAll, allReduce), at sizes on both sides of every step boundary: a 64 KiB slot
 * per member, reductions split among members from 16 KiB, a bcast step of one slot per member, an allToAll step of
 * a slot's share per member. Every root, in place, a non-commutative user operator, a strided derived datatype,
 * and a split communicator whose ranks are not the world's. Results are checked against sequential references.
 */
public final class CollOnNode
{
    private static final int SLOT_INTS = 64 * 1024 / 4;

    private static int rank;
    private static int size;

    private static int v(final int owner, final int i)
    {
        return owner * 7_919 + i * 31 + (i >>> 9);
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        run(world);
        // reversed ranks: member order differs from world order, so rank-order folds are checked anew
        final Intracomm reversed = world.split(0, world.getSize() - world.getRank());
        run(reversed);
        reversed.free();
        world.barrier();
        System.out.println("OK onnode rank=" + world.getRank() + " size=" + world.getSize());
        MPI.Finalize();
    }

    private static void run(final Intracomm comm) throws MPIException
    {
        rank = comm.getRank();
        size = comm.getSize();
        final int[] counts = {0, 1, 4095, 4096, 4097, SLOT_INTS - 1, SLOT_INTS, SLOT_INTS + 1, size * SLOT_INTS - 1,
            size * SLOT_INTS, size * SLOT_INTS + 1, 3 * SLOT_INTS + 7, 300_001};
        for (final int n : counts)
        {
            for (int root = 0; root < size; root += n > SLOT_INTS ? Math.max(1, size - 1) : 1)
            {
                reduce(comm, n, root);
                bcast(comm, n, root);
            }
            allReduce(comm, n);
            nonCommutative(comm, n / 2 + 1);
        }
        final int[] blocks = {0, 1, SLOT_INTS / size - 1, SLOT_INTS / size, SLOT_INTS / size + 1, SLOT_INTS - 1,
            SLOT_INTS, SLOT_INTS + 1, 2 * SLOT_INTS + 5};
        for (final int n : blocks)
        {
            for (int root = 0; root < size; root += n > SLOT_INTS / size ? Math.max(1, size - 1) : 1)
            {
                gather(comm, n, root);
                scatter(comm, n, root);
            }
            allGather(comm, n);
            allGatherv(comm, n);
            for (int root = 0; root < size; root += n > SLOT_INTS / size ? Math.max(1, size - 1) : 1)
            {
                gathervScatterv(comm, n, root);
            }
            allToAll(comm, n);
        }
        strided(comm);
        truncation(comm);
    }

    /** Member r moves (r + 1) * n / size + r items, placed in reverse member order with a gap of 3 items. */
    private static void gathervScatterv(final Intracomm comm, final int n, final int root) throws MPIException
    {
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        int at = 0;
        for (int r = size - 1; r >= 0; r--)
        {
            counts[r] = (int)((long)(r + 1) * n / size) + r;
            displs[r] = at;
            at += counts[r] + 3;
        }
        final int[] send = new int[counts[rank]];
        for (int i = 0; i < send.length; i++) send[i] = v(rank, i) + root;
        final int[] recv = new int[rank == root ? at : 0];
        java.util.Arrays.fill(recv, -1);
        comm.gatherv(send, send.length, MPI.INT, recv, counts, displs, MPI.INT, root);
        final int[] back = new int[counts[rank]];
        comm.scatterv(recv, counts, displs, MPI.INT, back, back.length, MPI.INT, root);
        Expect.that(java.util.Arrays.equals(send, back), "gatherv then scatterv n=" + n + " root=" + root);
        if (rank == root)
        {
            for (int r = 0; r < size; r++)
            {
                for (int i = 0; i < counts[r]; i++)
                {
                    Expect.equal(v(r, i) + root, recv[displs[r] + i], "gatherv n=" + n + " from " + r + " i=" + i);
                }
                for (int g = 0; g < 3; g++)
                {
                    Expect.equal(-1, recv[displs[r] + counts[r] + g], "gatherv wrote into a gap");
                }
            }
        }
    }

    /** A block longer than its receiver expects fails with MPI_ERR_TRUNCATE, and the communicator goes on. */
    private static void truncation(final Intracomm comm) throws MPIException
    {
        final int n = SLOT_INTS + 10;
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        for (int r = 0; r < size; r++)
        {
            counts[r] = n;
            displs[r] = r * (n + 5);
        }
        final int root = 0;
        final int[] send = new int[n + 5];
        final int[] recv = new int[size * (n + 5)];
        // the last member sends 5 items more than the root takes from it
        try
        {
            comm.gatherv(send, rank == size - 1 ? n + 5 : n, MPI.INT, recv, counts, displs, MPI.INT, root);
            Expect.that(rank != root, "gatherv of a too long block did not fail at the root");
        }
        catch (final MPIException ex)
        {
            Expect.that(rank == root, "gatherv failed at a sender: " + ex.getMessage());
            Expect.equal(MPI.ERR_TRUNCATE, ex.getErrorClass(), "gatherv truncation class: " + ex.getMessage());
        }
        // the last member expects 5 items fewer than the root sends it
        try
        {
            comm.scatterv(recv, counts, displs, MPI.INT, send, rank == size - 1 ? n - 5 : n, MPI.INT, root);
            Expect.that(rank != size - 1, "scatterv into a too short buffer did not fail");
        }
        catch (final MPIException ex)
        {
            Expect.that(rank == size - 1, "scatterv failed at rank " + rank + ": " + ex.getMessage());
            Expect.equal(MPI.ERR_TRUNCATE, ex.getErrorClass(), "scatterv truncation class: " + ex.getMessage());
        }
        final int[] one = {1};
        comm.allReduce(one, 1, MPI.INT, MPI.SUM);
        Expect.equal(size, one[0], "allReduce after truncation");
    }

    private static void reduce(final Intracomm comm, final int n, final int root) throws MPIException
    {
        final int[] send = new int[n];
        for (int i = 0; i < n; i++) send[i] = v(rank, i);
        final int[] recv = new int[n];
        comm.reduce(send, recv, n, MPI.INT, MPI.SUM, root);
        // in place at the root: its contribution sits in the receive buffer
        final int[] inPlace = send.clone();
        comm.reduce(inPlace, n, MPI.INT, MPI.MAX, root);
        if (rank == root)
        {
            for (int i = 0; i < n; i++)
            {
                int sum = 0;
                int max = Integer.MIN_VALUE;
                for (int r = 0; r < size; r++)
                {
                    sum += v(r, i);
                    max = Math.max(max, v(r, i));
                }
                Expect.equal(sum, recv[i], "reduce SUM n=" + n + " root=" + root + " i=" + i);
                Expect.equal(max, inPlace[i], "in-place reduce MAX n=" + n + " root=" + root + " i=" + i);
            }
        }
    }

    private static void allReduce(final Intracomm comm, final int n) throws MPIException
    {
        final long[] buf = new long[n];
        for (int i = 0; i < n; i++) buf[i] = v(rank, i);
        comm.allReduce(buf, n, MPI.LONG, MPI.SUM);
        for (int i = 0; i < n; i++)
        {
            long sum = 0;
            for (int r = 0; r < size; r++) sum += v(r, i);
            Expect.equal(sum, buf[i], "in-place allReduce n=" + n + " i=" + i);
        }
    }

    private static void bcast(final Intracomm comm, final int n, final int root) throws MPIException
    {
        final int[] buf = new int[n];
        if (rank == root)
        {
            for (int i = 0; i < n; i++) buf[i] = v(root, i);
        }
        comm.bcast(buf, n, MPI.INT, root);
        for (int i = 0; i < n; i++) Expect.equal(v(root, i), buf[i], "bcast n=" + n + " root=" + root + " i=" + i);
    }

    /** Affine maps x -> m*x + c composed in rank order: associative, not commutative. */
    private static void nonCommutative(final Intracomm comm, final int n) throws MPIException
    {
        final Op compose = new Op(new UserFunction()
        {
            @Override
            public void call(final Object inVec, final Object inOutVec, final int count, final Datatype datatype)
            {
                final int[] in = (int[])inVec;
                final int[] io = (int[])inOutVec;
                for (int i = 0; i < count; i++)
                {
                    final int m = io[2 * i] * in[2 * i];
                    final int c = io[2 * i] * in[2 * i + 1] + io[2 * i + 1];
                    io[2 * i] = m;
                    io[2 * i + 1] = c;
                }
            }
        }, false);
        final int[] mine = new int[2 * n];
        for (int i = 0; i < n; i++)
        {
            mine[2 * i] = 2 + (rank + i) % 3;
            mine[2 * i + 1] = rank + 1 + i;
        }
        final int[] all = new int[2 * n];
        comm.allReduce(mine, all, n, MPI.INT2, compose);
        final int root = size / 2;
        final int[] red = new int[2 * n];
        comm.reduce(mine, red, n, MPI.INT2, compose, root);
        for (int i = 0; i < n; i++)
        {
            int m = 1;
            int c = 0;
            for (int r = 0; r < size; r++)
            {
                final int rm = 2 + (r + i) % 3;
                c = rm * c + r + 1 + i;
                m = rm * m;
            }
            Expect.equal(m, all[2 * i], "non-commutative allReduce m n=" + n + " i=" + i);
            Expect.equal(c, all[2 * i + 1], "non-commutative allReduce c n=" + n + " i=" + i);
            if (rank == root)
            {
                Expect.equal(m, red[2 * i], "non-commutative reduce m n=" + n + " i=" + i);
                Expect.equal(c, red[2 * i + 1], "non-commutative reduce c n=" + n + " i=" + i);
            }
        }
        compose.free();
    }

    private static void gather(final Intracomm comm, final int n, final int root) throws MPIException
    {
        final int[] send = new int[n];
        for (int i = 0; i < n; i++) send[i] = v(rank, i);
        final int[] recv = new int[n * size];
        comm.gather(send, n, MPI.INT, recv, n, MPI.INT, root);
        final int[] inPlace = new int[n * size];
        System.arraycopy(send, 0, inPlace, rank * n, n);
        if (rank == root)
        {
            comm.gather(inPlace, n, MPI.INT, root);
        }
        else
        {
            comm.gather(send, n, MPI.INT, null, n, MPI.INT, root);
        }
        if (rank == root)
        {
            for (int r = 0; r < size; r++)
            {
                for (int i = 0; i < n; i++)
                {
                    Expect.equal(v(r, i), recv[r * n + i], "gather n=" + n + " root=" + root + " from " + r);
                    Expect.equal(v(r, i), inPlace[r * n + i], "in-place gather n=" + n + " root=" + root);
                }
            }
        }
    }

    private static void scatter(final Intracomm comm, final int n, final int root) throws MPIException
    {
        final int[] send = new int[rank == root ? n * size : 0];
        if (rank == root)
        {
            for (int r = 0; r < size; r++)
            {
                for (int i = 0; i < n; i++) send[r * n + i] = v(r, i) ^ root;
            }
        }
        final int[] recv = new int[n];
        comm.scatter(send, n, MPI.INT, recv, n, MPI.INT, root);
        for (int i = 0; i < n; i++) Expect.equal(v(rank, i) ^ root, recv[i], "scatter n=" + n + " root=" + root);
        if (rank == root)
        {
            final int[] inPlace = send.clone();
            comm.scatter(inPlace, n, MPI.INT, root);
            Expect.that(java.util.Arrays.equals(send, inPlace), "in-place scatter changed the root's buffer");
        }
        else
        {
            final int[] again = new int[n];
            comm.scatter(null, n, MPI.INT, again, n, MPI.INT, root);
            Expect.that(java.util.Arrays.equals(recv, again), "scatter (root in place) n=" + n);
        }
    }

    private static void allGather(final Intracomm comm, final int n) throws MPIException
    {
        final int[] send = new int[n];
        for (int i = 0; i < n; i++) send[i] = v(rank, i);
        final int[] recv = new int[n * size];
        comm.allGather(send, n, MPI.INT, recv, n, MPI.INT);
        final int[] inPlace = new int[n * size];
        System.arraycopy(send, 0, inPlace, rank * n, n);
        comm.allGather(inPlace, n, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < n; i++)
            {
                Expect.equal(v(r, i), recv[r * n + i], "allGather n=" + n + " from " + r + " i=" + i);
                Expect.equal(v(r, i), inPlace[r * n + i], "in-place allGather n=" + n + " from " + r);
            }
        }
    }

    /** Member r sends (r + 1) * n / size + r items, placed in reverse member order with a gap of 3 items. */
    private static void allGatherv(final Intracomm comm, final int n) throws MPIException
    {
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        int at = 0;
        for (int r = size - 1; r >= 0; r--)
        {
            counts[r] = (int)((long)(r + 1) * n / size) + r;
            displs[r] = at;
            at += counts[r] + 3;
        }
        final int[] send = new int[counts[rank]];
        for (int i = 0; i < send.length; i++) send[i] = v(rank, i);
        final int[] recv = new int[at];
        java.util.Arrays.fill(recv, -1);
        comm.allGatherv(send, send.length, MPI.INT, recv, counts, displs, MPI.INT);
        final int[] inPlace = new int[at];
        java.util.Arrays.fill(inPlace, -1);
        System.arraycopy(send, 0, inPlace, displs[rank], send.length);
        comm.allGatherv(inPlace, counts, displs, MPI.INT);
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < counts[r]; i++)
            {
                Expect.equal(v(r, i), recv[displs[r] + i], "allGatherv n=" + n + " from " + r + " i=" + i);
                Expect.equal(v(r, i), inPlace[displs[r] + i], "in-place allGatherv n=" + n + " from " + r);
            }
            for (int g = 0; g < 3; g++)
            {
                Expect.equal(-1, recv[displs[r] + counts[r] + g], "allGatherv wrote into a gap");
            }
        }
    }

    private static void allToAll(final Intracomm comm, final int n) throws MPIException
    {
        final int[] send = new int[n * size];
        for (int d = 0; d < size; d++)
        {
            for (int i = 0; i < n; i++) send[d * n + i] = v(rank, i) * 3 + d;
        }
        final int[] recv = new int[n * size];
        comm.allToAll(send, n, MPI.INT, recv, n, MPI.INT);
        for (int s = 0; s < size; s++)
        {
            for (int i = 0; i < n; i++)
            {
                Expect.equal(v(s, i) * 3 + rank, recv[s * n + i], "allToAll n=" + n + " from " + s + " i=" + i);
            }
        }
    }

    /** Every other int of a strided vector type: the collective works on its packed form. */
    private static void strided(final Intracomm comm) throws MPIException
    {
        final int n = SLOT_INTS + 3;
        final Datatype every2 = Datatype.createVector(n, 1, 2, MPI.INT);
        every2.commit();
        final int[] buf = new int[2 * n];
        for (int i = 0; i < n; i++)
        {
            buf[2 * i] = v(rank, i);
            buf[2 * i + 1] = -7;
        }
        final int[] sum = new int[2 * n];
        comm.allReduce(buf, sum, 1, every2, MPI.SUM);
        final int[] red = new int[2 * n];
        comm.reduce(buf, red, 1, every2, MPI.SUM, size - 1);
        final int[] gathered = new int[2 * n * size];
        comm.allGather(buf, 1, every2, gathered, 1, every2);
        for (int i = 0; i < n; i++)
        {
            int s = 0;
            for (int r = 0; r < size; r++)
            {
                s += v(r, i);
                Expect.equal(v(r, i), gathered[r * (2 * n - 1) + 2 * i], "strided allGather from " + r + " i=" + i);
            }
            Expect.equal(s, sum[2 * i], "strided allReduce i=" + i);
            Expect.equal(0, sum[2 * i + 1], "strided allReduce wrote a gap");
            if (rank == size - 1)
            {
                Expect.equal(s, red[2 * i], "strided reduce i=" + i);
            }
        }
        every2.free();
    }
}
