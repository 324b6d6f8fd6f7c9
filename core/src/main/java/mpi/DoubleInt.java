package mpi;

/**
 * The struct of {@link MPI#DOUBLE_INT} ({@code MPI_DOUBLE_INT}): a double value and an int index, for MINLOC and MAXLOC
 * in a ByteBuffer. Use {@link MPI#doubleInt}.
 */
public final class DoubleInt extends Struct
{
    private final int indexOffset;
    private final int intSize;

    /**
     * Only {@link MPI} creates the instance, with C's layout of {@code struct { double a; int b; }}.
     *
     * @param intOff  byte offset of the int
     * @param intSize bytes of a C int
     */
    protected DoubleInt(final int intOff, final int intSize)
    {
        this.intSize = intSize;
        addDouble();
        setOffset(intOff);
        switch (intSize)
        {
            case 4: indexOffset = addInt(); break;
            case 8: indexOffset = addLong(); break;
            default: throw new AssertionError("Unsupported int size: " + intSize);
        }
    }

    @Override
    protected DoubleInt.Data newData()
    {
        return new DoubleInt.Data();
    }

    /** Reads and writes one pair in a buffer. */
    public final class Data extends Struct.Data
    {
        /** @return the double value */
        public double getValue()
        {
            return getDouble(0);
        }

        /** @return the int index */
        public int getIndex()
        {
            return 4 == intSize ? getInt(indexOffset) : (int)getLong(indexOffset);
        }

        /** @param v the double value */
        public void putValue(final double v)
        {
            putDouble(0, v);
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
