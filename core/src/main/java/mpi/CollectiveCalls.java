package mpi;

import io.mpi4j.coll.BlockingCollectives;
import io.mpi4j.coll.CollectiveSchedule;
import io.mpi4j.coll.Collectives;
import io.mpi4j.coll.NeighbourCollectives;
import io.mpi4j.coll.NodeCollectives;
import io.mpi4j.coll.Reduction;
import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.topo.NeighbourLists;
import io.mpi4j.datatype.Packer;
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
        CollectiveStaging.attach(s);
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

    /** Ranks a collective's blocks index: the remote group's on an intercommunicator. */
    private static int peers(final Comm comm) throws MPIException
    {
        final Communicator c = comm.live("MPI_Comm_size");
        return c.isInter() ? c.remoteSize() : c.size();
    }

    /**
     * The shared-memory collectives of {@code c} when its members share a node (made on the first blocking
     * collective that asks, which every member is calling), else null.
     */
    private static NodeCollectives onNode(final Communicator c)
    {
        if (null != c.collectiveState())
        {
            // decided: the job id only names a segment still to be made
            return NodeCollectives.of(MPI.engine(), c, null);
        }
        final io.mpi4j.runtime.JobEnvironment job = io.mpi4j.runtime.MpiRuntime.get().job();
        return NodeCollectives.of(MPI.engine(), c, null == job ? "singleton-" + ProcessHandle.current().pid() :
            job.jobId());
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
            final NodeCollectives node = blocking && !c.isInter() ? onNode(c) : null;
            if (null != node)
            {
                node.barrier();
                return null;
            }
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
        final CollectiveStaging st = CollectiveStaging.of(blocking, type);
        if (null != st)
        {
            final Object b = st.buffer(buf, count, type, true);
            return st.run(() -> bcast(comm, b, count, st.type(buf, count, type), root, blocking));
        }
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
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.bcast(UserBuffer.base(buf), UserBuffer.address(buf), (long)count * type.byteSize, root);
                return null;
            }
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
        final CollectiveStaging st = CollectiveStaging.of(blocking, type);
        if (null != st)
        {
            final Object rb = st.buffer(recvbuf, count, type, true);
            final Object sb = st.buffer(sendbuf, count, type, false);
            return st.run(() -> reduce(comm, sb, rb, count, st.type(sendbuf, count, type), operator, root, blocking));
        }
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
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node && node.reduce(UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
                isRoot ? UserBuffer.base(recvbuf) : null, isRoot ? UserBuffer.address(recvbuf) : 0, count,
                type.byteSize, r, root))
            {
                return null;
            }
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
        final CollectiveStaging st = CollectiveStaging.of(blocking, type);
        if (null != st)
        {
            final Object rb = st.buffer(recvbuf, count, type, true);
            final Object sb = st.buffer(sendbuf, count, type, false);
            return st.run(() -> allReduce(comm, sb, rb, count, st.type(sendbuf, count, type), operator, blocking));
        }
        final String op = blocking ? "MPI_Allreduce" : "MPI_Iallreduce";
        final Communicator c = comm.live(op);
        comm.checkBuffer(op, sendbuf, count, type);
        comm.checkBuffer(op, recvbuf, count, type);
        final Reduction r = reduction(comm, op, operator, type);
        try
        {
            final NodeCollectives node = blocking && !c.isInter() ? onNode(c) : null;
            if (null != node && node.allReduce(UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
                UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), count, type.byteSize, r))
            {
                return null;
            }
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
    static Request gather(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root, final boolean inPlace,
        final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long all = (long)recvcount * peers(comm);
            final Object rb = st.buffer(recvbuf, all, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendcount, sendtype, false);
            return st.run(() -> gather(comm, sb, sendcount, st.type(sendbuf, sendcount, sendtype), rb, recvcount,
                st.type(recvbuf, all, recvtype), root, inPlace, blocking));
        }
        final String op = blocking ? "MPI_Gather" : "MPI_Igather";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interGather(
                comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, blocking);
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
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.gather(sendBase, sendAddress, isRoot ? UserBuffer.base(recvbuf) : null,
                    isRoot ? UserBuffer.address(recvbuf) : 0, block, root);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.GATHER);
        Collectives.gather(s, sendBase, sendAddress, isRoot ? UserBuffer.base(recvbuf) : null,
            isRoot ? UserBuffer.address(recvbuf) : 0, block, root);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    static Request gatherv(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype, final int root,
        final boolean inPlace, final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long all = CollectiveStaging.extentOf(recvcount, displs, peers(comm));
            final Object rb = st.buffer(recvbuf, all, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendcount, sendtype, false);
            return st.run(() -> gatherv(comm, sb, sendcount, st.type(sendbuf, sendcount, sendtype), rb, recvcount,
                displs, st.type(recvbuf, all, recvtype), root, inPlace, blocking));
        }
        final String op = blocking ? "MPI_Gatherv" : "MPI_Igatherv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interGatherv(
                comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root, blocking);
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
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.gatherv(sendBase, sendAddress, sendBytes, isRoot ? UserBuffer.base(recvbuf) : null,
                    isRoot ? UserBuffer.address(recvbuf) : 0, off, len, root);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.GATHERV);
        Collectives.gatherv(s, sendBase, sendAddress, sendBytes, isRoot ? UserBuffer.base(recvbuf) : null,
            isRoot ? UserBuffer.address(recvbuf) : 0, off, len, root);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    /** Scatter; {@code inPlace} at the root means its block stays in sendbuf. */
    static Request scatter(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root, final boolean inPlace,
        final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long all = (long)sendcount * peers(comm);
            final Object sb = st.buffer(sendbuf, all, sendtype, false);
            final Object rb = st.buffer(recvbuf, recvcount, recvtype, true);
            return st.run(() -> scatter(comm, sb, sendcount, st.type(sendbuf, all, sendtype), rb, recvcount,
                st.type(recvbuf, recvcount, recvtype), root, inPlace, blocking));
        }
        final String op = blocking ? "MPI_Scatter" : "MPI_Iscatter";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interScatter(
                comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, blocking);
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
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.scatter(isRoot ? UserBuffer.base(sendbuf) : null, isRoot ? UserBuffer.address(sendbuf) : 0,
                    recvBase, recvAddress, block, root);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.SCATTER);
        Collectives.scatter(s, isRoot ? UserBuffer.base(sendbuf) : null, isRoot ? UserBuffer.address(sendbuf) : 0,
            recvBase, recvAddress, block, root);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    static Request scatterv(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final Object recvbuf, final int recvcount, final Datatype recvtype, final int root,
        final boolean inPlace, final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long all = CollectiveStaging.extentOf(sendcount, displs, peers(comm));
            final Object sb = st.buffer(sendbuf, all, sendtype, false);
            final Object rb = st.buffer(recvbuf, recvcount, recvtype, true);
            return st.run(() -> scatterv(comm, sb, sendcount, displs, st.type(sendbuf, all, sendtype), rb,
                recvcount, st.type(recvbuf, recvcount, recvtype), root, inPlace, blocking));
        }
        final String op = blocking ? "MPI_Scatterv" : "MPI_Iscatterv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interScatterv(
                comm, c, op, sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root, blocking);
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
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.scatterv(isRoot ? UserBuffer.base(sendbuf) : null, isRoot ? UserBuffer.address(sendbuf) : 0,
                    off, len, recvBase, recvAddress, recvBytes, root);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.SCATTERV);
        Collectives.scatterv(s, isRoot ? UserBuffer.base(sendbuf) : null, isRoot ? UserBuffer.address(sendbuf) : 0,
            off, len, recvBase, recvAddress, recvBytes, root);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    static Request allGather(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final boolean inPlace,
        final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long all = (long)recvcount * peers(comm);
            final Object rb = st.buffer(recvbuf, all, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendcount, sendtype, false);
            return st.run(() -> allGather(comm, sb, sendcount, st.type(sendbuf, sendcount, sendtype), rb, recvcount,
                st.type(recvbuf, all, recvtype), inPlace, blocking));
        }
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
        Object sendBase = UserBuffer.base(recvbuf);
        long sendAddress = UserBuffer.address(recvbuf) + c.rank() * block;
        if (!inPlace)
        {
            comm.checkBuffer(op, sendbuf, sendcount, sendtype);
            checkSame(comm, op, (long)sendcount * sendtype.byteSize, block);
            sendBase = UserBuffer.base(sendbuf);
            sendAddress = UserBuffer.address(sendbuf);
        }
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.allGather(sendBase, sendAddress, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), block);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.ALLGATHER);
        Collectives.allGatherv(s, sendBase, sendAddress, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf),
            blocks(p, block), same(p, block));
        return complete(comm, op, s, blocking, recvbuf);
    }

    static Request allGatherv(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype,
        final boolean inPlace, final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long all = CollectiveStaging.extentOf(recvcount, displs, peers(comm));
            final Object rb = st.buffer(recvbuf, all, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendcount, sendtype, false);
            return st.run(() -> allGatherv(comm, sb, sendcount, st.type(sendbuf, sendcount, sendtype), rb,
                recvcount, displs, st.type(recvbuf, all, recvtype), inPlace, blocking));
        }
        final String op = blocking ? "MPI_Allgatherv" : "MPI_Iallgatherv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interAllGatherv(comm, c, op, sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype,
                inPlace, blocking);
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
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.allGatherv(sendBase, sendAddress, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), off,
                    len);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.ALLGATHERV);
        Collectives.allGatherv(s, sendBase, sendAddress, UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), off,
            len);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    static Request allToAll(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final boolean blocking)
        throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long sendAll = (long)sendcount * peers(comm);
            final long recvAll = (long)recvcount * peers(comm);
            final Object rb = st.buffer(recvbuf, recvAll, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendAll, sendtype, false);
            return st.run(() -> allToAll(comm, sb, sendcount, st.type(sendbuf, sendAll, sendtype), rb, recvcount,
                st.type(recvbuf, recvAll, recvtype), blocking));
        }
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
        try
        {
            final NodeCollectives node = blocking ? onNode(c) : null;
            if (null != node)
            {
                node.allToAll(UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), UserBuffer.base(recvbuf),
                    UserBuffer.address(recvbuf), sblock);
                return null;
            }
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALL);
        Collectives.allToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), blocks(p, sblock),
            same(p, sblock), UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), blocks(p, rblock),
            same(p, rblock));
        return complete(comm, op, s, blocking, recvbuf);
    }

    static Request allToAllv(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype, final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final long sendAll = CollectiveStaging.extentOf(sendcount, sdispls, peers(comm));
            final long recvAll = CollectiveStaging.extentOf(recvcount, rdispls, peers(comm));
            final Object rb = st.buffer(recvbuf, recvAll, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendAll, sendtype, false);
            return st.run(() -> allToAllv(comm, sb, sendcount, sdispls, st.type(sendbuf, sendAll, sendtype), rb,
                recvcount, rdispls, st.type(recvbuf, recvAll, recvtype), blocking));
        }
        final String op = blocking ? "MPI_Alltoallv" : "MPI_Ialltoallv";
        final Communicator c = comm.live(op);
        if (c.isInter())
        {
            return interAllToAllv(comm, c, op, sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls,
                recvtype, blocking);
        }
        final int p = c.size();
        comm.checkBuffer(op, sendbuf, checkCounts(comm, op, c, sendcount, sdispls), sendtype);
        comm.checkBuffer(op, recvbuf, checkCounts(comm, op, c, recvcount, rdispls), recvtype);
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALLV);
        Collectives.allToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            scaled(sdispls, p, sendtype.byteSize), scaled(sendcount, p, sendtype.byteSize),
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), scaled(rdispls, p, recvtype.byteSize),
            scaled(recvcount, p, recvtype.byteSize));
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    /** Reduce-scatter with per-rank counts ({@code block} false) or one count for all ({@code block} true). */
    static Request reduceScatter(final Comm comm, final Object sendbuf, final Object recvbuf, final int[] counts,
        final int count, final Datatype type, final Op operator, final boolean block, final boolean blocking)
        throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, type);
        if (null != st)
        {
            final Communicator c = comm.live("MPI_Reduce_scatter");
            final long sendAll = block ? (long)count * c.size() : CollectiveStaging.sumOf(counts, c.size());
            final long mine = block ? count : null == counts || counts.length <= c.rank() ? -1 : counts[c.rank()];
            final Object rb = st.buffer(recvbuf, mine, type, true);
            final Object sb = st.buffer(sendbuf, sendAll, type, false);
            return st.run(() -> reduceScatter(comm, sb, rb, counts, count, st.type(sendbuf, sendAll, type), operator,
                block, blocking));
        }
        final String op = block ? (blocking ? "MPI_Reduce_scatter_block" : "MPI_Ireduce_scatter_block") :
            blocking ? "MPI_Reduce_scatter" : "MPI_Ireduce_scatter";
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
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    static Request scan(final Comm comm, final Object sendbuf, final Object recvbuf, final int count,
        final Datatype type, final Op operator, final boolean exclusive, final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, type);
        if (null != st)
        {
            final Object rb = st.buffer(recvbuf, count, type, true);
            final Object sb = st.buffer(sendbuf, count, type, false);
            return st.run(() -> scan(comm, sb, rb, count, st.type(sendbuf, count, type), operator, exclusive,
                blocking));
        }
        final String op = exclusive ? (blocking ? "MPI_Exscan" : "MPI_Iexscan") : blocking ? "MPI_Scan" : "MPI_Iscan";
        final Communicator c = intra(comm, op);
        comm.checkBuffer(op, sendbuf, count, type);
        comm.checkBuffer(op, recvbuf, count, type);
        final Reduction r = reduction(comm, op, operator, type);
        final CollectiveSchedule s = schedule(c, exclusive ? Collectives.EXSCAN : Collectives.SCAN);
        Collectives.scan(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), UserBuffer.base(recvbuf),
            UserBuffer.address(recvbuf), count, type.byteSize, r, exclusive);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
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

    private static Request interGather(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int sendcount, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final int root, final boolean blocking) throws MPIException
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
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    private static Request interGatherv(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int sendcount, final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] displs,
        final Datatype recvtype, final int root, final boolean blocking) throws MPIException
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
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    private static Request interScatter(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int sendcount, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final int root, final boolean blocking) throws MPIException
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
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    private static Request interScatterv(final Comm comm, final Communicator c, final String op, final Object sendbuf,
        final int[] sendcount, final int[] displs, final Datatype sendtype, final Object recvbuf, final int recvcount,
        final Datatype recvtype, final int root, final boolean blocking) throws MPIException
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
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    private static Request interAllGatherv(final Comm comm, final Communicator c, final String op,
        final Object sendbuf, final int sendcount, final Datatype sendtype, final Object recvbuf,
        final int[] recvcount, final int[] displs, final Datatype recvtype, final boolean inPlace,
        final boolean blocking) throws MPIException
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
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
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

    private static Request interAllToAllv(final Comm comm, final Communicator c, final String op,
        final Object sendbuf, final int[] sendcount, final int[] sdispls, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] rdispls, final Datatype recvtype,
        final boolean blocking) throws MPIException
    {
        final int q = c.remoteSize();
        comm.checkBuffer(op, sendbuf, checkCounts(comm, op, q, sendcount, sdispls), sendtype);
        comm.checkBuffer(op, recvbuf, checkCounts(comm, op, q, recvcount, rdispls), recvtype);
        final CollectiveSchedule s = schedule(c, Collectives.ALLTOALLV);
        Collectives.interAllToAllv(s, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf),
            scaled(sdispls, q, sendtype.byteSize), scaled(sendcount, q, sendtype.byteSize),
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), scaled(rdispls, q, recvtype.byteSize),
            scaled(recvcount, q, recvtype.byteSize));
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Blocking forms with the arguments Comm and Intracomm pass (the same schedules as the non-blocking ones),
    // alltoallw, the neighbourhood collectives and reduce_local.

    static void gather(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root, final boolean inPlace)
        throws MPIException
    {
        gather(comm, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, inPlace, true);
    }

    static void gatherv(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype, final int root,
        final boolean inPlace) throws MPIException
    {
        gatherv(comm, sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root, inPlace, true);
    }

    static void scatter(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root, final boolean inPlace)
        throws MPIException
    {
        scatter(comm, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, inPlace, true);
    }

    static void scatterv(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final Object recvbuf, final int recvcount, final Datatype recvtype, final int root,
        final boolean inPlace) throws MPIException
    {
        scatterv(comm, sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root, inPlace, true);
    }

    static void allGatherv(final Comm comm, final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype,
        final boolean inPlace) throws MPIException
    {
        allGatherv(comm, sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, inPlace, true);
    }

    static void allToAllv(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype) throws MPIException
    {
        allToAllv(comm, sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype, true);
    }

    static void reduceScatter(final Comm comm, final Object sendbuf, final Object recvbuf, final int[] counts,
        final int count, final Datatype type, final Op operator, final boolean block) throws MPIException
    {
        reduceScatter(comm, sendbuf, recvbuf, counts, count, type, operator, block, true);
    }

    static void scan(final Comm comm, final Object sendbuf, final Object recvbuf, final int count,
        final Datatype type, final Op operator, final boolean exclusive) throws MPIException
    {
        scan(comm, sendbuf, recvbuf, count, type, operator, exclusive, true);
    }

    /**
     * What a request holds on to: both user buffers, so that neither direct buffer is collected while the
     * engine still reads or writes it.
     */
    private static Object held(final Object sendbuf, final Object recvbuf)
    {
        if (null == sendbuf || sendbuf == recvbuf)
        {
            return recvbuf;
        }
        return null == recvbuf ? sendbuf : new Object[] {sendbuf, recvbuf};
    }

    /**
     * Checks the per-peer blocks of an alltoallw side: counts in items of {@code types[i]}, displacements in bytes
     * from the start of {@code buf}; fills {@code off} and {@code len} in bytes.
     */
    private static void checkBlocksW(final Comm comm, final String op, final int p, final Object buf,
        final int[] counts, final int[] displs, final Datatype[] types, final long[] off, final long[] len)
        throws MPIException
    {
        if (null == counts || null == displs || null == types || counts.length < p || displs.length < p ||
            types.length < p)
        {
            throw comm.raise(ErrorClass.ERR_ARG, op + ": counts, displacements and datatypes need one entry per " +
                "rank (" + p + ")");
        }
        for (int i = 0; i < p; i++)
        {
            if (counts[i] < 0)
            {
                throw comm.raise(ErrorClass.ERR_COUNT, op + ": count of rank " + i + " is negative");
            }
            if (displs[i] < 0)
            {
                throw comm.raise(ErrorClass.ERR_ARG, op + ": byte displacement of rank " + i + " is negative");
            }
            if (null == types[i])
            {
                throw comm.raise(ErrorClass.ERR_TYPE, op + ": datatype of rank " + i + " is null");
            }
            len[i] = (long)counts[i] * types[i].byteSize;
            off[i] = displs[i];
            if (0 == counts[i])
            {
                continue;
            }
            // the datatype must suit the buffer; then the block must lie inside it
            comm.checkBuffer(op, buf, 0, types[i]);
            if (null == buf)
            {
                throw comm.raise(ErrorClass.ERR_BUFFER, op + ": buffer is null but rank " + i + " has " +
                    counts[i] + " items");
            }
            final long end = off[i] + UserBuffer.highestOffset(counts[i], types[i]);
            if (end > UserBuffer.capacityBytes(buf))
            {
                throw comm.raise(ErrorClass.ERR_COUNT, op + ": the block of rank " + i + " (bytes " + off[i] + ".." +
                    end + ") lies past the end of the buffer of " + UserBuffer.capacityBytes(buf) + " bytes");
            }
            if (off[i] + types[i].typeMap().lowestOffset(counts[i]) < -UserBuffer.headroomBytes(buf))
            {
                throw comm.raise(ErrorClass.ERR_BUFFER, op + ": the block of rank " + i + " starts before the buffer");
            }
        }
    }

    /**
     * A byte array for all blocks packed one after the other if any block has a non-contiguous type (its items then
     * do not lie at {@code off[i]} as {@code len[i]} bytes), else null.
     */
    private static byte[] packedBlocks(final int p, final int[] counts, final Datatype[] types, final long[] off,
        final long[] len)
    {
        long total = 0;
        boolean packed = false;
        for (int i = 0; i < p; i++)
        {
            total += len[i];
            packed |= counts[i] > 0 && null != types[i].layout();
        }
        if (!packed)
        {
            return null;
        }
        if (total > Integer.MAX_VALUE - 16)
        {
            throw new MpiError(ErrorClass.ERR_COUNT, "MPI_Alltoallw: " + total + " packed bytes are more than one " +
                "Java array holds");
        }
        return new byte[(int)total];
    }

    /** MPI_Alltoallw / MPI_Ialltoallw: a datatype per peer, displacements in bytes. */
    static Request allToAllw(final Comm comm, final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype[] sendtypes, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype[] recvtypes, final boolean blocking) throws MPIException
    {
        final String op = blocking ? "MPI_Alltoallw" : "MPI_Ialltoallw";
        final Communicator c = comm.live(op);
        final int p = c.isInter() ? c.remoteSize() : c.size();
        final long[] sendOff = new long[p];
        final long[] sendLen = new long[p];
        final long[] recvOff = new long[p];
        final long[] recvLen = new long[p];
        checkBlocksW(comm, op, p, sendbuf, sendcount, sdispls, sendtypes, sendOff, sendLen);
        checkBlocksW(comm, op, p, recvbuf, recvcount, rdispls, recvtypes, recvOff, recvLen);
        Object sendBase = UserBuffer.base(sendbuf);
        long sendAddress = UserBuffer.address(sendbuf);
        Object recvBase = UserBuffer.base(recvbuf);
        long recvAddress = UserBuffer.address(recvbuf);
        final CollectiveSchedule s = schedule(c, NeighbourCollectives.ALLTOALLW);
        // blocks of non-contiguous types travel packed: the send blocks packed one after the other now, the
        // receive blocks unpacked to their displacements when all arrived
        final byte[] sendPacked;
        final byte[] recvPacked;
        try
        {
            sendPacked = packedBlocks(p, sendcount, sendtypes, sendOff, sendLen);
            recvPacked = packedBlocks(p, recvcount, recvtypes, recvOff, recvLen);
        }
        catch (final MpiError ex)
        {
            throw comm.raise(op, ex);
        }
        if (null != sendPacked)
        {
            for (int i = 0; i < p; i++)
            {
                final long at = i == 0 ? 0 : sendOff[i - 1] + sendLen[i - 1];
                if (sendcount[i] > 0)
                {
                    Packer.pack(sendtypes[i].typeMap(), sendcount[i], sendBase, sendAddress + sdispls[i], sendPacked,
                        (int)at);
                }
                sendOff[i] = at;
            }
            sendBase = sendPacked;
            sendAddress = UserBuffer.byteArrayOffset();
        }
        if (null != recvPacked)
        {
            for (int i = 0; i < p; i++)
            {
                recvOff[i] = i == 0 ? 0 : recvOff[i - 1] + recvLen[i - 1];
            }
            recvBase = recvPacked;
            recvAddress = UserBuffer.byteArrayOffset();
        }
        if (c.isInter())
        {
            Collectives.interAllToAllv(s, sendBase, sendAddress, sendOff, sendLen, recvBase, recvAddress, recvOff,
                recvLen);
        }
        else
        {
            Collectives.allToAllv(s, sendBase, sendAddress, sendOff, sendLen, recvBase, recvAddress, recvOff, recvLen);
        }
        if (null != recvPacked)
        {
            final Object userBase = UserBuffer.base(recvbuf);
            final long userAddress = UserBuffer.address(recvbuf);
            s.endRound().local(() ->
            {
                for (int i = 0; i < p; i++)
                {
                    if (recvcount[i] > 0)
                    {
                        Packer.unpack(recvPacked, (int)recvOff[i], recvtypes[i].typeMap(), recvcount[i], userBase,
                            userAddress + rdispls[i]);
                    }
                }
            });
        }
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    /** MPI_Reduce_local: {@code inoutbuf = inbuf op inoutbuf}; errors go to MPI_COMM_WORLD's handler. */
    static void reduceLocal(final Object inbuf, final Object inoutbuf, final int count, final Datatype type,
        final Op operator) throws MPIException
    {
        final String op = "MPI_Reduce_local";
        MPI.check(op);
        final Comm world = MPI.COMM_WORLD;
        world.checkBuffer(op, inbuf, count, type);
        world.checkBuffer(op, inoutbuf, count, type);
        final Reduction r = reduction(world, op, operator, type);
        try
        {
            if (null != type.layout() && count > 0)
            {
                // operators work on packed items: pack both, reduce, unpack the result
                final byte[] in = new byte[Math.toIntExact(type.typeMap().packedSize(count))];
                final byte[] inout = new byte[in.length];
                Packer.pack(type.typeMap(), count, UserBuffer.base(inbuf), UserBuffer.address(inbuf), in, 0);
                Packer.pack(type.typeMap(), count, UserBuffer.base(inoutbuf), UserBuffer.address(inoutbuf), inout, 0);
                r.apply(in, UserBuffer.byteArrayOffset(), inout, UserBuffer.byteArrayOffset(), count);
                Packer.unpack(inout, 0, type.typeMap(), count, UserBuffer.base(inoutbuf), UserBuffer.address(inoutbuf));
                return;
            }
            r.apply(UserBuffer.base(inbuf), UserBuffer.address(inbuf), UserBuffer.base(inoutbuf),
                UserBuffer.address(inoutbuf), count);
        }
        catch (final MpiError ex)
        {
            throw world.raise(op, ex);
        }
    }

    /** The neighbours of a communicator with a topology; ERR_TOPOLOGY for one without. */
    private static NeighbourLists neighbours(final Comm comm, final String op, final Communicator c)
        throws MPIException
    {
        if (comm instanceof CartComm)
        {
            return ((CartComm)comm).neighbourLists(c);
        }
        if (comm instanceof GraphComm)
        {
            return ((GraphComm)comm).neighbourLists(c);
        }
        throw comm.raise(ErrorClass.ERR_TOPOLOGY, op + ": communicator " + c.name() + " has no process topology");
    }

    /** MPI_(I)neighbor_allgather(v): {@code recvcount}/{@code displs} null for the equal-block form. */
    static Request neighborAllGather(final Comm comm, final Object sendbuf, final int sendcount,
        final Datatype sendtype, final Object recvbuf, final int recvcount, final int[] recvcounts,
        final int[] displs, final Datatype recvtype, final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final String name = "MPI_Neighbor_allgather";
            final int in = neighbours(comm, name, comm.live(name)).inDegree();
            final long recvAll = null != recvcounts || null != displs ?
                CollectiveStaging.extentOf(recvcounts, displs, in) : (long)recvcount * in;
            final Object rb = st.buffer(recvbuf, recvAll, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendcount, sendtype, false);
            return st.run(() -> neighborAllGather(comm, sb, sendcount, st.type(sendbuf, sendcount, sendtype), rb,
                recvcount, recvcounts, displs, st.type(recvbuf, recvAll, recvtype), blocking));
        }
        final boolean v = null != recvcounts || null != displs;
        final String op = v ? (blocking ? "MPI_Neighbor_allgatherv" : "MPI_Ineighbor_allgatherv") :
            blocking ? "MPI_Neighbor_allgather" : "MPI_Ineighbor_allgather";
        final Communicator c = comm.live(op);
        final NeighbourLists n = neighbours(comm, op, c);
        final int in = n.inDegree();
        comm.checkBuffer(op, sendbuf, sendcount, sendtype);
        final long[] recvOff;
        final long[] recvLen;
        if (v)
        {
            comm.checkBuffer(op, recvbuf, checkCounts(comm, op, in, recvcounts, displs), recvtype);
            recvOff = scaled(displs, in, recvtype.byteSize);
            recvLen = scaled(recvcounts, in, recvtype.byteSize);
        }
        else
        {
            comm.checkBuffer(op, recvbuf, items(recvcount, in), recvtype);
            recvOff = blocks(in, (long)recvcount * recvtype.byteSize);
            recvLen = same(in, (long)recvcount * recvtype.byteSize);
        }
        final int out = n.outDegree();
        final CollectiveSchedule s =
            schedule(c, v ? NeighbourCollectives.NEIGHBOR_ALLGATHERV : NeighbourCollectives.NEIGHBOR_ALLGATHER);
        NeighbourCollectives.exchange(s, n, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), new long[out],
            same(out, (long)sendcount * sendtype.byteSize), UserBuffer.base(recvbuf), UserBuffer.address(recvbuf),
            recvOff, recvLen);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }

    /** MPI_(I)neighbor_alltoall(v): count arrays and displacements null for the equal-block form. */
    static Request neighborAllToAll(final Comm comm, final Object sendbuf, final int sendcount,
        final int[] sendcounts, final int[] sdispls, final Datatype sendtype, final Object recvbuf,
        final int recvcount, final int[] recvcounts, final int[] rdispls, final Datatype recvtype,
        final boolean blocking) throws MPIException
    {
        final CollectiveStaging st = CollectiveStaging.of(blocking, sendtype, recvtype);
        if (null != st)
        {
            final String name = "MPI_Neighbor_alltoall";
            final NeighbourLists n = neighbours(comm, name, comm.live(name));
            final boolean v = null != sendcounts || null != sdispls || null != recvcounts || null != rdispls;
            final long sendAll = v ? CollectiveStaging.extentOf(sendcounts, sdispls, n.outDegree()) :
                (long)sendcount * n.outDegree();
            final long recvAll = v ? CollectiveStaging.extentOf(recvcounts, rdispls, n.inDegree()) :
                (long)recvcount * n.inDegree();
            final Object rb = st.buffer(recvbuf, recvAll, recvtype, true);
            final Object sb = st.buffer(sendbuf, sendAll, sendtype, false);
            return st.run(() -> neighborAllToAll(comm, sb, sendcount, sendcounts, sdispls,
                st.type(sendbuf, sendAll, sendtype), rb, recvcount, recvcounts, rdispls,
                st.type(recvbuf, recvAll, recvtype), blocking));
        }
        final boolean v = null != sendcounts || null != sdispls || null != recvcounts || null != rdispls;
        final String op = v ? (blocking ? "MPI_Neighbor_alltoallv" : "MPI_Ineighbor_alltoallv") :
            blocking ? "MPI_Neighbor_alltoall" : "MPI_Ineighbor_alltoall";
        final Communicator c = comm.live(op);
        final NeighbourLists n = neighbours(comm, op, c);
        final int in = n.inDegree();
        final int out = n.outDegree();
        final long[] sendOff;
        final long[] sendLen;
        final long[] recvOff;
        final long[] recvLen;
        if (v)
        {
            comm.checkBuffer(op, sendbuf, checkCounts(comm, op, out, sendcounts, sdispls), sendtype);
            comm.checkBuffer(op, recvbuf, checkCounts(comm, op, in, recvcounts, rdispls), recvtype);
            sendOff = scaled(sdispls, out, sendtype.byteSize);
            sendLen = scaled(sendcounts, out, sendtype.byteSize);
            recvOff = scaled(rdispls, in, recvtype.byteSize);
            recvLen = scaled(recvcounts, in, recvtype.byteSize);
        }
        else
        {
            comm.checkBuffer(op, sendbuf, items(sendcount, out), sendtype);
            comm.checkBuffer(op, recvbuf, items(recvcount, in), recvtype);
            sendOff = blocks(out, (long)sendcount * sendtype.byteSize);
            sendLen = same(out, (long)sendcount * sendtype.byteSize);
            recvOff = blocks(in, (long)recvcount * recvtype.byteSize);
            recvLen = same(in, (long)recvcount * recvtype.byteSize);
        }
        final CollectiveSchedule s =
            schedule(c, v ? NeighbourCollectives.NEIGHBOR_ALLTOALLV : NeighbourCollectives.NEIGHBOR_ALLTOALL);
        NeighbourCollectives.exchange(s, n, UserBuffer.base(sendbuf), UserBuffer.address(sendbuf), sendOff, sendLen,
            UserBuffer.base(recvbuf), UserBuffer.address(recvbuf), recvOff, recvLen);
        return complete(comm, op, s, blocking, held(sendbuf, recvbuf));
    }
}
