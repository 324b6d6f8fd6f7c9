package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.topo.DistGraphTopology;
import io.mpi4j.comm.topo.GraphTopology;
import io.mpi4j.comm.topo.NeighbourLists;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * An intra-communicator with a general graph attached ({@code MPI_GRAPH_CREATE}), or a distributed graph
 * ({@code MPI_DIST_GRAPH_CREATE(_ADJACENT)}, as in Open MPI's binding); a duplicate has the same graph. Made by
 * {@link Intracomm#createGraph(int[], int[], boolean)}, {@link Intracomm#createDistGraph} and
 * {@link Intracomm#createDistGraphAdjacent}.
 */
public final class GraphComm extends Intracomm
{
    static final String OP_GRAPH_CREATE = "MPI_Graph_create";

    private final GraphTopology graph;
    /** Set instead of {@link #graph} on a distributed graph. */
    private final DistGraphTopology distGraph;

    GraphComm(final Communicator state, final Errhandler errhandler, final GraphTopology graph)
    {
        super(USER, state, errhandler);
        this.graph = graph;
        this.distGraph = null;
    }

    GraphComm(final Communicator state, final Errhandler errhandler, final DistGraphTopology distGraph)
    {
        super(USER, state, errhandler);
        this.graph = null;
        this.distGraph = distGraph;
    }

    /** What a process outside the new topology gets, like Open MPI's wrapper of {@code MPI_COMM_NULL}. */
    private static GraphComm nullComm()
    {
        return new GraphComm(NULL, MPI.ERRORS_ARE_FATAL);
    }

    private GraphComm(final int predefined, final Errhandler errhandler)
    {
        super(predefined, null, errhandler);
        this.graph = null;
        this.distGraph = null;
    }

    /**
     * {@code MPI_Graph_create} over {@code parent}: the first {@code index.length} ranks become the nodes in their
     * order ({@code reorder} is allowed to change nothing, and does not); the others get
     * a communicator whose {@code isNull()} is true.
     */
    static GraphComm create(final Intracomm parent, final int[] index, final int[] edges) throws MPIException
    {
        final String op = OP_GRAPH_CREATE;
        final Communicator c = parent.live(op);
        final GraphTopology topology;
        try
        {
            topology = GraphTopology.create(index, edges, c.size());
        }
        catch (final MpiError ex)
        {
            throw parent.raise(op, ex);
        }
        final int rank = c.rank();
        final Intracomm members =
            parent.split(rank < topology.nodeCount() ? 0 : MPI.UNDEFINED, rank);
        return members.isNull() ? nullComm() : new GraphComm(members.live(op), members.getErrhandler(), topology);
    }

    @Override
    int topologyKind()
    {
        return null != distGraph ? MPI.DIST_GRAPH : MPI.GRAPH;
    }

    /**
     * Duplicates this communicator with its graph. Binds {@code MPI_COMM_DUP}; prefer {@link #dup()}, which can
     * throw {@link MPIException}.
     *
     * @return copy of this communicator
     */
    @Override
    public GraphComm clone()
    {
        try
        {
            return dup();
        }
        catch (final MPIException ex)
        {
            throw new RuntimeException(ex.getMessage(), ex);
        }
    }

    /**
     * Duplicates this communicator; the copy has the same graph. Binds {@code MPI_COMM_DUP}.
     *
     * @return copy of this communicator
     * @throws MPIException as {@code Intracomm.dup}
     */
    @Override
    public GraphComm dup() throws MPIException
    {
        return dupAs("MPI_Comm_dup", this::sameGraph);
    }

    /**
     * Duplicates this communicator with hints; the copy has the same topology. Binds
     * {@code MPI_COMM_DUP_WITH_INFO}; mpi4j takes no hints.
     *
     * @param info hints (ignored)
     * @return copy of this communicator
     * @throws MPIException as {@link #dup()}
     */
    @Override
    public GraphComm dupWithInfo(final Info info) throws MPIException
    {
        return dup();
    }

    /**
     * Starts a duplication; the copy has the same topology. Binds {@code MPI_COMM_IDUP}: use the result once
     * {@code getRequest()} on it completes.
     *
     * @return the new communicator
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    @Override
    public GraphComm iDup() throws MPIException
    {
        return iDupAs("MPI_Comm_idup", this::sameGraph);
    }

    /**
     * The whole graph. Binds {@code MPI_GRAPHDIMS_GET} and {@code MPI_GRAPH_GET}.
     *
     * @return index and edges as given at creation
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public GraphParms getDims() throws MPIException
    {
        live("MPI_Graph_get");
        checkGraph("MPI_Graph_get");
        return new GraphParms(graph.index(), graph.edges());
    }

    /**
     * The whole graph; the same as {@link #getDims()}, named like {@link CartComm#getTopo()}. Binds
     * {@code MPI_GRAPH_GET}.
     *
     * @return index and edges as given at creation
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public GraphParms getTopo() throws MPIException
    {
        return getDims();
    }

    /**
     * Neighbours of {@code rank}, in the order given at creation. Binds {@code MPI_GRAPH_NEIGHBORS_COUNT} and
     * {@code MPI_GRAPH_NEIGHBORS}.
     *
     * @param rank node of the graph
     * @return its neighbours
     * @throws MPIException {@code MPI.ERR_RANK} for a rank outside the communicator
     */
    public int[] getNeighbors(final int rank) throws MPIException
    {
        final String op = "MPI_Graph_neighbors";
        live(op);
        checkGraph(op);
        try
        {
            return graph.neighbours(rank);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Rank the calling process would have in a graph of {@code index.length} nodes over this communicator, or
     * {@code MPI.UNDEFINED} if it is not a node. Binds {@code MPI_GRAPH_MAP}; no reordering is done.
     *
     * @param index node degrees as running totals
     * @param edges neighbour lists
     * @return new rank or {@code MPI.UNDEFINED}
     * @throws MPIException as {@code createGraph} for an invalid graph
     */
    public int map(final int[] index, final int[] edges) throws MPIException
    {
        final String op = "MPI_Graph_map";
        final Communicator c = live(op);
        try
        {
            return c.rank() < GraphTopology.create(index, edges, c.size()).nodeCount() ? c.rank() : MPI.UNDEFINED;
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    @Override
    public String toString()
    {
        return super.toString() + " (" + (null != distGraph ? distGraph : graph) + ")";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Distributed graphs and neighbourhood collectives

    private GraphComm sameGraph(final Communicator s)
    {
        return null != distGraph ? new GraphComm(s, null, distGraph) : new GraphComm(s, null, graph);
    }

    /** ERR_TOPOLOGY where a general graph's query meets a distributed graph. */
    private void checkGraph(final String op) throws MPIException
    {
        if (null == graph)
        {
            throw raise(ErrorClass.ERR_TOPOLOGY, op + ": the communicator has a distributed graph topology, not a " +
                "graph topology");
        }
    }

    /**
     * The calling process's neighbours in its distributed graph. Binds {@code MPI_DIST_GRAPH_NEIGHBORS_COUNT} and
     * {@code MPI_DIST_GRAPH_NEIGHBORS}.
     *
     * @return in- and out-neighbours with the edges' weights
     * @throws MPIException {@code MPI.ERR_TOPOLOGY} if the topology is a general graph rather than a distributed
     *                      graph
     */
    public DistGraphNeighbors getDistGraphNeighbors() throws MPIException
    {
        final String op = "MPI_Dist_graph_neighbors";
        live(op);
        if (null == distGraph)
        {
            throw raise(ErrorClass.ERR_TOPOLOGY, op + ": the communicator has a graph topology, not a distributed " +
                "graph topology");
        }
        return new DistGraphNeighbors(distGraph.sources().clone(), distGraph.sourceWeights(),
            distGraph.destinations().clone(), distGraph.destWeights(), distGraph.weighted());
    }

    /** The calling process's neighbours as the neighbourhood collectives exchange with them. */
    NeighbourLists neighbourLists(final Communicator c)
    {
        return null != distGraph ? NeighbourLists.distGraph(distGraph) : NeighbourLists.graph(graph, c.rank());
    }

    /**
     * {@code MPI_Dist_graph_create_adjacent} over {@code parent}: every process is a node and gives its own in-
     * and out-edges; weights null for {@code MPI_UNWEIGHTED}. {@code reorder} changes nothing.
     */
    static GraphComm createDistAdjacent(final Intracomm parent, final int[] sources, final int[] sourceWeights,
        final int[] destinations, final int[] destWeights) throws MPIException
    {
        final String op = "MPI_Dist_graph_create_adjacent";
        final Communicator c = parent.live(op);
        final DistGraphTopology topology;
        try
        {
            topology = DistGraphTopology.adjacent(sources, sourceWeights, destinations, destWeights, c.size());
        }
        catch (final MpiError ex)
        {
            throw parent.raise(op, ex);
        }
        final Intracomm members = parent.split(0, c.rank());
        return new GraphComm(members.live(op), members.getErrhandler(), topology);
    }

    /**
     * {@code MPI_Dist_graph_create} over {@code parent}: each process declares edges from {@code sources[i]} to the
     * next {@code degrees[i]} entries of {@code destinations}; one alltoall over the parent delivers every edge to
     * both of its ends. Weights null for {@code MPI_UNWEIGHTED}.
     */
    static GraphComm createDist(final Intracomm parent, final int[] sources, final int[] degrees,
        final int[] destinations, final int[] weights) throws MPIException
    {
        final String op = "MPI_Dist_graph_create";
        final Communicator c = parent.live(op);
        final int p = c.size();
        final int[][] edges;
        try
        {
            edges = DistGraphTopology.edgesByProcess(sources, degrees, destinations, weights, p);
        }
        catch (final MpiError ex)
        {
            throw parent.raise(op, ex);
        }
        final int[] sendCounts = new int[p];
        final int[] sendDispls = new int[p];
        int total = 0;
        for (int i = 0; i < p; i++)
        {
            sendCounts[i] = edges[i].length;
            sendDispls[i] = total;
            total += edges[i].length;
        }
        final int[] packed = new int[total];
        for (int i = 0; i < p; i++)
        {
            System.arraycopy(edges[i], 0, packed, sendDispls[i], edges[i].length);
        }
        final int[] recvCounts = new int[p];
        parent.allToAll(sendCounts, 1, MPI.INT, recvCounts, 1, MPI.INT);
        final int[] recvDispls = new int[p];
        int received = 0;
        for (int i = 0; i < p; i++)
        {
            recvDispls[i] = received;
            received += recvCounts[i];
        }
        final int[] records = new int[received];
        parent.allToAllv(packed, sendCounts, sendDispls, MPI.INT, records, recvCounts, recvDispls, MPI.INT);
        // MPI_UNWEIGHTED is passed by all processes or by none, so the local choice is everyone's
        final DistGraphTopology topology = DistGraphTopology.fromEdges(c.rank(), records, received, null != weights);
        final Intracomm members = parent.split(0, c.rank());
        return new GraphComm(members.live(op), members.getErrhandler(), topology);
    }
}
