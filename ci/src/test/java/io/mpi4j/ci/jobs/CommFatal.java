package io.mpi4j.ci.jobs;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * A dup inherits ERRORS_ARE_FATAL: a bad key value on the dup must abort the job with the error printed, even though
 * COMM_WORLD has been switched to ERRORS_RETURN afterwards.
 */
public final class CommFatal
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm dup = MPI.COMM_WORLD.dup();
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        dup.barrier();
        if (dup.getRank() == 0)
        {
            dup.getAttr(424242);
            System.out.println("NOT REACHED");
        }
        dup.barrier();
        MPI.Finalize();
    }
}
