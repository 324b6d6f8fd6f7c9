package mpi;

import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.StatusRecord;

/**
 * What a receive, probe or wait learned about a message ({@code MPI_Status}). Created only by MPI calls.
 */
public final class Status
{
    /** Per-thread record the engine fills during blocking calls, so a receive allocates only its Status. */
    private static final ThreadLocal<StatusRecord> SCRATCH = ThreadLocal.withInitial(StatusRecord::new);

    int source;
    int tag;
    int error;
    int index = MPI.UNDEFINED;
    long byteCount;
    boolean cancelled;

    Status()
    {
    }

    static StatusRecord scratch()
    {
        return SCRATCH.get().clear();
    }

    Status load(final StatusRecord record)
    {
        source = record.source;
        tag = record.tag;
        error = record.error;
        byteCount = record.byteCount;
        cancelled = record.cancelled;
        return this;
    }

    /** The status of a wait on an inactive request: any source, any tag, nothing received. */
    static Status empty()
    {
        final Status status = new Status();
        status.source = MPI.ANY_SOURCE;
        status.tag = MPI.ANY_TAG;
        return status;
    }

    /**
     * Number of items of {@code datatype} received. Binds {@code MPI_GET_COUNT}.
     *
     * @param datatype datatype of the receive buffer
     * @return item count, or {@code MPI.UNDEFINED} if the message is not a whole number of items
     * @throws MPIException if MPI is not initialized or {@code datatype} is null
     */
    public int getCount(final Datatype datatype) throws MPIException
    {
        MPI.check("MPI_Get_count");
        return divide("MPI_Get_count", datatype, null == datatype ? 0 : datatype.byteSize);
    }

    /**
     * Number of basic elements received. Binds {@code MPI_GET_ELEMENTS}.
     *
     * @param datatype datatype of the receive buffer
     * @return element count, or {@code MPI.UNDEFINED} if the message is not a whole number of elements
     * @throws MPIException if MPI is not initialized or {@code datatype} is null
     */
    public int getElements(final Datatype datatype) throws MPIException
    {
        MPI.check("MPI_Get_elements");
        final long elements = elements("MPI_Get_elements", datatype);
        return elements < 0 || elements > Integer.MAX_VALUE ? MPI.UNDEFINED : (int)elements;
    }

    /**
     * Number of basic elements received, as a {@link Count}. Binds {@code MPI_GET_ELEMENTS_X}.
     *
     * @param datatype datatype of the receive buffer
     * @return element count, {@code MPI.UNDEFINED} if the message ends inside a basic element
     * @throws MPIException if MPI is not initialized or {@code datatype} is null
     */
    public Count getElementsX(final Datatype datatype) throws MPIException
    {
        MPI.check("MPI_Get_elements_x");
        final long elements = elements("MPI_Get_elements_x", datatype);
        return new Count(elements < 0 ? MPI.UNDEFINED : elements);
    }

    /**
     * Makes the status say that {@code count} basic elements of {@code datatype} were received. Binds
     * {@code MPI_STATUS_SET_ELEMENTS}.
     *
     * @param datatype datatype the elements are counted in
     * @param count    number of basic elements
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for a null type, {@code MPI.ERR_COUNT}
     *                      for a negative count
     */
    public void setElements(final Datatype datatype, final int count) throws MPIException
    {
        MPI.check("MPI_Status_set_elements");
        setElements("MPI_Status_set_elements", datatype, count);
    }

    /**
     * Makes the status say that {@code count} basic elements of {@code datatype} were received. Binds
     * {@code MPI_STATUS_SET_ELEMENTS_X}.
     *
     * @param datatype datatype the elements are counted in
     * @param count    number of basic elements
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for a null type, {@code MPI.ERR_COUNT}
     *                      for a null or negative count
     */
    public void setElementsX(final Datatype datatype, final Count count) throws MPIException
    {
        MPI.check("MPI_Status_set_elements_x");
        if (null == count)
        {
            throw new MPIException(ErrorClass.ERR_COUNT, "MPI_Status_set_elements_x: count is null");
        }
        setElements("MPI_Status_set_elements_x", datatype, count.getCount());
    }

