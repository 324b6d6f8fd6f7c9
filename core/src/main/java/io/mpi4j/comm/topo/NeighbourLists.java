package io.mpi4j.comm.topo;

import io.mpi4j.p2p.PointToPoint;

/**
 * A process's neighbours as the neighbourhood collectives see them: in-neighbours ({@code sources}, whose blocks
 * it receives in this order) and out-neighbours ({@code destinations}, to which it sends in this order).
 * <ul>
 * <li>Cartesian grid: both lists are, dimension by dimension, the neighbour one step back then one step ahead
 * ({@code MPI_Cart_shift(d, 1)}'s source then destination), {@code PROC_NULL} past a non-periodic edge.</li>
 * <li>Graph: both lists are {@code MPI_Graph_neighbors} of the process.</li>
 * <li>Distributed graph: sources and destinations as {@code MPI_Dist_graph_neighbors} returns them.</li>
 * </ul>
 * What a process sends towards a grid neighbour one step ahead is what that neighbour receives from the one step
 * back. In a dimension of one or two processes both neighbours are the same process, so sends go out ahead-first
 * within each dimension ({@link #sendOrder}) while receives are posted back-first: messages between a pair match
 * in posting order, and this pairs them by direction.
 */
public final class NeighbourLists
{
    private final int[] sources;
    private final int[] destinations;
    private final boolean swapPairs;

    private NeighbourLists(final int[] sources, final int[] destinations, final boolean swapPairs)
    {
        this.sources = sources;
        this.destinations = destinations;
        this.swapPairs = swapPairs;
    }

    /** The neighbours of {@code rank} in {@code grid}. */
    public static NeighbourLists cartesian(final CartesianTopology grid, final int rank)
    {
        final int d = grid.dimensionCount();
        final int[] both = new int[2 * d];
        for (int i = 0; i < d; i++)
        {
            both[2 * i] = proc(grid.neighbour(rank, i, -1));
            both[2 * i + 1] = proc(grid.neighbour(rank, i, 1));
        }
        return new NeighbourLists(both, both, true);
    }

    /** The neighbours of {@code rank} in {@code graph}. */
    public static NeighbourLists graph(final GraphTopology graph, final int rank)
    {
        final int[] neighbours = graph.neighbours(rank);
        return new NeighbourLists(neighbours, neighbours, false);
    }

    /** In- and out-neighbours of a distributed graph, in the topology's order. */
    public static NeighbourLists distGraph(final DistGraphTopology graph)
    {
        return new NeighbourLists(graph.sources(), graph.destinations(), false);
    }

    private static int proc(final int rank)
    {
        return CartesianTopology.NO_NEIGHBOUR == rank ? PointToPoint.PROC_NULL : rank;
    }

    /** In-neighbours: receive block {@code i} comes from {@code sources()[i]}. Not to be modified. */
    public int[] sources()
    {
        return sources;
    }

    /** Out-neighbours: send block {@code j} goes to {@code destinations()[j]}. Not to be modified. */
    public int[] destinations()
    {
        return destinations;
    }

    public int inDegree()
    {
        return sources.length;
    }

    public int outDegree()
    {
        return destinations.length;
    }

    /** The out-neighbour index of the {@code k}-th send posted. */
    public int sendOrder(final int k)
    {
        return swapPairs ? k ^ 1 : k;
    }
}
