package io.mpi4j.coll;

import io.mpi4j.comm.Communicator;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.PointToPoint;

/**
 * The blocking small-message collectives of an intracommunicator as direct loops over the blocking
 * explicit-context calls of {@link PointToPoint}: no {@link CollectiveSchedule}, no step objects, and scratch
 * buffers kept per thread, so a steady-state call allocates nothing. Same algorithms, message pattern and tags
 * as the scheduled forms in {@link Collectives} (which the non-blocking calls and the large cases keep using):
 * dissemination barrier, binomial bcast and reduce, recursive-doubling allreduce (reduce + bcast when the size
 * is not a power of two).
 * <p>
 * Each method returns false, having done nothing and taken no tag, when its case is not a small one; the caller
 * then builds the schedule. Failures are thrown as {@code MpiError} by the point-to-point layer.
 */
public final class BlockingCollectives
{
    /** Up to this many bytes bcast, reduce and non-power-of-two allreduce run here: below the eager limits. */
    static final long SMALL = 8 * 1024;

    private static final long B = Memory.BYTE_ARRAY_BASE;

    /** Scratch of the calling thread: the accumulator and the receive block of a reduction. */
    private static final class Scratch
    {
        byte[] acc = new byte[256];
        byte[] in = new byte[256];

        byte[] acc(final long bytes)
        {
            if (acc.length < bytes)
            {
                acc = new byte[grown(bytes)];
            }
            return acc;
        }

        byte[] in(final long bytes)
        {
            if (in.length < bytes)
            {
                in = new byte[grown(bytes)];
            }
            return in;
        }

        private static int grown(final long bytes)
        {
            return (int)Math.max(bytes, Math.min(Integer.MAX_VALUE - 8, Long.highestOneBit(bytes) << 1));
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private BlockingCollectives()
    {
    }

    private static int mod(final int a, final int p)
    {
        final int m = a % p;
        return m < 0 ? m + p : m;
    }

    /**
     * MPI_Barrier, and the synchronisation of MPI_Finalize: dissemination, ceil(log2 p) exchanges of empty messages,
     * the same rounds and tag as {@link Collectives#barrier}, which MPI_Ibarrier and intercommunicators use.
     */
    public static boolean barrier(final PointToPoint p2p, final Communicator c)
    {
        if (c.isInter())
        {
            return false;
        }
        final int tag = Collectives.tag(c, Collectives.BARRIER);
        final int p = c.size();
        final int rank = c.rank();
        final int context = c.collectiveContextId();
        for (int d = 1; d < p; d <<= 1)
        {
            p2p.sendRecvOn(c.endpoint(), context, null, 0, 0, mod(rank + d, p), null, 0, 0, mod(rank - d, p), tag);
        }
        return true;
    }

    /** MPI_Bcast of {@code bytes} at (base, address) from {@code root}: binomial tree. */
    public static boolean bcast(final PointToPoint p2p, final Communicator c, final Object base,
        final long address, final long bytes, final int root)
    {
        if (c.isInter() || bytes > SMALL)
        {
            return false;
        }
        binomialBcast(p2p, c, Collectives.tag(c, Collectives.BCAST), base, address, bytes, root);
        return true;
    }

    static void binomialBcast(final PointToPoint p2p, final Communicator c, final int tag,
        final Object base, final long address, final long bytes, final int root)
    {
        final int p = c.size();
        if (p == 1)
        {
            return;
        }
        final int context = c.collectiveContextId();
        final int rel = mod(c.rank() - root, p);
        int mask = 1;
        while (mask < p)
        {
            if ((rel & mask) != 0)
            {
                p2p.recvOn(c.endpoint(), context, base, address, bytes, mod(rel - mask + root, p), tag);
                break;
            }
            mask <<= 1;
        }
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            if (rel + mask < p)
            {
                p2p.sendOn(c.endpoint(), context, base, address, bytes, mod(rel + mask + root, p), tag);
            }
        }
    }

    /** MPI_Reduce of {@code count} items to {@code root}; recv is significant at the root only. */
    public static boolean reduce(final PointToPoint p2p, final Communicator c, final Object sendBase,
        final long sendAddress, final Object recvBase, final long recvAddress, final int count, final int itemBytes,
        final Reduction op, final int root)
    {
        final long bytes = (long)count * itemBytes;
        if (c.isInter() || bytes > SMALL)
        {
            return false;
        }
        binomialReduce(p2p, c, Collectives.tag(c, Collectives.REDUCE), sendBase, sendAddress, recvBase, recvAddress,
            count, bytes, op, root);
        return true;
    }

