package io.mpi4j.comm;

/**
 * The state behind {@code mpi.Comm}: context ids, the local group as process keys, this process's rank.
 * Each communicator owns two context ids: {@link #contextId()} for point-to-point and {@link #collectiveContextId()}
 * for collectives, so the two kinds of traffic never match each other.
 */
public final class Communicator
{
    private final int contextId;
    private final int rank;
    private final long[] members;
    private final Object[] peerCache;
    private volatile String name;
    private volatile boolean freed;

    /**
     * @param contextId point-to-point context id (even); the collective context is {@code contextId + 1}
     * @param rank      this process's rank in {@code members}
     * @param members   process keys ({@link ProcessKeys}) of the group, in rank order
     * @param name      initial name ("MPI_COMM_WORLD")
     */
    public Communicator(final int contextId, final int rank, final long[] members, final String name)
    {
        this.contextId = contextId;
        this.rank = rank;
        this.members = members;
        this.peerCache = new Object[members.length];
        this.name = name;
    }

    public int contextId()
    {
        return contextId;
    }

    public int collectiveContextId()
    {
        return contextId + 1;
    }

    public int rank()
    {
        return rank;
    }

    public int size()
    {
        return members.length;
    }

    /** Process key of {@code rank} (see {@link ProcessKeys}). */
    public long member(final int rank)
    {
        return members[rank];
    }

    public boolean isInter()
    {
        return false;
    }

    public String name()
    {
        return name;
    }

    public void name(final String name)
    {
        this.name = name;
    }

    public boolean isFreed()
    {
        return freed;
    }

    public void markFreed()
    {
        freed = true;
    }

    /** Per-rank slot for the point-to-point layer's resolved peer; avoids a map lookup per send. */
    public Object cachedPeer(final int rank)
    {
        return peerCache[rank];
    }

    public void cachePeer(final int rank, final Object peer)
    {
        peerCache[rank] = peer;
    }
}
