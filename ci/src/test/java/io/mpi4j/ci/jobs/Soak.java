package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.Status;

/**
 * args[0] messages (default 1,000,000) from rank 0 to rank 1: small ones of 1..16 longs, every 50,000th one
 * 1 MiB; each carries its sequence number and a checksum of its content; the receiver also checks the total.
 */
public final class Soak
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final long messages = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        final long[] buf = new long[128 << 10];
        long total = 0;
        final double t0 = MPI.wtime();
        if (rank == 0)
        {
            for (long seq = 0; seq < messages; seq++)
            {
                final int count = length(seq);
                buf[0] = seq;
                long sum = seq;
                for (int i = 2; i < count; i++)
                {
                    buf[i] = seq * 31 + i;
                    sum = sum * 1_000_003 + buf[i];
                }
                buf[1] = sum;
                total += sum;
                MPI.COMM_WORLD.send(buf, count, MPI.LONG, 1, (int)(seq & 0xff));
            }
            MPI.COMM_WORLD.send(new long[] {total}, 1, MPI.LONG, 1, 1000);
            final long[] ack = new long[1];
            MPI.COMM_WORLD.recv(ack, 1, MPI.LONG, 1, 1001);
            Expect.equal(total, ack[0], "receiver's total");
        }
        else if (rank == 1)
        {
            for (long seq = 0; seq < messages; seq++)
            {
                final Status s = MPI.COMM_WORLD.recv(buf, buf.length, MPI.LONG, 0, MPI.ANY_TAG);
                final int count = length(seq);
                if (buf[0] != seq || s.getCount(MPI.LONG) != count || s.getTag() != (int)(seq & 0xff))
                {
                    throw new AssertionError("message " + seq + ": got seq " + buf[0] + ", count "
                        + s.getCount(MPI.LONG) + ", tag " + s.getTag());
                }
                long sum = seq;
                for (int i = 2; i < count; i++)
                {
                    sum = sum * 1_000_003 + buf[i];
                }
                if (sum != buf[1])
                {
                    throw new AssertionError("message " + seq + ": checksum mismatch");
                }
                total += sum;
            }
            final long[] sent = new long[1];
            MPI.COMM_WORLD.recv(sent, 1, MPI.LONG, 0, 1000);
            Expect.equal(sent[0], total, "total checksum");
            MPI.COMM_WORLD.send(new long[] {total}, 1, MPI.LONG, 0, 1001);
        }
        final double t = MPI.wtime() - t0;
        System.out.printf("OK soak rank=%d messages=%d seconds=%.2f rate=%.0f msg/s%n", rank, messages, t,
            messages / t);
        MPI.Finalize();
    }

    static int length(final long seq)
    {
        return seq % 50_000 == 49_999 ? 128 << 10 : 2 + (int)(seq % 15);
    }
}
