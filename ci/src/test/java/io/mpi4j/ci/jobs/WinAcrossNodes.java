package io.mpi4j.ci.jobs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * MPI_Win_allocate over ranks of two or more nodes, args[0] ranks per node (ranks of one node are consecutive):
 * the window is an ordinary one (no shared segment is mapped, as a node's memory cannot be mapped from another),
 * while the same call over the ranks of one node puts the window in a shared segment. On both, puts, gets and
 * accumulates to a rank of the same node and to one of another node land exactly, under fence and under locks.
 * The node's communicator is MPI_Comm_split_type(COMM_TYPE_SHARED): exactly the ranks of this node.
 * Prints "SEGMENTS world=<n> node=<n>": how many window segments this process had mapped for each window.
 */
public final class WinAcrossNodes
{
    private static final int INTS = 1024;

    public static void main(final String[] args) throws MPIException, IOException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        final int rank = world.getRank();
        final int size = world.getSize();
        final int perNode = Integer.parseInt(args[0]);
        Expect.that(size % perNode == 0 && size / perNode >= 2, "ranks of at least two full nodes");
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("NODE " + MPI.getProcessorName());
        System.out.flush();

        // blocking collectives over both nodes: no collective segment may span them
        final int[] sum = {1};
        world.allReduce(sum, 1, MPI.INT, MPI.SUM);
        Expect.equal(size, sum[0], "allreduce over both nodes");
        world.barrier();
        final int worldColl = segments("coll");

        final int before = windowSegments();
        final Win across = new Win(INTS, 1, MPI.INFO_NULL, world, MPI.newIntBuffer(0), Win.FLAVOR_PRIVATE);
        final int worldSegments = windowSegments() - before;
        exercise(across, world, perNode, "world");
        across.free();

        // the node's communicator as MPI makes it: the ranks that share this node's memory, in world order
        final Intracomm node = world.splitType(MPI.COMM_TYPE_SHARED, rank, MPI.INFO_NULL);
        Expect.equal(perNode, node.getSize(), "ranks in MPI_Comm_split_type(SHARED)");
        Expect.equal(rank % perNode, node.getRank(), "rank in MPI_Comm_split_type(SHARED)");
        node.barrier();
        final int nodeColl = segments("coll") - worldColl;
        final int beforeNode = windowSegments();
        final Win within = new Win(INTS, 1, MPI.INFO_NULL, node, MPI.newIntBuffer(0), Win.FLAVOR_PRIVATE);
        final int nodeSegments = windowSegments() - beforeNode;
        exercise(within, node, perNode, "node");
        within.free();
        node.free();

        System.out.println("SEGMENTS world=" + worldSegments + " node=" + nodeSegments);
        System.out.println("COLLSEGMENTS world=" + worldColl + " node=" + nodeColl);
        System.out.println("OK win-across rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    /**
     * Every rank puts a block into the next rank of its node and the matching rank of the next node (the same
     * rank on a one-node communicator), gets it back, and accumulates into rank 0; each checks its own memory.
     */
    private static void exercise(final Win win, final Intracomm comm, final int perNode, final String name)
        throws MPIException
    {
        final int rank = comm.getRank();
        final int size = comm.getSize();
        final IntBuffer mine = ((ByteBuffer)win.getBuffer()).duplicate().order(ByteOrder.nativeOrder()).asIntBuffer();
        final int base = rank / perNode * perNode;
        final int sameNode = base + (rank - base + 1) % perNode;
        final int otherNode = (rank + perNode) % size;
        final int fromSameNode = base + (rank - base + perNode - 1) % perNode;
        final int fromOtherNode = (rank - perNode + size) % size;
        final int half = INTS / 4;

        // Fence epoch: a block to a rank of this node (first quarter), one to the other node (second quarter).
        final IntBuffer near = MPI.newIntBuffer(half);
        final IntBuffer far = MPI.newIntBuffer(half);
        for (int i = 0; i < half; i++)
        {
            near.put(i, value(rank, 1, i));
            far.put(i, value(rank, 2, i));
        }
        win.fence(0);
        win.put(near, half, MPI.INT, sameNode, 0, half, MPI.INT);
        win.put(far, half, MPI.INT, otherNode, half, half, MPI.INT);
        win.fence(0);
        for (int i = 0; i < half; i++)
        {
            Expect.equal(value(fromSameNode, 1, i), mine.get(i), name + ": put from rank " + fromSameNode + " at " + i);
            if (otherNode != sameNode)
            {
                Expect.equal(value(fromOtherNode, 2, i), mine.get(half + i),
                    name + ": put from rank " + fromOtherNode + " at " + i);
            }
        }

        // Gets back what this rank put, from both targets, under a shared lock each.
        final IntBuffer got = MPI.newIntBuffer(half);
        win.lock(MPI.LOCK_SHARED, otherNode, 0);
        win.get(got, half, MPI.INT, otherNode, half, half, MPI.INT);
        win.unlock(otherNode);
        if (otherNode != sameNode)
        {
            for (int i = 0; i < half; i++)
            {
                Expect.equal(value(rank, 2, i), got.get(i), name + ": get from rank " + otherNode + " at " + i);
            }
        }
        win.lock(MPI.LOCK_SHARED, sameNode, 0);
        win.get(got, half, MPI.INT, sameNode, 0, half, MPI.INT);
        win.unlock(sameNode);
        for (int i = 0; i < half; i++)
        {
            Expect.equal(value(rank, 1, i), got.get(i), name + ": get from rank " + sameNode + " at " + i);
        }

        // Accumulates from every rank into rank 0's third quarter, under exclusive locks: exact sums.
        final IntBuffer add = MPI.newIntBuffer(half);
        for (int i = 0; i < half; i++)
        {
            add.put(i, rank + 1 + i);
        }
        win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
        win.accumulate(add, half, MPI.INT, 0, 2 * half, half, MPI.INT, MPI.SUM);
        win.unlock(0);
        comm.barrier();
        if (0 == rank)
        {
            win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
            for (int i = 0; i < half; i++)
            {
                Expect.equal((long)size * (size + 1) / 2 + (long)size * i, mine.get(2 * half + i),
                    name + ": accumulated sum at " + i);
            }
            win.unlock(0);
        }
        comm.barrier();
    }

    private static int value(final int rank, final int kind, final int i)
    {
        return rank << 20 | kind << 16 | i;
    }

    /** Window segments this process has mapped (their files are removed once every member mapped them). */
    private static int windowSegments() throws IOException
    {
        return segments("win");
    }

    /** Mappings of this job's shared segments of one kind ("win", "coll") in this process. */
    private static int segments(final String kind) throws IOException
    {
        final String job = System.getenv("MPI4J_JOB_ID");
        return (int)Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(l -> l.contains("/mpi4j-" + job + "-" + kind + "-")).count();
    }
}
