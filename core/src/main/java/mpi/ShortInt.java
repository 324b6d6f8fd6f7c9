package mpi;

/**
 * The struct of {@link MPI#SHORT_INT} ({@code MPI_SHORT_INT}): a short value and an int index, for MINLOC and
 * MAXLOC in a ByteBuffer. Use {@link MPI#shortInt}.
 */
public final class ShortInt extends Struct
{
    private final int shortSize;
    private final int indexOffset;
    private final int intSize;

    /**
     * Only {@link MPI} creates the instance, with C's layout of {@code struct { short a; int b; }}.
     *
     * @param shortSize bytes of a C short
     * @param intOff    byte offset of the int
     * @param intSize   bytes of a C int
     */
    protected ShortInt(final int shortSize, final int intOff, final int intSize)
    {
        this.shortSize = shortSize;
        this.intSize = intSize;
        switch (shortSize)
        {
            case 2: addShort(); break;
            case 4: addInt(); break;
            case 8: addLong(); break;
            default: throw new AssertionError("Unsupported short size: " + shortSize);
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
    protected ShortInt.Data newData()
    {
        return new ShortInt.Data();
    }

    /** Reads and writes one pair in a buffer. */
    public final class Data extends Struct.Data
    {
        /** @return the short value */
        public short getValue()
        {
            switch (shortSize)
            {
                case 2: return getShort(0);
                case 4: return (short)getInt(0);
                default: return (short)getLong(0);
            }
        }

        /** @return the int index */
        public int getIndex()
        {
            return 4 == intSize ? getInt(indexOffset) : (int)getLong(indexOffset);
        }

        /** @param v the short value */
        public void putValue(final short v)
        {
            switch (shortSize)
            {
                case 2: putShort(0, v); break;
                case 4: putInt(0, v); break;
                default: putLong(0, v); break;
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
