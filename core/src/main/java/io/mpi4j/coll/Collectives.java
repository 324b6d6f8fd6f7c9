package io.mpi4j.coll;

import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.TagSpace;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.PointToPoint;

/**
 * The collective algorithms of an intracommunicator, written as {@link CollectiveSchedule}s over point-to-point in
 * the communicator's collective context. Memory is (base, address) as in the point-to-point layer; sizes are bytes
 * except where a reduction needs item counts. "In place" is a send location equal to the receive location.
 * <p>
 * Algorithms: dissemination barrier; binomial-tree bcast, or scatter + ring allgather (van de Geijn) for large
 * messages; binomial reduce (rank order kept for non-commutative operators); allreduce by recursive doubling,
 * reduce + bcast, or ring reduce-scatter + ring allgather (bandwidth-optimal) for large data; binomial gather and
 * scatter; ring allgather(v); pairwise alltoall(v); ring reduce-scatter; recursive-doubling scan and exscan.
 * The variable-count rooted operations (gatherv, scatterv) are linear at the root, as in MPICH, since their
 * blocks cannot be forwarded through a tree without knowing every count everywhere.
 */
public final class Collectives
{
    public static final int BARRIER = 1;
    public static final int BCAST = 2;
    public static final int REDUCE = 3;
    public static final int ALLREDUCE = 4;
    public static final int GATHER = 5;
    public static final int GATHERV = 6;
    public static final int SCATTER = 7;
    public static final int SCATTERV = 8;
    public static final int ALLGATHER = 9;
    public static final int ALLGATHERV = 10;
    public static final int ALLTOALL = 11;
    public static final int ALLTOALLV = 12;
    public static final int REDUCE_SCATTER = 13;
    public static final int REDUCE_SCATTER_BLOCK = 14;
    public static final int SCAN = 15;
    public static final int EXSCAN = 16;

    /** Root argument of the sending process of an intercommunicator bcast ({@code MPI_ROOT}). */
    public static final int ROOT = -4;
    /** Root argument of the other processes of the sending group ({@code MPI_PROC_NULL}). */
    public static final int NO_ROOT = PointToPoint.PROC_NULL;

    /** From this many bytes bcast uses scatter + allgather and allreduce the ring. */
    static final long LARGE_BCAST = 256 * 1024;
    static final long LARGE_ALLREDUCE = 64 * 1024;
    /** Up to this many bytes in total alltoall posts every message at once instead of pairwise rounds. */
    static final long SMALL_ALLTOALL = 64 * 1024;

    private static final long B = Memory.BYTE_ARRAY_BASE;

    private Collectives()
    {
    }

    /** A new schedule for collective {@code kind} on {@code comm}, with a tag no other collective call shares. */
    public static CollectiveSchedule schedule(final PointToPoint p2p, final Communicator comm, final int kind)
    {
        return new CollectiveSchedule(p2p, comm, tag(comm, kind));
    }

    /** The tag of the next collective call of {@code kind} on {@code comm}: unique among its pending calls. */
    static int tag(final Communicator comm, final int kind)
    {
        return TagSpace.collective(comm.nextCollectiveSequence(), kind);
    }

    private static int mod(final int a, final int p)
    {
        final int m = a % p;
        return m < 0 ? m + p : m;
    }

    // ------------------------------------------------------------------------------------------------- barrier

