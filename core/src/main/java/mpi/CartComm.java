package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.topo.CartesianTopology;
import io.mpi4j.comm.topo.DimsCreate;
import io.mpi4j.comm.topo.NeighbourLists;
import io.mpi4j.errors.MpiError;

/**
 * An intra-communicator with a Cartesian grid attached ({@code MPI_CART_CREATE}). Ranks follow the grid in row-major
 * order (the last coordinate varies fastest); a duplicate has the same grid. Made by
 * {@link Intracomm#createCart(int[], boolean[], boolean)} and {@link #sub(boolean[])}.
 */
public final class CartComm extends Intracomm
{
    static final String OP_CART_CREATE = "MPI_Cart_create";

    private final CartesianTopology topology;

    CartComm(final Communicator state, final Errhandler errhandler, final CartesianTopology topology)
    {
        super(USER, state, errhandler);
        this.topology = topology;
    }

    /** What a process outside the new topology gets, like Open MPI's wrapper of {@code MPI_COMM_NULL}. */
    private static CartComm nullComm()
    {
        return new CartComm(NULL, MPI.ERRORS_ARE_FATAL);
    }

    private CartComm(final int predefined, final Errhandler errhandler)
    {
        super(predefined, null, errhandler);
        this.topology = null;
    }

    /**
     * {@code MPI_Cart_create} over {@code parent}: the first {@code product(dims)} ranks form the grid in their
     * order ({@code reorder} is allowed to change nothing, and does not); the others get
     * a communicator whose {@code isNull()} is true.
     */
    static CartComm create(final Intracomm parent, final int[] dims, final boolean[] periods)
        throws MPIException
    {
        final String op = OP_CART_CREATE;
        final Communicator c = parent.live(op);
        final CartesianTopology grid;
        try
        {
            grid = CartesianTopology.create(dims, periods, c.size());
        }
        catch (final MpiError ex)
        {
            throw parent.raise(op, ex);
        }
        final int rank = c.rank();
        final Intracomm members = parent.split(rank < grid.size() ? 0 : MPI.UNDEFINED, rank);
        return members.isNull() ? nullComm() : new CartComm(members.live(op), members.getErrhandler(), grid);
    }

    @Override
    int topologyKind()
    {
        return MPI.CART;
    }

