package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

import mpi.Datatype;
import mpi.MPI;
import mpi.MPIException;
import mpi.Message;

/**
 * Every bad-argument row fails with the right error class under ERRORS_RETURN, with a message, and the process
 * stays usable: after each row, ranks 0 and 1 ping-pong.
 */
public final class BadInput
{
    private static int pings;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        // errors of COMM_SELF calls (freeing it below) go to COMM_SELF's own handler
        MPI.COMM_SELF.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int[] ints = new int[10];
        final int peer = rank == 0 ? 1 : 0;

        row(rank, MPI.ERR_RANK, "send to rank size", () -> MPI.COMM_WORLD.send(ints, 1, MPI.INT, size, 0));
        row(rank, MPI.ERR_RANK, "send to rank -5", () -> MPI.COMM_WORLD.send(ints, 1, MPI.INT, -5, 0));
        row(rank, MPI.ERR_RANK, "send to ANY_SOURCE", () -> MPI.COMM_WORLD.send(ints, 1, MPI.INT, MPI.ANY_SOURCE, 0));
        row(rank, MPI.ERR_RANK, "recv from rank 99", () -> MPI.COMM_WORLD.recv(ints, 1, MPI.INT, 99, 0));
        row(rank, MPI.ERR_RANK, "iSend to rank 99", () -> MPI.COMM_WORLD.iSend(MPI.newIntBuffer(1), 1, MPI.INT, 99, 0));
        row(rank, MPI.ERR_RANK, "probe rank 99", () -> MPI.COMM_WORLD.iProbe(99, 0));
        row(rank, MPI.ERR_TAG, "send tag -3", () -> MPI.COMM_WORLD.send(ints, 1, MPI.INT, peer, -3));
        row(rank, MPI.ERR_TAG, "send tag ANY_TAG", () -> MPI.COMM_WORLD.send(ints, 1, MPI.INT, peer, MPI.ANY_TAG));
        row(rank, MPI.ERR_TAG, "recv tag -7", () -> MPI.COMM_WORLD.recv(ints, 1, MPI.INT, peer, -7));
        row(rank, MPI.ERR_COUNT, "send count -1", () -> MPI.COMM_WORLD.send(ints, -1, MPI.INT, peer, 0));
        row(rank, MPI.ERR_COUNT, "recv count -1", () -> MPI.COMM_WORLD.recv(ints, -1, MPI.INT, peer, 0));
        row(rank, MPI.ERR_COUNT, "send count 20 > int[10]", () -> MPI.COMM_WORLD.send(ints, 20, MPI.INT, peer, 0));
        row(rank, MPI.ERR_COUNT, "recv count 11 > int[10]", () -> MPI.COMM_WORLD.recv(ints, 11, MPI.INT, peer, 0));
        row(rank, MPI.ERR_COUNT, "send 5 ints from 16-byte ByteBuffer",
            () -> MPI.COMM_WORLD.send(MPI.newByteBuffer(16), 5, MPI.INT, peer, 0));
        row(rank, MPI.ERR_BUFFER, "send null buffer", () -> MPI.COMM_WORLD.send(null, 5, MPI.INT, peer, 0));
        row(rank, MPI.ERR_BUFFER, "recv null buffer", () -> MPI.COMM_WORLD.recv(null, 5, MPI.INT, peer, 0));
        // As in Open MPI, a type need not match the array's elements: the count is checked in bytes.
        row(rank, MPI.ERR_COUNT, "int[10] sent as 6 DOUBLE", () -> MPI.COMM_WORLD.send(ints, 6, MPI.DOUBLE, peer, 0));
        row(rank, MPI.ERR_COUNT, "IntBuffer(4) sent as 3 LONG",
            () -> MPI.COMM_WORLD.send(MPI.newIntBuffer(4), 3, MPI.LONG, peer, 0));
        row(rank, MPI.ERR_COUNT, "byte[8] received as 3 INT",
            () -> MPI.COMM_WORLD.recv(new byte[8], 3, MPI.INT, peer, 0));
        row(rank, MPI.ERR_COUNT, "int[10] sent as 41 BYTE", () -> MPI.COMM_WORLD.send(ints, 41, MPI.BYTE, peer, 0));
        final Datatype uncommitted = Datatype.createVector(2, 1, 3, MPI.INT);
        row(rank, MPI.ERR_TYPE, "send with an uncommitted type",
            () -> MPI.COMM_WORLD.send(ints, 1, uncommitted, peer, 0));
        final Datatype freed = Datatype.createVector(2, 1, 3, MPI.INT);
        freed.commit();
        freed.free();
        row(rank, MPI.ERR_TYPE, "recv with a freed type", () -> MPI.COMM_WORLD.recv(ints, 1, freed, peer, 0));
        final Datatype column = Datatype.createVector(4, 1, 4, MPI.INT);
        column.commit();
        row(rank, MPI.ERR_COUNT, "vector reaching past int[10]", () -> MPI.COMM_WORLD.send(ints, 1, column, peer, 0));
        final Datatype before = Datatype.createHIndexed(new int[]{ 1 }, new int[]{ -4 }, MPI.INT);
        before.commit();
        row(rank, MPI.ERR_BUFFER, "type reaching before the buffer", () -> MPI.COMM_WORLD.send(ints, 1, before, peer, 0));
        row(rank, MPI.ERR_COUNT, "negative vector count", () -> Datatype.createVector(-1, 1, 1, MPI.INT));
        row(rank, MPI.ERR_ARG, "negative block length", () -> Datatype.createVector(2, -1, 1, MPI.INT));
        row(rank, MPI.ERR_TRUNCATE, "pack into a short buffer",
            () -> MPI.COMM_WORLD.pack(ints, 10, MPI.INT, new byte[16], 0));
        row(rank, MPI.ERR_TRUNCATE, "unpack past the end of the packed buffer",
            () -> MPI.COMM_WORLD.unpack(new byte[8], 4, ints, 2, MPI.INT));
        row(rank, MPI.ERR_COUNT, "pack negative count", () -> MPI.COMM_WORLD.pack(ints, -1, MPI.INT, new byte[8], 0));
        row(rank, MPI.ERR_COMM, "free COMM_WORLD", () -> MPI.COMM_WORLD.free());
        row(rank, MPI.ERR_COMM, "free COMM_SELF", () -> MPI.COMM_SELF.free());
        row(rank, MPI.ERR_COMM, "mProbe on a null communicator", () -> new Message().imProbe(0, 0, null));

