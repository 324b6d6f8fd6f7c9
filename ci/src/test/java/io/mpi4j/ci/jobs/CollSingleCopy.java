package io.mpi4j.ci.jobs;

import mpi.Datatype;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Op;
import mpi.UserFunction;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

/**
 * The on-node collectives that read each other's buffers (bcast, gather, scatter, allGather, allToAll of blocks
 * from 64 KiB on, reduce of vectors from 128 KiB on, between direct buffers; allReduce beside them, which does not) at block sizes on both sides of that threshold, every
 * root, in place where the binding has it, a non-commutative user operator (folded in rank order), buffers of {@code MPI.newByteBuffer} and of {@code ByteBuffer.allocateDirect} sliced at
 * an odd offset; then the same calls with one member's buffers on the Java heap (all of them go through the shared
 * slots then), and the direct buffers again. Results are checked against sequential references.
 * <p>
 * With {@code refused} as argument it runs where the kernel refuses single copy, first checking that it does (as
 * {@link SingleCopyRefused}): every read is declined, the members turn to the slots together, and every result must
 * still be right.
 */
public final class CollSingleCopy
{
    private static final int THRESHOLD_INTS = 64 * 1024 / 4;
    private static final int[] BLOCKS = {THRESHOLD_INTS - 1, THRESHOLD_INTS, (1 << 20) / 4 + 5};

    private static int rank;
    private static int size;

    private CollSingleCopy()
    {
    }

