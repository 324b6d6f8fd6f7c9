package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;

import mpi.MPI;
import mpi.MPIException;
import mpi.Prequest;
import mpi.Request;
import mpi.Status;

/**
 * A halo exchange on a ring with persistent requests: every rank binds a send to each neighbour and a receive from
 * each once, then starts all four with startAll and waits, 100 times, with new data each iteration. Args: send mode
 * (standard, buffered, synchronous, ready), message bytes, buffer kind (array or direct). Afterwards the
 * lifecycle: a completed request is inactive but not null, may be waited for again, started again; an active one
 * cannot be started; a freed one is null.
 */
public final class PersistentHalo
{
    private static final int ITERATIONS = 100;
    private static final int TO_RIGHT = 1;
    private static final int TO_LEFT = 2;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final String mode = args[0];
        final int bytes = Integer.parseInt(args[1]);
        final boolean direct = "direct".equals(args[2]);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int right = (rank + 1) % size;
        final int left = (rank + size - 1) % size;

        final Object toRight = buffer(bytes, direct);
        final Object toLeft = buffer(bytes, direct);
        final Object fromLeft = buffer(bytes, direct);
        final Object fromRight = buffer(bytes, direct);
        if ("buffered".equals(mode))
        {
            MPI.attachBuffer(new byte[2 * (bytes + MPI.BSEND_OVERHEAD)]);
        }
        final Prequest recvLeft = MPI.COMM_WORLD.recvInit(fromLeft, bytes, MPI.BYTE, left, TO_RIGHT);
        final Prequest recvRight = MPI.COMM_WORLD.recvInit(fromRight, bytes, MPI.BYTE, right, TO_LEFT);
        final Prequest sendRight = sendInit(mode, toRight, bytes, right, TO_RIGHT);
        final Prequest sendLeft = sendInit(mode, toLeft, bytes, left, TO_LEFT);
        final Prequest[] receives = {recvLeft, recvRight};
        final Prequest[] sends = {sendRight, sendLeft};
        final Prequest[] all = {recvLeft, recvRight, sendRight, sendLeft};
        Expect.that(!recvLeft.isNull() && recvLeft.test(), "a new persistent request is inactive, not null");

        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            fill(toRight, bytes, rank, right, iteration);
            fill(toLeft, bytes, rank, left, iteration + ITERATIONS);
            if ("ready".equals(mode))
            {
                // a ready send needs its receive posted: receives, then a barrier, then the sends
                Prequest.startAll(receives);
                MPI.COMM_WORLD.barrier();
                Prequest.startAll(sends);
            }
            else if (iteration % 2 == 0)
            {
                Prequest.startAll(all);
            }
            else
            {
                for (final Prequest request : all)
                {
                    request.start();
                }
            }
            final Status[] statuses = Request.waitAllStatus(all);
            check(fromLeft, bytes, left, rank, iteration, "from left");
            check(fromRight, bytes, right, rank, iteration + ITERATIONS, "from right");
            Expect.equal(left, statuses[0].getSource(), "source of the receive from the left");
            Expect.equal(TO_RIGHT, statuses[0].getTag(), "tag of the receive from the left");
            Expect.equal(bytes, statuses[1].getCount(MPI.BYTE), "bytes received from the right");
            for (final Prequest request : all)
            {
                Expect.that(!request.isNull(), "a completed persistent request stays allocated");
            }
        }
        lifecycle(rank, size, right, left);
        for (final Prequest request : all)
        {
            request.free();
            Expect.that(request.isNull(), "a freed request is null");
        }
        if ("buffered".equals(mode))
        {
            MPI.detachBuffer();
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("OK persistent halo rank=" + rank + " mode=" + mode + " bytes=" + bytes +
            " iterations=" + ITERATIONS);
        MPI.Finalize();
    }

    /** After the loop: waits on inactive requests, restart rules, bad input, free of an active receive. */
    private static void lifecycle(final int rank, final int size, final int right, final int left)
        throws MPIException
    {
        final int[] out = {rank};
        final int[] in = new int[1];
        final Prequest send = MPI.COMM_WORLD.sendInit(out, 1, MPI.INT, right, 7);
        final Prequest recv = MPI.COMM_WORLD.recvInit(in, 1, MPI.INT, left, 7);
        recv.start();
        Expect.error(MPI.ERR_REQUEST, "start of an active request", recv::start);
        Expect.error(MPI.ERR_REQUEST, "startAll with an active request", () -> Prequest.startAll(new Prequest[]{recv}));
        send.start();
        Request.waitAll(new Request[]{send, recv});
        Expect.equal(left, in[0], "restarted receive's data");
        final Status again = recv.waitStatus();
        Expect.equal(MPI.ANY_SOURCE, again.getSource(), "waiting on an inactive request gives an empty status");
        Expect.equal(MPI.UNDEFINED, Request.waitAny(new Request[]{send, recv}), "waitAny over inactive requests");

        Expect.error(MPI.ERR_RANK, "sendInit to rank size", () -> MPI.COMM_WORLD.sendInit(out, 1, MPI.INT, size, 0));
        Expect.error(MPI.ERR_TAG, "recvInit with tag -7", () -> MPI.COMM_WORLD.recvInit(in, 1, MPI.INT, left, -7));
        Expect.error(MPI.ERR_COUNT, "sendInit count -1", () -> MPI.COMM_WORLD.sSendInit(out, -1, MPI.INT, right, 0));
        Expect.error(MPI.ERR_ARG, "startAll(null)", () -> Prequest.startAll(null));
        Expect.error(MPI.ERR_REQUEST, "startAll with a null element", () -> Prequest.startAll(new Prequest[]{null}));

        // a freed request cannot be started again; an active receive may be freed and still receives
        final Prequest freed = MPI.COMM_WORLD.recvInit(in, 1, MPI.INT, left, 8);
        freed.start();
        freed.free();
        Expect.that(freed.isNull(), "freed while active: null at once");
        Expect.error(MPI.ERR_REQUEST, "start of a freed request", freed::start);
        MPI.COMM_WORLD.send(out, 1, MPI.INT, right, 8);
        MPI.COMM_WORLD.barrier();
        Expect.equal(left, in[0], "a freed active receive still received");
        send.free();
        recv.free();
    }

    private static Prequest sendInit(final String mode, final Object buf, final int bytes, final int dest,
        final int tag) throws MPIException
    {
        switch (mode)
        {
            case "standard": return MPI.COMM_WORLD.sendInit(buf, bytes, MPI.BYTE, dest, tag);
            case "buffered": return MPI.COMM_WORLD.bSendInit(buf, bytes, MPI.BYTE, dest, tag);
            case "synchronous": return MPI.COMM_WORLD.sSendInit(buf, bytes, MPI.BYTE, dest, tag);
            case "ready": return MPI.COMM_WORLD.rSendInit(buf, bytes, MPI.BYTE, dest, tag);
            default: throw new IllegalArgumentException("mode " + mode);
        }
    }

    private static Object buffer(final int bytes, final boolean direct)
    {
        return direct ? MPI.newByteBuffer(bytes) : new byte[bytes];
    }

    private static void fill(final Object buf, final int bytes, final int src, final int dst, final int seq)
    {
        for (int i = 0; i < bytes; i++)
        {
            put(buf, i, Expect.pattern(src, dst, seq, i));
        }
    }

    private static void check(final Object buf, final int bytes, final int src, final int dst, final int seq,
        final String what)
    {
        for (int i = 0; i < bytes; i++)
        {
            if (get(buf, i) != Expect.pattern(src, dst, seq, i))
            {
                throw new AssertionError(what + ": byte " + i + " of iteration " + seq + " is wrong");
            }
        }
    }

    private static void put(final Object buf, final int i, final byte value)
    {
        if (buf instanceof ByteBuffer b)
        {
            b.put(i, value);
        }
        else
        {
            ((byte[])buf)[i] = value;
        }
    }

    private static byte get(final Object buf, final int i)
    {
        return buf instanceof ByteBuffer b ? b.get(i) : ((byte[])buf)[i];
    }
}
