package io.mpi4j.coll;

import io.mpi4j.comm.topo.NeighbourLists;

/**
 * The neighbourhood collectives ({@code MPI_Neighbor_allgather(v)}, {@code MPI_Neighbor_alltoall(v)} and their
 * non-blocking forms) and the kinds of the collectives {@link Collectives} does not number, as
 * {@link CollectiveSchedule}s. A neighbourhood collective is one round: every receive from an in-neighbour, then
 * every send to an out-neighbour, posted in the order {@link NeighbourLists} gives, so that several edges between
 * the same two processes pair up in order under MPI's non-overtaking rule. Neighbours that are {@code PROC_NULL}
 * (past a non-periodic edge of a grid) exchange nothing; their blocks of the receive buffer stay untouched.
 */
public final class NeighbourCollectives
{
    public static final int ALLTOALLW = 17;
    public static final int NEIGHBOR_ALLGATHER = 18;
    public static final int NEIGHBOR_ALLGATHERV = 19;
    public static final int NEIGHBOR_ALLTOALL = 20;
    public static final int NEIGHBOR_ALLTOALLV = 21;

    private NeighbourCollectives()
    {
    }

    /**
     * Exchange with the neighbours: block {@code j} of the send side ({@code sendOff[j]}, {@code sendLen[j]} bytes)
     * goes to out-neighbour {@code j}, block {@code i} of the receive side comes from in-neighbour {@code i}.
     * An allgather passes the same send block for every out-neighbour.
     */
    public static void exchange(final CollectiveSchedule s, final NeighbourLists n, final Object sendBase,
        final long sendAddress, final long[] sendOff, final long[] sendLen, final Object recvBase,
        final long recvAddress, final long[] recvOff, final long[] recvLen)
    {
        final int[] sources = n.sources();
        for (int i = 0; i < sources.length; i++)
        {
            s.recv(sources[i], recvBase, recvAddress + recvOff[i], recvLen[i]);
        }
        final int[] destinations = n.destinations();
        for (int k = 0; k < destinations.length; k++)
        {
            final int j = n.sendOrder(k);
            s.send(destinations[j], sendBase, sendAddress + sendOff[j], sendLen[j]);
        }
        s.endRound();
    }
}
