package mpi;

/**
 * The collective operations of a communicator: the part of {@link Comm}'s public API that binds MPI's collectives
 * (barrier, broadcast, gathers, scatters, all-to-alls, reductions, scans, neighbourhood collectives, and their
 * non-blocking forms). {@code Comm} extends it, so to a program these are {@code Comm}'s methods, with the signatures
 * of Open MPI's binding; checks and schedules live in {@code CollectiveCalls} and {@code io.mpi4j.coll}. Parameter
 * conventions are those described on {@link Comm}.
 */
abstract class CommCollectives
{
    CommCollectives()
    {
    }

    /** This communicator as the {@code Comm} the collective layer works on. */
    private Comm self()
    {
        return (Comm)this;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Collective operations: checks and schedules live in CollectiveCalls / io.mpi4j.coll; the methods taking one
    // buffer where Open MPI has them are the MPI_IN_PLACE forms.

    /** Blocks until every process of the communicator has called it. Binds {@code MPI_BARRIER}. */
    public final void barrier() throws MPIException
    {
        CollectiveCalls.barrier(self(), true);
    }

    /** Non-blocking barrier. Binds {@code MPI_IBARRIER}. */
    public final Request iBarrier() throws MPIException
    {
        return CollectiveCalls.barrier(self(), false);
    }

    /** Broadcasts from {@code root} to every process. Binds {@code MPI_BCAST}. */
    public final void bcast(final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        CollectiveCalls.bcast(self(), buf, count, type, root, true);
    }

    /** Starts a broadcast. Binds {@code MPI_IBCAST}. */
    public final Request iBcast(final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        return CollectiveCalls.bcast(self(), buf, count, type, root, false);
    }

    /** Gathers one block from every process at the root. Binds {@code MPI_GATHER}. */
    public final void gather(final Object sendbuf, final int sendcount, final Datatype sendtype, final Object recvbuf,
        final int recvcount, final Datatype recvtype, final int root) throws MPIException
    {
        CollectiveCalls.gather(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, false);
    }

    /**
     * In-place gather: at the root {@code buf} receives and already holds the root's block; elsewhere it is sent. Binds
     * {@code MPI_GATHER} with {@code MPI_IN_PLACE}.
     */
    public final void gather(final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        CollectiveCalls.gather(self(), buf, count, type, buf, count, type, root, true);
    }

    /** Gathers blocks of varying size at the root. Binds {@code MPI_GATHERV}. */
    public final void gatherv(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype, final int root)
        throws MPIException
    {
        CollectiveCalls.gatherv(
            self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root, false);
    }

    /**
     * In-place gatherv at the root: its block already sits in {@code recvbuf}. Binds {@code MPI_GATHERV} with
     * {@code MPI_IN_PLACE}; the other processes call {@link #gatherv(Object, int, Datatype, int)}.
     */
    public final void gatherv(final Object recvbuf, final int[] recvcount, final int[] displs,
        final Datatype recvtype, final int root) throws MPIException
    {
        CollectiveCalls.gatherv(self(), null, 0, recvtype, recvbuf, recvcount, displs, recvtype, root, true);
    }

    /** Gatherv at a process other than the root. Binds {@code MPI_GATHERV}. */
    public final void gatherv(final Object sendbuf, final int sendcount, final Datatype sendtype, final int root)
        throws MPIException
    {
        CollectiveCalls.gatherv(self(), sendbuf, sendcount, sendtype, null, null, null, sendtype, root, false);
    }

    /** Scatters one block to every process from the root. Binds {@code MPI_SCATTER}. */
    public final void scatter(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root) throws MPIException
    {
        CollectiveCalls.scatter(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, false);
    }

    /**
     * In-place scatter: at the root {@code buf} is sent and its own block stays; elsewhere it receives. Binds
     * {@code MPI_SCATTER} with {@code MPI_IN_PLACE}.
     */
    public final void scatter(final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        CollectiveCalls.scatter(self(), buf, count, type, buf, count, type, root, true);
    }

    /** Scatters blocks of varying size from the root. Binds {@code MPI_SCATTERV}. */
    public final void scatterv(final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final Object recvbuf, final int recvcount, final Datatype recvtype, final int root)
        throws MPIException
    {
        CollectiveCalls.scatterv(
            self(), sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root, false);
    }

    /**
     * In-place scatterv at the root: its own block stays in {@code sendbuf}. Binds {@code MPI_SCATTERV} with
     * {@code MPI_IN_PLACE}; the other processes call {@link #scatterv(Object, int, Datatype, int)}.
     */
    public final void scatterv(final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final int root) throws MPIException
    {
        CollectiveCalls.scatterv(self(), sendbuf, sendcount, displs, sendtype, null, 0, sendtype, root, true);
    }

    /** Scatterv at a process other than the root. Binds {@code MPI_SCATTERV}. */
    public final void scatterv(final Object recvbuf, final int recvcount, final Datatype recvtype, final int root)
        throws MPIException
    {
        CollectiveCalls.scatterv(self(), null, null, null, recvtype, recvbuf, recvcount, recvtype, root, false);
    }

    /** Gathers one block from every process at every process. Binds {@code MPI_ALLGATHER}. */
    public final void allGather(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.allGather(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, false, true);
    }

    /**
     * In-place allgather: each process's block already sits at its place in {@code buf}. Binds {@code MPI_ALLGATHER}
     * with {@code MPI_IN_PLACE}.
     */
    public final void allGather(final Object buf, final int count, final Datatype type) throws MPIException
    {
        CollectiveCalls.allGather(self(), buf, count, type, buf, count, type, true, true);
    }

    /** Starts an allgather. Binds {@code MPI_IALLGATHER}. */
    public final Request iAllGather(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.allGather(
            self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, false, false);
    }

    /** Starts an in-place allgather. Binds {@code MPI_IALLGATHER} with {@code MPI_IN_PLACE}. */
    public final Request iAllGather(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return CollectiveCalls.allGather(self(), buf, count, type, buf, count, type, true, false);
    }

    /** Gathers blocks of varying size at every process. Binds {@code MPI_ALLGATHERV}. */
    public final void allGatherv(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.allGatherv(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, false);
    }

    /** In-place allgatherv. Binds {@code MPI_ALLGATHERV} with {@code MPI_IN_PLACE}. */
    public final void allGatherv(final Object recvbuf, final int[] recvcount, final int[] displs,
        final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.allGatherv(self(), null, 0, recvtype, recvbuf, recvcount, displs, recvtype, true);
    }

    /** Sends a distinct block to every process and receives one from each. Binds {@code MPI_ALLTOALL}. */
    public final void allToAll(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.allToAll(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, true);
    }

    /** Starts an alltoall. Binds {@code MPI_IALLTOALL}. */
    public final Request iAllToAll(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.allToAll(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, false);
    }

    /** Alltoall with blocks of varying size. Binds {@code MPI_ALLTOALLV}. */
    public final void allToAllv(final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.allToAllv(self(), sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
    }

    /** Combines every process's items with {@code op}, result at the root. Binds {@code MPI_REDUCE}. */
    public final void reduce(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op, final int root) throws MPIException
    {
        CollectiveCalls.reduce(self(), sendbuf, recvbuf, count, type, op, root, true);
    }

    /**
     * In-place reduce: at the root {@code buf} is input and result. Binds {@code MPI_REDUCE} with {@code MPI_IN_PLACE}.
     */
    public final void reduce(final Object buf, final int count, final Datatype type, final Op op, final int root)
        throws MPIException
    {
        CollectiveCalls.reduce(self(), buf, buf, count, type, op, root, true);
    }

    /** Starts a reduce. Binds {@code MPI_IREDUCE}. */
    public final Request iReduce(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op, final int root) throws MPIException
    {
        return CollectiveCalls.reduce(self(), sendbuf, recvbuf, count, type, op, root, false);
    }

    /** Starts an in-place reduce. Binds {@code MPI_IREDUCE} with {@code MPI_IN_PLACE}. */
    public final Request iReduce(final Object buf, final int count, final Datatype type, final Op op, final int root)
        throws MPIException
    {
        return CollectiveCalls.reduce(self(), buf, buf, count, type, op, root, false);
    }

    /** Combines every process's items with {@code op}, result everywhere. Binds {@code MPI_ALLREDUCE}. */
    public final void allReduce(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        CollectiveCalls.allReduce(self(), sendbuf, recvbuf, count, type, op, true);
    }

    /** In-place allreduce. Binds {@code MPI_ALLREDUCE} with {@code MPI_IN_PLACE}. */
    public final void allReduce(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        CollectiveCalls.allReduce(self(), buf, buf, count, type, op, true);
    }

    /** Starts an allreduce. Binds {@code MPI_IALLREDUCE}. */
    public final Request iAllReduce(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        return CollectiveCalls.allReduce(self(), sendbuf, recvbuf, count, type, op, false);
    }

    /** Starts an in-place allreduce. Binds {@code MPI_IALLREDUCE} with {@code MPI_IN_PLACE}. */
    public final Request iAllReduce(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        return CollectiveCalls.allReduce(self(), buf, buf, count, type, op, false);
    }

    /** Reduces, then scatters blocks of the result. Binds {@code MPI_REDUCE_SCATTER}. */
    public final void reduceScatter(final Object sendbuf, final Object recvbuf, final int[] recvcounts,
        final Datatype type, final Op op) throws MPIException
    {
        CollectiveCalls.reduceScatter(self(), sendbuf, recvbuf, recvcounts, 0, type, op, false);
    }

    /**
     * In-place reduce-scatter: the result block lands at the start of {@code buf}. Binds {@code MPI_REDUCE_SCATTER}
     * with {@code MPI_IN_PLACE}.
     */
    public final void reduceScatter(final Object buf, final int[] counts, final Datatype type, final Op op)
        throws MPIException
    {
        CollectiveCalls.reduceScatter(self(), buf, buf, counts, 0, type, op, false);
    }

    /** Reduces, then scatters equal blocks of the result. Binds {@code MPI_REDUCE_SCATTER_BLOCK}. */
    public final void reduceScatterBlock(final Object sendbuf, final Object recvbuf, final int recvcount,
        final Datatype type, final Op op) throws MPIException
    {
        CollectiveCalls.reduceScatter(self(), sendbuf, recvbuf, null, recvcount, type, op, true);
    }

    /** In-place reduce-scatter-block. Binds {@code MPI_REDUCE_SCATTER_BLOCK} with {@code MPI_IN_PLACE}. */
    public final void reduceScatterBlock(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        CollectiveCalls.reduceScatter(self(), buf, buf, null, count, type, op, true);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Non-blocking rooted and v-collectives, alltoallw, neighbourhood collectives, reduce_local. Each non-blocking
    // call starts the schedule its blocking form runs to completion; see CollectiveCalls.

    /**
     * Starts a gather. Binds {@code MPI_IGATHER}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent by each process
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer (significant at the root)
     * @param recvcount items received from each process (root)
     * @param recvtype  datatype of the received items (root)
     * @param root      rank of the receiving process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iGather(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root) throws MPIException
    {
        return CollectiveCalls.gather(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, false,
            false);
    }

    /**
     * Starts an in-place gather: at the root {@code buf} receives and already holds the root's block; elsewhere it
     * is sent. Binds {@code MPI_IGATHER} with {@code MPI_IN_PLACE}.
     *
     * @param buf   buffer
     * @param count items per process
     * @param type  datatype of each item
     * @param root  rank of the receiving process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iGather(final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        return CollectiveCalls.gather(self(), buf, count, type, buf, count, type, root, true, false);
    }

    /**
     * Starts a gatherv. Binds {@code MPI_IGATHERV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent by this process
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer (root)
     * @param recvcount items received from each process (root)
     * @param displs    where each process's block starts in recvbuf, in items (root)
     * @param recvtype  datatype of the received items (root)
     * @param root      rank of the receiving process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iGatherv(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype, final int root)
        throws MPIException
    {
        return CollectiveCalls.gatherv(
            self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root, false, false);
    }

    /**
     * Starts an in-place gatherv at the root: its block already sits in {@code recvbuf}. Binds
     * {@code MPI_IGATHERV} with {@code MPI_IN_PLACE}; the other processes call
     * {@link #iGatherv(Object, int, Datatype, int)}.
     *
     * @param recvbuf   receive buffer
     * @param recvcount items received from each process
     * @param displs    where each process's block starts, in items
     * @param recvtype  datatype of the received items
     * @param root      rank of the receiving process (this one)
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iGatherv(final Object recvbuf, final int[] recvcount, final int[] displs,
        final Datatype recvtype, final int root) throws MPIException
    {
        return CollectiveCalls.gatherv(self(), null, 0, recvtype, recvbuf, recvcount, displs, recvtype, root, true,
            false);
    }

    /**
     * Starts a gatherv at a process other than the root. Binds {@code MPI_IGATHERV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent
     * @param sendtype  datatype of the sent items
     * @param root      rank of the receiving process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iGatherv(final Object sendbuf, final int sendcount, final Datatype sendtype, final int root)
        throws MPIException
    {
        return CollectiveCalls.gatherv(self(), sendbuf, sendcount, sendtype, null, null, null, sendtype, root, false,
            false);
    }

    /**
     * Starts a scatter. Binds {@code MPI_ISCATTER}.
     *
     * @param sendbuf   send buffer (root)
     * @param sendcount items sent to each process (root)
     * @param sendtype  datatype of the sent items (root)
     * @param recvbuf   receive buffer
     * @param recvcount items received
     * @param recvtype  datatype of the received items
     * @param root      rank of the sending process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScatter(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype, final int root) throws MPIException
    {
        return CollectiveCalls.scatter(self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, false,
            false);
    }

    /**
     * Starts an in-place scatter: the root sends from {@code buf} and keeps its own block there; the others
     * receive into it. Binds {@code MPI_ISCATTER} with {@code MPI_IN_PLACE}.
     *
     * @param buf   buffer
     * @param count items per process
     * @param type  datatype of each item
     * @param root  rank of the sending process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScatter(final Object buf, final int count, final Datatype type, final int root)
        throws MPIException
    {
        return CollectiveCalls.scatter(self(), buf, count, type, buf, count, type, root, true, false);
    }

    /**
     * Starts a scatterv. Binds {@code MPI_ISCATTERV}.
     *
     * @param sendbuf   send buffer (root)
     * @param sendcount items sent to each process (root)
     * @param displs    where each outgoing block starts, in items (root)
     * @param sendtype  datatype of the sent items (root)
     * @param recvbuf   receive buffer
     * @param recvcount items received
     * @param recvtype  datatype of the received items
     * @param root      rank of the sending process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScatterv(final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final Object recvbuf, final int recvcount, final Datatype recvtype, final int root)
        throws MPIException
    {
        return CollectiveCalls.scatterv(
            self(), sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root, false, false);
    }

    /**
     * Starts an in-place scatterv at the root: its own block stays in {@code sendbuf}. Binds {@code MPI_ISCATTERV}
     * with {@code MPI_IN_PLACE}; the other processes call {@link #iScatterv(Object, int, Datatype, int)}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent to each process
     * @param displs    where each outgoing block starts, in items
     * @param sendtype  datatype of the sent items
     * @param root      rank of the sending process (this one)
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScatterv(final Object sendbuf, final int[] sendcount, final int[] displs,
        final Datatype sendtype, final int root) throws MPIException
    {
        return CollectiveCalls.scatterv(self(), sendbuf, sendcount, displs, sendtype, null, 0, sendtype, root, true,
            false);
    }

    /**
     * Starts a scatterv at a process other than the root. Binds {@code MPI_ISCATTERV}.
     *
     * @param recvbuf   receive buffer
     * @param recvcount items received
     * @param recvtype  datatype of the received items
     * @param root      rank of the sending process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScatterv(final Object recvbuf, final int recvcount, final Datatype recvtype,
        final int root) throws MPIException
    {
        return CollectiveCalls.scatterv(self(), null, null, null, recvtype, recvbuf, recvcount, recvtype, root, false,
            false);
    }

    /**
     * Starts an allgatherv. Binds {@code MPI_IALLGATHERV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent by this process
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer
     * @param recvcount items received from each process
     * @param displs    where each process's block starts, in items
     * @param recvtype  datatype of the received items
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iAllGatherv(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.allGatherv(
            self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, false, false);
    }

    /**
     * Starts an in-place allgatherv. Binds {@code MPI_IALLGATHERV} with {@code MPI_IN_PLACE}.
     *
     * @param buf    receive buffer, holding this process's block at its place
     * @param count  items received from each process
     * @param displs where each process's block starts, in items
     * @param type   datatype of the received items
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iAllGatherv(final Object buf, final int[] count, final int[] displs, final Datatype type)
        throws MPIException
    {
        return CollectiveCalls.allGatherv(self(), null, 0, type, buf, count, displs, type, true, false);
    }

    /**
     * Starts an alltoallv. Binds {@code MPI_IALLTOALLV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent to each process
     * @param sdispls   where each outgoing block starts, in items
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer
     * @param recvcount items received from each process
     * @param rdispls   where each incoming block starts, in items
     * @param recvtype  datatype of the received items
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iAllToAllv(final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.allToAllv(
            self(), sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype, false);
    }

    /**
     * Alltoall with a datatype per peer and displacements in bytes. Binds {@code MPI_ALLTOALLW}.
     *
     * @param sendbuf    send buffer
     * @param sendcount  items sent to each process, in its datatype
     * @param sdispls    where each outgoing block starts, in bytes
     * @param sendtypes  datatype of the items sent to each process
     * @param recvbuf    receive buffer
     * @param recvcount  items received from each process, in its datatype
     * @param rdispls    where each incoming block starts, in bytes
     * @param recvtypes  datatype of the items received from each process
     * @throws MPIException on invalid arguments
     */
    public final void allToAllw(final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype[] sendtypes, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype[] recvtypes) throws MPIException
    {
        CollectiveCalls.allToAllw(
            self(), sendbuf, sendcount, sdispls, sendtypes, recvbuf, recvcount, rdispls, recvtypes, true);
    }

    /**
     * Starts an alltoallw. Binds {@code MPI_IALLTOALLW}.
     *
     * @param sendbuf    send buffer
     * @param sendcount  items sent to each process, in its datatype
     * @param sdispls    where each outgoing block starts, in bytes
     * @param sendtypes  datatype of the items sent to each process
     * @param recvbuf    receive buffer
     * @param recvcount  items received from each process, in its datatype
     * @param rdispls    where each incoming block starts, in bytes
     * @param recvtypes  datatype of the items received from each process
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iAllToAllw(final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype[] sendtypes, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype[] recvtypes) throws MPIException
    {
        return CollectiveCalls.allToAllw(
            self(), sendbuf, sendcount, sdispls, sendtypes, recvbuf, recvcount, rdispls, recvtypes, false);
    }

    /**
     * Starts a reduce-scatter. Binds {@code MPI_IREDUCE_SCATTER}.
     *
     * @param sendbuf    send buffer (sum of recvcounts items)
     * @param recvbuf    receive buffer
     * @param recvcounts items of the result each process receives
     * @param type       datatype of each item
     * @param op         reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iReduceScatter(final Object sendbuf, final Object recvbuf, final int[] recvcounts,
        final Datatype type, final Op op) throws MPIException
    {
        return CollectiveCalls.reduceScatter(self(), sendbuf, recvbuf, recvcounts, 0, type, op, false, false);
    }

    /**
     * Starts an in-place reduce-scatter: the result block lands at the start of {@code buf}. Binds
     * {@code MPI_IREDUCE_SCATTER} with {@code MPI_IN_PLACE}.
     *
     * @param buf    input and result
     * @param counts items of the result each process receives
     * @param type   datatype of each item
     * @param op     reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iReduceScatter(final Object buf, final int[] counts, final Datatype type, final Op op)
        throws MPIException
    {
        return CollectiveCalls.reduceScatter(self(), buf, buf, counts, 0, type, op, false, false);
    }

    /**
     * Starts a reduce-scatter-block. Binds {@code MPI_IREDUCE_SCATTER_BLOCK}.
     *
     * @param sendbuf   send buffer (recvcount items per process)
     * @param recvbuf   receive buffer
     * @param recvcount items each process receives
     * @param type      datatype of each item
     * @param op        reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iReduceScatterBlock(final Object sendbuf, final Object recvbuf, final int recvcount,
        final Datatype type, final Op op) throws MPIException
    {
        return CollectiveCalls.reduceScatter(self(), sendbuf, recvbuf, null, recvcount, type, op, true, false);
    }

    /**
     * Starts an in-place reduce-scatter-block. Binds {@code MPI_IREDUCE_SCATTER_BLOCK} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count items each process receives
     * @param type  datatype of each item
     * @param op    reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iReduceScatterBlock(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        return CollectiveCalls.reduceScatter(self(), buf, buf, null, count, type, op, true, false);
    }

    /**
     * Sends the same block to every out-neighbour and receives one from each in-neighbour of the process topology.
     * Binds {@code MPI_NEIGHBOR_ALLGATHER}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer, one block per in-neighbour in neighbour order
     * @param recvcount items received from each neighbour
     * @param recvtype  datatype of the received items
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final void neighborAllGather(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.neighborAllGather(
            self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, null, null, recvtype, true);
    }

    /**
     * Starts a neighbour allgather. Binds {@code MPI_INEIGHBOR_ALLGATHER}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer, one block per in-neighbour
     * @param recvcount items received from each neighbour
     * @param recvtype  datatype of the received items
     * @return request
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final Request iNeighborAllGather(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.neighborAllGather(
            self(), sendbuf, sendcount, sendtype, recvbuf, recvcount, null, null, recvtype, false);
    }

    /**
     * Neighbour allgather with blocks of varying size. Binds {@code MPI_NEIGHBOR_ALLGATHERV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer
     * @param recvcount items received from each in-neighbour
     * @param displs    where each in-neighbour's block starts, in items
     * @param recvtype  datatype of the received items
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final void neighborAllGatherv(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.neighborAllGather(
            self(), sendbuf, sendcount, sendtype, recvbuf, 0, recvcount, displs, recvtype, true);
    }

    /**
     * Starts a neighbour allgatherv. Binds {@code MPI_INEIGHBOR_ALLGATHERV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer
     * @param recvcount items received from each in-neighbour
     * @param displs    where each in-neighbour's block starts, in items
     * @param recvtype  datatype of the received items
     * @return request
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final Request iNeighborAllGatherv(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int[] recvcount, final int[] displs, final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.neighborAllGather(
            self(), sendbuf, sendcount, sendtype, recvbuf, 0, recvcount, displs, recvtype, false);
    }

    /**
     * Sends a distinct block to every out-neighbour and receives one from each in-neighbour. Binds
     * {@code MPI_NEIGHBOR_ALLTOALL}.
     *
     * @param sendbuf   send buffer, one block per out-neighbour in neighbour order
     * @param sendcount items sent to each neighbour
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer, one block per in-neighbour
     * @param recvcount items received from each neighbour
     * @param recvtype  datatype of the received items
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final void neighborAllToAll(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.neighborAllToAll(
            self(), sendbuf, sendcount, null, null, sendtype, recvbuf, recvcount, null, null, recvtype, true);
    }

    /**
     * Starts a neighbour alltoall. Binds {@code MPI_INEIGHBOR_ALLTOALL}.
     *
     * @param sendbuf   send buffer, one block per out-neighbour
     * @param sendcount items sent to each neighbour
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer, one block per in-neighbour
     * @param recvcount items received from each neighbour
     * @param recvtype  datatype of the received items
     * @return request
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final Request iNeighborAllToAll(final Object sendbuf, final int sendcount, final Datatype sendtype,
        final Object recvbuf, final int recvcount, final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.neighborAllToAll(
            self(), sendbuf, sendcount, null, null, sendtype, recvbuf, recvcount, null, null, recvtype, false);
    }

    /**
     * Neighbour alltoall with blocks of varying size. Binds {@code MPI_NEIGHBOR_ALLTOALLV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent to each out-neighbour
     * @param sdispls   where each outgoing block starts, in items
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer
     * @param recvcount items received from each in-neighbour
     * @param rdispls   where each incoming block starts, in items
     * @param recvtype  datatype of the received items
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final void neighborAllToAllv(final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype) throws MPIException
    {
        CollectiveCalls.neighborAllToAll(
            self(), sendbuf, 0, sendcount, sdispls, sendtype, recvbuf, 0, recvcount, rdispls, recvtype, true);
    }

    /**
     * Starts a neighbour alltoallv. Binds {@code MPI_INEIGHBOR_ALLTOALLV}.
     *
     * @param sendbuf   send buffer
     * @param sendcount items sent to each out-neighbour
     * @param sdispls   where each outgoing block starts, in items
     * @param sendtype  datatype of the sent items
     * @param recvbuf   receive buffer
     * @param recvcount items received from each in-neighbour
     * @param rdispls   where each incoming block starts, in items
     * @param recvtype  datatype of the received items
     * @return request
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} without a topology; on invalid arguments
     */
    public final Request iNeighborAllToAllv(final Object sendbuf, final int[] sendcount, final int[] sdispls,
        final Datatype sendtype, final Object recvbuf, final int[] recvcount, final int[] rdispls,
        final Datatype recvtype) throws MPIException
    {
        return CollectiveCalls.neighborAllToAll(
            self(), sendbuf, 0, sendcount, sdispls, sendtype, recvbuf, 0, recvcount, rdispls, recvtype, false);
    }

    /**
     * Applies {@code op} element-wise: {@code inOutBuf[i] = inBuf[i] op inOutBuf[i]}. Binds
     * {@code MPI_REDUCE_LOCAL}; errors go to the handler of {@code MPI.COMM_WORLD}.
     *
     * @param inBuf    input buffer
     * @param inOutBuf input and result buffer
     * @param count    number of items
     * @param type     datatype of each item
     * @param op       reduction operator
     * @throws MPIException on invalid arguments ({@code MPI.ERR_OP} if {@code op} is not defined for the type)
     */
    public static void reduceLocal(final Object inBuf, final Object inOutBuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        CollectiveCalls.reduceLocal(inBuf, inOutBuf, count, type, op);
    }
}
