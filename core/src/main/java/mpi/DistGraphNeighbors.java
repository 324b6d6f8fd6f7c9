package mpi;

/**
 * The adjacency of the calling process in a distributed graph: what {@link GraphComm#getDistGraphNeighbors()}
 * returns. Binds the results of {@code MPI_DIST_GRAPH_NEIGHBORS_COUNT} and {@code MPI_DIST_GRAPH_NEIGHBORS}.
 * Sources and destinations are in the order the neighbourhood collectives use.
 */
public final class DistGraphNeighbors
{
    private final int[] sources;
    private final int[] sourceWeights;
    private final int[] destinations;
    private final int[] destWeights;
    private final boolean weighted;

    DistGraphNeighbors(final int[] sources, final int[] sourceWeights, final int[] destinations,
        final int[] destWeights, final boolean weighted)
    {
        this.sources = sources;
        this.sourceWeights = sourceWeights;
        this.destinations = destinations;
        this.destWeights = destWeights;
        this.weighted = weighted;
    }

    /**
     * Number of edges into this process.
     *
     * @return in-degree
     */
    public int getInDegree()
    {
        return sources.length;
    }

    /**
     * Number of edges out of this process.
     *
     * @return out-degree
     */
    public int getOutDegree()
    {
        return destinations.length;
    }

    /**
     * False if the graph was created with {@code MPI_UNWEIGHTED} (the forms without weights).
     *
     * @return whether weights were given
     */
    public boolean isWeighted()
    {
        return weighted;
    }

    /**
     * A process with an edge to this one.
     *
     * @param i source index, {@code 0..getInDegree()-1}
     * @return its rank
     */
    public int getSource(final int i)
    {
        return sources[i];
    }

    /**
     * The weight of edge {@code i} into this process; 1 when the graph is unweighted.
     *
     * @param i source index
     * @return weight
     */
    public int getSourceWeight(final int i)
    {
        return sourceWeights[i];
    }

    /**
     * A process this one has an edge to.
     *
     * @param i destination index, {@code 0..getOutDegree()-1}
     * @return its rank
     */
    public int getDestination(final int i)
    {
        return destinations[i];
    }

    /**
     * The weight of edge {@code i} out of this process; 1 when the graph is unweighted.
     *
     * @param i destination index
     * @return weight
     */
    public int getDestinationWeight(final int i)
    {
        return destWeights[i];
    }
}
