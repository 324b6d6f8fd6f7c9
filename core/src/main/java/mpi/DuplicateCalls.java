package mpi;

import io.mpi4j.comm.AttributeTable;
import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.CommunicatorFactory;
import io.mpi4j.comm.ContextAgreement;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

import java.util.function.Function;

/**
 * The facade side of {@code MPI_Comm_dup}, {@code MPI_Comm_idup} and {@code MPI_Intercomm_create}: the new
 * communicator's state comes from {@link CommunicatorFactory}; here the facade object is built around it and gets
 * the parent's error handler and the attributes its copy callbacks choose.
 */
final class DuplicateCalls
{
    private DuplicateCalls()
    {
    }

    /**
     * The duplicate of {@code parent}, wrapped by {@code wrap} (subclasses: topologies, intercommunicators). Copy
     * callbacks run after the context agreement, so a failing one leaves no communicator: the agreed context id is
     * given back.
     */
    static <T extends Comm> T dup(final Comm parent, final String op, final Function<Communicator, T> wrap)
        throws MPIException
    {
        final Communicator c = parent.live(op);
        final Communicator dup;
        try
        {
            dup = CommSupport.factory().dup(c);
        }
        catch (final MpiError ex)
        {
            throw parent.raise(op, ex);
        }
        final T comm = wrap.apply(dup);
        try
        {
            copyAttributes(parent, op, dup, comm);
        }
        catch (final MpiError ex)
        {
            throw parent.raise(ex.errorClass(), ex.getMessage());
        }
        comm.errhandler = parent.errhandler;
        return comm;
    }

    /**
     * The non-blocking duplicate: the facade object exists at once and is bound to its state when the context
     * agreement completes, which the request returned by {@code getRequest()} on it tracks. An intercommunicator
     * is duplicated at once (its agreement spans two groups) behind an already complete request.
     */
    static <T extends Comm> T iDup(final Comm parent, final String op, final Function<Communicator, T> wrap)
        throws MPIException
    {
        final Communicator c = parent.live(op);
        if (c.isInter())
        {
            final T comm = dup(parent, op, wrap);
            comm.request = new Request(null, comm, null);
            return comm;
        }
        final T comm = wrap.apply(null);
        comm.errhandler = parent.errhandler;
        final ContextAgreement agreement = CommSupport.factory().dupAgreement(c).onAgreed(slot ->
        {
            final Communicator dup = CommunicatorFactory.duplicateOn(c, slot);
            copyAttributes(parent, op, dup, comm);
            comm.bind(dup);
        });
        try
        {
            agreement.start();
        }
        catch (final MpiError ex)
        {
            throw parent.raise(op, ex);
        }
        comm.request = new Request(agreement, parent, null);
        return comm;
    }

    /** Runs the copy callbacks into {@code comm}; a failing one frees {@code dup} and is thrown as MpiError. */
    private static void copyAttributes(final Comm parent, final String op, final Communicator dup, final Comm comm)
    {
        final AttributeTable table = parent.attributes;
        if (null != table && !table.isEmpty())
        {
            try
            {
                comm.attributes = table.copyFor(parent);
            }
            catch (final RuntimeException ex)
            {
                CommSupport.factory().free(dup);
                throw new MpiError(CommSupport.classOf(ex), op + ": " + ex.getMessage());
            }
        }
    }

    /** MPI_Intercomm_create: {@code peer} is the communicator through which the two leaders talk. */
    static Intercomm createIntercomm(final Comm peerComm, final Comm localComm, final int localLeader,
        final int remoteLeader, final int tag) throws MPIException
    {
        final String op = "MPI_Intercomm_create";
        final Communicator peer = peerComm.live(op);
        if (null == localComm)
        {
            throw Comm.invalidComm(op + ": local communicator is null");
        }
        final Communicator local = localComm.live(op);
        if (local.isInter())
        {
            throw peerComm.raise(ErrorClass.ERR_COMM, op + ": the local communicator must be an intracommunicator");
        }
        if (localLeader < 0 || localLeader >= local.size())
        {
            throw peerComm.raise(ErrorClass.ERR_RANK, op + ": local leader " + localLeader +
                " is out of range (valid: 0.." + (local.size() - 1) + ")");
        }
        if (local.rank() == localLeader && (remoteLeader < 0 || remoteLeader >= peer.size()))
        {
            throw peerComm.raise(ErrorClass.ERR_RANK, op + ": remote leader " + remoteLeader +
                " is out of range (valid: 0.." + (peer.size() - 1) + ")");
        }
        peerComm.checkSendTag(op, tag);
        try
        {
            final Intercomm inter =
                new Intercomm(CommSupport.factory().createIntercomm(local, localLeader, peer, remoteLeader, tag), null);
            inter.errhandler = localComm.errhandler;
            return inter;
        }
        catch (final MpiError ex)
        {
            throw peerComm.raise(op, ex);
        }
    }
}
