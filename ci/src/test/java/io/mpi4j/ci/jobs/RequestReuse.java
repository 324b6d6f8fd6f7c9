package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/**
 * The engine reuses the operations behind completed requests, never the requests a program holds: requests kept
 * after their wait stay inactive however many messages follow, a request twice in one array completes once, and
 * the messages after it still land where they should (two requests never share an operation). Two ranks, each
 * sending to and receiving from the other.
 */
public final class RequestReuse
{
    static final int ROUNDS = 500;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int other = 1 - rank;
        final int[] in = new int[1];
        final int[] out = new int[1];

        // kept requests stay inactive while later messages reuse what was behind them
        final Request[] kept = new Request[2 * ROUNDS];
        for (int round = 0; round < ROUNDS; round++)
        {
            final Request recv = MPI.COMM_WORLD.iRecv(in, 1, MPI.INT, other, round);
            out[0] = 10 * round + rank;
            final Request send = MPI.COMM_WORLD.iSend(out, 1, MPI.INT, other, round);
            if (0 == round % 3)
            {
                final Status status = recv.waitStatus();
                Expect.equal(round, status.getTag(), "tag of round " + round);
                Expect.equal(other, status.getSource(), "source of round " + round);
            }
            else if (1 == round % 3)
            {
                while (!recv.test())
                {
                    Thread.onSpinWait();
                }
            }
            else
            {
                Request.waitAll(new Request[] { recv });
            }
            send.waitFor();
            Expect.equal(10 * round + other, in[0], "content of round " + round);
            kept[2 * round] = recv;
            kept[2 * round + 1] = send;
            if (round > 0)
            {
                Expect.that(kept[2 * round - 2].isNull(), "request of round " + (round - 1) + " became active");
            }
        }
        for (int i = 0; i < kept.length; i++)
        {
            Expect.that(kept[i].isNull(), "kept request " + i + " is active again");
        }
        Request.waitAll(kept);
        Expect.equal(MPI.UNDEFINED, Request.waitAny(kept), "waitAny over kept requests");
        Expect.that(Request.testAll(kept), "testAll over kept requests");
        for (int i = 0; i < kept.length; i++)
        {
            Expect.that(kept[i].isNull(), "kept request " + i + " after the array calls");
        }

        // one request twice in an array: completed once, and the next two receives each get their own message
        final int[] twice = new int[1];
        final Request dup = MPI.COMM_WORLD.iRecv(twice, 1, MPI.INT, other, 1000);
        out[0] = 7000 + rank;
        MPI.COMM_WORLD.send(out, 1, MPI.INT, other, 1000);
        final Request[] pair = { dup, dup };
        int completed = 0;
        while (!dup.isNull())
        {
            final int[] indexes = Request.waitSome(pair);
            completed += null == indexes ? 0 : indexes.length;
        }
        Expect.equal(1, completed, "completions of a request given twice");
        Expect.equal(7000 + other, twice[0], "content of the request given twice");
        final Request[] again = { dup, dup };
        Request.waitAll(again);

        final int[] first = new int[1];
        final int[] second = new int[1];
        final Request a = MPI.COMM_WORLD.iRecv(first, 1, MPI.INT, other, 1001);
        final Request b = MPI.COMM_WORLD.iRecv(second, 1, MPI.INT, other, 1002);
        final int[] outA = { 8000 + rank };
        final int[] outB = { 9000 + rank };
        final Request sendB = MPI.COMM_WORLD.iSend(outB, 1, MPI.INT, other, 1002);
        final Request sendA = MPI.COMM_WORLD.iSend(outA, 1, MPI.INT, other, 1001);
        Request.waitAll(new Request[] { a, b, a, sendA, sendB, sendB });
        Expect.equal(8000 + other, first[0], "message 1001");
        Expect.equal(9000 + other, second[0], "message 1002");

        // a completed request freed, a request completed by getStatus then waited
        final Request early = MPI.COMM_WORLD.iRecv(first, 1, MPI.INT, other, 1003);
        out[0] = 1003;
        MPI.COMM_WORLD.send(out, 1, MPI.INT, other, 1003);
        Status seen = null;
        while (null == seen)
        {
            seen = early.getStatus();
        }
        Expect.equal(1003, seen.getTag(), "getStatus tag");
        Expect.that(!early.isNull(), "getStatus left the request active");
        early.free();
        Expect.that(early.isNull(), "freed request");
        final Request late = MPI.COMM_WORLD.iRecv(second, 1, MPI.INT, other, 1004);
        out[0] = 1004;
        MPI.COMM_WORLD.send(out, 1, MPI.INT, other, 1004);
        Expect.equal(1004, late.waitStatus().getTag(), "receive after a freed request");
        Expect.equal(1004, second[0], "content after a freed request");
        Expect.that(early.isNull(), "freed request after later messages");

        System.out.println("OK request reuse rank=" + rank);
        MPI.Finalize();
    }
}
