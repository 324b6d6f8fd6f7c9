package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.SendMode;
import io.mpi4j.p2p.StatusRecord;

/**
 * The facade side of the point-to-point calls of {@link Comm}: sends in every mode, receives, send-receive, blocking
 * and non-blocking. Each call checks its arguments ({@link Comm#sending}, {@link Comm#receiving}), translates the
 * buffer into (base, address, bytes) and hands it to {@link PointToPoint}; engine errors go to the communicator's
 * error handler. The blocking paths allocate nothing but the returned {@link Status}, the non-blocking ones nothing
 * but the returned {@link Request} (the engine pools its operations): each made in a small method of its own, so
 * that the JIT can drop it where the program does not keep it.
 */
final class PointToPointCalls
{
    private PointToPointCalls()
    {
    }

    /** MPI_Send, MPI_Bsend, MPI_Ssend, MPI_Rsend: {@code mode} is a {@link SendMode}. */
    static void send(final Comm comm, final int mode, final String op, final Object buf, final int count,
        final Datatype type, final int dest, final int tag) throws MPIException
    {
        final Communicator c = comm.sending(op, buf, count, type, dest, tag);
        try
        {
            MPI.engine().send(c.endpoint(), UserBuffer.base(buf), UserBuffer.address(buf),
                (long)count * type.byteSize, type.layout(), dest, tag, mode);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
    }

    /** MPI_Recv: the status made here, around the engine's record, as the request in {@link #startSend}. */
    static Status recv(final Comm comm, final Object buf, final int count, final Datatype type, final int source,
        final int tag) throws MPIException
    {
        return new Status().load(receive(comm, buf, count, type, source, tag));
    }

    /** MPI_Recv into the calling thread's scratch record, which the caller copies before its next receive. */
    private static StatusRecord receive(final Comm comm, final Object buf, final int count, final Datatype type,
        final int source, final int tag) throws MPIException
    {
        final String op = Comm.OP_RECV;
        final Communicator c = comm.receiving(op, buf, count, type, source, tag);
        final long capacity = (long)count * type.byteSize;
        final StatusRecord record = Status.scratch();
        try
        {
            MPI.engine().recv(c.endpoint(), UserBuffer.base(buf), UserBuffer.address(buf), capacity, type.layout(),
                source, tag, record);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        if (ErrorClass.SUCCESS != record.error)
        {
            throw comm.receiveError(op, record, capacity);
        }
        return record;
    }

    /** MPI_Sendrecv. */
    static Status sendRecv(final Comm comm,
        final Object sendbuf, final int sendcount, final Datatype sendtype, final int dest, final int sendtag,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int source, final int recvtag)
        throws MPIException
    {
        final String op = Comm.OP_SENDRECV;
        final Communicator c = comm.live(op);
        comm.checkBuffer(op, sendbuf, sendcount, sendtype);
        comm.checkDest(op, c, dest);
        comm.checkSendTag(op, sendtag);
        comm.checkBuffer(op, recvbuf, recvcount, recvtype);
        comm.checkSource(op, c, source);
        comm.checkRecvTag(op, recvtag);
        return exchange(comm, op, c, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            (long)sendcount * sendtype.byteSize, sendtype.layout(), dest, sendtag,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), (long)recvcount * recvtype.byteSize,
            recvtype.layout(), source, recvtag);
    }

    /** MPI_Sendrecv_replace. */
    static Status sendRecvReplace(final Comm comm, final Object buf, final int count, final Datatype type,
        final int dest, final int sendtag, final int source, final int recvtag) throws MPIException
    {
        final String op = Comm.OP_SENDRECV_REPLACE;
        final Communicator c = comm.live(op);
        comm.checkBuffer(op, buf, count, type);
        comm.checkDest(op, c, dest);
        comm.checkSendTag(op, sendtag);
        comm.checkSource(op, c, source);
        comm.checkRecvTag(op, recvtag);
        final long bytes = (long)count * type.byteSize;
        if (bytes > Integer.MAX_VALUE - 16)
        {
            throw comm.raise(ErrorClass.ERR_COUNT, op + ": " + bytes + " bytes is more than one Java array can hold");
        }
        final Object base = UserBuffer.base(buf);
        final long address = UserBuffer.address(buf);
        // The outgoing data must survive the incoming message landing in the same buffer: it leaves packed.
        final byte[] outgoing = new byte[(int)bytes];
        if (null == type.layout())
        {
            UserBuffer.copy(base, address, outgoing, UserBuffer.byteArrayOffset(), bytes);
        }
        else
        {
            Packer.pack(type.typeMap(), count, base, address, outgoing, 0);
        }
        return exchange(comm, op, c, outgoing, UserBuffer.byteArrayOffset(), bytes, null, dest, sendtag,
            base, address, bytes, type.layout(), source, recvtag);
    }

    /** The send is started before the receive is posted and completed after it: neither side waits on the other. */
    private static Status exchange(final Comm comm, final String op, final Communicator c,
        final Object sendBase, final long sendAddress, final long sendBytes, final TypeMap sendLayout, final int dest,
        final int sendtag, final Object recvBase, final long recvAddress, final long capacity,
        final TypeMap recvLayout, final int source, final int recvtag) throws MPIException
    {
        final PointToPoint p2p = MPI.engine();
        final StatusRecord record = Status.scratch();
        final Operation send;
        try
        {
            send = p2p.isend(
                c.endpoint(), sendBase, sendAddress, sendBytes, sendLayout, dest, sendtag, SendMode.STANDARD);
            p2p.recv(c.endpoint(), recvBase, recvAddress, capacity, recvLayout, source, recvtag, record);
            p2p.completion().await(send);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        if (ErrorClass.SUCCESS != record.error)
        {
            throw comm.receiveError(op, record, capacity);
        }
        if (ErrorClass.SUCCESS != send.status().error)
        {
            throw comm.raise(send.status().error, op + ": send to rank " + dest + " failed with " +
                ErrorClass.name(send.status().error));
        }
        p2p.recycle(send);
        return new Status().load(record);
    }

    /**
     * MPI_Isend, MPI_Ibsend, MPI_Issend, MPI_Irsend: {@code mode} is a {@link SendMode}. The request is made here,
     * around the started operation, and passed to nothing: inlined into the program's method, the JIT may drop it
     * when the program does not keep it.
     */
    static Request startSend(final Comm comm, final int mode, final String op, final Object buf, final int count,
        final Datatype type, final int dest, final int tag) throws MPIException
    {
        return new Request(sendOperation(comm, mode, op, buf, count, type, dest, tag), comm, buf);
    }

    private static Operation sendOperation(final Comm comm, final int mode, final String op, final Object buf,
        final int count, final Datatype type, final int dest, final int tag) throws MPIException
    {
        final Communicator c = comm.sending(op, buf, count, type, dest, tag);
        try
        {
            return MPI.engine().isend(c.endpoint(), UserBuffer.base(buf), UserBuffer.address(buf),
                (long)count * type.byteSize, type.layout(), dest, tag, mode);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
    }

    /** MPI_Irecv; the request as in {@link #startSend}. */
    static Request startRecv(final Comm comm, final Object buf, final int count, final Datatype type,
        final int source, final int tag) throws MPIException
    {
        return new Request(recvOperation(comm, buf, count, type, source, tag), comm, buf);
    }

    private static Operation recvOperation(final Comm comm, final Object buf, final int count, final Datatype type,
        final int source, final int tag) throws MPIException
    {
        final String op = Comm.OP_IRECV;
        final Communicator c = comm.receiving(op, buf, count, type, source, tag);
        try
        {
            return MPI.engine().irecv(c.endpoint(), UserBuffer.base(buf), UserBuffer.address(buf),
                (long)count * type.byteSize, type.layout(), source, tag);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
    }
}
