package io.mpi4j.comm.topo;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * One process's view of a distributed graph ({@code MPI_DIST_GRAPH_CREATE(_ADJACENT)}): the processes whose edges
 * end here (sources) and those its edges go to (destinations), with the edges' weights. Nobody holds the whole
 * graph. Repeated edges and self loops are legal. Immutable, so a duplicate of the communicator shares it.
 * <p>
 * {@code MPI_Dist_graph_create} lets any process declare any edge; {@link #edgesByProcess} turns the declared
 * edges into one list per process (each edge to both of its ends, once to a self loop's), which an alltoall
 * delivers, and {@link #fromEdges} reads what arrived. Every process orders its edges by the declaring process
 * and then by declaration order, so the two ends of repeated edges between a pair list them alike.
 */
public final class DistGraphTopology
{
    /** Ints per edge in the lists {@link #edgesByProcess} makes: source, destination, weight. */
    public static final int EDGE_INTS = 3;

    private final int[] sources;
    private final int[] sourceWeights;
    private final int[] destinations;
    private final int[] destWeights;
    private final boolean weighted;

    private DistGraphTopology(final int[] sources, final int[] sourceWeights, final int[] destinations,
        final int[] destWeights, final boolean weighted)
    {
        this.sources = sources;
        this.sourceWeights = sourceWeights;
        this.destinations = destinations;
        this.destWeights = destWeights;
        this.weighted = weighted;
    }

    /**
     * The arguments of {@code MPI_Dist_graph_create_adjacent}, validated against a communicator of
     * {@code commSize} processes; weights are null when unweighted ({@code MPI_UNWEIGHTED}), and then read as 1.
     *
     * @throws MpiError ERR_ARG for null or short arrays, ERR_RANK for a rank outside the communicator
     */
    public static DistGraphTopology adjacent(final int[] sources, final int[] sourceWeights,
        final int[] destinations, final int[] destWeights, final int commSize)
    {
        final boolean weighted = null != sourceWeights || null != destWeights;
        if (null == sources || null == destinations)
        {
            throw new MpiError(ErrorClass.ERR_ARG, (null == sources ? "sources" : "destinations") + " is null");
        }
        if (weighted && (null == sourceWeights || null == destWeights))
        {
            throw new MpiError(ErrorClass.ERR_ARG, "only one of sourceWeights and destWeights is given; pass both " +
                "or use the unweighted form");
        }
        checkRanks("sources", sources, sources.length, commSize);
        checkRanks("destinations", destinations, destinations.length, commSize);
        if (weighted)
        {
            checkWeights("sourceWeights", sourceWeights, sources.length);
            checkWeights("destWeights", destWeights, destinations.length);
        }
        return new DistGraphTopology(sources.clone(),
            weighted ? java.util.Arrays.copyOf(sourceWeights, sources.length) : ones(sources.length),
            destinations.clone(),
            weighted ? java.util.Arrays.copyOf(destWeights, destinations.length) : ones(destinations.length),
            weighted);
    }

    /**
     * The edges the calling process declares to {@code MPI_Dist_graph_create}: edges {@code sources[i] ->
     * destinations[k]} for the {@code degrees[i]} entries of node i, sorted into one list of
     * {@link #EDGE_INTS}-int records per process that is an end of them. {@code weights} null means unweighted.
     *
     * @throws MpiError ERR_ARG for null, short or negative arguments, ERR_RANK for a rank outside the communicator
     */
    public static int[][] edgesByProcess(final int[] sources, final int[] degrees, final int[] destinations,
        final int[] weights, final int commSize)
    {
        if (null == sources || null == degrees || null == destinations)
        {
            throw new MpiError(ErrorClass.ERR_ARG,
                (null == sources ? "sources" : null == degrees ? "degrees" : "destinations") + " is null");
        }
        final int n = sources.length;
        if (degrees.length < n)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "degrees has " + degrees.length + " entries for " + n +
                " sources");
        }
        checkRanks("sources", sources, n, commSize);
        long edgeCount = 0;
        for (int i = 0; i < n; i++)
        {
            if (degrees[i] < 0)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "degrees[" + i + "] = " + degrees[i] + " is negative");
            }
            edgeCount += degrees[i];
        }
        if (edgeCount > destinations.length)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "degrees declare " + edgeCount + " edges but destinations has " +
                destinations.length + " entries");
        }
        final int edges = (int)edgeCount;
        checkRanks("destinations", destinations, edges, commSize);
        if (null != weights)
        {
            checkWeights("weights", weights, edges);
        }
        final int[] fill = new int[commSize];
        for (int i = 0, e = 0; i < n; i++)
        {
            for (int k = 0; k < degrees[i]; k++, e++)
            {
                fill[sources[i]]++;
                if (destinations[e] != sources[i])
                {
                    fill[destinations[e]]++;
                }
            }
        }
        final int[][] out = new int[commSize][];
        for (int p = 0; p < commSize; p++)
        {
            out[p] = new int[fill[p] * EDGE_INTS];
            fill[p] = 0;
        }
        for (int i = 0, e = 0; i < n; i++)
        {
            for (int k = 0; k < degrees[i]; k++, e++)
            {
                final int w = null == weights ? 1 : weights[e];
                put(out, fill, sources[i], sources[i], destinations[e], w);
                if (destinations[e] != sources[i])
                {
                    put(out, fill, destinations[e], sources[i], destinations[e], w);
                }
            }
        }
        return out;
    }

    private static void put(final int[][] out, final int[] fill, final int p, final int src, final int dst,
        final int w)
    {
        final int at = fill[p];
        out[p][at] = src;
        out[p][at + 1] = dst;
        out[p][at + 2] = w;
        fill[p] = at + EDGE_INTS;
    }

    /** The view of process {@code rank} from the edge records it received, in the order they arrived. */
    public static DistGraphTopology fromEdges(final int rank, final int[] records, final int length,
        final boolean weighted)
    {
        int in = 0;
        int out = 0;
        for (int at = 0; at < length; at += EDGE_INTS)
        {
            in += records[at + 1] == rank ? 1 : 0;
            out += records[at] == rank ? 1 : 0;
        }
        final int[] sources = new int[in];
        final int[] sourceWeights = new int[in];
        final int[] destinations = new int[out];
        final int[] destWeights = new int[out];
        in = 0;
        out = 0;
        for (int at = 0; at < length; at += EDGE_INTS)
        {
            if (records[at + 1] == rank)
            {
                sources[in] = records[at];
                sourceWeights[in++] = records[at + 2];
            }
            if (records[at] == rank)
            {
                destinations[out] = records[at + 1];
                destWeights[out++] = records[at + 2];
            }
        }
        return new DistGraphTopology(sources, sourceWeights, destinations, destWeights, weighted);
    }

    private static void checkRanks(final String what, final int[] ranks, final int count, final int commSize)
    {
        for (int i = 0; i < count; i++)
        {
            if (ranks[i] < 0 || ranks[i] >= commSize)
            {
                throw new MpiError(ErrorClass.ERR_RANK, what + "[" + i + "] = " + ranks[i] +
                    " is not a rank of the communicator (valid: 0.." + (commSize - 1) + ")");
            }
        }
    }

    private static void checkWeights(final String what, final int[] weights, final int count)
    {
        if (null == weights || weights.length < count)
        {
            throw new MpiError(ErrorClass.ERR_ARG, what + " needs one entry per edge (" + count + ")");
        }
        for (int i = 0; i < count; i++)
        {
            if (weights[i] < 0)
            {
                throw new MpiError(ErrorClass.ERR_ARG, what + "[" + i + "] = " + weights[i] + " is negative");
            }
        }
    }

    private static int[] ones(final int n)
    {
        final int[] out = new int[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }

    /** Processes with an edge to this one, one entry per edge. Not to be modified. */
    public int[] sources()
    {
        return sources;
    }

    /** Processes this one has an edge to, one entry per edge. Not to be modified. */
    public int[] destinations()
    {
        return destinations;
    }

    public int[] sourceWeights()
    {
        return sourceWeights.clone();
    }

    public int[] destWeights()
    {
        return destWeights.clone();
    }

    /** False if the graph was made with {@code MPI_UNWEIGHTED}. */
    public boolean weighted()
    {
        return weighted;
    }

    @Override
    public String toString()
    {
        return "distributed graph in=" + sources.length + " out=" + destinations.length;
    }
}
