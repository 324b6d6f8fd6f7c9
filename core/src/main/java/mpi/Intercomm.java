package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.MpiError;

/**
 * An inter-communicator: a local and a remote group; point-to-point ranks name processes of the remote group.
 * Created by {@link Comm#createIntercomm}; {@link #merge(boolean)} turns it into an intra-communicator.
 */
public class Intercomm extends Comm
{
    Intercomm(final Communicator state, final Errhandler errhandler)
    {
        super(USER, state, null == errhandler ? MPI.ERRORS_ARE_FATAL : errhandler);
    }

    /**
     * Duplicates this intercommunicator. Binds {@code MPI_COMM_DUP}.
     *
     * @return the new intercommunicator
     * @throws MPIException as {@link Comm#dup()}
     */
    @Override
    public Intercomm dup() throws MPIException
    {
        return dupAs("MPI_Comm_dup", s -> new Intercomm(s, null));
    }

    @Override
    public Intercomm clone()
    {
        return (Intercomm)super.clone();
    }

    /**
     * Duplicates with hints (ignored). Binds {@code MPI_COMM_DUP_WITH_INFO}.
     *
     * @param info hints
     * @return the new intercommunicator
     * @throws MPIException as {@link Comm#dup()}
     */
    @Override
    public Intercomm dupWithInfo(final Info info) throws MPIException
    {
        return dup();
    }

    /**
     * Duplicates this intercommunicator. Binds {@code MPI_COMM_IDUP}; mpi4j completes it before returning.
     *
     * @return the new intercommunicator; {@link #getRequest()} on it is complete
     * @throws MPIException as {@link Comm#dup()}
     */
    @Override
    public Intercomm iDup() throws MPIException
    {
        return iDupAs("MPI_Comm_idup", s -> new Intercomm(s, null));
    }

    /**
     * Size of the remote group. Binds {@code MPI_COMM_REMOTE_SIZE}.
     *
     * @return number of processes in the remote group
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final int getRemoteSize() throws MPIException
    {
        return live("MPI_Comm_remote_size").remoteSize();
    }

    /**
     * The remote group. Binds {@code MPI_COMM_REMOTE_GROUP}.
     *
     * @return a new group; this process is not a member
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final Group getRemoteGroup() throws MPIException
    {
        final Communicator c = live("MPI_Comm_remote_group");
        return new Group(c.remoteMembers().clone(), MPI.UNDEFINED);
    }

    /**
     * Merges both groups into an intracommunicator. Binds {@code MPI_INTERCOMM_MERGE}: the group passing
     * {@code high == false} gets the low ranks.
     *
     * @param high whether this group goes last
     * @return the intracommunicator
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public final Intracomm merge(final boolean high) throws MPIException
    {
        final String op = "MPI_Intercomm_merge";
        final Communicator c = live(op);
        try
        {
            final Intracomm merged = new Intracomm(USER, CommSupport.factory().merge(c, high), getErrhandler());
            return merged;
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    // ---- dynamic processes

    /**
     * The intercommunicator to the parents of a spawned process. Binds {@code MPI_COMM_GET_PARENT}: the same object
     * on every call, named {@code MPI_COMM_PARENT}; an object whose {@link #isNull()} is true in a process that was
     * not spawned, or once the parent communicator was disconnected or freed.
     *
     * @return the parent intercommunicator
     * @throws MPIException if MPI is not running
     */
    public static Intercomm getParent() throws MPIException
    {
        MPI.check("MPI_Comm_get_parent");
        return DynamicSupport.parent();
    }
}
