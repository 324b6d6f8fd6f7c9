package mpi;

import io.mpi4j.comm.Communicator;

/**
 * An intra-communicator: communication within one group of processes. {@code MPI.COMM_WORLD} and
 * {@code MPI.COMM_SELF} are intra-communicators; duplication, splitting and collectives arrive here later.
 */
public class Intracomm extends Comm
{
    Intracomm(final int predefined, final Communicator state, final Errhandler errhandler)
    {
        super(predefined, state, errhandler);
    }
}
