package io.mpi4j.ci.jobs;

import mpi.Datatype;
import mpi.File;
import mpi.Info;
import mpi.MPI;
import mpi.MPIException;

/**
 * Collective writes that fill the file system in the middle of their rounds. args[0] is a directory on a small
 * file system (args[1] bytes, far less than one call writes). Every rank's call must fail with ERR_NO_SPACE, on
 * the aggregators whose write failed and on every other rank alike, with nobody left waiting; the file must still
 * close, the process still communicate, and once the full file is deleted the next collective write must work and
 * read back exactly.
 * <p>
 * Three shapes: the ranks' blocks interleaved through a view and every rank aggregating (some aggregators fail
 * in a later round than others), the same with one aggregator (the others only exchange and must learn of its
 * failure), and blocks that do not interleave (each rank writes its own ranges, no rounds; only rank 0's fill the
 * disk).
 */
public final class FileDiskFull
{
    /** Ints in one block of a rank's interleaved view. */
    private static final int BLOCK = 1024;

    private static int rank;
    private static int size;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        rank = MPI.COMM_WORLD.getRank();
        size = MPI.COMM_WORLD.getSize();
        final String dir = args[0];
        final long capacity = Long.parseLong(args[1]);
        // Each rank alone writes twice what the file system holds: whatever the rank count, the disk fills up.
        final int ints = (int)(2 * capacity / Integer.BYTES);
        final int[] data = new int[ints];
        for (int i = 0; i < ints; i++)
        {
            data[i] = rank << 24 | i;
        }

        interleaved(dir + "/every-rank-aggregates", size, data, "writeAll, every rank aggregating");
        interleaved(dir + "/one-aggregator", 1, data, "writeAtAll, rank 0 aggregating alone");

        final String apart = dir + "/apart";
        final File f = open(apart, size);
        // Rank 0 fills the disk; the others' small blocks may or may not fit, their call fails all the same.
        final int mine = 0 == rank ? ints : BLOCK;
        final Exception e = Expect.error(MPI.ERR_NO_SPACE, "writeAtAll of blocks that do not interleave",
            () -> f.writeAtAll(0 == rank ? 0 : (long)(ints + rank * BLOCK) * Integer.BYTES, data, mine, MPI.INT));
        report("apart", e);
        usable();
        f.close();
        deleteAndAgree(apart);

        // The file system has room again: the next collective works and its data reads back exactly.
        final String after = dir + "/after";
        final File g = open(after, size);
        g.setView(4L * BLOCK * rank, MPI.INT, stride(), "native");
        final int[] small = new int[4 * BLOCK];
        System.arraycopy(data, 0, small, 0, small.length);
        g.writeAll(small, small.length, MPI.INT);
        g.setView(0, MPI.INT, MPI.INT, "native");
        final int[] back = new int[4 * BLOCK];
        final int neighbour = (rank + 1) % size;
        g.readAtAll((long)BLOCK * neighbour, back, BLOCK, MPI.INT);
        for (int i = 0; i < BLOCK; i++)
        {
            Expect.equal(neighbour << 24 | i, back[i], "int " + i + " of rank " + neighbour + "'s first block");
        }
        g.close();
        deleteAndAgree(after);
        System.out.println("OK file-disk-full rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    /** A collective write of the ranks' blocks interleaved through a view, with {@code aggregators} aggregators. */
    private static void interleaved(final String name, final int aggregators, final int[] data, final String row)
        throws MPIException
    {
        final File f = open(name, aggregators);
        final Datatype stride = stride();
        f.setView(4L * BLOCK * rank, MPI.INT, stride, "native");
        final Exception e = Expect.error(MPI.ERR_NO_SPACE, row, () ->
        {
            if (1 == aggregators)
            {
                f.writeAtAll(0, data, data.length, MPI.INT);
            }
            else
            {
                f.writeAll(data, data.length, MPI.INT);
            }
        });
        report(name.substring(name.lastIndexOf('/') + 1), e);
        // The rounds before the disk filled up wrote their windows: the failure came in the middle of the call.
        Expect.that(f.getSize() > 0, row + ": nothing reached the file before the failure");
        usable();
        f.close();
        stride.free();
        deleteAndAgree(name);
    }

    /** Blocks of BLOCK ints, one in every {@code size}: with a displacement of one block per rank they interleave. */
    private static Datatype stride() throws MPIException
    {
        final Datatype block = Datatype.createContiguous(BLOCK, MPI.INT);
        final Datatype stride = Datatype.createResized(block, 0, size * BLOCK * Integer.BYTES);
        stride.commit();
        block.free();
        return stride;
    }

    private static File open(final String name, final int aggregators) throws MPIException
    {
        final Info info = new Info();
        info.set("cb_nodes", Integer.toString(aggregators));
        // Windows far smaller than the call, so the disk fills up rounds after the first.
        info.set("cb_buffer_size", Integer.toString(16 * 1024));
        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_RDWR, info);
        info.free();
        Expect.that(MPI.ERRORS_RETURN == f.getErrhandler(), "files default to ERRORS_RETURN");
        return f;
    }

    private static void report(final String what, final Exception e)
    {
        System.out.println("FAILED " + what + " " + e.getMessage());
    }

    /** The process still communicates on the world after the failure. */
    private static void usable() throws MPIException
    {
        final int[] sum = new int[1];
        MPI.COMM_WORLD.allReduce(new int[] {rank + 1}, sum, 1, MPI.INT, MPI.SUM);
        Expect.equal((long)size * (size + 1) / 2, sum[0], "allReduce after the failed write");
    }

    private static void deleteAndAgree(final String name) throws MPIException
    {
        MPI.COMM_WORLD.barrier();
        if (0 == rank)
        {
            File.delete(name);
        }
        MPI.COMM_WORLD.barrier();
    }
}
