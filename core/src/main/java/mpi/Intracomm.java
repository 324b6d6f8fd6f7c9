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

    // ------------------------------------------------------------------------------------------------------------
    // Communicator management (issue 3 part A): dup, split, create. The work is in io.mpi4j.comm.

    /**
     * Duplicates this communicator. Binds {@code MPI_COMM_DUP}; see {@link Comm#dup()}.
     *
     * @return the new communicator
     * @throws MPIException if MPI is not running, the communicator was freed or a copy callback failed
     */
    @Override
    public Intracomm dup() throws MPIException
    {
        return dupAs("MPI_Comm_dup", s -> new Intracomm(USER, s, null));
    }

    @Override
    public Intracomm clone()
    {
        return (Intracomm)super.clone();
    }

    /**
     * Duplicates with hints (mpi4j takes none). Binds {@code MPI_COMM_DUP_WITH_INFO}.
     *
     * @param info hints
     * @return the new communicator
     * @throws MPIException as {@link #dup()}
     */
    @Override
    public Intracomm dupWithInfo(final Info info) throws MPIException
    {
        return dup();
    }

    /**
     * Starts a duplication. Binds {@code MPI_COMM_IDUP}: use the result once {@code getRequest()} on it completes.
     *
     * @return the new communicator
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    @Override
    public Intracomm iDup() throws MPIException
    {
        return iDupAs("MPI_Comm_idup", s -> new Intracomm(USER, s, null));
    }

    /**
     * Partitions the group. Binds {@code MPI_COMM_SPLIT}: processes with the same color form a communicator, ranked
     * by key then by rank here.
     *
     * @param colour subset, or {@code MPI.UNDEFINED} to be in none
     * @param key    rank order within the subset
     * @return the new communicator, or {@code MPI.COMM_NULL} for {@code MPI.UNDEFINED}
     * @throws MPIException if MPI is not running, the communicator was freed or the colour is negative
     */
    public final Intracomm split(final int colour, final int key) throws MPIException
    {
        final String op = "MPI_Comm_split";
        final Communicator c = live(op);
        if (colour < 0 && colour != MPI.UNDEFINED)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_ARG, op + ": colour " + colour +
                " is negative (use MPI.UNDEFINED to be in no group)");
        }
        return wrapNew(op, () -> CommSupport.factory().split(c, colour, key, MPI.UNDEFINED));
    }

    /**
     * Partitions the group by type. Binds {@code MPI_COMM_SPLIT_TYPE}; with {@code MPI.COMM_TYPE_SHARED} all
     * processes of one node share memory, and mpi4j jobs run on one node.
     *
     * @param splitType {@code MPI.COMM_TYPE_SHARED} or {@code MPI.UNDEFINED}
     * @param key       rank order
     * @param info      hints (ignored)
     * @return the new communicator, or {@code MPI.COMM_NULL}
     * @throws MPIException for an unknown split type
     */
    public final Intracomm splitType(final int splitType, final int key, final Info info) throws MPIException
    {
        final String op = "MPI_Comm_split_type";
        final Communicator c = live(op);
        if (splitType != MPI.COMM_TYPE_SHARED && splitType != MPI.UNDEFINED)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_ARG, op + ": split type " + splitType +
                " is not MPI.COMM_TYPE_SHARED or MPI.UNDEFINED");
        }
        final int colour = MPI.UNDEFINED == splitType ? MPI.UNDEFINED : 0;
        return wrapNew(op, () -> CommSupport.factory().split(c, colour, key, MPI.UNDEFINED));
    }

    /**
     * Creates a communicator for a subgroup. Collective over this communicator. Binds {@code MPI_COMM_CREATE}.
     *
     * @param group subgroup of this communicator's group
     * @return the new communicator, or {@code MPI.COMM_NULL} outside the group
     * @throws MPIException {@code MPI.ERR_GROUP} if the group is freed or not a subgroup
     */
    public final Intracomm create(final Group group) throws MPIException
    {
        final String op = "MPI_Comm_create";
        final Communicator c = live(op);
        final long[] members = subgroup(op, c, group);
        final int rank = group.rankOf(c.member(c.rank()));
        return wrapNew(op, () -> CommSupport.factory().create(c, members, rank));
    }

    /**
     * Creates a communicator for a subgroup; collective over the group's members only. Binds
     * {@code MPI_COMM_CREATE_GROUP}.
     *
     * @param group subgroup of this communicator's group, with the calling process in it
     * @param tag   tag distinguishing concurrent calls
     * @return the new communicator
     * @throws MPIException {@code MPI.ERR_GROUP} if the group is freed, not a subgroup or lacks this process
     */
    public final Intracomm createGroup(final Group group, final int tag) throws MPIException
    {
        final String op = "MPI_Comm_create_group";
        final Communicator c = live(op);
        final long[] members = subgroup(op, c, group);
        checkSendTag(op, tag);
        final int rank = group.rankOf(c.member(c.rank()));
        if (rank < 0)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_GROUP, op + ": the calling process is not in the group");
        }
        return wrapNew(op, () -> CommSupport.factory().createGroup(c, members, rank, tag));
    }

    private long[] subgroup(final String op, final Communicator c, final Group group) throws MPIException
    {
        if (null == group || group.isNull())
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_GROUP, op + ": the group is null or freed");
        }
        final long[] members = group.members();
        final java.util.HashSet<Long> mine = new java.util.HashSet<>();
        for (int r = 0; r < c.size(); r++)
        {
            mine.add(c.member(r));
        }
        for (final long key : members)
        {
            if (!mine.contains(key))
            {
                throw raise(io.mpi4j.errors.ErrorClass.ERR_GROUP, op + ": the group is not a subgroup of " + c.name());
            }
        }
        return members;
    }

    private Intracomm wrapNew(final String op, final java.util.function.Supplier<Communicator> make)
        throws MPIException
    {
        final Communicator made;
        try
        {
            made = make.get();
        }
        catch (final io.mpi4j.errors.MpiError ex)
        {
            throw raise(op, ex);
        }
        return null == made ? MPI.COMM_NULL : new Intracomm(USER, made, getErrhandler());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Process topologies (issue 3 part C; the work is in CartComm.create / GraphComm.create)

    /**
     * Makes a communicator with a Cartesian grid attached. Collective. Binds {@code MPI_CART_CREATE}: the first
     * {@code product(dims)} ranks form the grid in row-major order; {@code reorder} is accepted and changes nothing.
     *
     * @param dims    number of processes in each dimension
     * @param periods per dimension, whether it wraps around
     * @param reorder whether ranks may be reordered
     * @return the new communicator; in a process beyond the grid one whose {@code isNull()} is true
     * @throws MPIException {@code MPI.ERR_ARG} for null or mismatched arrays, {@code MPI.ERR_DIMS} for a dimension
     *                      below one, {@code MPI.ERR_TOPOLOGY} if the grid is larger than this communicator
     */
    public final CartComm createCart(final int[] dims, final boolean[] periods, final boolean reorder)
        throws MPIException
    {
        return CartComm.create(this, dims, periods);
    }

    /**
     * Makes a communicator with a graph attached. Collective. Binds {@code MPI_GRAPH_CREATE}: the first
     * {@code index.length} ranks become the nodes; {@code reorder} is accepted and changes nothing.
     *
     * @param index   node degrees as running totals
     * @param edges   neighbour lists of all nodes, one after another
     * @param reorder whether ranks may be reordered
     * @return the new communicator; in a process that is not a node one whose {@code isNull()} is true
     * @throws MPIException {@code MPI.ERR_ARG} for a malformed graph, {@code MPI.ERR_TOPOLOGY} for more nodes than
     *                      this communicator has processes
     */
    public final GraphComm createGraph(final int[] index, final int[] edges, final boolean reorder)
        throws MPIException
    {
        return GraphComm.create(this, index, edges);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Collective operations (issue 3 part B): prefix reductions, which only intracommunicators have.

    /**
     * Inclusive prefix reduction: rank i receives the reduction of ranks 0..i. Binds {@code MPI_SCAN}.
     *
     * @param sendbuf send buffer
     * @param recvbuf receive buffer
     * @param count   number of items
     * @param type    datatype of each item
     * @param op      reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void scan(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        CollectiveCalls.scan(this, sendbuf, recvbuf, count, type, op, false);
    }

    /**
     * In-place inclusive prefix reduction. Binds {@code MPI_SCAN} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count number of items
     * @param type  datatype of each item
     * @param op    reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void scan(final Object buf, final int count, final Datatype type, final Op op) throws MPIException
    {
        CollectiveCalls.scan(this, buf, buf, count, type, op, false);
    }

    /**
     * Exclusive prefix reduction: rank i receives the reduction of ranks 0..i-1 (rank 0's buffer is left as it
     * is). Binds {@code MPI_EXSCAN}.
     *
     * @param sendbuf send buffer
     * @param recvbuf receive buffer
     * @param count   number of items
     * @param type    datatype of each item
     * @param op      reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void exScan(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        CollectiveCalls.scan(this, sendbuf, recvbuf, count, type, op, true);
    }

    /**
     * In-place exclusive prefix reduction. Binds {@code MPI_EXSCAN} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count number of items
     * @param type  datatype of each item
     * @param op    reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void exScan(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        CollectiveCalls.scan(this, buf, buf, count, type, op, true);
    }

    // ---- end of collective operations (part B)
}