    private static int v(final int owner, final int i)
    {
        return owner * 1_000_003 + i * 7 + (i >>> 11);
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        size = world.getSize();
        if (args.length > 0 && "refused".equals(args[0]))
        {
            Expect.equal(2, size, "ranks of the refused run");
            SingleCopyRefused.expectPeerMemoryUnreadable(world, 1 - rank);
        }
        for (final Kind kind : Kind.values())
        {
            for (final int n : BLOCKS)
            {
                run(world, kind, n);
            }
        }
        // member order unlike the world's: the blocks each reads are found by communicator rank
        final Intracomm reversed = world.split(0, size - rank);
        rank = reversed.getRank();
        run(reversed, Kind.PINNED, THRESHOLD_INTS + 1);
        reversed.free();
        rank = world.getRank();
        world.barrier();
        System.out.println("OK collsinglecopy rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    /** Where this member's buffers live in a round. */
    private enum Kind
    {
        PINNED, SLICED, ONE_ON_HEAP, PINNED_AGAIN
    }

    /** A buffer of {@code ints} ints, direct or (for the last member, in ONE_ON_HEAP) an int array. */
    private static final class Buf
    {
        final IntBuffer direct;
        final int[] array;

        Buf(final Kind kind, final int ints)
        {
            if (kind == Kind.ONE_ON_HEAP && rank == size - 1)
            {
                direct = null;
                array = new int[ints];
            }
            else if (kind == Kind.SLICED)
            {
                final ByteBuffer raw = ByteBuffer.allocateDirect(ints * 4 + 12).order(ByteOrder.nativeOrder());
                direct = raw.position(12).slice().order(ByteOrder.nativeOrder()).asIntBuffer();
                array = null;
            }
            else
            {
                direct = MPI.newByteBuffer(ints * 4).order(ByteOrder.nativeOrder()).asIntBuffer();
                array = null;
            }
        }

        Object buffer()
        {
            return null == array ? direct : array;
        }

        int get(final int i)
        {
            return null == array ? direct.get(i) : array[i];
        }

        void put(final int i, final int value)
        {
            if (null == array)
            {
                direct.put(i, value);
            }
            else
            {
                array[i] = value;
            }
        }

        void fill(final int value)
        {
            for (int i = 0, n = null == array ? direct.capacity() : array.length; i < n; i++)
            {
                put(i, value);
            }
        }
    }

    private static void run(final Intracomm comm, final Kind kind, final int n) throws MPIException
    {
        for (int root = 0; root < size; root++)
        {
            bcast(comm, kind, n, root);
            gather(comm, kind, n, root, false);
            scatter(comm, kind, n, root, false);
        }
        gather(comm, kind, n, size - 1, true);
        scatter(comm, kind, n, 0, true);
        allGather(comm, kind, n, false);
        allGather(comm, kind, n, true);
        allToAll(comm, kind, n);
        final Op[] ops = {MPI.SUM, thriceThenAdd()};
        for (final Op op : ops)
        {
            for (int root = 0; root < size; root++)
            {
                reduce(comm, kind, n, root, op);
            }
            allReduce(comm, kind, n, op, false);
            allReduce(comm, kind, n, op, true);
        }
    }

    /** inout = 3 * in + inout: the order of the fold shows in every result. */
    private static Op thriceThenAdd() throws MPIException
    {
        return new Op(new UserFunction()
        {
            @Override
            public void call(final Object inVec, final Object inOutVec, final int count, final Datatype datatype)
            {
                final int[] in = (int[])inVec;
                final int[] io = (int[])inOutVec;
                for (int i = 0; i < count; i++)
                {
                    io[i] = 3 * in[i] + io[i];
                }
            }
        }, false);
    }

    /** MPI's rank-order fold of item {@code i}: x0 op (x1 op (... op x(size-1))). */
    private static int folded(final Op op, final int i)
    {
        int acc = v(size - 1, i);
        for (int m = size - 2; m >= 0; m--)
        {
            acc = op == MPI.SUM ? v(m, i) + acc : 3 * v(m, i) + acc;
        }
        return acc;
    }

    private static void reduce(final Intracomm comm, final Kind kind, final int n, final int root, final Op op)
        throws MPIException
    {
        final Buf send = new Buf(kind, n);
        for (int i = 0; i < n; i++)
        {
            send.put(i, v(rank, i));
        }
        final Buf recv = new Buf(kind, rank == root ? n : 1);
        recv.fill(-1);
        comm.reduce(send.buffer(), recv.buffer(), n, MPI.INT, op, root);
        if (rank == root)
        {
            for (int i = 0; i < n; i++)
            {
                Expect.equal(folded(op, i), recv.get(i), row("reduce " + (op == MPI.SUM ? "sum" : "user"), kind, n,
                    root) + " i=" + i);
            }
        }
    }

    private static void allReduce(final Intracomm comm, final Kind kind, final int n, final Op op,
        final boolean inPlace) throws MPIException
    {
        final Buf recv = new Buf(kind, n);
        if (inPlace)
        {
            for (int i = 0; i < n; i++)
            {
                recv.put(i, v(rank, i));
            }
            comm.allReduce(recv.buffer(), n, MPI.INT, op);
        }
        else
        {
            final Buf send = new Buf(kind, n);
            for (int i = 0; i < n; i++)
            {
                send.put(i, v(rank, i));
            }
            recv.fill(-1);
            comm.allReduce(send.buffer(), recv.buffer(), n, MPI.INT, op);
        }
        for (int i = 0; i < n; i++)
        {
            Expect.equal(folded(op, i), recv.get(i), row("allReduce " + (op == MPI.SUM ? "sum" : "user") +
                " in place " + inPlace, kind, n, -1) + " i=" + i);
        }
    }

    private static String row(final String op, final Kind kind, final int n, final int root)
    {
        return op + " " + kind + " n=" + n + " root=" + root + " rank=" + rank;
    }

    private static void bcast(final Intracomm comm, final Kind kind, final int n, final int root)
        throws MPIException
    {
        final Buf buf = new Buf(kind, n);
        for (int i = 0; i < n; i++)
        {
            buf.put(i, rank == root ? v(root, i) : -1);
        }
        comm.bcast(buf.buffer(), n, MPI.INT, root);
        for (int i = 0; i < n; i++)
        {
            Expect.equal(v(root, i), buf.get(i), row("bcast", kind, n, root) + " i=" + i);
        }
    }

    private static void gather(final Intracomm comm, final Kind kind, final int n, final int root,
        final boolean inPlace) throws MPIException
    {
        final Buf send = new Buf(kind, n);
        for (int i = 0; i < n; i++)
        {
            send.put(i, v(rank, i));
        }
        final Buf recv = new Buf(kind, rank == root ? size * n : 1);
        recv.fill(-1);
        if (inPlace && rank == root)
        {
            for (int i = 0; i < n; i++)
            {
                recv.put(root * n + i, v(root, i));
            }
            comm.gather(recv.buffer(), n, MPI.INT, root);
        }
        else
        {
            comm.gather(send.buffer(), n, MPI.INT, recv.buffer(), n, MPI.INT, root);
        }
        if (rank == root)
        {
            for (int m = 0; m < size; m++)
            {
                for (int i = 0; i < n; i++)
                {
                    Expect.equal(v(m, i), recv.get(m * n + i), row("gather", kind, n, root) + " in place " +
                        inPlace + " from " + m + " i=" + i);
                }
            }
        }
    }

    private static void scatter(final Intracomm comm, final Kind kind, final int n, final int root,
        final boolean inPlace) throws MPIException
    {
        final Buf send = new Buf(kind, rank == root ? size * n : 1);
        if (rank == root)
        {
            for (int m = 0; m < size; m++)
            {
                for (int i = 0; i < n; i++)
                {
                    send.put(m * n + i, v(m, i) + 1);
                }
            }
        }
        if (inPlace && rank == root)
        {
            comm.scatter(send.buffer(), n, MPI.INT, root);
            for (int m = 0; m < size; m++)
            {
                for (int i = 0; i < n; i++)
                {
                    Expect.equal(v(m, i) + 1, send.get(m * n + i), row("scatter in place", kind, n, root));
                }
            }
            return;
        }
        final Buf recv = new Buf(kind, n);
        recv.fill(-1);
        comm.scatter(send.buffer(), n, MPI.INT, recv.buffer(), n, MPI.INT, root);
        for (int i = 0; i < n; i++)
        {
            Expect.equal(v(rank, i) + 1, recv.get(i), row("scatter", kind, n, root) + " in place " + inPlace +
                " i=" + i);
        }
    }

    private static void allGather(final Intracomm comm, final Kind kind, final int n, final boolean inPlace)
        throws MPIException
    {
        final Buf recv = new Buf(kind, size * n);
        recv.fill(-1);
        if (inPlace)
        {
            for (int i = 0; i < n; i++)
            {
                recv.put(rank * n + i, v(rank, i) + 2);
            }
            comm.allGather(recv.buffer(), n, MPI.INT);
        }
        else
        {
            final Buf send = new Buf(kind, n);
            for (int i = 0; i < n; i++)
            {
                send.put(i, v(rank, i) + 2);
            }
            comm.allGather(send.buffer(), n, MPI.INT, recv.buffer(), n, MPI.INT);
        }
        for (int m = 0; m < size; m++)
        {
            for (int i = 0; i < n; i++)
            {
                Expect.equal(v(m, i) + 2, recv.get(m * n + i), row("allGather in place " + inPlace, kind, n, -1) +
                    " from " + m + " i=" + i);
            }
        }
    }

    private static void allToAll(final Intracomm comm, final Kind kind, final int n) throws MPIException
    {
        final Buf send = new Buf(kind, size * n);
        for (int m = 0; m < size; m++)
        {
            for (int i = 0; i < n; i++)
            {
                send.put(m * n + i, v(rank, i) ^ (m << 20));
            }
        }
        final Buf recv = new Buf(kind, size * n);
        recv.fill(-1);
        comm.allToAll(send.buffer(), n, MPI.INT, recv.buffer(), n, MPI.INT);
        for (int m = 0; m < size; m++)
        {
            for (int i = 0; i < n; i++)
            {
                Expect.equal(v(m, i) ^ (rank << 20), recv.get(m * n + i), row("allToAll", kind, n, -1) + " from " +
                    m + " i=" + i);
            }
        }
    }
}
