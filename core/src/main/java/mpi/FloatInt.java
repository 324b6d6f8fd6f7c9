package mpi;

/**
 * The struct of {@link MPI#FLOAT_INT} ({@code MPI_FLOAT_INT}): a float value and an int index, for MINLOC and MAXLOC
 * in a ByteBuffer. Use {@link MPI#floatInt}.
 */
public final class FloatInt extends Struct
{
    private final int indexOffset;
    private final int intSize;

    /**
     * Only {@link MPI} creates the instance, with C's layout of {@code struct { float a; int b; }}.
     *
     * @param intOff  byte offset of the int
     * @param intSize bytes of a C int
     */
    protected FloatInt(final int intOff, final int intSize)
    {
        this.intSize = intSize;
        addFloat();
        setOffset(intOff);
        switch (intSize)
        {
            case 4: indexOffset = addInt(); break;
            case 8: indexOffset = addLong(); break;
            default: throw new AssertionError("Unsupported int size: " + intSize);
        }
    }

    @Override
    protected FloatInt.Data newData()
    {
        return new FloatInt.Data();
    }

    /** Reads and writes one pair in a buffer. */
    public final class Data extends Struct.Data
    {
        /** @return the float value */
        public float getValue()
        {
            return getFloat(0);
        }

        /** @return the int index */
        public int getIndex()
        {
            return 4 == intSize ? getInt(indexOffset) : (int)getLong(indexOffset);
        }

        /** @param v the float value */
        public void putValue(final float v)
        {
            putFloat(0, v);
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