    /**
     * Duplicates this communicator with its grid. Binds {@code MPI_COMM_DUP}; prefer {@link #dup()}, which can
     * throw {@link MPIException}.
     *
     * @return copy of this communicator
     */
    @Override
    public CartComm clone()
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
     * Duplicates this communicator; the copy has the same Cartesian grid. Binds {@code MPI_COMM_DUP}.
     *
     * @return copy of this communicator
     * @throws MPIException as {@code Intracomm.dup}
     */
    @Override
    public CartComm dup() throws MPIException
    {
        return dupAs("MPI_Comm_dup", s -> new CartComm(s, null, topology));
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
    public CartComm dupWithInfo(final Info info) throws MPIException
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
    public CartComm iDup() throws MPIException
    {
        return iDupAs("MPI_Comm_idup", s -> new CartComm(s, null, topology));
    }

    /**
     * Number of dimensions of the grid. Binds {@code MPI_CARTDIM_GET}.
     *
     * @return number of dimensions
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public int getDim() throws MPIException
    {
        live("MPI_Cartdim_get");
        return topology.dimensionCount();
    }

    /**
     * The grid and the caller's place in it. Binds {@code MPI_CARTDIM_GET} and {@code MPI_CART_GET}.
     *
     * @return dimensions, periods and the calling process's coordinates
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    public CartParms getTopo() throws MPIException
    {
        final Communicator c = live("MPI_Cart_get");
        return new CartParms(topology.dims(), topology.periods(), topology.coords(c.rank()));
    }

    /**
     * Rank of the process at {@code coords}; coordinates in periodic dimensions wrap around. Binds
     * {@code MPI_CART_RANK}.
     *
     * @param coords one coordinate per dimension
     * @return rank in this communicator
     * @throws MPIException {@code MPI.ERR_ARG} for a wrong-length array, {@code MPI.ERR_RANK} for a coordinate
     *                      outside a non-periodic dimension
     */
    public int getRank(final int[] coords) throws MPIException
    {
        final String op = "MPI_Cart_rank";
        live(op);
        try
        {
            return topology.rank(coords);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Coordinates of {@code rank} in the grid. Binds {@code MPI_CART_COORDS}.
     *
     * @param rank rank in this communicator
     * @return one coordinate per dimension
     * @throws MPIException {@code MPI.ERR_RANK} for a rank outside the communicator
     */
    public int[] getCoords(final int rank) throws MPIException
    {
        final String op = "MPI_Cart_coords";
        live(op);
        try
        {
            return topology.coords(rank);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Neighbours for a shift of {@code disp} steps along {@code direction}: the destination is {@code disp} steps
     * ahead, the source {@code disp} steps behind, {@code MPI.PROC_NULL} past a non-periodic edge. Binds
     * {@code MPI_CART_SHIFT}.
     *
     * @param direction dimension to shift along
     * @param disp      displacement, positive or negative
     * @return source and destination ranks
     * @throws MPIException {@code MPI.ERR_ARG} for a direction that is not a dimension
     */
    public ShiftParms shift(final int direction, final int disp) throws MPIException
    {
        final String op = "MPI_Cart_shift";
        final Communicator c = live(op);
        try
        {
            final int rank = c.rank();
            return new ShiftParms(
                procNullAtEdge(topology.neighbour(rank, direction, -disp)),
                procNullAtEdge(topology.neighbour(rank, direction, disp)));
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    private static int procNullAtEdge(final int rank)
    {
        return CartesianTopology.NO_NEIGHBOUR == rank ? MPI.PROC_NULL : rank;
    }

    /**
     * Splits the grid into sub-grids of the dimensions kept; each process gets the sub-grid through its own
     * position, with ranks in row-major order of the kept coordinates. Dropping every dimension gives each process
     * a zero-dimensional grid of itself. Collective. Binds {@code MPI_CART_SUB}.
     *
     * @param remainDims per dimension, true to keep it
     * @return the sub-grid containing the calling process
     * @throws MPIException {@code MPI.ERR_ARG} for a wrong-length array
     */
    public CartComm sub(final boolean[] remainDims) throws MPIException
    {
        final String op = "MPI_Cart_sub";
        final Communicator c = live(op);
        final CartesianTopology subGrid;
        final int colour;
        final int key;
        try
        {
            subGrid = topology.sub(remainDims);
            colour = topology.subGridColour(c.rank(), remainDims);
            key = topology.subGridRank(c.rank(), remainDims);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        final Intracomm members = split(colour, key);
        return new CartComm(members.live(op), members.getErrhandler(), subGrid);
    }

    /**
     * Rank the calling process would have on a grid of {@code dims} laid over this communicator, or
     * {@code MPI.UNDEFINED} if it falls outside. Binds {@code MPI_CART_MAP}; no reordering is done.
     *
     * @param dims    extent of each dimension
     * @param periods periodicity of each dimension
     * @return new rank or {@code MPI.UNDEFINED}
     * @throws MPIException as {@code createCart} for invalid dims
     */
    public int map(final int[] dims, final boolean[] periods) throws MPIException
    {
        final String op = "MPI_Cart_map";
        final Communicator c = live(op);
        try
        {
            return c.rank() < CartesianTopology.create(dims, periods, c.size()).size() ? c.rank() : MPI.UNDEFINED;
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Chooses a balanced grid: zero entries of {@code dims} are replaced so that the product of all entries is
     * {@code nnodes}, as close to each other as possible and in non-increasing order; positive entries are kept.
     * Binds {@code MPI_DIMS_CREATE}.
     *
     * @param nnodes number of processes in the grid
     * @param dims   per dimension, a fixed extent or 0 to choose; filled in place
     * @throws MPIException {@code MPI.ERR_DIMS} if no grid fits (negative entries, fixed entries that do not
     *                      divide {@code nnodes})
     */
    public static void createDims(final int nnodes, final int[] dims) throws MPIException
    {
        final String op = "MPI_Dims_create";
        MPI.check(op);
        try
        {
            DimsCreate.fill(nnodes, dims);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(op, ex);
        }
    }

    @Override
    public String toString()
    {
        return super.toString() + " (" + topology + ")";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Neighbourhood collectives

    /** The calling process's neighbours as the neighbourhood collectives exchange with them. */
    NeighbourLists neighbourLists(final Communicator c)
    {
        return NeighbourLists.cartesian(topology, c.rank());
    }
}
