package io.mpi4j.ci.jobs;

import mpi.Comm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

import java.lang.management.ManagementFactory;

/**
 * Two ranks ping-pong small messages with iRecv/iSend/waitFor and with send/recv, the requests and statuses not
 * kept, as most programs make them; after a warm-up long enough for the JIT to compile the loop, each rank measures
 * what its thread allocated over the measured rounds ({@code com.sun.management.ThreadMXBean}) and prints
 * {@code ALLOC <kind> <bytes per message>}.
 */
public final class NoAllocation
{
    private static final int WARM_UP_CALLS = 60;
    private static final int MEASURED_CALLS = 20;
    private static final int ROUNDS = 5_000;

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final Comm comm = MPI.COMM_WORLD;
        final int rank = comm.getRank();
        final int peer = 1 - rank;
        final byte[] out = new byte[8];
        final byte[] in = new byte[8];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        for (final String kind : new String[]{ "nonblocking", "blocking" })
        {
            final boolean nonBlocking = "nonblocking".equals(kind);
            for (int i = 0; i < WARM_UP_CALLS; i++)
            {
                exchange(comm, nonBlocking, rank, peer, out, in);
            }
            comm.barrier();
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < MEASURED_CALLS; i++)
            {
                exchange(comm, nonBlocking, rank, peer, out, in);
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            final double perMessage = (double)allocated / ((long)MEASURED_CALLS * ROUNDS * 2);
            System.out.println("ALLOC " + kind + " " + perMessage);
            comm.barrier();
        }
        System.out.println("OK noallocation rank=" + rank);
        MPI.Finalize();
    }

    /** {@link #ROUNDS} round trips; a method of its own, as a program's loop, which the JIT compiles whole. */
    private static void exchange(final Comm comm, final boolean nonBlocking, final int rank, final int peer,
        final byte[] out, final byte[] in) throws MPIException
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            if (nonBlocking)
            {
                final Request receive = comm.iRecv(in, in.length, MPI.BYTE, peer, 7);
                if (rank == 0)
                {
                    comm.iSend(out, out.length, MPI.BYTE, peer, 7).waitFor();
                    receive.waitFor();
                }
                else
                {
                    receive.waitFor();
                    comm.iSend(out, out.length, MPI.BYTE, peer, 7).waitFor();
                }
            }
            else if (rank == 0)
            {
                comm.send(out, out.length, MPI.BYTE, peer, 7);
                out[0] += (byte)comm.recv(in, in.length, MPI.BYTE, peer, 7).getTag();
            }
            else
            {
                out[0] += (byte)comm.recv(in, in.length, MPI.BYTE, peer, 7).getTag();
                comm.send(out, out.length, MPI.BYTE, peer, 7);
            }
        }
    }
}
