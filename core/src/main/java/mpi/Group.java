package mpi;

import io.mpi4j.errors.ErrorClass;

/**
 * An ordered set of processes ({@code MPI_Group}). Set operations arrive with communicator creation.
 */
public final class Group implements Freeable
{
    private final long[] members;
    private final int rank;
    private final boolean predefined;
    private volatile boolean freed;

    /**
     * @param members process keys in rank order
     * @param rank    the calling process's rank, or {@code MPI.UNDEFINED}
     */
    Group(final long[] members, final int rank)
    {
        this(members, rank, false);
    }

    Group(final long[] members, final int rank, final boolean predefined)
    {
        this.members = members;
        this.rank = rank;
        this.predefined = predefined;
    }

    /** Process key of group rank {@code rank}. */
    long member(final int rank)
    {
        return members[rank];
    }

    private void checkLive(final String op) throws MPIException
    {
        MPI.check(op);
        if (freed)
        {
            throw new MPIException(ErrorClass.ERR_GROUP, op + ": the group has been freed");
        }
    }

    /**
     * Number of processes. Binds {@code MPI_GROUP_SIZE}.
     *
     * @return group size
     * @throws MPIException if MPI is not running or the group was freed
     */
    public int getSize() throws MPIException
    {
        checkLive("MPI_Group_size");
        return members.length;
    }

    /**
     * Rank of the calling process. Binds {@code MPI_GROUP_RANK}.
     *
     * @return rank, or {@code MPI.UNDEFINED} if the process is not a member
     * @throws MPIException if MPI is not running or the group was freed
     */
    public int getRank() throws MPIException
    {
        checkLive("MPI_Group_rank");
        return rank;
    }

    /**
     * Binds {@code MPI_GROUP_FREE}; {@code MPI.GROUP_EMPTY} cannot be freed.
     *
     * @throws MPIException if MPI is not running, or the group is predefined or already freed
     */
    @Override
    public void free() throws MPIException
    {
        final String op = "MPI_Group_free";
        checkLive(op);
        if (predefined)
        {
            throw new MPIException(ErrorClass.ERR_GROUP, op + ": MPI_GROUP_EMPTY is predefined and cannot be freed");
        }
        freed = true;
    }

    /**
     * Whether the group has been freed.
     *
     * @return true once freed
     */
    public boolean isNull()
    {
        return freed;
    }
}
