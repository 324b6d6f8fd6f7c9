package io.mpi4j.ci.jobs;

import mpi.MPI;

/**
 * Every pair of ranks exchanges a message (so every inbox is mapped by every peer), then each rank prints
 * "JOB <id>", "PID <pid>" and "READY" and waits forever: the test kills the launcher under it.
 */
public final class HoldAfterTraffic
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        for (int peer = 0; peer < size; peer++)
        {
            final int[] in = new int[1];
            MPI.COMM_WORLD.sendRecv(new int[]{ rank }, 1, MPI.INT, peer, 7, in, 1, MPI.INT, peer, 7);
            Expect.equal(peer, in[0], "message from " + peer);
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
