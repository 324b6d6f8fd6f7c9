package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.MatchedMessage;
import io.mpi4j.p2p.StatusRecord;

/**
 * A message taken out of matching by a matched probe, to be received later ({@code MPI_Message}). Starts as
 * {@code MPI_MESSAGE_NULL}; {@link #mProbe}/{@link #imProbe} fill it, {@link #mRecv}/{@link #imRecv} consume it.
 */
public final class Message
{
    private MatchedMessage matched;
    private Comm comm;

    /**
     * Creates an {@code MPI_MESSAGE_NULL}.
     */
    public Message()
    {
    }

    void matched(final MatchedMessage matched, final Comm comm)
    {
        this.matched = matched;
        this.comm = comm;
    }

    /**
     * Whether this is {@code MPI_MESSAGE_NULL}.
     *
     * @return true if there is no message to receive
     */
    public boolean isNull()
    {
        return null == matched;
    }

    /**
     * Whether this is {@code MPI_MESSAGE_NO_PROC}, the message of a probe on {@code MPI.PROC_NULL}.
     *
     * @return true for the no-process message
     */
    public boolean isNoProc()
    {
        return MatchedMessage.NO_PROC == matched;
    }

    /**
     * Waits for a matching message and takes it out of matching. Binds {@code MPI_MPROBE}.
     *
     * @param source rank of the source or {@code MPI.ANY_SOURCE}
     * @param tag    message tag or {@code MPI.ANY_TAG}
     * @param comm   communicator
     * @return status of the message
     * @throws MPIException on invalid arguments
     */
    public Status mProbe(final int source, final int tag, final Comm comm) throws MPIException
    {
        MPI.check(Comm.OP_MPROBE);
        if (null == comm)
        {
            throw Comm.invalidComm(Comm.OP_MPROBE + ": communicator is null");
        }
        return ProbeCalls.matchedProbe(comm, this, source, tag, true);
    }

    /**
     * Takes a matching message out of matching if one is waiting. Binds {@code MPI_IMPROBE}.
     *
     * @param source rank of the source or {@code MPI.ANY_SOURCE}
     * @param tag    message tag or {@code MPI.ANY_TAG}
     * @param comm   communicator
     * @return status of the message, or null if none is waiting
     * @throws MPIException on invalid arguments
     */
    public Status imProbe(final int source, final int tag, final Comm comm) throws MPIException
    {
        MPI.check(Comm.OP_IMPROBE);
        if (null == comm)
        {
            throw Comm.invalidComm(Comm.OP_IMPROBE + ": communicator is null");
        }
        return ProbeCalls.matchedProbe(comm, this, source, tag, false);
    }

    private MatchedMessage take(final String op) throws MPIException
    {
        MPI.check(op);
        final MatchedMessage m = matched;
        if (null == m)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_REQUEST, op + ": the message is MPI_MESSAGE_NULL");
        }
        return m;
    }

    /**
     * Receives the matched message; this becomes {@code MPI_MESSAGE_NULL}. Binds {@code MPI_MRECV}.
     *
     * @param buf   receive buffer: primitive array or NIO buffer
     * @param count number of items the buffer can take
     * @param type  datatype of each item
     * @return status of the received message
     * @throws MPIException on invalid arguments or truncation
     */
    public Status mRecv(final Object buf, final int count, final Datatype type) throws MPIException
    {
        final String op = "MPI_Mrecv";
        final MatchedMessage m = take(op);
        final Comm c = comm;
        c.checkBuffer(op, buf, count, type);
        final long capacity = (long)count * type.byteSize;
        final StatusRecord record = Status.scratch();
        try
        {
            MPI.engine().mrecv(m, UserBuffer.base(buf), UserBuffer.address(buf), capacity, type.layout(), record);
        }
        catch (final MpiError ex)
        {
            throw c.raise(op, ex);
        }
        matched(null, null);
        if (ErrorClass.SUCCESS != record.error)
        {
            throw c.receiveError(op, record, capacity);
        }
        return new Status().load(record);
    }

    /**
     * Starts receiving the matched message; this becomes {@code MPI_MESSAGE_NULL}. Binds {@code MPI_IMRECV}.
     * Unlike Open MPI, arrays and heap buffers are accepted as well as direct buffers.
     *
     * @param buf   receive buffer
     * @param count number of items the buffer can take
     * @param type  datatype of each item
     * @return request
     * @throws MPIException on invalid arguments
     */
    public Request imRecv(final Object buf, final int count, final Datatype type) throws MPIException
    {
        final String op = "MPI_Imrecv";
        final MatchedMessage m = take(op);
        final Comm c = comm;
        c.checkBuffer(op, buf, count, type);
        final Request request;
        try
        {
            request = new Request(MPI.engine().imrecv(
                m, UserBuffer.base(buf), UserBuffer.address(buf), (long)count * type.byteSize, type.layout()), c, buf);
        }
        catch (final MpiError ex)
        {
            throw c.raise(op, ex);
        }
        matched(null, null);
        return request;
    }
}
