package mpi;

import io.mpi4j.errors.ErrorClass;

/**
 * An MPI datatype ({@code MPI_Datatype}). As in Open MPI's Java binding, sizes and extents are counted in elements
 * of the type's base Java type (so {@code MPI.INT.getSize()} is 1 and {@code MPI.DOUBLE_COMPLEX.getSize()} is 2),
 * because Java buffers are indexed in elements, not bytes. Only the predefined basic types exist for now; derived
 * types come with the datatype engine.
 */
public final class Datatype implements Freeable
{
    // Base Java element types; a buffer holds exactly one of them (a ByteBuffer holds any).
    static final int NULL = 0;
    static final int BYTE = 1;
    static final int CHAR = 2;
    static final int SHORT = 3;
    static final int BOOLEAN = 4;
    static final int INT = 5;
    static final int LONG = 6;
    static final int FLOAT = 7;
    static final int DOUBLE = 8;
    // Value-index pairs of MINLOC/MAXLOC (C struct layout, in a ByteBuffer); codes equal io.mpi4j.coll.ReductionType.
    static final int SHORT_INT = 9;
    static final int LONG_INT = 10;
    static final int FLOAT_INT = 11;
    static final int DOUBLE_INT = 12;

    final int baseType;
    /** Bytes of one base element. */
    final int baseSize;
    /** Base elements in one item of this type. */
    final int elements;
    /** Bytes of one item: what count is multiplied by to get the message length. */
    final int byteSize;
    private final String typeName;
    private final boolean predefined;
    private volatile String name;

    Datatype(final int baseType, final int baseSize, final int elements, final String typeName)
    {
        this.baseType = baseType;
        this.baseSize = baseSize;
        this.elements = elements;
        this.byteSize = baseSize * elements;
        this.typeName = typeName;
        this.predefined = true;
        this.name = typeName;
    }

    /** MPI name of the type ("MPI_INT") for error messages; unaffected by {@link #setName}. */
    String typeName()
    {
        return typeName;
    }

    /** Java element type that buffers of this type hold, for messages ("int"). */
    static String javaName(final int baseType)
    {
        switch (baseType)
        {
            case BYTE: return "byte";
            case CHAR: return "char";
            case SHORT: return "short";
            case BOOLEAN: return "boolean";
            case INT: return "int";
            case LONG: return "long";
            case FLOAT: return "float";
            case DOUBLE: return "double";
            default: return "none";
        }
    }

    /**
     * Lower bound of the type, in base elements. Binds {@code MPI_TYPE_GET_EXTENT}.
     *
     * @return lower bound
     * @throws MPIException if MPI is not initialized
     */
    public int getLb() throws MPIException
    {
        MPI.check("MPI_Type_get_extent");
        return 0;
    }

    /**
     * Extent of the type, in base elements. Binds {@code MPI_TYPE_GET_EXTENT}.
     *
     * @return extent
     * @throws MPIException if MPI is not initialized
     */
    public int getExtent() throws MPIException
    {
        MPI.check("MPI_Type_get_extent");
        return elements;
    }

    /**
     * True lower bound of the type, in base elements. Binds {@code MPI_TYPE_GET_TRUE_EXTENT}.
     *
     * @return true lower bound
     * @throws MPIException if MPI is not initialized
     */
    public int getTrueLb() throws MPIException
    {
        MPI.check("MPI_Type_get_true_extent");
        return 0;
    }

    /**
     * True extent of the type, in base elements. Binds {@code MPI_TYPE_GET_TRUE_EXTENT}.
     *
     * @return true extent
     * @throws MPIException if MPI is not initialized
     */
    public int getTrueExtent() throws MPIException
    {
        MPI.check("MPI_Type_get_true_extent");
        return elements;
    }

    /**
     * Number of base elements the type holds. Binds {@code MPI_TYPE_SIZE}.
     *
     * @return size in base elements
     * @throws MPIException if MPI is not initialized
     */
    public int getSize() throws MPIException
    {
        MPI.check("MPI_Type_size");
        return elements;
    }

    /**
     * Commits the type for communication. Binds {@code MPI_TYPE_COMMIT}; predefined types are always committed.
     *
     * @throws MPIException if MPI is not initialized
     */
    public void commit() throws MPIException
    {
        MPI.check("MPI_Type_commit");
    }

    /**
     * Binds {@code MPI_TYPE_FREE}. Predefined types cannot be freed ({@code MPI.ERR_TYPE}).
     *
     * @throws MPIException always for predefined types
     */
    @Override
    public void free() throws MPIException
    {
        MPI.check("MPI_Type_free");
        if (predefined)
        {
            throw new MPIException(ErrorClass.ERR_TYPE,
                "MPI_Type_free: " + typeName + " is a predefined datatype and cannot be freed");
        }
    }

    /**
     * Whether this is {@code MPI.DATATYPE_NULL}.
     *
     * @return true for the null datatype
     */
    public boolean isNull()
    {
        return baseType == NULL;
    }

    /**
     * Binds {@code MPI_TYPE_SET_NAME}.
     *
     * @param name new print name
     * @throws MPIException if MPI is not initialized
     */
    public void setName(final String name) throws MPIException
    {
        MPI.check("MPI_Type_set_name");
        this.name = MPI.truncateName(name);
    }

    /**
     * Binds {@code MPI_TYPE_GET_NAME}.
     *
     * @return print name ("MPI_INT" for {@code MPI.INT} unless renamed)
     * @throws MPIException if MPI is not initialized
     */
    public String getName() throws MPIException
    {
        MPI.check("MPI_Type_get_name");
        return name;
    }

    /**
     * The reduction kernels' type code ({@code io.mpi4j.coll.ReductionType}): the base type for one-element types,
     * the pair code for MINLOC/MAXLOC pairs, -1 for types no predefined operator applies to (complex numbers).
     */
    int reductionType()
    {
        if (elements == 2 && baseType == INT && "MPI_2INT".equals(typeName))
        {
            return io.mpi4j.coll.ReductionType.INT2;
        }
        return elements == 1 ? baseType : -1;
    }

    @Override
    public String toString()
    {
        return typeName;
    }
}
