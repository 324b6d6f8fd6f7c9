package io.mpi4j.ci.jobs;

import mpi.Info;
import mpi.MPI;
import mpi.MPIException;

/**
 * A spawn that cannot work (a job started by srun --mpi=pmi2 has no launcher to start children): with
 * ERRORS_RETURN it must fail with an error class and a message, every errcode set, and the job must go on. Prints
 * "SPAWN_ERROR <class> <errcode 0> <message>", then "OK after spawn" once an allreduce over the world succeeded.
 */
public final class SpawnRefused
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final int[] codes = {-1, -1};
        try
        {
            MPI.COMM_WORLD.spawn("java", new String[]{ SpawnRefused.class.getName() }, 2, new Info(), 0, codes);
            System.out.println("SPAWN_ERROR none");
        }
        catch (final MPIException ex)
        {
            System.out.println("SPAWN_ERROR " + ex.getErrorClass() + " " + codes[0] + " " + ex.getMessage());
        }
        final int[] sum = {1};
        MPI.COMM_WORLD.allReduce(sum, 1, MPI.INT, MPI.SUM);
        System.out.println("OK after spawn sum=" + sum[0]);
        MPI.Finalize();
    }
}
