package io.mpi4j.p2p;

/**
 * A communicator as point-to-point messaging sees it: the context id its messages carry, this process's rank (the
 * source rank of what it sends), and the processes its ranks name, with the {@link Peer} of each resolved on first
 * use and kept, so a send costs an array load rather than a lookup. The layers above create one per communicator
 * and pass it to every call of {@link PointToPoint}; explicit-context calls ({@link PointToPoint#isendOn}) use its
 * ranks and peers with another context id.
 * <p>
 * Ranks index the processes messages go to and come from: for an intercommunicator, the remote group, while
 * {@link #rank()} is this process's rank in the local group.
 */
public final class MessageEndpoint
{
    private final int contextId;
    private final int rank;
    private final long[] processKeys;
    private final Peer[] peers;
    /** How many of the process failures learnt so far this communicator acknowledged (MPI_Comm_failure_ack). */
    int acknowledgedFailures;

    /**
     * @param contextId   context id of point-to-point messages
     * @param rank        this process's rank, the source rank of its messages
     * @param processKeys process key of each rank messages are sent to and received from; kept, not copied
     */
    public MessageEndpoint(final int contextId, final int rank, final long[] processKeys)
    {
        this.contextId = contextId;
        this.rank = rank;
        this.processKeys = processKeys;
        this.peers = new Peer[processKeys.length];
    }

    public int contextId()
    {
        return contextId;
    }

    public int rank()
    {
        return rank;
    }

    /** Number of ranks messages can be sent to. */
    public int size()
    {
        return processKeys.length;
    }

    /** Process key of rank {@code rank}. */
    public long processKey(final int rank)
    {
        return processKeys[rank];
    }

    /** The peer of {@code rank}, resolved through {@code resolver} the first time; under the engine's lock. */
    Peer peer(final int rank, final PeerResolver resolver)
    {
        Peer peer = peers[rank];
        if (null == peer)
        {
            peer = resolver.resolve(processKeys[rank]);
            peers[rank] = peer;
        }
        return peer;
    }
}
