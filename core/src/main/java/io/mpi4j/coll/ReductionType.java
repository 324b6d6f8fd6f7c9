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
            case LONG_INT:
            case DOUBLE_INT:
            case DOUBLE_COMPLEX:
                return 16;
            default:
                return 8;
        }
    }

    /** Offset of the int index inside a pair item. */
    static int indexOffset(final int type)
    {
        return type == LONG_INT || type == DOUBLE_INT ? 8 : 4;
    }
}
