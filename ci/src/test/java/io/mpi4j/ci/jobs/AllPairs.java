package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import mpi.Datatype;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/**
 * Every ordered pair of ranks exchanges {@code K} messages of random sizes (0 B .. 8 MiB) and random tags; the
 * receiver takes them with ANY_TAG from that source and checks tag order, count and every byte.
 * Mode (args[0]): array | heap | direct | double | intbuf | nonblocking | nonblocking-direct.
 */
public final class AllPairs
{
    static final int K = 10;
    static final int MAX = 8 << 20;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final String mode = args.length > 0 ? args[0] : "array";
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        long messages = 0;
        long bytes = 0;

        if (mode.startsWith("nonblocking"))
        {
            final List<Request> requests = new ArrayList<>();
            final List<Object> recvBuffers = new ArrayList<>();
            final List<int[]> recvMeta = new ArrayList<>();
            final List<Object> sendBuffers = new ArrayList<>();
            for (int p = 0; p < size; p++)
            {
                if (p == rank)
                {
                    continue;
                }
                final Plan plan = new Plan(p, rank);
                for (int q = 0; q < K; q++)
                {
                    final int count = elements(mode, plan.bytes[q]);
                    final Object buf = allocate(mode, count + 3);
                    recvBuffers.add(buf);
                    recvMeta.add(new int[] {p, q, plan.tags[q], count});
                    requests.add(MPI.COMM_WORLD.iRecv(asBufferArg(buf), count + 3, type(mode), p, MPI.ANY_TAG));
                }
            }
            final int receives = requests.size();
            for (int p = 0; p < size; p++)
            {
                if (p == rank)
                {
                    continue;
                }
                final Plan plan = new Plan(rank, p);
                for (int q = 0; q < K; q++)
                {
                    final int count = elements(mode, plan.bytes[q]);
                    final Object buf = allocate(mode, Math.max(count, 1));
                    fill(buf, count, rank, p, q);
                    sendBuffers.add(buf);
                    requests.add(MPI.COMM_WORLD.iSend(asBufferArg(buf), count, type(mode), p, plan.tags[q]));
                }
            }
            final Status[] statuses = Request.waitAllStatus(requests.toArray(new Request[0]));
            for (int i = 0; i < receives; i++)
            {
                final int[] m = recvMeta.get(i);
                check(statuses[i], m[0], m[2], m[3], mode);
                verify(recvBuffers.get(i), m[3], m[0], rank, m[1]);
                messages++;
                bytes += (long)m[3] * elemSize(mode);
            }
            Expect.that(sendBuffers.size() == receives, "as many sends as receives");
        }
        else
        {
            // A fixed global order of pairs: nobody waits on a partner that is not heading for the same pair.
            for (int a = 0; a < size; a++)
            {
                for (int b = a + 1; b < size; b++)
                {
                    if (rank == a)
                    {
                        sendAll(mode, a, b);
                        bytes += receiveAll(mode, b, a);
                        messages += K;
                    }
                    else if (rank == b)
                    {
                        bytes += receiveAll(mode, a, b);
                        messages += K;
                        sendAll(mode, b, a);
                    }
                }
            }
        }
        System.out.println("OK allpairs mode=" + mode + " rank=" + rank + " received=" + messages + " bytes=" + bytes);
        MPI.Finalize();
    }

    private static void sendAll(final String mode, final int src, final int dst) throws MPIException
    {
        final Plan plan = new Plan(src, dst);
        for (int q = 0; q < K; q++)
        {
            final int count = elements(mode, plan.bytes[q]);
            final Object buf = allocate(mode, Math.max(count, 1));
            fill(buf, count, src, dst, q);
            MPI.COMM_WORLD.send(buf, count, type(mode), dst, plan.tags[q]);
        }
    }

    private static long receiveAll(final String mode, final int src, final int dst) throws MPIException
    {
        final Plan plan = new Plan(src, dst);
        long bytes = 0;
        for (int q = 0; q < K; q++)
        {
            final int count = elements(mode, plan.bytes[q]);
            final Object buf = allocate(mode, count + 3);
            final Status status = MPI.COMM_WORLD.recv(buf, count + 3, type(mode), src, MPI.ANY_TAG);
            check(status, src, plan.tags[q], count, mode);
            verify(buf, count, src, dst, q);
            bytes += (long)count * elemSize(mode);
        }
        return bytes;
    }

    private static void check(final Status status, final int src, final int tag, final int count, final String mode)
        throws MPIException
    {
        Expect.equal(src, status.getSource(), "status source");
        Expect.equal(tag, status.getTag(), "status tag (order from source " + src + ")");
        Expect.equal(count, status.getCount(type(mode)), "status count from " + src + " tag " + tag);
    }

    /** Sizes and tags of the K messages src sends dst; both sides compute the same plan. */
    static final class Plan
    {
        final int[] bytes = new int[K];
        final int[] tags = new int[K];

        Plan(final int src, final int dst)
        {
            final Random random = new Random(src * 7919L + dst * 104729L + 12345);
            for (int q = 0; q < K; q++)
            {
                tags[q] = random.nextInt(32768);
                final int bucket = random.nextInt(5);
                if (q == 0)
                {
                    bytes[q] = 0;
                }
                else if (q == 1 && (src + dst) % 3 == 0)
                {
                    bytes[q] = MAX;
                }
                else if (bucket == 0)
                {
                    bytes[q] = 1 + random.nextInt(64);
                }
                else if (bucket == 1)
                {
                    bytes[q] = 65 + random.nextInt(16 << 10);
                }
                else if (bucket == 2)
                {
                    bytes[q] = (16 << 10) + random.nextInt(256 << 10);
                }
                else if (bucket == 3)
                {
                    bytes[q] = (256 << 10) + random.nextInt(2 << 20);
                }
                else
                {
                    bytes[q] = 1 + random.nextInt(8);
                }
            }
        }
    }

    static Datatype type(final String mode)
    {
        switch (mode)
        {
            case "double":
                return MPI.DOUBLE;
            case "intbuf":
                return MPI.INT;
            default:
                return MPI.BYTE;
        }
    }

    static int elemSize(final String mode)
    {
        switch (mode)
        {
            case "double":
                return 8;
            case "intbuf":
                return 4;
            default:
                return 1;
        }
    }

    static int elements(final String mode, final int bytes)
    {
        return bytes / elemSize(mode);
    }

    static Object allocate(final String mode, final int count)
    {
        switch (mode)
        {
            case "array":
            case "nonblocking":
                return new byte[count];
            case "heap":
                // a heap buffer that does not start at its array's index 0 (arrayOffset 5)
                return ByteBuffer.wrap(new byte[count + 5], 5, count).slice();
            case "direct":
            case "nonblocking-direct":
                return MPI.newByteBuffer(count);
            case "double":
                return new double[count];
            case "intbuf":
                return MPI.newIntBuffer(count);
            default:
                throw new IllegalArgumentException("mode " + mode);
        }
    }

    /** iSend/iRecv accept only java.nio.Buffer in Open MPI; mpi4j also accepts arrays, which this mode uses. */
    static Object asBufferArg(final Object buf)
    {
        return buf;
    }

    static void fill(final Object buf, final int count, final int src, final int dst, final int seq)
    {
        if (buf instanceof byte[])
        {
            final byte[] a = (byte[])buf;
            for (int i = 0; i < count; i++)
            {
                a[i] = Expect.pattern(src, dst, seq, i);
            }
        }
        else if (buf instanceof ByteBuffer)
        {
            final ByteBuffer b = (ByteBuffer)buf;
            for (int i = 0; i < count; i++)
            {
                b.put(i, Expect.pattern(src, dst, seq, i));
            }
        }
        else if (buf instanceof double[])
        {
            final double[] d = (double[])buf;
            for (int i = 0; i < count; i++)
            {
                d[i] = Expect.pattern(src, dst, seq, i) * 1.5 + i;
            }
        }
        else
        {
            final IntBuffer b = (IntBuffer)buf;
            for (int i = 0; i < count; i++)
            {
                b.put(i, Expect.pattern(src, dst, seq, i) * 65537 + i);
            }
        }
    }

    static void verify(final Object buf, final int count, final int src, final int dst, final int seq)
    {
        for (int i = 0; i < count; i++)
        {
            final boolean ok;
            if (buf instanceof byte[])
            {
                ok = ((byte[])buf)[i] == Expect.pattern(src, dst, seq, i);
            }
            else if (buf instanceof ByteBuffer)
            {
                ok = ((ByteBuffer)buf).get(i) == Expect.pattern(src, dst, seq, i);
            }
            else if (buf instanceof double[])
            {
                ok = ((double[])buf)[i] == Expect.pattern(src, dst, seq, i) * 1.5 + i;
            }
            else
            {
                ok = ((IntBuffer)buf).get(i) == Expect.pattern(src, dst, seq, i) * 65537 + i;
            }
            if (!ok)
            {
                throw new AssertionError("message " + seq + " from " + src + " to " + dst + " (" + count
                    + " elements) differs at element " + i);
            }
        }
    }
}
