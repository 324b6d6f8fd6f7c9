package io.mpi4j.datatype;

/**
 * Type maps of the predefined datatypes: Java's primitive types with their sizes, aligned naturally, and the
 * value-index pairs of MINLOC/MAXLOC laid out as C lays out {@code struct { T value; int index; }} (as Open MPI's
 * {@code MPI_SHORT_INT}: size 6, extent 8).
 */
public final class BasicTypes
{
    public static final TypeMap BYTE = TypeMap.basic(1, 1);
    public static final TypeMap BOOLEAN = TypeMap.basic(1, 1);
    public static final TypeMap CHAR = TypeMap.basic(2, 2);
    public static final TypeMap SHORT = TypeMap.basic(2, 2);
    public static final TypeMap INT = TypeMap.basic(4, 4);
    public static final TypeMap LONG = TypeMap.basic(8, 8);
    public static final TypeMap FLOAT = TypeMap.basic(4, 4);
    public static final TypeMap DOUBLE = TypeMap.basic(8, 8);

    public static final TypeMap FLOAT_COMPLEX = TypeMap.contiguous(2, FLOAT);
    public static final TypeMap DOUBLE_COMPLEX = TypeMap.contiguous(2, DOUBLE);

    public static final TypeMap INT2 = TypeMap.contiguous(2, INT);
    public static final TypeMap SHORT_INT = pair(SHORT, Integer.BYTES);
    public static final TypeMap LONG_INT = pair(LONG, Long.BYTES);
    public static final TypeMap FLOAT_INT = pair(FLOAT, Integer.BYTES);
    public static final TypeMap DOUBLE_INT = pair(DOUBLE, Double.BYTES);

    private BasicTypes()
    {
    }

    /** {@code struct { value; int index; }}: the index at the next multiple of its alignment after the value. */
    private static TypeMap pair(final TypeMap value, final int indexOffset)
    {
        return TypeMap.struct(new int[]{ 1, 1 }, new long[]{ 0, indexOffset }, new TypeMap[]{ value, INT });
    }
}
