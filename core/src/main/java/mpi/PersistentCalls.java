package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.p2p.PersistentRequest;
import io.mpi4j.p2p.SendMode;

/**
 * The facade side of the persistent point-to-point calls of {@link Comm} ({@code MPI_Send_init} in each mode,
 * {@code MPI_Recv_init}): the arguments are checked once, here, as the non-blocking calls check theirs, and bound
 * into a {@link PersistentRequest} that every {@link Prequest#start} runs again. Creating the request communicates
 * nothing, so it cannot fail for a dead peer; that shows at the start.
 */
final class PersistentCalls
{
    static final String OP_SEND_INIT = "MPI_Send_init";
    static final String OP_BSEND_INIT = "MPI_Bsend_init";
    static final String OP_SSEND_INIT = "MPI_Ssend_init";
    static final String OP_RSEND_INIT = "MPI_Rsend_init";
    static final String OP_RECV_INIT = "MPI_Recv_init";

    private PersistentCalls()
    {
    }

    /** MPI_Send_init, MPI_Bsend_init, MPI_Ssend_init, MPI_Rsend_init: {@code mode} is a {@link SendMode}. */
    static Prequest sendInit(final Comm comm, final int mode, final String op, final Object buf, final int count,
        final Datatype type, final int dest, final int tag) throws MPIException
    {
        final Communicator c = comm.sending(op, buf, count, type, dest, tag);
        return new Prequest(PersistentRequest.send(c.endpoint(), UserBuffer.base(buf), UserBuffer.address(buf),
            (long)count * type.byteSize, type.layout(), dest, tag, mode), comm, buf);
    }

    /** MPI_Recv_init. */
    static Prequest recvInit(final Comm comm, final Object buf, final int count, final Datatype type,
        final int source, final int tag) throws MPIException
    {
        final Communicator c = comm.receiving(OP_RECV_INIT, buf, count, type, source, tag);
        return new Prequest(PersistentRequest.receive(c.endpoint(), UserBuffer.base(buf), UserBuffer.address(buf),
            (long)count * type.byteSize, type.layout(), source, tag), comm, buf);
    }
}
