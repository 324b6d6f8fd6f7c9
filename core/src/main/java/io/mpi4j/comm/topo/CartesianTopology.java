package io.mpi4j.comm.topo;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * A Cartesian grid ({@code MPI_CART_CREATE}): ranks are laid out in row-major order, the last coordinate varying
 * fastest, as the MPI standard fixes it; a grid of zero dimensions has one process. Immutable, so a duplicate of
 * the communicator shares it.
 */
public final class CartesianTopology
{
    /** Neighbour of a shift that falls off a non-periodic edge; the facade maps it to {@code MPI.PROC_NULL}. */
    public static final int NO_NEIGHBOUR = -2;

    private final int[] dims;
    private final boolean[] periods;
    private final int size;

    private CartesianTopology(final int[] dims, final boolean[] periods, final int size)
    {
        this.dims = dims;
        this.periods = periods;
        this.size = size;
    }

    /**
     * Validates the arguments of {@code MPI_Cart_create} against a communicator of {@code commSize} processes and
     * builds the grid from private copies of them.
     *
     * @throws MpiError ERR_ARG for null or mismatched arrays, ERR_DIMS for a dimension below one, ERR_TOPOLOGY if
     *                  the grid needs more processes than the communicator has
     */
    public static CartesianTopology create(final int[] dims, final boolean[] periods, final int commSize)
    {
        if (null == dims || null == periods)
        {
            throw new MpiError(ErrorClass.ERR_ARG, (null == dims ? "dims" : "periods") + " is null");
        }
        if (dims.length != periods.length)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "dims has " + dims.length + " entries but periods has " +
                periods.length + " (one per dimension each)");
        }
        long product = 1;
        for (int i = 0; i < dims.length; i++)
        {
            if (dims[i] <= 0)
            {
                throw new MpiError(ErrorClass.ERR_DIMS, "dims[" + i + "] = " + dims[i] +
                    " is invalid: every dimension needs at least one process");
            }
            product *= dims[i];
            if (product > commSize)
            {
                break;
            }
        }
        if (product > commSize)
        {
            throw new MpiError(ErrorClass.ERR_TOPOLOGY, "the grid " + describe(dims) + " needs " +
                (product > Integer.MAX_VALUE ? "more than " + Integer.MAX_VALUE : String.valueOf(product)) +
                " processes but the communicator has only " + commSize);
        }
        return new CartesianTopology(dims.clone(), periods.clone(), (int)product);
    }

    /** Number of dimensions ({@code MPI_CARTDIM_GET}). */
    public int dimensionCount()
    {
        return dims.length;
    }

    /** Number of processes in the grid: the product of the dimensions. */
    public int size()
    {
        return size;
    }

    public int dim(final int dimension)
    {
        return dims[dimension];
    }

    public boolean periodic(final int dimension)
    {
        return periods[dimension];
    }

    /** A copy of the dimensions. */
    public int[] dims()
    {
        return dims.clone();
    }

    /** A copy of the periodicity flags. */
    public boolean[] periods()
    {
        return periods.clone();
    }

    /**
     * Rank at {@code coords} ({@code MPI_CART_RANK}); coordinates of periodic dimensions wrap around.
     *
     * @throws MpiError ERR_ARG for a null or wrong-length array, ERR_RANK for a coordinate outside a non-periodic
     *                  dimension
     */
    public int rank(final int[] coords)
    {
        if (null == coords || coords.length != dims.length)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "coords must have " + dims.length + " entries, one per dimension" +
                (null == coords ? " (got null)" : " (got " + coords.length + ")"));
        }
        int rank = 0;
        for (int i = 0; i < dims.length; i++)
        {
            int c = coords[i];
            final int d = dims[i];
            if (c < 0 || c >= d)
            {
                if (!periods[i])
                {
                    throw new MpiError(ErrorClass.ERR_RANK, "coords[" + i + "] = " + c +
                        " is outside the non-periodic dimension " + i + " (valid: 0.." + (d - 1) + ")");
                }
                c = Math.floorMod(c, d);
            }
            rank = rank * d + c;
        }
        return rank;
    }

    /**
     * Coordinates of {@code rank} ({@code MPI_CART_COORDS}).
     *
     * @throws MpiError ERR_RANK if {@code rank} is not in the grid
     */
    public int[] coords(final int rank)
    {
        checkRank(rank);
        final int[] coords = new int[dims.length];
        int rest = rank;
        for (int i = dims.length - 1; i >= 0; i--)
        {
            coords[i] = rest % dims[i];
            rest /= dims[i];
        }
        return coords;
    }

    /**
     * The rank {@code disp} steps from {@code rank} along {@code direction}, or {@link #NO_NEIGHBOUR} past a
     * non-periodic edge. {@code MPI_CART_SHIFT}'s destination is {@code neighbour(rank, direction, disp)}, its
     * source {@code neighbour(rank, direction, -disp)}.
     *
     * @throws MpiError ERR_ARG for a direction outside {@code 0..dimensionCount()-1}, ERR_RANK for a rank outside
     *                  the grid
     */
    public int neighbour(final int rank, final int direction, final int disp)
    {
        checkDirection(direction);
        checkRank(rank);
        final int d = dims[direction];
        int stride = 1;
        for (int i = dims.length - 1; i > direction; i--)
        {
            stride *= dims[i];
        }
        final int coord = (rank / stride) % d;
        long moved = (long)coord + disp;
        if (moved < 0 || moved >= d)
        {
            if (!periods[direction])
            {
                return NO_NEIGHBOUR;
            }
            moved = Math.floorMod(moved, (long)d);
        }
        return rank + (int)(moved - coord) * stride;
    }

    /** Throws ERR_ARG unless {@code direction} names a dimension; shift is the only caller that takes one. */
    public void checkDirection(final int direction)
    {
        if (direction < 0 || direction >= dims.length)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "direction " + direction + " is not a dimension of the grid " +
                describe(dims) + (dims.length == 0 ? " (it has none)" : " (valid: 0.." + (dims.length - 1) + ")"));
        }
    }

    /**
     * The grid of the dimensions {@code remainDims} keeps ({@code MPI_CART_SUB}): the result's dims and periods.
     *
     * @throws MpiError ERR_ARG for a null or wrong-length array
     */
    public CartesianTopology sub(final boolean[] remainDims)
    {
        checkRemainDims(remainDims);
        int kept = 0;
        for (final boolean keep : remainDims)
        {
            kept += keep ? 1 : 0;
        }
        final int[] subDims = new int[kept];
        final boolean[] subPeriods = new boolean[kept];
        int product = 1;
        for (int i = 0, j = 0; i < dims.length; i++)
        {
            if (remainDims[i])
            {
                subDims[j] = dims[i];
                subPeriods[j++] = periods[i];
                product *= dims[i];
            }
        }
        return new CartesianTopology(subDims, subPeriods, product);
    }

    /**
     * Which sub-grid {@code rank} falls in: the row-major index of its coordinates in the dropped dimensions. Every
     * process of one sub-grid gets the same value, so it is a split colour.
     */
    public int subGridColour(final int rank, final boolean[] remainDims)
    {
        return linearIndex(rank, remainDims, false);
    }

    /**
     * Rank of {@code rank} inside its sub-grid: the row-major index of its coordinates in the kept dimensions,
     * which is the rank the sub-grid's own topology gives those coordinates. Used as the split key.
     */
    public int subGridRank(final int rank, final boolean[] remainDims)
    {
        return linearIndex(rank, remainDims, true);
    }

    private int linearIndex(final int rank, final boolean[] remainDims, final boolean kept)
    {
        checkRemainDims(remainDims);
        final int[] coords = coords(rank);
        int index = 0;
        for (int i = 0; i < dims.length; i++)
        {
            if (remainDims[i] == kept)
            {
                index = index * dims[i] + coords[i];
            }
        }
        return index;
    }

    private void checkRemainDims(final boolean[] remainDims)
    {
        if (null == remainDims || remainDims.length != dims.length)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "remainDims must have " + dims.length +
                " entries, one per dimension" + (null == remainDims ? " (got null)" : " (got " +
                remainDims.length + ")"));
        }
    }

    private void checkRank(final int rank)
    {
        if (rank < 0 || rank >= size)
        {
            throw new MpiError(ErrorClass.ERR_RANK, "rank " + rank + " is not in the grid " + describe(dims) +
                " (valid: 0.." + (size - 1) + ")");
        }
    }

    static String describe(final int[] dims)
    {
        if (0 == dims.length)
        {
            return "[] (zero dimensions)";
        }
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < dims.length; i++)
        {
            text.append(0 == i ? "" : "x").append(dims[i]);
        }
        return text.toString();
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("cart ").append(describe(dims)).append(" periods=");
        for (final boolean p : periods)
        {
            text.append(p ? 'T' : 'F');
        }
        return text.toString();
    }
}
