package mpi;

import io.mpi4j.coll.BlockingCollectives;
import io.mpi4j.coll.CollectiveSchedule;
import io.mpi4j.coll.Collectives;
import io.mpi4j.coll.Reduction;
import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * The facade side of the collective operations of {@link Comm} and {@link Intracomm}: argument checks that are
 * cheap (root, counts, buffers against datatypes, operator against datatype), then a schedule from
 * {@link Collectives}, run to completion (blocking call) or started behind a {@link Request}. Blocking calls on
 * small data first try {@link BlockingCollectives}, which runs the same algorithm without a schedule and without
 * allocating (the small-message latency path). "In place" variants
 * pass the same location as send and receive buffer, as {@code MPI_IN_PLACE} does in C.
 */
final class CollectiveCalls
{
    private CollectiveCalls()
    {
    }

    // ------------------------------------------------------------------------------------------------- checks

    private static Communicator intra(final Comm comm, final String op) throws MPIException
    {
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            throw comm.raise(ErrorClass.ERR_COMM, op + " is not defined on an intercommunicator");
        }
        return c;
    }

    private static void checkRoot(final Comm comm, final String op, final Communicator c, final int root)
        throws MPIException
    {
        if (root < 0 || root >= c.size())
        {
            throw comm.raise(ErrorClass.ERR_ROOT, op + ": root " + root + " is out of range for communicator " +
                c.name() + " of size " + c.size() + " (valid: 0.." + (c.size() - 1) + ")");
        }
    }

    private static Reduction reduction(final Comm comm, final String op, final Op operator, final Datatype type)
        throws MPIException
    {
        if (null == operator)
        {
            throw comm.raise(ErrorClass.ERR_OP, op + ": operator is null");
        }
        if (null == type)
        {
            throw comm.raise(ErrorClass.ERR_TYPE, op + ": datatype is null");
        }
        final Reduction r = operator.reduction(type);
        if (null == r)
        {
            throw comm.raise(ErrorClass.ERR_OP, op + ": " + (operator.isNull() ? "the operator was freed" :
                operator + " is not defined for " + type.typeName()));
        }
        return r;
    }

    /** Checks v-variant counts and displacements; returns the items the buffer must hold. */
    private static int checkCounts(final Comm comm, final String op, final Communicator c, final int[] counts,
        final int[] displs) throws MPIException
    {
        return checkCounts(comm, op, c.size(), counts, displs);
    }

    /** As above for {@code p} ranks: an intercommunicator's counts index its remote group. */
    private static int checkCounts(final Comm comm, final String op, final int p, final int[] counts,
        final int[] displs) throws MPIException
    {
        if (null == counts || counts.length < p || (null != displs && displs.length < p))
        {
            throw comm.raise(ErrorClass.ERR_ARG, op + ": counts and displacements need one entry per rank (" + p +
                ")");
        }
        long extent = 0;
        for (int i = 0; i < p; i++)
        {
            if (counts[i] < 0 || (null != displs && displs[i] < 0))
            {
                throw comm.raise(ErrorClass.ERR_COUNT, op + ": count or displacement of rank " + i + " is negative");
            }
            extent = Math.max(extent, (long)(null == displs ? 0 : displs[i]) + counts[i]);
        }
        if (extent > Integer.MAX_VALUE)
        {
            throw comm.raise(ErrorClass.ERR_COUNT, op + ": counts and displacements exceed a Java buffer");
        }
        return (int)extent;
    }

    private static void checkSame(final Comm comm, final String op, final long sendBytes, final long recvBytes)
        throws MPIException
    {
        if (sendBytes != recvBytes)
        {
            throw comm.raise(ErrorClass.ERR_TRUNCATE, op + ": this rank sends " + sendBytes +
                " bytes per block but receives " + recvBytes);
        }
    }

    private static long[] scaled(final int[] values, final int p, final int factor)
    {
        final long[] out = new long[p];
        for (int i = 0; i < p; i++)
        {
            out[i] = (long)values[i] * factor;
        }
        return out;
    }

    private static long[] blocks(final int p, final long block)
    {
        final long[] out = new long[p];
        for (int i = 0; i < p; i++)
        {
            out[i] = i * block;
        }
        return out;
    }

    private static long[] same(final int p, final long value)
    {
        final long[] out = new long[p];
        java.util.Arrays.fill(out, value);
        return out;
    }

    /** Runs (blocking) or starts (non-blocking) the schedule; errors go through the communicator's handler. */
    private static Request complete(final Comm comm, final String op, final CollectiveSchedule s,
        final boolean blocking, final Object buffer) throws MPIException
    {
        try
        {
            if (!blocking)
            {
                return new Request(s.start(), comm, buffer);
            }
            s.run();
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final int error = s.status().error;
        if (ErrorClass.SUCCESS != error)
        {
            final String detail = s.errorDetail();
            throw comm.raise(error, null != detail && detail.startsWith("MPI_") ? detail :
                op + ": " + (null != detail ? detail : ErrorClass.name(error)));
        }
        return null;
    }

    private static CollectiveSchedule schedule(final Communicator c, final int kind)
    {
        return Collectives.schedule(MPI.engine(), c, kind);
    }

    // -------------------------------------------------------------------------------------------- operations

    static Request barrier(final Comm comm, final boolean blocking) throws MPIException
    {
        final String op = blocking ? "MPI_Barrier" : "MPI_Ibarrier";
        final Communicator c = comm.live(op);
        try
        {
            // blocking small cases: direct loops, no schedule, nothing allocated
            if (blocking && BlockingCollectives.barrier(MPI.engine(), c))
            {
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.BARRIER);
        if (c.isInter())
        {
            Collectives.interBarrier(s);
        }
        else
        {
            Collectives.barrier(s);
        }
        return complete(comm, op, s, blocking, null);
    }

    static Request bcast(final Comm comm, final Object buf, final int count, final Datatype type, final int root,
        final boolean blocking) throws MPIException
    {
        final String op = blocking ? "MPI_Bcast" : "MPI_Ibcast";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interBcast(comm, c, op, buf, count, type, root, blocking);
        }
        comm.checkBuffer(op, buf, count, type);
        checkRoot(comm, op, c, root);
        try
        {
            if (blocking && BlockingCollectives.bcast(MPI.engine(), c, UserBuffer.base(buf), UserBuffer.address(buf),
                (long)count * type.byteSize, root))
            {
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.BCAST);
        Collectives.bcast(s, UserBuffer.base(buf), UserBuffer.address(buf), (long)count * type.byteSize, root);
        return complete(comm, op, s, blocking, buf);
    }

    private static Request interBcast(final Comm comm, final Communicator c, final String op, final Object buf,
        final int count, final Datatype type, final int root, final boolean blocking) throws MPIException
    {
        if (root != MPI.ROOT && root != MPI.PROC_NULL && (root < 0 || root >= c.remoteSize()))
        {
            throw comm.raise(ErrorClass.ERR_ROOT, op + ": root " + root + " is neither MPI.ROOT, MPI.PROC_NULL nor " +
                "a rank of the remote group of size " + c.remoteSize());
        }
        if (root != MPI.PROC_NULL)
        {
            comm.checkBuffer(op, buf, count, type);
        }
        final CollectiveSchedule s = schedule(c, Collectives.BCAST);
        Collectives.interBcast(s, UserBuffer.base(buf), UserBuffer.address(buf),
            root == MPI.PROC_NULL ? 0 : (long)count * type.byteSize,
            root == MPI.ROOT ? Collectives.ROOT : root == MPI.PROC_NULL ? Collectives.NO_ROOT : root);
        return complete(comm, op, s, blocking, buf);
    }

    static Request reduce(final Comm comm, final Object sendbuf, final Object recvbuf, final int count,
        final Datatype type, final Op operator, final int root, final boolean blocking) throws MPIException
    {
        final String op = blocking ? "MPI_Reduce" : "MPI_Ireduce";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interReduce(comm, c, op, sendbuf, recvbuf, count, type, operator, root, blocking);
        }
        checkRoot(comm, op, c, root);
        comm.checkBuffer(op, sendbuf, count, type);
        final boolean isRoot = c.rank() == root;
        if (isRoot)
        {
            comm.checkBuffer(op, recvbuf, count, type);
        }
        final Reduction r = reduction(comm, op, operator, type);
        try
        {
            if (blocking && BlockingCollectives.reduce(MPI.engine(), c, UserBuffer.base(sendbuf),
                UserBuffer.address(sendbuf), isRoot ? UserBuffer.base(recvbuf) : null,
                isRoot ? UserBuffer.address(recvbuf) : 0, count, type.byteSize, r, root))
            {
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.REDUCE);
        Collectives.reduce(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            isRoot ? UserBuffer.base(recvbuf) : null, isRoot ? UserBuffer.address(recvbuf) : 0,
            count, type.byteSize, r, root);
        return complete(comm, op, s, blocking, recvbuf);
    }

    static Request allReduce(final Comm comm, final Object sendbuf, final Object recvbuf, final int count,
        final Datatype type, final Op operator, final boolean blocking) throws MPIException
    {
        final String op = blocking ? "MPI_Allreduce" : "MPI_Iallreduce";
        final Communicator c = comm.live(op);
        comm.checkBuffer(op, sendbuf, count, type);
        comm.checkBuffer(op, recvbuf, count, type);
        final Reduction r = reduction(comm, op, operator, type);
        try
        {
            if (blocking && BlockingCollectives.allReduce(MPI.engine(), c, UserBuffer.base(sendbuf),
                UserBuffer.address(sendbuf), UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), count,
                type.byteSize, r))
            {
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.ALLREDUCE);
        if (c.isInter())
        {
            if (sendbuf == recvbuf)
            {
                throw comm.raise(ErrorClass.ERR_ARG, op + ": an intercommunicator has no in-place form");
            }
            Collectives.interAllReduce(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
                UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), count, type.byteSize, r);
            return complete(comm, op, s, blocking, recvbuf);
        }
        Collectives.allReduce(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), UserBuffer.base(recvbuf),
            UserBuffer.address(recvbuf), count, type.byteSize, r);
        return complete(comm, op, s, blocking, recvbuf);
    }

    /** Gather; {@code inPlace} at the root means its block already sits in recvbuf. */
    static void gather(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root, final boolean inPlace)
        throws MPIException
    {
        final String op = "MPI_Gather";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            interGather(comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot(comm, op, c, root);
        final boolean isRoot = c.rank() == root;
        long block;
        Object sendBase = null;
        long sendAddress = 0;
        if (isRoot)
        {
            comm.checkBuffer(op, recvbuf, (int)Math.min(Integer.MAX_VALUE, (long)recvcount * c.size()), recvtype);
            block = (long)recvcount * recvtype.byteSize;
            if (inPlace)
            {
                sendBase = UserBuffer.base(recvbuf);
                sendAddress = UserBuffer.address(recvbuf) + root * block;
            }
            else
            {
                comm.checkBuffer(op, sendbuf, sendcount, sendtype);
                checkSame(comm, op, (long)sendcount * sendtype.byteSize, block);
            }
        }
        else
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            block = (long)sendcount * sendtype.byteSize;
        }
        if (!(isRoot && inPlace))
        {
            sendBase = UserBuffer.base(sendbuf);
            sendAddress = UserBuffer.address(sendbuf);
        }
        final CollectiveSchedule s = schedule(c, Collectives.GATHER);
        Collectives.gather(s, sendBase, sendAddress, isRoot ? UserBuffer.base(recvbuf) : null,
            isRoot ? UserBuffer.address(recvbuf) : 0, block, root);
        complete(comm, op, s, true, null);
    }

    static void gatherv(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype, final int root,
        final boolean inPlace) throws MPIException
    {
        final String op = "MPI_Gatherv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            interGatherv(comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root);
            return;
        }
        checkRoot(comm, op, c, root);
        final int p = c.size();
        final boolean isRoot = c.rank() == root;
        long[] off = null;
        long[] len = null;
        Object sendBase = UserBuffer.base(sendbuf);
        long sendAddress = UserBuffer.address(sendbuf);
        long sendBytes = 0;
        if (isRoot)
        {
            comm.checkBuffer(op, recvbuf, checkCounts(comm, op, c, recvcount, displs), recvtype);
            off = scaled(displs, p, recvtype.byteSize);
            len = scaled(recvcount, p, recvtype.byteSize);
            if (inPlace)
            {
                sendBase = UserBuffer.base(recvbuf);
                sendAddress = UserBuffer.address(recvbuf) + off[root];
            }
            else
            {
                comm.checkBuffer(op, sendbuf, sendcount, sendtype);
                checkSame(comm, op, (long)sendcount * sendtype.byteSize, len[root]);
            }
        }
        else
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            sendBytes = (long)sendcount * sendtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.GATHERV);
        Collectives.gatherv(s, sendBase, sendAddress, sendBytes, isRoot ? UserBuffer.base(recvbuf) : null,
            isRoot ? UserBuffer.address(recvbuf) : 0, off, len, root);
        complete(comm, op, s, true, null);
    }

    /** Scatter; {@code inPlace} at the root means its block stays in sendbuf. */
    static void scatter(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root, final boolean inPlace)
        throws MPIException
    {
        final String op = "MPI_Scatter";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            interScatter(comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot(comm, op, c, root);
        final boolean isRoot = c.rank() == root;
        long block;
        Object recvBase = UserBuffer.base(recvbuf);
        long recvAddress = UserBuffer.address(recvbuf);
        if (isRoot)
        {
            comm.checkBuffer(op, sendbuf, (int)Math.min(Integer.MAX_VALUE, (long)sendcount * c.size()), sendtype);
            block = (long)sendcount * sendtype.byteSize;
            if (inPlace)
            {
                recvBase = UserBuffer.base(sendbuf);
                recvAddress = UserBuffer.address(sendbuf) + root * block;
            }
            else
            {
                comm.checkBuffer(op, recvbuf, recvcount, recvtype);
                checkSame(comm, op, block, (long)recvcount * recvtype.byteSize);
            }
        }
        else
        {
            comm.checkBuffer(op, recvbuf, recvcount, recvtype);
            block = (long)recvcount * recvtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.SCATTER);
        Collectives.scatter(s, isRoot ? UserBuffer.base(sendbuf) : null, isRoot ? UserBuffer.address(sendbuf) : 0,
            recvBase, recvAddress, block, root);
        complete(comm, op, s, true, null);
    }

    static void scatterv(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final Object recvbuf, final int recvcount, final Datatype recvtype, final int root,
        final boolean inPlace) throws MPIException
    {
        final String op = "MPI_Scatterv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            interScatterv(comm, c, op, sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot(comm, op, c, root);
        final int p = c.size();
        final boolean isRoot = c.rank() == root;
        long[] off = null;
        long[] len = null;
        Object recvBase = UserBuffer.base(recvbuf);
        long recvAddress = UserBuffer.address(recvbuf);
        long recvBytes = 0;
        if (isRoot)
        {
            comm.checkBuffer(op, sendbuf, checkCounts(comm, op, c, sendcount, displs), sendtype);
            off = scaled(displs, p, sendtype.byteSize);
            len = scaled(sendcount, p, sendtype.byteSize);
            if (inPlace)
            {
                recvBase = UserBuffer.base(sendbuf);
                recvAddress = UserBuffer.address(sendbuf) + off[root];
            }
            else
            {
                comm.checkBuffer(op, recvbuf, recvcount, recvtype);
                checkSame(comm, op, len[root], (long)recvcount * recvtype.byteSize);
            }
        }
        else
        {
            comm.checkBuffer(op, recvbuf, recvcount, recvtype);
            recvBytes = (long)recvcount * recvtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.SCATTERV);
        Collectives.scatterv(s, isRoot ? UserBuffer.base(sendbuf) : null, isRoot ? UserBuffer.address(sendbuf) : 0,
            off, len, recvBase, recvAddress, recvBytes, root);
        complete(comm, op, s, true, null);
    }

    static Request allGather(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final boolean inPlace,
        final boolean blocking) throws MPIException
    {
        final String op = blocking ? "MPI_Allgather" : "MPI_Iallgather";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            if (inPlace)
            {
                throw comm.raise(ErrorClass.ERR_ARG, op + ": an intercommunicator has no in-place form");
            }
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            comm.checkBuffer(op, recvbuf, (int)Math.min(Integer.MAX_VALUE, (long)recvcount * c.remoteSize()),
                recvtype);
            final CollectiveSchedule s = schedule(c, Collectives.ALLGATHER);
            Collectives.interAllGather(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
                (long)sendcount * sendtype.byteSize, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf),
                (long)recvcount * recvtype.byteSize);
            return complete(comm, op, s, blocking, recvbuf);
        }
        final int p = c.size();
        comm.checkBuffer(op, recvbuf, (int)Math.min(Integer.MAX_VALUE, (long)recvcount * p), recvtype);
        final long block = (long)recvcount * recvtype.byteSize;
        final long[] off = blocks(p, block);
        Object sendBase = UserBuffer.base(recvbuf);
        long sendAddress = UserBuffer.address(recvbuf) + off[c.rank()];
        if (!inPlace)
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            checkSame(comm, op, (long)sendcount * sendtype.byteSize, block);
            sendBase = UserBuffer.base(sendbuf);
            sendAddress = UserBuffer.address(sendbuf);
        }
        final CollectiveSchedule s = schedule(c, Collectives.ALLGATHER);
        Collectives.allGatherv(s, sendBase, sendAddress, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), off,
            same(p, block));
        return complete(comm, op, s, blocking, recvbuf);
    }

    static void allGatherv(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype,
        final boolean inPlace) throws MPIException
    {
        final String op = "MPI_Allgatherv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            interAllGatherv(comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, inPlace);
            return;
        }
        final int p = c.size();
        comm.checkBuffer(op, recvbuf, checkCounts(comm, op, c, recvcount, displs), recvtype);
        final long[] off = scaled(displs, p, recvtype.byteSize);
        final long[] len = scaled(recvcount, p, recvtype.byteSize);
        Object sendBase = UserBuffer.base(recvbuf);
        long sendAddress = UserBuffer.address(recvbuf) + off[c.rank()];
        if (!inPlace)
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            checkSame(comm, op, (long)sendcount * sendtype.byteSize, len[c.rank()]);
            sendBase = UserBuffer.base(sendbuf);
            sendAddress = UserBuffer.address(sendbuf);
        }
        final CollectiveSchedule s = schedule(c, Collectives.ALLGATHERV);
        Collectives.allGatherv(s, sendBase, sendAddress, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), off,
            len);
        complete(comm, op, s, true, null);
    }

    static Request allToAll(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final boolean blocking)
        throws MPIException
    {
        final String op = blocking ? "MPI_Alltoall" : "MPI_Ialltoall";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interAllToAll(comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, blocking);
        }
        final int p = c.size();
        comm.checkBuffer(op, sendbuf, (int)Math.min(Integer.MAX_VALUE, (long)sendcount * p), sendtype);
        comm.checkBuffer(op, recvbuf, (int)Math.min(Integer.MAX_VALUE, (long)recvcount * p), recvtype);
        final long sblock = (long)sendcount * sendtype.byteSize;
        final long rblock = (long)recvcount * recvtype.byteSize;
        checkSame(comm, op, sblock, rblock);
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALL);
        Collectives.allToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), blocks(p, sblock),
            same(p, sblock), UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), blocks(p, rblock),
            same(p, rblock));
        return complete(comm, op, s, blocking, recvbuf);
    }

    static void allToAllv(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype) throws MPIException
    {
        final String op = "MPI_Alltoallv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            interAllToAllv(comm, c, op, sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
            return;
        }
        final int p = c.size();
        comm.checkBuffer(op, sendbuf, checkCounts(comm, op, c, sendcount, sdispls), sendtype);
        comm.checkBuffer(op, recvbuf, checkCounts(comm, op, c, recvcount, rdispls), recvtype);
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALLV);
        Collectives.allToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            scaled(sdispls, p, sendtype.byteSize), scaled(sendcount, p, sendtype.byteSize),
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), scaled(rdispls, p, recvtype.byteSize),
            scaled(recvcount, p, recvtype.byteSize));
        complete(comm, op, s, true, null);
    }

    /** Reduce-scatter with per-rank counts ({@code block} false) or one count for all ({@code block} true). */
    static void reduceScatter(final Comm comm, final Object sendbuf, final Object recvbuf, final int[] counts,
        final int count, final Datatype type, final Op operator, final boolean block) throws MPIException
    {
        final String op = block ? "MPI_Reduce_scatter_block" : "MPI_Reduce_scatter";
        final Communicator c = comm.live(op);
        if (c.isInter() && sendbuf == recvbuf)
        {
            throw comm.raise(ErrorClass.ERR_ARG, op + ": an intercommunicator has no in-place form");
        }
        final int p = c.size();
        final int[] itemOff = new int[p + 1];
        if (block)
        {
            if (count < 0)
            {
                throw comm.raise(ErrorClass.ERR_COUNT, op + ": count " + count + " is negative");
            }
            for (int i = 0; i <= p; i++)
            {
                itemOff[i] = (int)Math.min(Integer.MAX_VALUE, (long)count * i);
            }
        }
        else
        {
            checkCounts(comm, op, c, counts, null);
            for (int i = 0; i < p; i++)
            {
                itemOff[i + 1] = (int)Math.min(Integer.MAX_VALUE, (long)itemOff[i] + counts[i]);
            }
        }
        final int mine = itemOff[c.rank() + 1] - itemOff[c.rank()];
        comm.checkBuffer(op, sendbuf, itemOff[p], type);
        comm.checkBuffer(op, recvbuf, mine, type);
        final Reduction r = reduction(comm, op, operator, type);
        final CollectiveSchedule s =
            schedule(c, block ? Collectives.REDUCE_SCATTER_BLOCK : Collectives.REDUCE_SCATTER);
        if (c.isInter())
        {
            // counts index the local group, which receives the scattered reduction of the remote group's data
            Collectives.interReduceScatter(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
                UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), itemOff, type.byteSize, r);
        }
        else
        {
            Collectives.reduceScatter(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
                UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), itemOff, type.byteSize, r);
        }
        complete(comm, op, s, true, null);
    }

    static void scan(final Comm comm, final Object sendbuf, final Object recvbuf, final int count,
        final Datatype type, final Op operator, final boolean exclusive) throws MPIException
    {
        final String op = exclusive ? "MPI_Exscan" : "MPI_Scan";
        final Communicator c = intra(comm, op);
        comm.checkBuffer(op, sendbuf, count, type);
        comm.checkBuffer(op, recvbuf, count, type);
        final Reduction r = reduction(comm, op, operator, type);
        final CollectiveSchedule s = schedule(c, exclusive ? Collectives.EXSCAN : Collectives.SCAN);
        Collectives.scan(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), UserBuffer.base(recvbuf),
            UserBuffer.address(recvbuf), count, type.byteSize, r, exclusive);
        complete(comm, op, s, true, null);
    }

    // ------------------------------------------------------------------------------ intercommunicator forms
    // Rooted operations: the root passes MPI.ROOT, the rest of its group MPI.PROC_NULL, the other group the root's
    // rank in the remote group. Only the buffers a role uses are checked; counts of the v-variants index the remote
    // group. There is no in-place form on an intercommunicator, but the Java overloads that pass one buffer for
    // both sides still serve each role with the side it uses (receive at the root, send in the other group).

    /** The root argument as {@link Collectives} takes it: ROOT, NO_ROOT or a remote rank; ERR_ROOT otherwise. */
    private static int interRoot(final Comm comm, final String op, final Communicator c, final int root)
        throws MPIException
    {
        if (root == MPI.ROOT)
        {
            return Collectives.ROOT;
        }
        if (root == MPI.PROC_NULL)
        {
            return Collectives.NO_ROOT;
        }
        if (root < 0 || root >= c.remoteSize())
        {
            throw comm.raise(ErrorClass.ERR_ROOT, op + ": root " + root + " is neither MPI.ROOT, MPI.PROC_NULL nor " +
                "a rank of the remote group of size " + c.remoteSize());
        }
        return root;
    }

    private static boolean sends(final int role)
    {
        return role != Collectives.ROOT && role != Collectives.NO_ROOT;
    }

    private static int items(final long count, final int p)
    {
        return (int)Math.min(Integer.MAX_VALUE, count * p);
    }

    private static Request interReduce(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final Object recvbuf, final int count, final Datatype type, final Op operator, final int root,
        final boolean blocking) throws MPIException
    {
        final int role = interRoot(comm, op, c, root);
        if (role == Collectives.ROOT)
        {
            comm.checkBuffer(op, recvbuf, count, type);
        }
        else if (sends(role))
        {
            comm.checkBuffer(op, sendbuf, count, type);
        }
        final Reduction r = reduction(comm, op, operator, type);
        final CollectiveSchedule s = schedule(c, Collectives.REDUCE);
        Collectives.interReduce(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), UserBuffer.base(recvbuf),
            UserBuffer.address(recvbuf), role == Collectives.NO_ROOT ? 0 : count, type.byteSize, r, role);
        return complete(comm, op, s, blocking, recvbuf);
    }

    private static void interGather(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int sendcount, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final int root) throws MPIException
    {
        final int role = interRoot(comm, op, c, root);
        long sendBlock = 0;
        long recvBlock = 0;
        if (role == Collectives.ROOT)
        {
            comm.checkBuffer(op, recvbuf, items(recvcount, c.remoteSize()), recvtype);
            recvBlock = (long)recvcount * recvtype.byteSize;
        }
        else if (sends(role))
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            sendBlock = (long)sendcount * sendtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.GATHER);
        Collectives.interGather(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), sendBlock,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), recvBlock, role);
        complete(comm, op, s, true, null);
    }

    private static void interGatherv(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int sendcount, final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] displs,
        final Datatype recvtype, final int root) throws MPIException
    {
        final int role = interRoot(comm, op, c, root);
        final int q = c.remoteSize();
        long[] off = null;
        long[] len = null;
        long sendBytes = 0;
        if (role == Collectives.ROOT)
        {
            comm.checkBuffer(op, recvbuf, checkCounts(comm, op, q, recvcount, displs), recvtype);
            off = scaled(displs, q, recvtype.byteSize);
            len = scaled(recvcount, q, recvtype.byteSize);
        }
        else if (sends(role))
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            sendBytes = (long)sendcount * sendtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.GATHERV);
        Collectives.interGatherv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), sendBytes,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), off, len, role);
        complete(comm, op, s, true, null);
    }

    private static void interScatter(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int sendcount, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final int root) throws MPIException
    {
        final int role = interRoot(comm, op, c, root);
        long sendBlock = 0;
        long recvBlock = 0;
        if (role == Collectives.ROOT)
        {
            comm.checkBuffer(op, sendbuf, items(sendcount, c.remoteSize()), sendtype);
            sendBlock = (long)sendcount * sendtype.byteSize;
        }
        else if (sends(role))
        {
            comm.checkBuffer(op, recvbuf, recvcount, recvtype);
            recvBlock = (long)recvcount * recvtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.SCATTER);
        Collectives.interScatter(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), sendBlock,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), recvBlock, role);
        complete(comm, op, s, true, null);
    }

    private static void interScatterv(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int[] sendcount, final int[] displs, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final int root) throws MPIException
    {
        final int role = interRoot(comm, op, c, root);
        final int q = c.remoteSize();
        long[] off = null;
        long[] len = null;
        long recvBytes = 0;
        if (role == Collectives.ROOT)
        {
            comm.checkBuffer(op, sendbuf, checkCounts(comm, op, q, sendcount, displs), sendtype);
            off = scaled(displs, q, sendtype.byteSize);
            len = scaled(sendcount, q, sendtype.byteSize);
        }
        else if (sends(role))
        {
            comm.checkBuffer(op, recvbuf, recvcount, recvtype);
            recvBytes = (long)recvcount * recvtype.byteSize;
        }
        final CollectiveSchedule s = schedule(c, Collectives.SCATTERV);
        Collectives.interScatterv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), off, len,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), recvBytes, role);
        complete(comm, op, s, true, null);
    }

    private static void interAllGatherv(final Comm comm, final Communicator c, final String op,
        final Object sendbuf, final int sendcount, final Datatype sendtype, final Object recvbuf,
        final int[] recvcount, final int[] displs, final Datatype recvtype, final boolean inPlace)
        throws MPIException
    {
        if (inPlace)
        {
            throw comm.raise(ErrorClass.ERR_ARG, op + ": an intercommunicator has no in-place form");
        }
        final int q = c.remoteSize();
        comm.checkBuffer(op, sendbuf, sendcount, sendtype);
        comm.checkBuffer(op, recvbuf, checkCounts(comm, op, q, recvcount, displs), recvtype);
        final CollectiveSchedule s = schedule(c, Collectives.ALLGATHERV);
        Collectives.interAllGatherv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            (long)sendcount * sendtype.byteSize, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf),
            scaled(displs, q, recvtype.byteSize), scaled(recvcount, q, recvtype.byteSize));
        complete(comm, op, s, true, null);
    }

    /** Send and receive blocks may differ in size: each must match the other group's, not this process's. */
    private static Request interAllToAll(final Comm comm, final Communicator c, final String op,
        final Object sendbuf, final int sendcount, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final boolean blocking) throws MPIException
    {
        final int q = c.remoteSize();
        comm.checkBuffer(op, sendbuf, items(sendcount, q), sendtype);
        comm.checkBuffer(op, recvbuf, items(recvcount, q), recvtype);
        final long sblock = (long)sendcount * sendtype.byteSize;
        final long rblock = (long)recvcount * recvtype.byteSize;
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALL);
        Collectives.interAllToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), blocks(q, sblock),
            same(q, sblock), UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), blocks(q, rblock),
            same(q, rblock));
        return complete(comm, op, s, blocking, recvbuf);
    }

    private static void interAllToAllv(final Comm comm, final Communicator c, final String op,
        final Object sendbuf, final int[] sendcount, final int[] sdispls, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] rdispls, final Datatype recvtype)
        throws MPIException
    {
        final int q = c.remoteSize();
        comm.checkBuffer(op, sendbuf, checkCounts(comm, op, q, sendcount, sdispls), sendtype);
        comm.checkBuffer(op, recvbuf, checkCounts(comm, op, q, recvcount, rdispls), recvtype);
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALLV);
        Collectives.interAllToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            scaled(sdispls, q, sendtype.byteSize), scaled(sendcount, q, sendtype.byteSize),
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), scaled(rdispls, q, recvtype.byteSize),
            scaled(recvcount, q, recvtype.byteSize));
        complete(comm, op, s, true, null);
    }
}
