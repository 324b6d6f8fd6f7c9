package io.mpi4j.comm;

import io.mpi4j.p2p.MessageEndpoint;

/**
 * The state behind {@code mpi.Comm}: context ids, the group(s) as process keys, this process's rank.
 * Each communicator owns two context ids: {@link #contextId()} for point-to-point and {@link #collectiveContextId()}
 * for collectives, so the two kinds of traffic never match each other.
 * <p>
 * An intercommunicator has a local group (this process is in it, {@link #rank()} and {@link #size()} refer to it)
 * and a remote group: point-to-point ranks ({@link #peerKey}) index the remote group, and {@link #localComm()} is
 * an intracommunicator over the local group with its own context ids, for the local steps of collectives.
 */
public final class Communicator
{
    private final int contextId;
    private final int rank;
    private final long[] localMembers;
    private final long[] remoteMembers;
    private final Communicator localComm;
    private final MessageEndpoint endpoint;
    private volatile String name;
    private volatile boolean freed;
    private int collectiveSequence;
    private int agreementSequence;
    private Object collectiveState;

    /**
     * Intracommunicator.
     *
     * @param contextId point-to-point context id (even); the collective context is {@code contextId + 1}
     * @param rank      this process's rank in {@code members}
     * @param members   process keys ({@link ProcessKeys}) of the group, in rank order
     * @param name      initial name ("MPI_COMM_WORLD")
     */
    public Communicator(final int contextId, final int rank, final long[] members, final String name)
    {
        this(contextId, rank, members, members, null, name);
    }

    /**
     * Intercommunicator.
     *
     * @param localComm intracommunicator over {@code localMembers} (own context ids), used by collectives
     */
    public Communicator(final int contextId, final int rank, final long[] localMembers, final long[] remoteMembers,
        final Communicator localComm, final String name)
    {
        this.contextId = contextId;
        this.rank = rank;
        this.localMembers = localMembers;
        this.remoteMembers = remoteMembers;
        this.localComm = localComm;
        this.endpoint = new MessageEndpoint(contextId, rank, remoteMembers);
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

    /**
     * Number of this process's next collective call on this communicator. Every member calls collectives in the
     * same order, so the numbers agree without messages; collectives fold them into their tags so that several
     * non-blocking collectives in flight never match each other's messages.
     */
    public int nextCollectiveSequence()
    {
        return collectiveSequence++;
    }

    /**
     * Number of this process's next fault-tolerant agreement on this communicator (agree, shrink): counted apart from
     * collectives, whose count may differ between members once a collective failed half-way.
     */
    public int nextAgreementSequence()
    {
        return agreementSequence++;
    }

    /** Rank of this process in the (local) group. */
    public int rank()
    {
        return rank;
    }

    /** Size of the (local) group. */
    public int size()
    {
        return localMembers.length;
    }

    /** Size of the group point-to-point ranks index: the remote group of an intercommunicator. */
    public int remoteSize()
    {
        return remoteMembers.length;
    }

    /** Process key of (local) group member {@code rank}. */
    public long member(final int rank)
    {
        return localMembers[rank];
    }

    /** Process key of the process that point-to-point rank {@code rank} names (remote group if inter). */
    public long peerKey(final int rank)
    {
        return remoteMembers[rank];
    }

    /** The local group's process keys, in rank order. Do not modify. */
    public long[] localMembers()
    {
        return localMembers;
    }

    /** The remote group's process keys (the local group's for an intracommunicator). Do not modify. */
    public long[] remoteMembers()
    {
        return remoteMembers;
    }

    public boolean isInter()
    {
        return remoteMembers != localMembers;
    }

    /** For an intercommunicator, the intracommunicator over its local group; null for an intracommunicator. */
    public Communicator localComm()
    {
        return localComm;
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
        if (collectiveState instanceof CollectiveState state)
        {
            state.release();
        }
        collectiveState = null;
    }

    /**
     * What the collectives keep for this communicator (io.mpi4j.coll's on-node shared segment, or that it has
     * none); null until its first collective. Released when the communicator is freed ({@link CollectiveState}).
     */
    public Object collectiveState()
    {
        return collectiveState;
    }

    public void collectiveState(final Object state)
    {
        collectiveState = state;
    }

    /**
     * This communicator as point-to-point messaging sees it: its point-to-point context id, this process's rank and
     * the processes its ranks name (the remote group if inter), with their peers resolved once.
     */
    public MessageEndpoint endpoint()
    {
        return endpoint;
    }
}
