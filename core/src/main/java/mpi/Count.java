package mpi;

/**
 * A count that may exceed an {@code int} ({@code MPI_Count}), as {@link Status#getElementsX} returns and
 * {@link Status#setElementsX} takes. A mutable holder, equal to another holding the same value.
 */
public final class Count implements Comparable
{
    private long count;

    /**
     * A count of {@code count}.
     *
     * @param count the value
     */
    public Count(final long count)
    {
        this.count = count;
    }

    /**
     * The value.
     *
     * @return the value
     */
    public long getCount()
    {
        return count;
    }

    /**
     * Replaces the value.
     *
     * @param count the new value
     */
    public void setCount(final long count)
    {
        this.count = count;
    }

    @Override
    public boolean equals(final Object obj)
    {
        return obj instanceof Count && ((Count)obj).count == count;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(count);
    }

    /** Orders by value; anything that is not a {@code Count} sorts first. */
    @Override
    public int compareTo(final Object obj)
    {
        return obj instanceof Count ? Long.compare(count, ((Count)obj).count) : 1;
    }

    @Override
    public String toString()
    {
        return Long.toString(count);
    }
}