    private static void binomialReduce(final PointToPoint p2p, final Communicator c, final int tag,
        final Object sendBase, final long sendAddress, final Object recvBase, final long recvAddress, final int count,
        final long bytes, final Reduction op, final int root)
    {
        final int p = c.size();
        final int rank = c.rank();
        if (p == 1)
        {
            copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
            return;
        }
        final int context = c.collectiveContextId();
        final Scratch scratch = SCRATCH.get();
        final boolean commutative = op.isCommutative();
        // rank order is kept by a tree rooted at rank 0, whose subtrees are ranges of consecutive ranks
        final int treeRoot = commutative ? root : 0;
        final int rel = mod(rank - treeRoot, p);
        final Object acc;
        final long accAddress;
        if (rank == treeRoot && rank == root)
        {
            acc = recvBase;
            accAddress = recvAddress;
        }
        else
        {
            acc = scratch.acc(bytes);
            accAddress = B;
        }
        copy(sendBase, sendAddress, acc, accAddress, bytes);
        for (int mask = 1; mask < p; mask <<= 1)
        {
            if ((rel & mask) == 0)
            {
                final int child = rel | mask;
                if (child < p)
                {
                    final byte[] in = scratch.in(bytes);
                    p2p.recvOn(c.endpoint(), context, in, B, bytes, mod(child + treeRoot, p), tag);
                    if (commutative)
                    {
                        op.apply(in, B, acc, accAddress, count);
                    }
                    else
                    {
                        // the child's range is above ours: acc op child
                        op.apply(acc, accAddress, in, B, count);
                        Memory.copy(in, B, acc, accAddress, bytes);
                    }
                }
            }
            else
            {
                p2p.sendOn(c.endpoint(), context, acc, accAddress, bytes, mod((rel & ~mask) + treeRoot, p), tag);
                break;
            }
        }
        if (treeRoot != root)
        {
            if (rank == treeRoot)
            {
                p2p.sendOn(c.endpoint(), context, acc, accAddress, bytes, root, tag);
            }
            else if (rank == root)
            {
                p2p.recvOn(c.endpoint(), context, recvBase, recvAddress, bytes, treeRoot, tag);
            }
        }
    }

    /**
     * MPI_Allreduce of {@code count} items: recursive doubling when the size is a power of two and the data is
     * below the ring's threshold, reduce to rank 0 + bcast for small data otherwise.
     */
    public static boolean allReduce(final PointToPoint p2p, final Communicator c, final Object sendBase,
        final long sendAddress, final Object recvBase, final long recvAddress, final int count, final int itemBytes,
        final Reduction op)
    {
        final int p = c.size();
        final long bytes = (long)count * itemBytes;
        if (c.isInter())
        {
            return false;
        }
        final boolean powerOfTwo = (p & (p - 1)) == 0;
        final boolean ring = op.isCommutative() && bytes >= Collectives.LARGE_ALLREDUCE && count >= p;
        if (p > 1 && (ring || (!powerOfTwo && bytes > SMALL)))
        {
            return false;
        }
        final int tag = Collectives.tag(c, Collectives.ALLREDUCE);
        if (p == 1)
        {
            copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
        }
        else if (powerOfTwo)
        {
            recursiveDoubling(p2p, c, tag, sendBase, sendAddress, recvBase, recvAddress, count, bytes, op);
        }
        else
        {
            binomialReduce(p2p, c, tag, sendBase, sendAddress, recvBase, recvAddress, count, bytes, op, 0);
            binomialBcast(p2p, c, tag, recvBase, recvAddress, bytes, 0);
        }
        return true;
    }

    private static void recursiveDoubling(final PointToPoint p2p, final Communicator c, final int tag,
        final Object sendBase, final long sendAddress, final Object recvBase, final long recvAddress, final int count,
        final long bytes, final Reduction op)
    {
        final int p = c.size();
        final int rank = c.rank();
        final int context = c.collectiveContextId();
        final byte[] in = SCRATCH.get().in(bytes);
        final boolean commutative = op.isCommutative();
        copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
        // partners' ranges are aligned neighbours, so rank order holds for any operator
        for (int mask = 1; mask < p; mask <<= 1)
        {
            final int partner = rank ^ mask;
            p2p.sendRecvOn(c.endpoint(), context, recvBase, recvAddress, bytes, partner, in, B, bytes, partner, tag);
            if (partner < rank || commutative)
            {
                op.apply(in, B, recvBase, recvAddress, count);
            }
            else
            {
                op.apply(recvBase, recvAddress, in, B, count);
                Memory.copy(in, B, recvBase, recvAddress, bytes);
            }
        }
    }

    private static void copy(
        final Object srcBase, final long srcAddress, final Object base, final long address, final long bytes)
    {
        if (srcBase != base || srcAddress != address)
        {
            Memory.copy(srcBase, srcAddress, base, address, bytes);
        }
    }
}
