package io.mpi4j.ci.jobs;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Rendezvous messages between direct buffers of 64 KiB to 4 MiB while the kernel refuses single copy: the receiver's
 * {@code process_vm_readv} fails with EPERM, its read is declined and the sender streams the message through the ring
 * instead (CTS, then DATA frames). Every byte and count is checked, and the pair goes on afterwards: an eager message
 * and one more large message, then a barrier. Two ranks: 0 sends, 1 receives, then both at once.
 * <p>
 * Meant to run in a job whose processes may not read each other's memory (the test runs it with a real group id
 * different from the effective one and without CAP_SYS_PTRACE). It first checks that it does: each rank tries to
 * open its peer's {@code /proc/<pid>/mem}, which the kernel allows on the same ptrace access check as
 * {@code process_vm_readv}. Run where the read would succeed, the job fails instead of passing without the fallback.
 */
public final class SingleCopyRefused
{
    private static final int[] SIZES = {64 << 10, (64 << 10) + 1, 200_000, 1 << 20, (3 << 20) + 5, 4 << 20};
    private static final int IN_FLIGHT = 4;
    private static int rank;

    private SingleCopyRefused()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        Expect.equal(2, world.getSize(), "ranks");
        final int peer = 1 - rank;
        final boolean sender = 0 == rank;

        expectPeerMemoryUnreadable(world, peer);
        int seq = 0;
        for (final int bytes : SIZES)
        {
            transfer(world, sender, peer, seq++, MPI.newByteBuffer(bytes), MPI.newByteBuffer(bytes), bytes);
        }
        manyInFlight(world, sender, peer, seq);
        seq += IN_FLIGHT;
        bothWays(world, peer, seq++);

        // still usable: an eager message from the heap, then one more read that is refused
        transfer(world, sender, peer, seq++, new byte[1000], new byte[1000], 1000);
        transfer(world, sender, peer, seq, MPI.newByteBuffer(1 << 20), MPI.newByteBuffer(1 << 20), 1 << 20);
        world.barrier();
        System.out.println("OK single-copy-refused rank=" + rank);
        MPI.Finalize();
    }

    static void expectPeerMemoryUnreadable(final Intracomm world, final int peer) throws MPIException
    {
        final long[] mine = {ProcessHandle.current().pid()};
        final long[] theirs = new long[1];
        world.sendRecv(mine, 1, MPI.LONG, peer, 0, theirs, 1, MPI.LONG, peer, 0);
        final Path mem = Path.of("/proc", Long.toString(theirs[0]), "mem");
        try (FileChannel ignored = FileChannel.open(mem, StandardOpenOption.READ))
        {
            throw new AssertionError("rank " + rank + " may read the memory of rank " + peer + " (" + mem +
                " opens): single copy would not be refused, the job would not test the fallback");
        }
        catch (final IOException expected)
        {
            // refused, as process_vm_readv will be
        }
        world.barrier();
    }

    private static void transfer(final Intracomm world, final boolean sender, final int peer, final int seq,
        final Object send, final Object recv, final int bytes) throws MPIException
    {
        final String what = "message " + seq + " of " + bytes + " bytes";
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

    /** Several refused messages in flight at once, received in the reverse order of their tags. */
    private static void manyInFlight(final Intracomm world, final boolean sender, final int peer, final int first)
        throws MPIException
    {
        final ByteBuffer[] buffers = new ByteBuffer[IN_FLIGHT];
        final Request[] requests = new Request[IN_FLIGHT];
        for (int k = 0; k < IN_FLIGHT; k++)
        {
            final int j = sender ? k : IN_FLIGHT - 1 - k;
            final int bytes = inFlightBytes(j);
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
            for (int k = 0; k < IN_FLIGHT; k++)
            {
                final int j = IN_FLIGHT - 1 - k;
                Expect.checkPattern(buffers[k], inFlightBytes(j), peer, rank, first + j, "in-flight message " + (first + j));
            }
        }
    }

    private static int inFlightBytes(final int j)
    {
        return (300 << 10) + j * 4099;
    }

    /** 1 MiB each way at once: each rank is refused the other's memory while streaming its own. */
    private static void bothWays(final Intracomm world, final int peer, final int seq) throws MPIException
    {
        final int bytes = 1 << 20;
        final ByteBuffer out = MPI.newByteBuffer(bytes);
        final ByteBuffer in = MPI.newByteBuffer(bytes);
        Expect.fillPattern(out, bytes, rank, peer, seq);
        world.sendRecv(out, bytes, MPI.BYTE, peer, seq, in, bytes, MPI.BYTE, peer, seq);
        Expect.checkPattern(in, bytes, peer, rank, seq, "sendRecv message");
    }
}
