package io.mpi4j.ci.jobs;

import mpi.Datatype;
import mpi.File;
import mpi.MPI;
import mpi.MPIException;

/**
 * Bad input to the file calls, files in the directory given as argument: each row fails with its error class
 * and a message (files' default handler is ERRORS_RETURN), collective rows fail on every rank even when only one
 * rank's arguments are wrong, and the file and the process stay usable: after each row the ranks write and read
 * back a probe through the file.
 */
public final class FileErrors
{
    private static int rank;
    private static int size;
    private static int probes;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        rank = MPI.COMM_WORLD.getRank();
        size = MPI.COMM_WORLD.getSize();
        final String dir = args[0];
        final String name = dir + "/errors";
        final int[] ints = new int[8];

        Expect.error(MPI.ERR_NO_SUCH_FILE, "open a missing file without MODE_CREATE",
            () -> new File(MPI.COMM_WORLD, dir + "/missing", MPI.MODE_RDONLY));
        Expect.error(MPI.ERR_NO_SUCH_FILE, "create in a missing directory",
            () -> new File(MPI.COMM_WORLD, dir + "/no/such/dir/f", MPI.MODE_CREATE | MPI.MODE_WRONLY));
        Expect.error(MPI.ERR_AMODE, "RDONLY|WRONLY",
            () -> new File(MPI.COMM_WORLD, name, MPI.MODE_RDONLY | MPI.MODE_WRONLY));
        Expect.error(MPI.ERR_AMODE, "RDWR|RDONLY", () -> new File(MPI.COMM_WORLD, name, MPI.MODE_RDWR | MPI.MODE_RDONLY));
        Expect.error(MPI.ERR_AMODE, "no access kind", () -> new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE));
        Expect.error(MPI.ERR_AMODE, "RDONLY|CREATE",
            () -> new File(MPI.COMM_WORLD, name, MPI.MODE_RDONLY | MPI.MODE_CREATE));
        Expect.error(MPI.ERR_AMODE, "RDWR|SEQUENTIAL",
            () -> new File(MPI.COMM_WORLD, name, MPI.MODE_RDWR | MPI.MODE_SEQUENTIAL));
        Expect.error(MPI.ERR_BAD_FILE, "open a directory", () -> new File(MPI.COMM_WORLD, dir, MPI.MODE_RDONLY));
        Expect.error(MPI.ERR_NO_SUCH_FILE, "delete a missing file", () -> File.delete(dir + "/missing"));

        final File f = new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_RDWR | MPI.MODE_EXCL);
        Expect.that(MPI.ERRORS_RETURN == f.getErrhandler(), "files default to ERRORS_RETURN");
        probe(f, "open");
        Expect.error(MPI.ERR_FILE_EXISTS, "CREATE|EXCL on an existing file",
            () -> new File(MPI.COMM_WORLD, name, MPI.MODE_CREATE | MPI.MODE_EXCL | MPI.MODE_RDWR));
        probe(f, "after EXCL");

        Expect.error(MPI.ERR_ARG, "readAt a negative offset", () -> f.readAt(-1, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_ARG, "writeAt a negative offset", () -> f.writeAt(-8, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_ARG, "seek before the start", () -> f.seek(-1, MPI.SEEK_SET));
        Expect.error(MPI.ERR_ARG, "seek with a bad whence", () -> f.seek(0, 12345));
        Expect.error(MPI.ERR_ARG, "getByteOffset of a negative offset", () -> f.getByteOffset(-3));
        Expect.error(MPI.ERR_COUNT, "count larger than the buffer", () -> f.writeAt(0, ints, 9, MPI.INT));
        Expect.error(MPI.ERR_COUNT, "negative count", () -> f.readAt(0, ints, -1, MPI.INT));
        // As Open MPI's binding: a datatype of another element size counts bytes of the array (MPI.BYTE on an int[])
        Expect.error(MPI.ERR_COUNT, "int[8] as 5 DOUBLEs", () -> f.writeAt(0, ints, 5, MPI.DOUBLE));
        Expect.error(MPI.ERR_BUFFER, "null buffer", () -> f.writeAt(0, null, 1, MPI.INT));
        probe(f, "independent argument errors");

        // Collective rows: only rank 0's arguments are wrong, every rank fails, nobody waits forever.
        final int expected = MPI.ERR_ARG;
        Expect.error(expected, "writeAtAll with a negative offset on rank 0",
            () -> f.writeAtAll(0 == rank ? -4 : 0, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_COUNT, "readAtAll with a short buffer on the last rank",
            () -> f.readAtAll(0, ints, size - 1 == rank ? 100 : 1, MPI.INT));
        Expect.error(MPI.ERR_COUNT, "writeOrdered with a short buffer on rank 0",
            () -> f.writeOrdered(ints, 0 == rank ? 100 : 1, MPI.INT));
        probe(f, "collective argument errors");

        final Datatype decreasing = Datatype.createIndexed(new int[] {1, 1}, new int[] {2, 0}, MPI.INT);
        decreasing.commit();
        Expect.error(MPI.ERR_ARG, "view with decreasing displacements",
            () -> f.setView(0, MPI.INT, decreasing, "native"));
        decreasing.free();
        final Datatype uncommitted = Datatype.createContiguous(2, MPI.INT);
        Expect.error(MPI.ERR_TYPE, "view with an uncommitted filetype",
            () -> f.setView(0, MPI.INT, uncommitted, "native"));
        Expect.error(MPI.ERR_TYPE, "filetype not made of etypes", () -> f.setView(0, MPI.INT, MPI.SHORT, "native"));
        Expect.error(MPI.ERR_UNSUPPORTED_DATAREP, "external32", () -> f.setView(0, MPI.INT, MPI.INT, "external32"));
        Expect.error(MPI.ERR_ARG, "negative displacement", () -> f.setView(-4, MPI.INT, MPI.INT, "native"));
        Expect.error(MPI.ERR_ARG, "DISPLACEMENT_CURRENT outside sequential mode",
            () -> f.setView(MPI.DISPLACEMENT_CURRENT, MPI.INT, MPI.INT, "native"));
        Expect.error(MPI.ERR_ARG, "setSize to a negative size", () -> f.setSize(-1));
        Expect.error(MPI.ERR_ARG, "seekShared with a bad whence", () -> f.seekShared(0, 7));
        Expect.error(MPI.ERR_IO, "split end without a begin", () -> f.readAllEnd(ints));
        f.writeAtAllBegin(0, ints, 1, MPI.INT);
        Expect.error(MPI.ERR_IO, "second split begin", () -> f.readAtAllBegin(0, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_IO, "end of another split", () -> f.readAtAllEnd(ints));
        f.writeAtAllEnd(ints);
        probe(f, "view and split errors");
        f.close();
        Expect.error(MPI.ERR_FILE, "close twice", f::close);
        Expect.error(MPI.ERR_FILE, "write after close", () -> f.writeAt(0, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_FILE, "collective read after close", () -> f.readAtAll(0, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_FILE, "getSize after close", f::getSize);

        final File ro = new File(MPI.COMM_WORLD, name, MPI.MODE_RDONLY);
        Expect.error(MPI.ERR_READ_ONLY, "write to a read-only file", () -> ro.write(ints, 1, MPI.INT));
        Expect.error(MPI.ERR_READ_ONLY, "writeAtAll to a read-only file", () -> ro.writeAtAll(0, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_READ_ONLY, "setSize of a read-only file", () -> ro.setSize(0));
        ro.readAtAll(0, ints, 1, MPI.INT);
        ro.close();
        final File wo = new File(MPI.COMM_WORLD, name, MPI.MODE_WRONLY);
        Expect.error(MPI.ERR_ACCESS, "read from a write-only file", () -> wo.read(ints, 1, MPI.INT));
        Expect.error(MPI.ERR_ACCESS, "readAll from a write-only file", () -> wo.readAll(ints, 1, MPI.INT));
        wo.close();
        final File seq = new File(MPI.COMM_WORLD, name, MPI.MODE_WRONLY | MPI.MODE_SEQUENTIAL);
        Expect.error(MPI.ERR_UNSUPPORTED_OPERATION, "explicit offset in sequential mode",
            () -> seq.writeAt(0, ints, 1, MPI.INT));
        Expect.error(MPI.ERR_UNSUPPORTED_OPERATION, "individual pointer in sequential mode",
            () -> seq.write(ints, 1, MPI.INT));
        seq.writeOrdered(new int[] {rank}, 1, MPI.INT);
        seq.setView(MPI.DISPLACEMENT_CURRENT, MPI.INT, MPI.INT, "native");
        Expect.equal(0, seq.getPositionShared(), "shared pointer of a view at the current displacement");
        Expect.equal(size * 4L, seq.getView().getDisp(), "the view starts where the shared pointer was");
        seq.close();

        MPI.COMM_WORLD.barrier();
        if (0 == rank)
        {
            File.delete(name);
        }
        final int[] sum = new int[1];
        MPI.COMM_WORLD.allReduce(new int[] {probes}, sum, 1, MPI.INT, MPI.SUM);
        Expect.equal((long)probes * size, sum[0], "every rank probed as often");
        System.out.println("OK file-errors rank=" + rank + " probes=" + probes);
        MPI.Finalize();
    }

    /** The file still works: every rank writes its rank at its slot and reads its neighbour's. */
    private static void probe(final File f, final String after) throws MPIException
    {
        probes++;
        final int value = probes * 1000 + rank;
        f.writeAtAll(4L * rank, new int[] {value}, 1, MPI.INT);
        final int other = (rank + 1) % size;
        final int[] got = new int[1];
        f.readAt(4L * other, got, 1, MPI.INT);
        Expect.equal(probes * 1000 + other, got[0], "probe after " + after);
    }
}
