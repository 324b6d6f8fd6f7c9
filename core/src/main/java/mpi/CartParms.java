package mpi;

/**
 * Cartesian topology of a communicator as {@link CartComm#getTopo()} reports it ({@code MPI_CART_GET}): dimensions,
 * periodicity and the calling process's coordinates.
 */
public final class CartParms
{
    private final int[] dims;
    private final boolean[] periods;
    private final int[] coords;

    CartParms(final int[] dims, final boolean[] periods, final int[] coords)
    {
        this.dims = dims;
        this.periods = periods;
        this.coords = coords;
    }

    /**
     * Number of dimensions ({@code MPI_CARTDIM_GET}).
     *
     * @return number of dimensions
     */
    public int getDimCount()
    {
        return dims.length;
    }

    /**
     * Number of processes along dimension {@code i}.
     *
     * @param i dimension
     * @return extent of the dimension
     */
    public int getDim(final int i)
    {
        return dims[i];
    }

    /**
     * Whether dimension {@code i} wraps around.
     *
     * @param i dimension
     * @return true if periodic
     */
    public boolean getPeriod(final int i)
    {
        return periods[i];
    }

    /**
     * Coordinate of the calling process along dimension {@code i}.
     *
     * @param i dimension
     * @return coordinate
     */
    public int getCoord(final int i)
    {
        return coords[i];
    }
}