        // Legal edge cases that must not fail: count 0 with a null buffer, a ByteBuffer carrying ints.
        MPI.COMM_WORLD.send(null, 0, MPI.INT, MPI.PROC_NULL, 0);
        final ByteBuffer bytes = MPI.newByteBuffer(8);
        final IntBuffer view = bytes.asIntBuffer();
        Expect.that(view.capacity() == 2, "view");
        ping(rank, "legal edge cases");
        System.out.println("OK badinput rank=" + rank + " pings=" + pings);
        MPI.Finalize();
    }

    private static void row(final int rank, final int errorClass, final String name, final Expect.MpiCall call)
        throws MPIException
    {
        final MPIException e = Expect.error(errorClass, name, call);
        if (rank == 0)
        {
            System.out.println("ROW " + name + " -> class " + e.getErrorClass() + ": " + e.getMessage());
        }
        ping(rank, name);
    }

    /** Ranks 0 and 1 exchange a message: the error left the process usable. */
    private static void ping(final int rank, final String after) throws MPIException
    {
        final int[] v = {pings};
        if (rank == 0)
        {
            MPI.COMM_WORLD.send(v, 1, MPI.INT, 1, 1000);
            MPI.COMM_WORLD.recv(v, 1, MPI.INT, 1, 1001);
            Expect.equal(pings + 1, v[0], "pong after '" + after + "'");
        }
        else if (rank == 1)
        {
            MPI.COMM_WORLD.recv(v, 1, MPI.INT, 0, 1000);
            Expect.equal(pings, v[0], "ping after '" + after + "'");
            v[0]++;
            MPI.COMM_WORLD.send(v, 1, MPI.INT, 0, 1001);
        }
        pings++;
    }
}
