package mpi;

/**
 * The struct of {@link MPI#INT2} ({@code MPI_2INT}): two ints, {@code value} and {@code index}, for MINLOC and
 * MAXLOC in a ByteBuffer. Use {@link MPI#int2}.
 */
public final class Int2 extends Struct
{
    private final int indexOffset;
    private final int intSize;

    /**
     * Only {@link MPI} creates the instance, with C's layout of {@code struct { int a; int b; }}.
     *
     * @param intOff  byte offset of the second int
     * @param intSize bytes of a C int
     */
    protected Int2(final int intOff, final int intSize)
    {
        this.intSize = intSize;
        addIntField();
        setOffset(intOff);
        this.indexOffset = addIntField();
    }

    private int addIntField()
    {
        switch (intSize)
        {
            case 4: return addInt();
            case 8: return addLong();
            default: throw new AssertionError("Unsupported int size: " + intSize);
        }
    }

    @Override
    protected Int2.Data newData()
    {
        return new Int2.Data();
    }

    /** Reads and writes one pair in a buffer. */
    public final class Data extends Struct.Data
    {
        /** @return the first int (the value) */
        public int getValue()
        {
            return get(0);
        }

        /** @return the second int (the index) */
        public int getIndex()
        {
            return get(indexOffset);
        }

        /** @param v the first int (the value) */
        public void putValue(final int v)
        {
            put(0, v);
        }

        /** @param v the second int (the index) */
        public void putIndex(final int v)
        {
            put(indexOffset, v);
        }

        private int get(final int field)
        {
            return 4 == intSize ? getInt(field) : (int)getLong(field);
        }

        private void put(final int field, final int v)
        {
            if (4 == intSize)
            {
                putInt(field, v);
            }
            else
            {
                putLong(field, v);
            }
        }
    }
}