    private void setElements(final String op, final Datatype datatype, final long count) throws MPIException
    {
        requireType(op, datatype);
        if (count < 0)
        {
            throw new MPIException(ErrorClass.ERR_COUNT, op + ": count " + count + " is negative");
        }
        final TypeMap map = datatype.typeMap();
        final long perItem = map.elementCount();
        byteCount = 0 == perItem ? 0 :
            count / perItem * datatype.byteSize + map.bytesOfElements(count % perItem);
    }

    /**
     * Marks the operation as cancelled or not. Binds {@code MPI_STATUS_SET_CANCELLED}.
     *
     * @param flag whether {@link #isCancelled()} is to say true
     * @throws MPIException if MPI is not initialized
     */
    public void setCancelled(final boolean flag) throws MPIException
    {
        MPI.check("MPI_Status_set_cancelled");
        cancelled = flag;
    }

    /**
     * Basic elements of {@code datatype} in the received bytes, or -1 if they end inside one. Items are
     * {@code byteSize} apart in a message: a predefined pair type travels with its padding, after its elements.
     */
    private long elements(final String op, final Datatype datatype) throws MPIException
    {
        requireType(op, datatype);
        if (0 == byteCount)
        {
            return 0;
        }
        final TypeMap map = datatype.typeMap();
        if (0 == datatype.byteSize)
        {
            return -1;
        }
        final long rest = byteCount % datatype.byteSize;
        if (rest > map.size())
        {
            return -1;
        }
        final long partial = map.elementsIn(rest);
        return partial < 0 ? -1 : byteCount / datatype.byteSize * map.elementCount() + partial;
    }

    private static void requireType(final String op, final Datatype datatype) throws MPIException
    {
        if (null == datatype || datatype.baseType == Datatype.NULL)
        {
            throw new MPIException(ErrorClass.ERR_TYPE, op + ": datatype is null or MPI_DATATYPE_NULL");
        }
    }

    private int divide(final String op, final Datatype datatype, final int unitBytes) throws MPIException
    {
        requireType(op, datatype);
        return items(byteCount, unitBytes);
    }

    /** Whole units of {@code unitBytes} in {@code byteCount} bytes, or {@code MPI.UNDEFINED}. */
    static int items(final long byteCount, final int unitBytes)
    {
        if (0 == byteCount)
        {
            return 0;
        }
        if (0 == unitBytes)
        {
            return MPI.UNDEFINED;
        }
        final long items = byteCount / unitBytes;
        if (items * unitBytes != byteCount || items > Integer.MAX_VALUE)
        {
            return MPI.UNDEFINED;
        }
        return (int)items;
    }

    /**
     * Whether the operation was cancelled. Binds {@code MPI_TEST_CANCELLED}.
     *
     * @return true if the operation was cancelled
     * @throws MPIException if MPI is not initialized
     */
    public boolean isCancelled() throws MPIException
    {
        MPI.check("MPI_Test_cancelled");
        return cancelled;
    }

    /**
     * Rank of the sender ({@code MPI_SOURCE}).
     *
     * @return source rank
     */
    public int getSource()
    {
        return source;
    }

    /**
     * Tag of the message ({@code MPI_TAG}).
     *
     * @return tag
     */
    public int getTag()
    {
        return tag;
    }

    /**
     * Error class of the operation ({@code MPI_ERROR}).
     *
     * @return error class
     */
    public int getError()
    {
        return error;
    }

    /**
     * Index of the completed request in the array given to {@code waitAnyStatus}/{@code waitSomeStatus}/...
     *
     * @return index, or {@code MPI.UNDEFINED}
     */
    public int getIndex()
    {
        return index;
    }

    @Override
    public String toString()
    {
        return "Status(source=" + source + ", tag=" + tag + ", error=" + error + ", bytes=" + byteCount +
            (cancelled ? ", cancelled" : "") + ")";
    }
}
