package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

import java.nio.ByteBuffer;

/**
 * Rank 1 starts a 1 MiB send from a direct buffer to rank 0 (a rendezvous whose data the receiver reads out of the
 * sender's memory) and halts before rank 0 has posted its receive: the receive must fail, not hang, and rank 0 goes
 * on. args[0]: how long rank 0 waits before receiving, in ms (the death is noticed before, or during the receive).
 */
public final class DieAfterRendezvous
{
    private static final int BYTES = 1 << 20;

    private DieAfterRendezvous()
    {
    }

    public static void main(final String[] args) throws MPIException, InterruptedException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final ByteBuffer buffer = MPI.newByteBuffer(BYTES);
        MPI.COMM_WORLD.barrier();
        // what the test needs to check that nothing of the job is left
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        if (1 == rank)
        {
            for (int i = 0; i < BYTES; i++)
            {
                buffer.put(i, (byte)(i * 7 + 1));
            }
            MPI.COMM_WORLD.iSend(buffer, BYTES, MPI.BYTE, 0, 5);
            // the request to read is in rank 0's ring once the send has started; give the ring a moment
            Thread.sleep(50);
            Runtime.getRuntime().halt(3);
        }
        if (0 == rank)
        {
            Thread.sleep(Long.parseLong(args[0]));
            try
            {
                MPI.COMM_WORLD.recv(buffer, BYTES, MPI.BYTE, 1, 5);
                boolean same = true;
                for (int i = 0; i < BYTES && same; i++)
                {
                    same = buffer.get(i) == (byte)(i * 7 + 1);
                }
                System.out.println(same ? "RECEIVED" : "RECEIVED WRONG BYTES");
            }
            catch (final MPIException e)
            {
                System.out.println("ERROR recv " + e.getErrorClass() + " " + e.getMessage());
            }
            System.out.println("SURVIVED rank=0");
        }
        MPI.Finalize();
    }
}
