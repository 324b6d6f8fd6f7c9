package io.mpi4j.coll;

/**
 * Element types the reduction kernels know, with the memory layout of the value-index pairs of MINLOC/MAXLOC.
 * Basic codes equal the facade's base Java types (1..8); pairs use C's struct layout (value first, int index
 * after it, aligned), so a direct ByteBuffer holds them exactly as a C program's array would.
 */
public final class ReductionType
{
    public static final int BYTE = 1;
    public static final int CHAR = 2;
    public static final int SHORT = 3;
    public static final int BOOLEAN = 4;
    public static final int INT = 5;
    public static final int LONG = 6;
    public static final int FLOAT = 7;
    public static final int DOUBLE = 8;
    /** {short value; int index}: 8 bytes, index at 4. */
    public static final int SHORT_INT = 9;
    /** {long value; int index}: 16 bytes, index at 8. */
    public static final int LONG_INT = 10;
    /** {float value; int index}: 8 bytes, index at 4. */
    public static final int FLOAT_INT = 11;
    /** {double value; int index}: 16 bytes, index at 8. */
    public static final int DOUBLE_INT = 12;
    /** {int value; int index}: 8 bytes, index at 4. */
    public static final int INT2 = 13;
    /** {float re; float im}: 8 bytes, as the binding's FloatComplex lays them out in a float buffer. */
    public static final int FLOAT_COMPLEX = 14;
    /** {double re; double im}: 16 bytes. */
    public static final int DOUBLE_COMPLEX = 15;
    /**
     * {short value; int index} as a derived type's items reach a reduction, packed: 6 bytes, index at 2. A
     * derived type's packed form drops the padding C puts in the struct; {float, int} and {int, int} have none.
     */
    public static final int SHORT_INT_PACKED = 16;
    /** {long value; int index} packed: 12 bytes, index at 8. */
    public static final int LONG_INT_PACKED = 17;
    /** {double value; int index} packed: 12 bytes, index at 8. */
    public static final int DOUBLE_INT_PACKED = 18;

    private ReductionType()
    {
    }

    /** Bytes of one item. */
    public static int size(final int type)
    {
        switch (type)
        {
            case BYTE:
            case BOOLEAN:
                return 1;
            case CHAR:
            case SHORT:
                return 2;
            case INT:
            case FLOAT:
                return 4;
            case SHORT_INT_PACKED:
                return Short.BYTES + Integer.BYTES;
            case LONG_INT_PACKED:
            case DOUBLE_INT_PACKED:
                return Long.BYTES + Integer.BYTES;
            case LONG_INT:
            case DOUBLE_INT:
            case DOUBLE_COMPLEX:
                return 16;
            default:
                return 8;
        }
    }

    /**
     * The pair code for items of a derived type built of pair type {@code pair}, in the packed form they reach a
     * reduction in: the padded pair itself where C's struct has no padding.
     */
    public static int packed(final int pair)
    {
        switch (pair)
        {
            case SHORT_INT: return SHORT_INT_PACKED;
            case LONG_INT: return LONG_INT_PACKED;
            case DOUBLE_INT: return DOUBLE_INT_PACKED;
            default: return pair;
        }
    }

    /** The padded pair code with the same value type as {@code type}: what decides how values compare. */
    static int valueKind(final int type)
    {
        switch (type)
        {
            case SHORT_INT_PACKED: return SHORT_INT;
            case LONG_INT_PACKED: return LONG_INT;
            case DOUBLE_INT_PACKED: return DOUBLE_INT;
            default: return type;
        }
    }

    /** Offset of the int index inside a pair item: right after the value when packed, aligned when padded. */
    static int indexOffset(final int type)
    {
        switch (type)
        {
            case LONG_INT:
            case DOUBLE_INT:
            case LONG_INT_PACKED:
            case DOUBLE_INT_PACKED:
                return 8;
            case SHORT_INT_PACKED:
                return Short.BYTES;
            default:
                return 4;
        }
    }
}
