package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.topo.GraphTopology;
import io.mpi4j.errors.MpiError;

/**
 * An intra-communicator with a general graph attached ({@code MPI_GRAPH_CREATE}); a duplicate has the same graph.
 * Made by {@link Intracomm#createGraph(int[], int[], boolean)}.
 */
public final class GraphComm extends Intracomm
{
    static final String OP_GRAPH_CREATE = "MPI_Graph_create";

    private final GraphTopology graph;

    GraphComm(final Communicator state, final Errhandler errhandler, final GraphTopology graph)
    {
        super(USER, state, errhandler);
        this.graph = graph;
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
        return MPI.GRAPH;
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
        return dupAs("MPI_Comm_dup", s -> new GraphComm(s, null, graph));
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
        return iDupAs("MPI_Comm_idup", s -> new GraphComm(s, null, graph));
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
        return super.toString() + " (" + graph + ")";
    }
}
