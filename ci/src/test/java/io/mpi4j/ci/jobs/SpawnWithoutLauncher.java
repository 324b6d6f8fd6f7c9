package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.MPIException;

/**
 * A singleton whose class path has no launcher: its spawn fails with ERR_SPAWN and a message naming what to add,
 * and MPI goes on working (a message to itself, a barrier, a clean finalize).
 */
public final class SpawnWithoutLauncher
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final int[] codes = new int[2];
        try
        {
            MPI.COMM_WORLD.spawn("java", new String[]{ SpawnChild.class.getName() }, 2, MPI.INFO_NULL, 0, codes);
            throw new AssertionError("spawn without the launcher succeeded");
        }
        catch (final MPIException ex)
        {
            Expect.equal(MPI.ERR_SPAWN, ex.getErrorClass(), "error class (" + ex.getMessage() + ")");
            Expect.equal(MPI.ERR_SPAWN, codes[0], "errcode of each process");
            System.out.println("SPAWN FAILED: " + ex.getMessage());
        }
        final int[] out = { 42 };
        final int[] in = new int[1];
        MPI.COMM_WORLD.sendRecv(out, 1, MPI.INT, 0, 3, in, 1, MPI.INT, 0, 3);
        Expect.equal(42, in[0], "message to itself after the failed spawn");
        MPI.COMM_WORLD.barrier();
        MPI.Finalize();
        System.out.println("OK still usable");
    }
}
