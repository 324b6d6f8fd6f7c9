package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.MatchedMessage;
import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.Probes;
import io.mpi4j.p2p.StatusRecord;

/**
 * The facade side of the probes: {@code MPI_Probe} and {@code MPI_Iprobe} on {@link Comm}, and the matched probes
 * {@code MPI_Mprobe} and {@code MPI_Improbe} that {@link Message} binds, which take the message out of matching so
 * that no other receive can steal it before {@code MPI_Mrecv}.
 */
final class ProbeCalls
{
    private ProbeCalls()
    {
    }

    /** MPI_Probe (blocking) or MPI_Iprobe: the waiting message's status, or null if none is waiting (iprobe). */
    static Status probe(final Comm comm, final int source, final int tag, final boolean block) throws MPIException
    {
        final String op = block ? Comm.OP_PROBE : Comm.OP_IPROBE;
        final Communicator c = checked(comm, op, source, tag);
        final StatusRecord record = Status.scratch();
        try
        {
            if (block)
            {
                MPI.engine().probes().probe(c.endpoint(), source, tag, record);
                return new Status().load(record);
            }
            return MPI.engine().probes().iprobe(c.endpoint(), source, tag, record) ? new Status().load(record) : null;
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
    }

    /** MPI_Mprobe (blocking) or MPI_Improbe: the matched message goes into {@code message}; null if none (improbe). */
    static Status matchedProbe(final Comm comm, final Message message, final int source, final int tag,
        final boolean block) throws MPIException
    {
        final String op = block ? Comm.OP_MPROBE : Comm.OP_IMPROBE;
        final Communicator c = checked(comm, op, source, tag);
        final StatusRecord record = Status.scratch();
        try
        {
            final Probes probes = MPI.engine().probes();
            final MessageEndpoint endpoint = c.endpoint();
            final MatchedMessage matched =
                block ? probes.mprobe(endpoint, source, tag, record) : probes.improbe(endpoint, source, tag, record);
            if (null == matched)
            {
                return null;
            }
            message.matched(matched, comm);
            return new Status().load(record);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
    }

    private static Communicator checked(final Comm comm, final String op, final int source, final int tag)
        throws MPIException
    {
        final Communicator c = comm.live(op);
        comm.checkSource(op, c, source);
        comm.checkRecvTag(op, tag);
        return c;
    }
}