    /** MPI_Barrier / MPI_Ibarrier: dissemination, ceil(log2 p) rounds of empty messages. */
    public static void barrier(final CollectiveSchedule s)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        for (int d = 1; d < p; d <<= 1)
        {
            s.send(mod(rank + d, p), null, 0, 0).recv(mod(rank - d, p), null, 0, 0).endRound();
        }
    }

    // --------------------------------------------------------------------------------------------------- bcast

    /** MPI_Bcast of {@code bytes} at (base, address) from {@code root}. */
    public static void bcast(
        final CollectiveSchedule s, final Object base, final long address, final long bytes, final int root)
    {
        final int p = s.comm().size();
        if (p == 1)
        {
            return;
        }
        if (bytes >= LARGE_BCAST && p > 2)
        {
            scatterAllgatherBcast(s, base, address, bytes, root);
        }
        else
        {
            binomialBcast(s, base, address, bytes, root);
        }
    }

    private static void binomialBcast(
        final CollectiveSchedule s, final Object base, final long address, final long bytes, final int root)
    {
        final int p = s.comm().size();
        final int rel = mod(s.comm().rank() - root, p);
        int mask = 1;
        while (mask < p)
        {
            if ((rel & mask) != 0)
            {
                s.recv(mod(rel - mask + root, p), base, address, bytes).endRound();
                break;
            }
            mask <<= 1;
        }
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            if (rel + mask < p)
            {
                s.send(mod(rel + mask + root, p), base, address, bytes);
            }
        }
        s.endRound();
    }

    private static void scatterAllgatherBcast(
        final CollectiveSchedule s, final Object base, final long address, final long bytes, final int root)
    {
        final int p = s.comm().size();
        final int rel = mod(s.comm().rank() - root, p);
        final long chunk = (bytes + p - 1) / p;
        final long[] off = new long[p + 1];
        final long[] len = new long[p];
        for (int i = 0; i <= p; i++)
        {
            off[i] = Math.min(bytes, i * chunk);
        }
        for (int i = 0; i < p; i++)
        {
            len[i] = off[i + 1] - off[i];
        }
        // binomial scatter of chunks in relative-rank order: a subtree's chunks are contiguous
        int mask = 1;
        while (mask < p)
        {
            if ((rel & mask) != 0)
            {
                final int end = Math.min(p, rel + mask);
                s.recv(mod(rel - mask + root, p), base, address + off[rel], off[end] - off[rel]).endRound();
                break;
            }
            mask <<= 1;
        }
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            final int child = rel + mask;
            if (child < p)
            {
                final int end = Math.min(p, child + mask);
                s.send(mod(child + root, p), base, address + off[child], off[end] - off[child]);
            }
        }
        s.endRound();
        ringAllgather(s, base, address, off, len, 0, root);
    }

    // -------------------------------------------------------------------------------------------------- reduce

    /** MPI_Reduce of {@code count} items to {@code root}; recv is significant at the root only. */
    public static void reduce(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int count, final int itemBytes, final Reduction op,
        final int root)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        final long bytes = (long)count * itemBytes;
        if (p == 1)
        {
            s.copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
            return;
        }
        final boolean commutative = op.isCommutative();
        // rank order is kept by a tree rooted at rank 0, whose subtrees are ranges of consecutive ranks
        final int treeRoot = commutative ? root : 0;
        final int rel = mod(rank - treeRoot, p);
        Object acc;
        long accAddress;
        if (rank == treeRoot && rank == root)
        {
            acc = recvBase;
            accAddress = recvAddress;
        }
        else
        {
            acc = new byte[(int)bytes];
            accAddress = B;
        }
        s.copy(sendBase, sendAddress, acc, accAddress, bytes);
        byte[] tmp = null;
        for (int mask = 1; mask < p; mask <<= 1)
        {
            if ((rel & mask) == 0)
            {
                final int child = rel | mask;
                if (child < p)
                {
                    if (null == tmp)
                    {
                        tmp = new byte[(int)bytes];
                    }
                    s.recv(mod(child + treeRoot, p), tmp, B, bytes).endRound();
                    if (commutative)
                    {
                        s.reduce(op, tmp, B, acc, accAddress, count);
                    }
                    else
                    {
                        // the child's range is above ours: acc op child
                        s.reduce(op, acc, accAddress, tmp, B, count).copy(tmp, B, acc, accAddress, bytes);
                    }
                }
            }
            else
            {
                s.send(mod((rel & ~mask) + treeRoot, p), acc, accAddress, bytes).endRound();
                break;
            }
        }
        if (treeRoot != root)
        {
            if (rank == treeRoot)
            {
                s.send(root, acc, accAddress, bytes);
            }
            else if (rank == root)
            {
                s.recv(treeRoot, recvBase, recvAddress, bytes);
            }
        }
        s.endRound();
    }

    // ----------------------------------------------------------------------------------------------- allreduce

    /** MPI_Allreduce of {@code count} items. */
    public static void allReduce(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int count, final int itemBytes, final Reduction op)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        final long bytes = (long)count * itemBytes;
        if (p == 1)
        {
            s.copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
            return;
        }
        if (op.isCommutative() && bytes >= LARGE_ALLREDUCE && count >= p)
        {
            s.copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
            final int[] blockOff = new int[p + 1];
            for (int i = 0; i <= p; i++)
            {
                blockOff[i] = (int)((long)count * i / p);
            }
            final byte[] tmp = new byte[(blockOff[p] - blockOff[p - 1] + 1) * itemBytes];
            ringReduceScatter(s, recvBase, recvAddress, blockOff, itemBytes, op, 0, tmp);
            final long[] off = new long[p];
            final long[] len = new long[p];
            for (int i = 0; i < p; i++)
            {
                off[i] = (long)blockOff[i] * itemBytes;
                len[i] = (long)(blockOff[i + 1] - blockOff[i]) * itemBytes;
            }
            ringAllgather(s, recvBase, recvAddress, off, len, 1, 0);
        }
        else if ((p & (p - 1)) == 0)
        {
            // recursive doubling: partners' ranges are aligned neighbours, so rank order holds for any operator
            s.copy(sendBase, sendAddress, recvBase, recvAddress, bytes).endRound();
            final byte[] tmp = new byte[(int)bytes];
            for (int mask = 1; mask < p; mask <<= 1)
            {
                final int partner = rank ^ mask;
                s.send(partner, recvBase, recvAddress, bytes).recv(partner, tmp, B, bytes).endRound();
                if (partner < rank || op.isCommutative())
                {
                    s.reduce(op, tmp, B, recvBase, recvAddress, count);
                }
                else
                {
                    s.reduce(op, recvBase, recvAddress, tmp, B, count).copy(tmp, B, recvBase, recvAddress, bytes);
                }
            }
            s.endRound();
        }
        else
        {
            reduce(s, sendBase, sendAddress, recvBase, recvAddress, count, itemBytes, op, 0);
            binomialBcast(s, recvBase, recvAddress, bytes, 0);
        }
    }

    /**
     * Ring reduce-scatter over blocks {@code [blockOff[i], blockOff[i+1])} (items) of {@code buf}: after p-1 steps
     * this rank holds block {@code rank + 1 + shift} reduced over all ranks. Commutative operators only.
     */
    private static void ringReduceScatter(final CollectiveSchedule s, final Object buf, final long address,
        final int[] blockOff, final int itemBytes, final Reduction op, final int shift, final byte[] tmp)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        final int right = mod(rank + 1, p);
        final int left = mod(rank - 1, p);
        for (int step = 0; step < p - 1; step++)
        {
            final int sb = mod(rank - step + shift, p);
            final int rb = mod(rank - step - 1 + shift, p);
            s.send(right, buf, address + (long)blockOff[sb] * itemBytes,
                (long)(blockOff[sb + 1] - blockOff[sb]) * itemBytes);
            s.recv(left, tmp, B, (long)(blockOff[rb + 1] - blockOff[rb]) * itemBytes).endRound();
            s.reduce(op, tmp, B, buf, address + (long)blockOff[rb] * itemBytes, blockOff[rb + 1] - blockOff[rb]);
        }
    }

    /**
     * Ring allgather: this rank starts with block {@code rank + shift} (of {@code off/len}, relative ranks when
     * {@code root != 0}) and after p-1 steps holds all of them.
     */
    private static void ringAllgather(final CollectiveSchedule s, final Object buf, final long address,
        final long[] off, final long[] len, final int shift, final int root)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rel = mod(c.rank() - root, p);
        final int right = mod(rel + 1 + root, p);
        final int left = mod(rel - 1 + root, p);
        for (int step = 0; step < p - 1; step++)
        {
            final int sb = mod(rel + shift - step, p);
            final int rb = mod(rel + shift - step - 1, p);
            s.send(right, buf, address + off[sb], len[sb]).recv(left, buf, address + off[rb], len[rb]).endRound();
        }
    }

    // ------------------------------------------------------------------------------------------ gather, scatter

    /** MPI_Gather of {@code block} bytes per rank, binomial tree; recv significant at the root. */
    public static void gather(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final long block, final int root)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rel = mod(c.rank() - root, p);
        Object tmp;
        long tmpAddress;
        if (rel == 0 && root == 0)
        {
            tmp = recvBase;
            tmpAddress = recvAddress;
        }
        else
        {
            final int lowBit = rel == 0 ? p : Integer.lowestOneBit(rel);
            tmp = new byte[(int)(Math.min(lowBit, p - rel) * block)];
            tmpAddress = B;
        }
        s.copy(sendBase, sendAddress, tmp, tmpAddress, block);
        for (int mask = 1; mask < p; mask <<= 1)
        {
            if ((rel & mask) == 0)
            {
                final int child = rel + mask;
                if (child < p)
                {
                    s.recv(mod(child + root, p), tmp, tmpAddress + mask * block, Math.min(mask, p - child) * block);
                }
            }
            else
            {
                s.endRound();
                s.send(mod(rel - mask + root, p), tmp, tmpAddress, Math.min(mask, p - rel) * block);
                break;
            }
        }
        s.endRound();
        if (rel == 0 && tmp != recvBase)
        {
            // relative rank i is rank i + root
            s.copy(tmp, tmpAddress, recvBase, recvAddress + root * block, (p - root) * block);
            s.copy(tmp, tmpAddress + (p - root) * block, recvBase, recvAddress, root * block);
        }
    }

    /** MPI_Scatter of {@code block} bytes per rank, binomial tree; send significant at the root. */
    public static void scatter(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final long block, final int root)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rel = mod(c.rank() - root, p);
        Object tmp;
        long tmpAddress;
        int mask;
        if (rel == 0)
        {
            mask = Integer.highestOneBit(p) == p ? p : Integer.highestOneBit(p) << 1;
            if (root == 0)
            {
                tmp = sendBase;
                tmpAddress = sendAddress;
            }
            else
            {
                tmp = new byte[(int)(p * block)];
                tmpAddress = B;
                s.copy(sendBase, sendAddress + root * block, tmp, tmpAddress, (p - root) * block);
                s.copy(sendBase, sendAddress, tmp, tmpAddress + (p - root) * block, root * block);
            }
        }
        else
        {
            mask = Integer.lowestOneBit(rel);
            final long size = Math.min(mask, p - rel) * block;
            tmp = new byte[(int)size];
            tmpAddress = B;
            s.recv(mod(rel - mask + root, p), tmp, tmpAddress, size).endRound();
        }
        for (mask >>= 1; mask > 0; mask >>= 1)
        {
            final int child = rel + mask;
            if (child < p)
            {
                s.send(mod(child + root, p), tmp, tmpAddress + mask * block, Math.min(mask, p - child) * block);
            }
        }
        s.copy(tmp, tmpAddress, recvBase, recvAddress, block);
        s.endRound();
    }

    /** MPI_Gatherv: rank i's block lands at {@code recvOff[i]} bytes, {@code recvLen[i]} bytes long (root). */
    public static void gatherv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long sendBytes, final Object recvBase, final long recvAddress, final long[] recvOff,
        final long[] recvLen, final int root)
    {
        final Communicator c = s.comm();
        final int rank = c.rank();
        if (rank == root)
        {
            for (int i = 0; i < c.size(); i++)
            {
                if (i == rank)
                {
                    s.copy(sendBase, sendAddress, recvBase, recvAddress + recvOff[i], recvLen[i]);
                }
                else
                {
                    s.recv(i, recvBase, recvAddress + recvOff[i], recvLen[i]);
                }
            }
        }
        else
        {
            s.send(root, sendBase, sendAddress, sendBytes);
        }
        s.endRound();
    }

    /** MPI_Scatterv: rank i receives {@code sendLen[i]} bytes from {@code sendOff[i]} of the root's buffer. */
    public static void scatterv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long[] sendOff, final long[] sendLen, final Object recvBase, final long recvAddress,
        final long recvBytes, final int root)
    {
        final Communicator c = s.comm();
        final int rank = c.rank();
        if (rank == root)
        {
            for (int i = 0; i < c.size(); i++)
            {
                if (i == rank)
                {
                    s.copy(sendBase, sendAddress + sendOff[i], recvBase, recvAddress, sendLen[i]);
                }
                else
                {
                    s.send(i, sendBase, sendAddress + sendOff[i], sendLen[i]);
                }
            }
        }
        else
        {
            s.recv(root, recvBase, recvAddress, recvBytes);
        }
        s.endRound();
    }

    // ------------------------------------------------------------------------------------ allgather, alltoall

    /** MPI_Allgatherv (and MPI_Allgather with equal blocks): ring, p-1 steps, each block travels once per link. */
    public static void allGatherv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final long[] off, final long[] len)
    {
        final int rank = s.comm().rank();
        s.copy(sendBase, sendAddress, recvBase, recvAddress + off[rank], len[rank]);
        ringAllgather(s, recvBase, recvAddress, off, len, 0, 0);
    }

    /** MPI_Alltoallv (and MPI_Alltoall): pairwise exchange, or all at once when the total is small. */
    public static void allToAllv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long[] sendOff, final long[] sendLen, final Object recvBase, final long recvAddress,
        final long[] recvOff, final long[] recvLen)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        long total = 0;
        for (int i = 0; i < p; i++)
        {
            total += sendLen[i];
        }
        final boolean together = total <= SMALL_ALLTOALL;
        s.copy(sendBase, sendAddress + sendOff[rank], recvBase, recvAddress + recvOff[rank], recvLen[rank]);
        for (int step = 1; step < p; step++)
        {
            final int dst = mod(rank + step, p);
            final int src = mod(rank - step, p);
            s.send(dst, sendBase, sendAddress + sendOff[dst], sendLen[dst]);
            s.recv(src, recvBase, recvAddress + recvOff[src], recvLen[src]);
            if (!together)
            {
                s.endRound();
            }
        }
        s.endRound();
    }

    // ----------------------------------------------------------------------------------------- reduce-scatter

    /**
     * MPI_Reduce_scatter(_block): rank i gets items {@code [itemOff[i], itemOff[i+1])} of the reduction. Ring for
     * commutative operators; reduce to rank 0 and scatter otherwise, which keeps rank order.
     */
    public static void reduceScatter(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int[] itemOff, final int itemBytes, final Reduction op)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        final int total = itemOff[p];
        final byte[] acc = new byte[total * itemBytes];
        final long myOff = (long)itemOff[rank] * itemBytes;
        final long myLen = (long)(itemOff[rank + 1] - itemOff[rank]) * itemBytes;
        if (op.isCommutative())
        {
            s.copy(sendBase, sendAddress, acc, B, (long)total * itemBytes);
            int largest = 0;
            for (int i = 0; i < p; i++)
            {
                largest = Math.max(largest, itemOff[i + 1] - itemOff[i]);
            }
            ringReduceScatter(s, acc, B, itemOff, itemBytes, op, -1, new byte[largest * itemBytes]);
            s.copy(acc, B + myOff, recvBase, recvAddress, myLen);
            s.endRound();
        }
        else
        {
            reduce(s, sendBase, sendAddress, acc, B, total, itemBytes, op, 0);
            final long[] off = new long[p];
            final long[] len = new long[p];
            for (int i = 0; i < p; i++)
            {
                off[i] = (long)itemOff[i] * itemBytes;
                len[i] = (long)(itemOff[i + 1] - itemOff[i]) * itemBytes;
            }
            scatterv(s, acc, B, off, len, recvBase, recvAddress, myLen, 0);
        }
    }

    // --------------------------------------------------------------------------------- intercommunicators
    // A local step on the local group's communicator, one leader-to-leader exchange (local rank 0 with remote
    // rank 0) over the intercommunicator, and a local broadcast (or scatter) of what came across. The variable-count
    // rooted operations and alltoall(v) go directly between the processes instead, as their blocks are known only
    // at one end. Rooted operations: the root passes ROOT, the rest of its group NO_ROOT, the other group the
    // root's rank in the remote group.

    /** The intercommunicator's local rank the leaders' exchange uses. */
    private static final int LEADER = 0;

    /** MPI_Barrier on an intercommunicator: local barrier, leaders exchange, local release. */
    public static void interBarrier(final CollectiveSchedule s)
    {
        final Communicator inter = s.comm();
        final Communicator local = inter.localComm();
        s.on(local);
        barrier(s);
        s.on(inter);
        if (inter.rank() == LEADER)
        {
            s.send(LEADER, null, 0, 0).recv(LEADER, null, 0, 0).endRound();
        }
        s.on(local);
        binomialBcast(s, null, 0, 0, LEADER);
        s.on(inter);
    }

    /**
     * MPI_Bcast on an intercommunicator: {@code root} is {@link #ROOT} at the sending process, {@link #NO_ROOT}
     * at the others of its group, the sender's remote rank in the receiving group.
     */
    public static void interBcast(
        final CollectiveSchedule s, final Object base, final long address, final long bytes, final int root)
    {
        final Communicator inter = s.comm();
        if (root == ROOT)
        {
            s.send(LEADER, base, address, bytes).endRound();
            return;
        }
        if (root == NO_ROOT)
        {
            return;
        }
        if (inter.rank() == LEADER)
        {
            s.recv(root, base, address, bytes).endRound();
        }
        s.on(inter.localComm());
        bcast(s, base, address, bytes, LEADER);
        s.on(inter);
    }

    /** MPI_Allreduce on an intercommunicator: each group receives the reduction of the other group's data. */
    public static void interAllReduce(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int count, final int itemBytes, final Reduction op)
    {
        final Communicator inter = s.comm();
        final Communicator local = inter.localComm();
        final long bytes = (long)count * itemBytes;
        final byte[] mine = inter.rank() == LEADER ? new byte[(int)bytes] : null;
        s.on(local);
        reduce(s, sendBase, sendAddress, mine, B, count, itemBytes, op, LEADER);
        s.on(inter);
        if (inter.rank() == LEADER)
        {
            s.send(LEADER, mine, B, bytes).recv(LEADER, recvBase, recvAddress, bytes).endRound();
        }
        s.on(local);
        bcast(s, recvBase, recvAddress, bytes, LEADER);
        s.on(inter);
    }

    /** MPI_Allgather on an intercommunicator: each process receives the other group's blocks in rank order. */
    public static void interAllGather(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long sendBlock, final Object recvBase, final long recvAddress, final long recvBlock)
    {
        final Communicator inter = s.comm();
        final Communicator local = inter.localComm();
        final byte[] mine = inter.rank() == LEADER ? new byte[(int)(sendBlock * inter.size())] : null;
        s.on(local);
        gather(s, sendBase, sendAddress, mine, B, sendBlock, LEADER);
        s.on(inter);
        final long remoteBytes = recvBlock * inter.remoteSize();
        if (inter.rank() == LEADER)
        {
            s.send(LEADER, mine, B, sendBlock * inter.size()).recv(LEADER, recvBase, recvAddress, remoteBytes)
                .endRound();
        }
        s.on(local);
        bcast(s, recvBase, recvAddress, remoteBytes, LEADER);
        s.on(inter);
    }

    /**
     * MPI_Reduce on an intercommunicator: the other group's data, reduced in its rank order on its local
     * communicator, goes from its leader to the root. {@code root} as in {@link #interBcast}.
     */
    public static void interReduce(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int count, final int itemBytes, final Reduction op,
        final int root)
    {
        final long bytes = (long)count * itemBytes;
        if (root == ROOT)
        {
            s.recv(LEADER, recvBase, recvAddress, bytes).endRound();
            return;
        }
        if (root == NO_ROOT)
        {
            return;
        }
        final Communicator inter = s.comm();
        final byte[] acc = inter.rank() == LEADER ? new byte[(int)bytes] : null;
        s.on(inter.localComm());
        reduce(s, sendBase, sendAddress, acc, B, count, itemBytes, op, LEADER);
        s.on(inter);
        if (inter.rank() == LEADER)
        {
            s.send(root, acc, B, bytes).endRound();
        }
    }

    /**
     * MPI_Gather on an intercommunicator: the other group gathers its blocks at its leader, which sends them to the
     * root in one message. Blocks are {@code sendBlock} bytes in the sending group, {@code recvBlock} at the root.
     */
    public static void interGather(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long sendBlock, final Object recvBase, final long recvAddress, final long recvBlock, final int root)
    {
        final Communicator inter = s.comm();
        if (root == ROOT)
        {
            s.recv(LEADER, recvBase, recvAddress, recvBlock * inter.remoteSize()).endRound();
            return;
        }
        if (root == NO_ROOT)
        {
            return;
        }
        final long bytes = sendBlock * inter.size();
        final byte[] all = inter.rank() == LEADER ? new byte[(int)bytes] : null;
        s.on(inter.localComm());
        gather(s, sendBase, sendAddress, all, B, sendBlock, LEADER);
        s.on(inter);
        if (inter.rank() == LEADER)
        {
            s.send(root, all, B, bytes).endRound();
        }
    }

    /**
     * MPI_Gatherv on an intercommunicator: linear at the root, which receives remote rank i's block at
     * {@code recvOff[i]}, {@code recvLen[i]} bytes; only the root knows the counts, so no leader can pack them.
     */
    public static void interGatherv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long sendBytes, final Object recvBase, final long recvAddress, final long[] recvOff,
        final long[] recvLen, final int root)
    {
        if (root == ROOT)
        {
            for (int i = 0; i < s.comm().remoteSize(); i++)
            {
                s.recv(i, recvBase, recvAddress + recvOff[i], recvLen[i]);
            }
            s.endRound();
        }
        else if (root != NO_ROOT)
        {
            s.send(root, sendBase, sendAddress, sendBytes).endRound();
        }
    }

    /**
     * MPI_Scatter on an intercommunicator: the root sends all blocks to the other group's leader in one message,
     * which scatters them on its local communicator.
     */
    public static void interScatter(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long sendBlock, final Object recvBase, final long recvAddress, final long recvBlock, final int root)
    {
        final Communicator inter = s.comm();
        if (root == ROOT)
        {
            s.send(LEADER, sendBase, sendAddress, sendBlock * inter.remoteSize()).endRound();
            return;
        }
        if (root == NO_ROOT)
        {
            return;
        }
        final long bytes = recvBlock * inter.size();
        byte[] all = null;
        if (inter.rank() == LEADER)
        {
            all = new byte[(int)bytes];
            s.recv(root, all, B, bytes).endRound();
        }
        s.on(inter.localComm());
        scatter(s, all, B, recvBase, recvAddress, recvBlock, LEADER);
        s.on(inter);
    }

    /** MPI_Scatterv on an intercommunicator: linear at the root, remote rank i gets {@code sendLen[i]} bytes. */
    public static void interScatterv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long[] sendOff, final long[] sendLen, final Object recvBase, final long recvAddress,
        final long recvBytes, final int root)
    {
        if (root == ROOT)
        {
            for (int i = 0; i < s.comm().remoteSize(); i++)
            {
                s.send(i, sendBase, sendAddress + sendOff[i], sendLen[i]);
            }
            s.endRound();
        }
        else if (root != NO_ROOT)
        {
            s.recv(root, recvBase, recvAddress, recvBytes).endRound();
        }
    }

    /**
     * MPI_Allgatherv on an intercommunicator: every process sends its block to the other group's leader, which
     * packs the blocks it receives in rank order and broadcasts them on its local communicator; each process then
     * places remote rank i's block at {@code recvOff[i]}. Packing keeps the gaps between displacements untouched.
     */
    public static void interAllGatherv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long sendBytes, final Object recvBase, final long recvAddress, final long[] recvOff,
        final long[] recvLen)
    {
        final Communicator inter = s.comm();
        final int q = inter.remoteSize();
        final long[] packed = new long[q + 1];
        for (int i = 0; i < q; i++)
        {
            packed[i + 1] = packed[i] + recvLen[i];
        }
        final byte[] all = new byte[(int)packed[q]];
        s.send(LEADER, sendBase, sendAddress, sendBytes);
        if (inter.rank() == LEADER)
        {
            for (int i = 0; i < q; i++)
            {
                s.recv(i, all, B + packed[i], recvLen[i]);
            }
        }
        s.endRound();
        s.on(inter.localComm());
        bcast(s, all, B, packed[q], LEADER);
        s.on(inter);
        s.endRound();
        for (int i = 0; i < q; i++)
        {
            s.copy(all, B + packed[i], recvBase, recvAddress + recvOff[i], recvLen[i]);
        }
        s.endRound();
    }

    /**
     * MPI_Alltoall(v) on an intercommunicator: each process exchanges with every process of the other group.
     * Pairwise over max(local, remote) steps: at step k rank r sends to remote rank r + k and receives from
     * remote rank r - k (mod the larger size), so both sides of a pair meet at the same step; peers beyond the
     * remote size are skipped. All at once when this process sends little in total.
     */
    public static void interAllToAllv(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final long[] sendOff, final long[] sendLen, final Object recvBase, final long recvAddress,
        final long[] recvOff, final long[] recvLen)
    {
        final Communicator inter = s.comm();
        final int q = inter.remoteSize();
        final int rank = inter.rank();
        final int m = Math.max(inter.size(), q);
        long total = 0;
        for (int i = 0; i < q; i++)
        {
            total += sendLen[i];
        }
        final boolean together = total <= SMALL_ALLTOALL;
        for (int step = 0; step < m; step++)
        {
            final int dst = mod(rank + step, m);
            final int src = mod(rank - step, m);
            if (dst < q)
            {
                s.send(dst, sendBase, sendAddress + sendOff[dst], sendLen[dst]);
            }
            if (src < q)
            {
                s.recv(src, recvBase, recvAddress + recvOff[src], recvLen[src]);
            }
            if (!together)
            {
                s.endRound();
            }
        }
        s.endRound();
    }

    /**
     * MPI_Reduce_scatter(_block) on an intercommunicator: each group reduces its vectors of {@code itemOff[p]}
     * items at its leader (rank order kept), the leaders swap their results, and each leader scatters the other
     * group's reduction over its local group, rank i getting items {@code [itemOff[i], itemOff[i+1])}.
     */
    public static void interReduceScatter(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int[] itemOff, final int itemBytes, final Reduction op)
    {
        final Communicator inter = s.comm();
        final Communicator local = inter.localComm();
        final int p = inter.size();
        final int rank = inter.rank();
        final int total = itemOff[p];
        final long bytes = (long)total * itemBytes;
        final boolean leader = rank == LEADER;
        final byte[] mine = leader ? new byte[(int)bytes] : null;
        final byte[] theirs = leader ? new byte[(int)bytes] : null;
        s.on(local);
        reduce(s, sendBase, sendAddress, mine, B, total, itemBytes, op, LEADER);
        s.on(inter);
        if (leader)
        {
            s.send(LEADER, mine, B, bytes).recv(LEADER, theirs, B, bytes).endRound();
        }
        final long[] off = new long[p];
        final long[] len = new long[p];
        for (int i = 0; i < p; i++)
        {
            off[i] = (long)itemOff[i] * itemBytes;
            len[i] = (long)(itemOff[i + 1] - itemOff[i]) * itemBytes;
        }
        s.on(local);
        scatterv(s, theirs, B, off, len, recvBase, recvAddress, len[rank], LEADER);
        s.on(inter);
    }

    // --------------------------------------------------------------------------------------------------- scans

    /** MPI_Scan ({@code exclusive == false}) or MPI_Exscan: recursive doubling, log2 p rounds, rank order kept. */
    public static void scan(final CollectiveSchedule s, final Object sendBase, final long sendAddress,
        final Object recvBase, final long recvAddress, final int count, final int itemBytes, final Reduction op,
        final boolean exclusive)
    {
        final Communicator c = s.comm();
        final int p = c.size();
        final int rank = c.rank();
        final long bytes = (long)count * itemBytes;
        final byte[] partial = new byte[(int)bytes];
        s.copy(sendBase, sendAddress, partial, B, bytes);
        if (!exclusive)
        {
            s.copy(sendBase, sendAddress, recvBase, recvAddress, bytes);
        }
        boolean recvSet = !exclusive;
        final byte[] tmp = new byte[(int)bytes];
        for (int mask = 1; mask < p; mask <<= 1)
        {
            final int partner = rank ^ mask;
            if (partner >= p)
            {
                continue;
            }
            s.send(partner, partial, B, bytes).recv(partner, tmp, B, bytes).endRound();
            if (partner < rank)
            {
                s.reduce(op, tmp, B, partial, B, count);
                if (recvSet)
                {
                    s.reduce(op, tmp, B, recvBase, recvAddress, count);
                }
                else
                {
                    s.copy(tmp, B, recvBase, recvAddress, bytes);
                    recvSet = true;
                }
            }
            else if (op.isCommutative())
            {
                s.reduce(op, tmp, B, partial, B, count);
            }
            else
            {
                s.reduce(op, partial, B, tmp, B, count).copy(tmp, B, partial, B, bytes);
            }
        }
        s.endRound();
    }
}
