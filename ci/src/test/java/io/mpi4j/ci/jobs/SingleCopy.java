package io.mpi4j.ci.jobs;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

import java.nio.ByteBuffer;

/**
 * Rendezvous messages between direct buffers, which the shared-memory transport's receiver reads out of the sender's
 * memory (single copy), beside the cases that must fall back to copies through the ring: every byte and count
 * checked, around the threshold and far above it, from and into slices at odd offsets, to and from Java arrays,
 * ANY_SOURCE, many in flight taken out of order, both directions at once, and a receive too short for its message
 * (MPI_ERR_TRUNCATE, then the pair goes on). Ranks pair up (0-1, 2-3, ...); an odd last rank sits out.
 */
public final class SingleCopy
{
    private static final int[] SIZES = {(64 << 10) - 1, 64 << 10, (64 << 10) + 1, (128 << 10) - 1, 128 << 10,
        (128 << 10) + 1, 200_000, 1 << 20, (3 << 20) + 5};
    private static int rank;

    private SingleCopy()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        final int peer = rank ^ 1;
        if (peer < world.getSize())
        {
            final boolean sender = rank % 2 == 0;
            int seq = 0;
            for (final int bytes : SIZES)
            {
                // direct into direct, both at offset 0, then both slices at odd offsets
                transfer(world, sender, peer, seq++, MPI.newByteBuffer(bytes), MPI.newByteBuffer(bytes), bytes);
                transfer(world, sender, peer, seq++, slice(bytes, 13), slice(bytes + 20, 7), bytes);
            }
            // a Java array on either side: the receiver cannot read into an array, a sender's array is not exposed
            transfer(world, sender, peer, seq++, new byte[100_000], MPI.newByteBuffer(100_000), 100_000);
            transfer(world, sender, peer, seq++, MPI.newByteBuffer(100_000), new byte[100_000], 100_000);
            anySource(world, sender, peer, seq++);
            manyInFlight(world, sender, peer, seq);
            seq += 8;
            bothWays(world, peer, seq++);
            truncated(world, sender, peer, seq);
        }
        world.barrier();
        System.out.println("OK single-copy rank=" + rank);
        MPI.Finalize();
    }

    private static ByteBuffer slice(final int bytes, final int offset)
    {
        return MPI.newByteBuffer(bytes + offset).position(offset).slice();
    }

    private static void transfer(final Intracomm world, final boolean sender, final int peer, final int seq,
        final Object send, final Object recv, final int bytes) throws MPIException
    {
        final String what = "message " + seq + " of " + bytes + " bytes (" + kind(send) + " -> " + kind(recv) + ")";
        if (sender)
        {
            Expect.fillPattern(send, bytes, rank, peer, seq);
            world.send(send, bytes, MPI.BYTE, peer, seq);
        }
        else
        {
            final Status status = world.recv(recv, bytes, MPI.BYTE, peer, seq);
            Expect.equal(bytes, status.getCount(MPI.BYTE), what + " count");
            Expect.checkPattern(recv, bytes, peer, rank, seq, what);
        }
    }

    private static String kind(final Object buffer)
    {
        return buffer instanceof byte[] ? "array" : "direct";
    }

    private static void anySource(final Intracomm world, final boolean sender, final int peer, final int seq)
        throws MPIException
    {
        final int bytes = 300_000;
        final ByteBuffer buffer = MPI.newByteBuffer(bytes);
        if (sender)
        {
            Expect.fillPattern(buffer, bytes, rank, peer, seq);
            world.send(buffer, bytes, MPI.BYTE, peer, seq);
        }
        else
        {
            final Status status = world.recv(buffer, bytes, MPI.BYTE, MPI.ANY_SOURCE, MPI.ANY_TAG);
            Expect.equal(peer, status.getSource(), "ANY_SOURCE source");
            Expect.equal(seq, status.getTag(), "ANY_SOURCE tag");
            Expect.checkPattern(buffer, bytes, peer, rank, seq, "ANY_SOURCE message");
        }
    }

    /** Eight messages in flight at once; the receiver posts its receives in the reverse order of their tags. */
    private static void manyInFlight(final Intracomm world, final boolean sender, final int peer, final int first)
        throws MPIException
    {
        final int n = 8;
        final ByteBuffer[] buffers = new ByteBuffer[n];
        final Request[] requests = new Request[n];
        for (int k = 0; k < n; k++)
        {
            // message j (tag first + j) has 128 KiB + j * 4099 bytes; the receiver's k-th receive takes j = n - 1 - k
            final int j = sender ? k : n - 1 - k;
            final int bytes = (128 << 10) + j * 4099;
            buffers[k] = MPI.newByteBuffer(bytes);
            if (sender)
            {
                Expect.fillPattern(buffers[k], bytes, rank, peer, first + j);
                requests[k] = world.iSend(buffers[k], bytes, MPI.BYTE, peer, first + j);
            }
            else
            {
                requests[k] = world.iRecv(buffers[k], bytes, MPI.BYTE, peer, first + j);
            }
        }
        Request.waitAll(requests);
        if (!sender)
        {
            for (int k = 0; k < n; k++)
            {
                final int seq = first + n - 1 - k;
                Expect.checkPattern(buffers[k], (128 << 10) + (n - 1 - k) * 4099, peer, rank, seq, "in-flight message " + seq);
            }
        }
    }

    /** Both ranks send and receive 256 KiB at once: each reads the other's memory while its own is read. */
    private static void bothWays(final Intracomm world, final int peer, final int seq) throws MPIException
    {
        final int bytes = 256 << 10;
        final ByteBuffer out = MPI.newByteBuffer(bytes);
        final ByteBuffer in = MPI.newByteBuffer(bytes);
        Expect.fillPattern(out, bytes, rank, peer, seq);
        world.sendRecv(out, bytes, MPI.BYTE, peer, seq, in, bytes, MPI.BYTE, peer, seq);
        Expect.checkPattern(in, bytes, peer, rank, seq, "sendRecv message");
    }

    /** 160 KiB into 144 KiB: MPI_ERR_TRUNCATE at the receiver, the sender completes, and the next message arrives. */
    private static void truncated(final Intracomm world, final boolean sender, final int peer, final int seq)
        throws MPIException
    {
        final int bytes = 160 << 10;
        final ByteBuffer buffer = MPI.newByteBuffer(bytes);
        if (sender)
        {
            Expect.fillPattern(buffer, bytes, rank, peer, seq);
            world.send(buffer, bytes, MPI.BYTE, peer, seq);
            Expect.fillPattern(buffer, bytes, rank, peer, seq + 1);
            world.send(buffer, bytes, MPI.BYTE, peer, seq + 1);
        }
        else
        {
            final ByteBuffer shorter = MPI.newByteBuffer(144 << 10);
            Expect.error(MPI.ERR_TRUNCATE, "a receive 16 KiB too short",
                () -> world.recv(shorter, 144 << 10, MPI.BYTE, peer, seq));
            final Status status = world.recv(buffer, bytes, MPI.BYTE, peer, seq + 1);
            Expect.equal(bytes, status.getCount(MPI.BYTE), "the message after a truncated one");
            Expect.checkPattern(buffer, bytes, peer, rank, seq + 1, "the message after a truncated one");
        }
    }
}
