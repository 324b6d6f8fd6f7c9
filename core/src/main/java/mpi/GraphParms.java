package mpi;

/**
 * Graph topology of a communicator as {@link GraphComm#getDims()} reports it ({@code MPI_GRAPHDIMS_GET},
 * {@code MPI_GRAPH_GET}): {@code getIndex(i)} is the total degree of nodes {@code 0..i}, and the neighbours of
 * node {@code i} are {@code getEdge(getIndex(i-1)) .. getEdge(getIndex(i)-1)}.
 */
public final class GraphParms
{
    private final int[] index;
    private final int[] edges;

    GraphParms(final int[] index, final int[] edges)
    {
        this.index = index;
        this.edges = edges;
    }

    /**
     * Number of nodes.
     *
     * @return number of nodes
     */
    public int getIndexCount()
    {
        return index.length;
    }

    /**
     * Running total of node degrees up to node {@code i}.
     *
     * @param i node
     * @return index entry
     */
    public int getIndex(final int i)
    {
        return index[i];
    }

    /**
     * Number of edges.
     *
     * @return number of edges
     */
    public int getEdgeCount()
    {
        return edges.length;
    }

    /**
     * Edge {@code i}: the neighbour stored at that position.
     *
     * @param i position in the edge list
     * @return neighbouring node
     */
    public int getEdge(final int i)
    {
        return edges[i];
    }
}
