package mpi;

/**
 * The struct of {@link MPI#LONG_INT} ({@code MPI_LONG_INT}): a long value and an int index, for MINLOC and
 * MAXLOC in a ByteBuffer. Use {@link MPI#longInt}.
 */
public final class LongInt extends Struct
{
    private final int longSize;
    private final int indexOffset;
    private final int intSize;

    /**
     * Only {@link MPI} creates the instance, with C's layout of {@code struct { long a; int b; }}.
     *
     * @param longSize bytes of a C long
     * @param intOff   byte offset of the int
     * @param intSize  bytes of a C int
     */
    protected LongInt(final int longSize, final int intOff, final int intSize)
    {
        this.longSize = longSize;
        this.intSize = intSize;
        switch (longSize)
        {
            case 4: addInt(); break;
            case 8: addLong(); break;
            default: throw new AssertionError("Unsupported long size: " + longSize);
        }
        setOffset(intOff);
        switch (intSize)
        {
            case 4: indexOffset = addInt(); break;
            case 8: indexOffset = addLong(); break;
            default: throw new AssertionError("Unsupported int size: " + intSize);
        }
    }

    @Override
    protected LongInt.Data newData()
    {
        return new LongInt.Data();
    }

    /** Reads and writes one pair in a buffer. */
    public final class Data extends Struct.Data
    {
        /** @return the long value */
        public long getValue()
        {
            return 8 == longSize ? getLong(0) : getInt(0);
        }

        /** @return the int index */
        public int getIndex()
        {
            return 4 == intSize ? getInt(indexOffset) : (int)getLong(indexOffset);
        }

        /** @param v the long value */
        public void putValue(final long v)
        {
            if (8 == longSize)
            {
                putLong(0, v);
            }
            else
            {
                putInt(0, (int)v);
            }
        }

        /** @param v the int index */
        public void putIndex(final int v)
        {
            if (4 == intSize)
            {
                putInt(indexOffset, v);
            }
            else
            {
                putLong(indexOffset, v);
            }
        }
    }
}
