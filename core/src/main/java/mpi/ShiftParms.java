package mpi;

/**
 * Result of {@link CartComm#shift(int, int)} ({@code MPI_CART_SHIFT}): the rank to receive from and the rank to send
 * to; either is {@code MPI.PROC_NULL} past a non-periodic edge, so it can go straight into {@code sendRecv}.
 */
public final class ShiftParms
{
    private final int rankSource;
    private final int rankDest;

    ShiftParms(final int rankSource, final int rankDest)
    {
        this.rankSource = rankSource;
        this.rankDest = rankDest;
    }

    /**
     * Rank of the source process.
     *
     * @return source rank or {@code MPI.PROC_NULL}
     */
    public int getRankSource()
    {
        return rankSource;
    }

    /**
     * Rank of the destination process.
     *
     * @return destination rank or {@code MPI.PROC_NULL}
     */
    public int getRankDest()
    {
        return rankDest;
    }
}
