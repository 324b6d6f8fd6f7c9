package io.mpi4j.comm.topo;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * A general graph ({@code MPI_GRAPH_CREATE}) in the standard's compressed form: {@code index[i]} is the number of
 * edges of nodes {@code 0..i} together, and the neighbours of node {@code i} are
 * {@code edges[index[i-1] .. index[i]-1]}. Self loops and repeated edges are legal, as MPI-2.2 allows them.
 * Immutable, so a duplicate of the communicator shares it.
 */
public final class GraphTopology
{
    private final int[] index;
    private final int[] edges;

    private GraphTopology(final int[] index, final int[] edges)
    {
        this.index = index;
        this.edges = edges;
    }

    /**
     * Validates the arguments of {@code MPI_Graph_create} against a communicator of {@code commSize} processes and
     * builds the graph from private copies of them; entries of {@code edges} past {@code index[nnodes-1]} are
     * ignored, as in C where only that many are read.
     *
     * @throws MpiError ERR_ARG for null arrays, a decreasing or negative index, too few edges or an edge to a node
     *                  that does not exist; ERR_TOPOLOGY for more nodes than the communicator has processes
     */
    public static GraphTopology create(final int[] index, final int[] edges, final int commSize)
    {
        if (null == index || null == edges)
        {
            throw new MpiError(ErrorClass.ERR_ARG, (null == index ? "index" : "edges") + " is null");
        }
        final int nodes = index.length;
        if (nodes > commSize)
        {
            throw new MpiError(ErrorClass.ERR_TOPOLOGY, "the graph has " + nodes +
                " nodes but the communicator has only " + commSize + " processes");
        }
        int previous = 0;
        for (int i = 0; i < nodes; i++)
        {
            if (index[i] < previous)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "index[" + i + "] = " + index[i] + (0 == i ?
                    " is negative" : " is less than index[" + (i - 1) + "] = " + previous) +
                    ": index holds running totals of node degrees");
            }
            previous = index[i];
        }
        final int edgeCount = previous;
        if (edges.length < edgeCount)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "index[" + (nodes - 1) + "] = " + edgeCount +
                " edges are declared but edges has only " + edges.length + " entries");
        }
        for (int j = 0; j < edgeCount; j++)
        {
            if (edges[j] < 0 || edges[j] >= nodes)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "edges[" + j + "] = " + edges[j] +
                    " is not a node of the graph (valid: 0.." + (nodes - 1) + ")");
            }
        }
        final int[] ownEdges = new int[edgeCount];
        System.arraycopy(edges, 0, ownEdges, 0, edgeCount);
        return new GraphTopology(index.clone(), ownEdges);
    }

    /** Number of nodes: the processes of the communicator that carry the graph. */
    public int nodeCount()
    {
        return index.length;
    }

    /** Number of edges, counting each direction stored ({@code MPI_GRAPHDIMS_GET}). */
    public int edgeCount()
    {
        return edges.length;
    }

    /** A copy of the index array ({@code MPI_GRAPH_GET}). */
    public int[] index()
    {
        return index.clone();
    }

    /** A copy of the edges array ({@code MPI_GRAPH_GET}). */
    public int[] edges()
    {
        return edges.clone();
    }

    /**
     * Number of neighbours of {@code rank} ({@code MPI_GRAPH_NEIGHBORS_COUNT}).
     *
     * @throws MpiError ERR_RANK if {@code rank} is not a node
     */
    public int neighbourCount(final int rank)
    {
        checkRank(rank);
        return index[rank] - (0 == rank ? 0 : index[rank - 1]);
    }

    /**
     * The neighbours of {@code rank} in the order given at creation ({@code MPI_GRAPH_NEIGHBORS}).
     *
     * @throws MpiError ERR_RANK if {@code rank} is not a node
     */
    public int[] neighbours(final int rank)
    {
        final int count = neighbourCount(rank);
        final int[] neighbours = new int[count];
        System.arraycopy(edges, 0 == rank ? 0 : index[rank - 1], neighbours, 0, count);
        return neighbours;
    }

    private void checkRank(final int rank)
    {
        if (rank < 0 || rank >= index.length)
        {
            throw new MpiError(ErrorClass.ERR_RANK, "rank " + rank + " is not a node of the graph (valid: 0.." +
                (index.length - 1) + ")");
        }
    }

    @Override
    public String toString()
    {
        return "graph nodes=" + index.length + " edges=" + edges.length;
    }
}
