package mpi;

import io.mpi4j.comm.AttributeHooks;
import io.mpi4j.comm.AttributeTable;
import io.mpi4j.comm.Keyval;
import io.mpi4j.comm.KeyvalRegistry;
import io.mpi4j.datatype.BasicTypes;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * An MPI datatype ({@code MPI_Datatype}). As in Open MPI's Java binding, sizes, extents and bounds are counted in
 * elements of the type's base Java type (so {@code MPI.INT.getSize()} is 1 and {@code MPI.DOUBLE_COMPLEX.getSize()}
 * is 2), because Java buffers are indexed in elements, not bytes; for structs and the value-index pair types the
 * base type is the byte. A derived type keeps the base type of the type it is built from, and the displacements of
 * {@code createHVector}, {@code createHIndexed}, {@code createStruct} and the bounds of {@code createResized} are in
 * bytes. The layout itself lives in the engine's {@link TypeMap}, in bytes.
 */
public final class Datatype implements Freeable, Cloneable
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

    /** Attribute keys of datatypes ({@code MPI_Type_create_keyval}); separate from communicators' keys. */
    private static final KeyvalRegistry KEYVALS = new KeyvalRegistry();
    /** Open MPI's datatype keys have no callbacks: a dup gets the same value, a delete does nothing. */
    private static final AttributeHooks COPY_VALUE = new AttributeHooks()
    {
        private final Object noCopy = new Object();

        @Override
        public Object copy(final Object oldOwner, final int keyval, final Object extraState, final Object value)
        {
            return value;
        }

        @Override
        public void delete(final Object owner, final int keyval, final Object value, final Object extraState)
        {
        }

        @Override
        public Object noCopy()
        {
            return noCopy;
        }
    };

    final int baseType;
    /** Bytes of one base element. */
    final int baseSize;
    /**
     * Base elements in one item of this type (for a derived type: its packed size in base elements, rounded down
     * when a pair type's base does not divide it).
     */
    final int elements;
    /**
     * Bytes of one item in a message: what count is multiplied by to get the message length. For a predefined type
     * its extent (the pair types travel with their padding, as they lie in the buffer); for a derived type its
     * packed size, which is also the memory it covers only when {@link #isContiguous()}.
     */
    final int byteSize;
    /** The layout in bytes. */
    final TypeMap map;
    /** Whether count items are count * byteSize bytes from the buffer's start: see {@link #isContiguous()}. */
    private final boolean contiguous;
    /** Whether items travel in their packed form, which differs from their memory: a non-contiguous type. */
    private final boolean packed;
    /** Built of complex numbers ((re, im) pairs of the base type): SUM and PROD apply as complex arithmetic. */
    private final boolean complex;
    /** What {@link #getSize()} and the extents count in bytes: Open MPI's base size (1 for structs and pairs). */
    private final int unit;
    private final String typeName;
    private final boolean predefined;
    private volatile String name;
    private volatile boolean committed;
    private volatile boolean freed;
    private volatile AttributeTable attributes;
    /**
     * The predefined operators bound to this type so far, by operator code: a reduction on a derived type of
     * many elements then allocates nothing after its first call. Entries are stateless and interchangeable, so
     * two threads filling one slot is harmless.
     */
    private volatile io.mpi4j.coll.Reduction[] predefinedReductions;

    /** A predefined type: MPI's static constants. */
    Datatype(final int baseType, final int baseSize, final int elements, final String typeName)
    {
        this.baseType = baseType;
        this.baseSize = baseSize;
        this.elements = elements;
        this.byteSize = baseSize * elements;
        this.map = predefinedMap(baseType, elements);
        this.unit = isPair(baseType, elements) ? 1 : baseSize;
        this.typeName = typeName;
        this.contiguous = true;
        this.packed = false;
        this.complex = "MPI_FLOAT_COMPLEX".equals(typeName) || "MPI_DOUBLE_COMPLEX".equals(typeName);
        this.predefined = true;
        this.committed = true;
        this.name = typeName;
    }

    /** A derived type: the base type of {@code base}, the layout {@code map}. */
    private Datatype(final Datatype base, final TypeMap map, final String typeName)
    {
        this(base.baseType, base.baseSize, base.unit, map, typeName, base.complex);
    }

    private Datatype(
        final int baseType, final int baseSize, final int unit, final TypeMap map, final String typeName,
        final boolean complex)
    {
        if (map.size() > Integer.MAX_VALUE)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "one item of the datatype would hold " + map.size() +
                " bytes; at most " + Integer.MAX_VALUE + " are supported");
        }
        this.baseType = baseType;
        this.baseSize = baseSize;
        this.elements = (int)(map.size() / baseSize);
        this.byteSize = (int)map.size();
        this.map = map;
        this.unit = unit;
        this.contiguous = map.isContiguous() && (0 == map.size() || 0 == map.firstDisplacement());
        this.packed = !contiguous;
        this.complex = complex;
        this.typeName = typeName;
        this.predefined = false;
        this.name = "";
    }

    /** A duplicate: the same type in every respect but name, attributes and being predefined. */
    private Datatype(final Datatype original)
    {
        this.baseType = original.baseType;
        this.baseSize = original.baseSize;
        this.elements = original.elements;
        this.byteSize = original.byteSize;
        this.map = original.map;
        this.unit = original.unit;
        this.contiguous = original.contiguous;
        this.packed = original.packed;
        this.complex = original.complex;
        this.typeName = original.typeName;
        this.predefined = false;
    }

    /**
     * The twin of a non-contiguous type for its packed form: the same items, sizes and type map, but moved as
     * {@code byteSize} contiguous bytes each. Collectives run on packed copies of non-contiguous buffers with it.
     */
    private Datatype(final Datatype original, final boolean packed)
    {
        this.baseType = original.baseType;
        this.baseSize = original.baseSize;
        this.elements = original.elements;
        this.byteSize = original.byteSize;
        this.map = original.map;
        this.unit = original.unit;
        this.contiguous = packed || original.contiguous;
        this.packed = original.packed;
        this.complex = original.complex;
        this.typeName = original.typeName;
        this.predefined = false;
        this.committed = true;
        this.name = original.name;
    }

    /**
     * The reduction kernels' code of the complex numbers this type is built of, or -1 if it is not: items of
     * {@code elements / 2} complex numbers each.
     */
    int complexType()
    {
        if (!complex)
        {
            return -1;
        }
        return baseType == FLOAT ? io.mpi4j.coll.ReductionType.FLOAT_COMPLEX : io.mpi4j.coll.ReductionType.DOUBLE_COMPLEX;
    }

    /**
     * The reduction kernels' code of the value-index pairs MINLOC/MAXLOC see in one item of this type, or -1 if
     * it is not built of a pair type. A predefined pair type (and its duplicate) travels with C's padding, as it
     * lies in the buffer; a derived one travels packed, its pairs without padding, and is then reduced on that
     * form, element by element as Open MPI applies an operator to a type built of one predefined type.
     */
    int pairType()
    {
        final int pair;
        if (baseType >= SHORT_INT && baseType <= DOUBLE_INT)
        {
            pair = baseType;
        }
        else if (INT == baseType && 1 == unit)
        {
            // only MPI.INT2 and the types built of it count ints in units of one byte
            pair = io.mpi4j.coll.ReductionType.INT2;
        }
        else
        {
            return -1;
        }
        return byteSize == map.size() ? io.mpi4j.coll.ReductionType.packed(pair) : pair;
    }

    /** Pairs of {@link #pairType()} in one item of this type. */
    int pairsPerItem()
    {
        return byteSize / io.mpi4j.coll.ReductionType.size(pairType());
    }

    /** The predefined operator {@code opCode} bound to this type by {@link #keepPredefinedReduction}, or null. */
    io.mpi4j.coll.Reduction predefinedReduction(final int opCode)
    {
        final io.mpi4j.coll.Reduction[] kept = predefinedReductions;
        return null == kept || opCode >= kept.length ? null : kept[opCode];
    }

    /** Keeps {@code reduction}, the predefined operator {@code opCode} on this type, for the next calls. */
    void keepPredefinedReduction(final int opCode, final io.mpi4j.coll.Reduction reduction)
    {
        io.mpi4j.coll.Reduction[] kept = predefinedReductions;
        if (null == kept)
        {
            kept = new io.mpi4j.coll.Reduction[io.mpi4j.coll.ReductionOp.MAXLOC + 1];
        }
        if (opCode < kept.length)
        {
            kept[opCode] = reduction;
            predefinedReductions = kept;
        }
    }

    /** Whether the type is one of MPI's predefined types. */
    boolean isPredefined()
    {
        return predefined;
    }

    /**
     * Whether the items' memory differs from their packed form (gaps, a start other than the buffer's, an extent
     * other than the size): what {@link #isContiguous()} says before {@link #packedForm()} hid it.
     */
    boolean hasGaps()
    {
        return packed;
    }

    /** This type as its items lie in a packed buffer: itself if it is contiguous. */
    Datatype packedForm()
    {
        return contiguous ? this : new Datatype(this, true);
    }

    /**
     * Whether every basic element of the type is of its base type (a vector of ints, a contiguous of doubles), so
     * that a predefined operator applies element-wise to its packed form. Structs and types of pairs are not.
     */
    boolean isHomogeneous()
    {
        return !complex && baseType >= BYTE && baseType <= DOUBLE && map.size() == map.elementCount() * baseSize &&
            (unit == baseSize);
    }

    private static boolean isPair(final int baseType, final int elements)
    {
        return (baseType >= SHORT_INT && baseType <= DOUBLE_INT) || (INT == baseType && 2 == elements);
    }

    private static TypeMap predefinedMap(final int baseType, final int elements)
    {
        final TypeMap element;
        switch (baseType)
        {
            case NULL: return TypeMap.EMPTY;
            case SHORT_INT: return BasicTypes.SHORT_INT;
            case LONG_INT: return BasicTypes.LONG_INT;
            case FLOAT_INT: return BasicTypes.FLOAT_INT;
            case DOUBLE_INT: return BasicTypes.DOUBLE_INT;
            case BYTE: element = BasicTypes.BYTE; break;
            case CHAR: element = BasicTypes.CHAR; break;
            case SHORT: element = BasicTypes.SHORT; break;
            case BOOLEAN: element = BasicTypes.BOOLEAN; break;
            case INT: element = BasicTypes.INT; break;
            case LONG: element = BasicTypes.LONG; break;
            case FLOAT: element = BasicTypes.FLOAT; break;
            case DOUBLE: element = BasicTypes.DOUBLE; break;
            default: throw new IllegalArgumentException("unknown base type " + baseType);
        }
        return 1 == elements ? element : TypeMap.contiguous(elements, element);
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

    // ----------------------------------------------------------------------------------------------------------------
    // What communication needs

    /** The engine's layout of one item, in bytes. */
    TypeMap typeMap()
    {
        return map;
    }

    /**
     * Whether {@code count} items are exactly {@code count * byteSize} bytes from the buffer's start, so that they
     * can be moved without packing. Always true for predefined types.
     */
    boolean isContiguous()
    {
        return contiguous;
    }

    /** Bytes of what {@link #getSize()} and {@link #getExtent()} count: Open MPI's base size. */
    int unitSize()
    {
        return unit;
    }

    /** Commits a type the runtime built for the program ({@link Struct}'s). */
    void markCommitted()
    {
        committed = true;
    }

    /** Whether a derived type has been committed (predefined types always are). */
    boolean isCommitted()
    {
        return committed;
    }

    /** Whether the type may describe a buffer in communication: predefined, or committed and not freed. */
    boolean isUsable()
    {
        return predefined || (!freed && committed);
    }

    /**
     * The layout point-to-point packs this type's items with, or null when they are contiguous bytes from the
     * buffer's start and move by plain copies (the zero-copy path).
     */
    TypeMap layout()
    {
        return contiguous ? null : map;
    }

    /** Why {@link #isUsable()} is false, for the error message; null if it is true. */
    String unusableReason()
    {
        if (isUsable())
        {
            return null;
        }
        if (freed)
        {
            return "datatype " + typeName + " has been freed";
        }
        return "datatype " + typeName + " is not committed; call commit() before using it in communication";
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Size and bounds

    /**
     * Lower bound of the type, in base elements. Binds {@code MPI_TYPE_GET_EXTENT}.
     *
     * @return lower bound
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public int getLb() throws MPIException
    {
        final String op = "MPI_Type_get_extent";
        MPI.check(op);
        valid(op);
        return (int)(map.lb() / unit);
    }

    /**
     * Extent of the type, in base elements. Binds {@code MPI_TYPE_GET_EXTENT}.
     *
     * @return extent
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public int getExtent() throws MPIException
    {
        final String op = "MPI_Type_get_extent";
        MPI.check(op);
        valid(op);
        return (int)(map.extent() / unit);
    }

    /**
     * True lower bound of the type, in base elements. Binds {@code MPI_TYPE_GET_TRUE_EXTENT}.
     *
     * @return true lower bound
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public int getTrueLb() throws MPIException
    {
        final String op = "MPI_Type_get_true_extent";
        MPI.check(op);
        valid(op);
        return (int)(map.trueLb() / unit);
    }

    /**
     * True extent of the type, in base elements. Binds {@code MPI_TYPE_GET_TRUE_EXTENT}.
     *
     * @return true extent
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public int getTrueExtent() throws MPIException
    {
        final String op = "MPI_Type_get_true_extent";
        MPI.check(op);
        valid(op);
        return (int)(map.trueExtent() / unit);
    }

    /**
     * Number of base elements the type holds (bytes for structs and pair types). Binds {@code MPI_TYPE_SIZE}.
     *
     * @return size in base elements
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public int getSize() throws MPIException
    {
        final String op = "MPI_Type_size";
        MPI.check(op);
        valid(op);
        return (int)(map.size() / unit);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Life cycle

    /**
     * Commits the type for communication. Binds {@code MPI_TYPE_COMMIT}; predefined types are always committed.
     *
     * @throws MPIException if MPI is not initialized; {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public void commit() throws MPIException
    {
        final String op = "MPI_Type_commit";
        MPI.check(op);
        valid(op);
        committed = true;
    }

    /**
     * Binds {@code MPI_TYPE_FREE}; afterwards {@link #isNull()} is true, as the handle becomes
     * {@code MPI_DATATYPE_NULL}. Types built from this one stay usable. Predefined types cannot be freed.
     *
     * @throws MPIException {@code MPI.ERR_TYPE} for a predefined, null or already freed type
     */
    @Override
    public void free() throws MPIException
    {
        final String op = "MPI_Type_free";
        MPI.check(op);
        try
        {
            release(op);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    void release(final String op)
    {
        if (predefined)
        {
            throw new MpiError(ErrorClass.ERR_TYPE,
                op + ": " + typeName + " is a predefined datatype and cannot be freed");
        }
        check(op, this, "datatype");
        final AttributeTable table = attributes;
        if (null != table)
        {
            table.deleteAll(this);
        }
        freed = true;
    }

    /**
     * Whether this is {@code MPI.DATATYPE_NULL} (a freed type is).
     *
     * @return true for the null datatype
     */
    public boolean isNull()
    {
        return baseType == NULL || freed;
    }

    /**
     * Binds {@code MPI_TYPE_DUP}: the same layout, committed state, name and attributes.
     *
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_TYPE} for the null or a freed type
     */
    public Datatype dup() throws MPIException
    {
        final String op = "MPI_Type_dup";
        MPI.check(op);
        try
        {
            return duplicate(op);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    Datatype duplicate(final String op)
    {
        check(op, this, "datatype");
        final Datatype copy = new Datatype(this);
        copy.committed = committed;
        copy.name = name;
        final AttributeTable table = attributes;
        if (null != table)
        {
            copy.attributes = table.copyFor(this);
        }
        return copy;
    }

    /**
     * Binds {@code MPI_TYPE_DUP}, for {@link Cloneable}; prefer {@link #dup()}, which can throw
     * {@link MPIException}.
     *
     * @return new datatype
     */
    @Override
    public Datatype clone()
    {
        try
        {
            return dup();
        }
        catch (final MPIException ex)
        {
            throw new RuntimeException(ex.getMessage(), ex);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Constructors of derived types

    /**
     * {@code count} copies of {@code oldType}, one extent apart. Binds {@code MPI_TYPE_CONTIGUOUS}; the new type has
     * the base type of {@code oldType}.
     *
     * @param count   replication count
     * @param oldType old datatype
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_COUNT} for a negative count, {@code MPI.ERR_TYPE} for a null or freed type
     */
    public static Datatype createContiguous(final int count, final Datatype oldType) throws MPIException
    {
        final String op = "MPI_Type_contiguous";
        MPI.check(op);
        try
        {
            return contiguous(op, count, oldType);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype contiguous(final String op, final int count, final Datatype oldType)
    {
        checkCount(op, count);
        check(op, oldType, "old datatype");
        return new Datatype(oldType, TypeMap.contiguous(count, oldType.map),
            "contiguous(" + count + ", " + oldType.typeName + ")");
    }

    /**
     * Equally spaced blocks of {@code oldType}. Binds {@code MPI_TYPE_VECTOR}.
     *
     * @param count       number of blocks
     * @param blockLength number of items of {@code oldType} in each block
     * @param stride      items of {@code oldType} (extents) between the starts of blocks
     * @param oldType     old datatype
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_COUNT}, {@code MPI.ERR_ARG} for a negative block length,
     *                      {@code MPI.ERR_TYPE}
     */
    public static Datatype createVector(final int count, final int blockLength, final int stride,
        final Datatype oldType) throws MPIException
    {
        final String op = "MPI_Type_vector";
        MPI.check(op);
        try
        {
            return vector(op, count, blockLength, stride, oldType);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype vector(final String op, final int count, final int blockLength, final int stride,
        final Datatype oldType)
    {
        checkCount(op, count);
        checkBlockLength(op, blockLength, -1);
        check(op, oldType, "old datatype");
        return new Datatype(oldType, TypeMap.vector(count, blockLength, stride, oldType.map),
            "vector(" + count + ", " + blockLength + ", " + stride + ", " + oldType.typeName + ")");
    }

    /**
     * Like {@link #createVector} with the stride in bytes. Binds {@code MPI_TYPE_CREATE_HVECTOR}.
     *
     * @param count       number of blocks
     * @param blockLength number of items of {@code oldType} in each block
     * @param stride      bytes between the starts of blocks
     * @param oldType     old datatype
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_COUNT}, {@code MPI.ERR_ARG}, {@code MPI.ERR_TYPE}
     */
    public static Datatype createHVector(final int count, final int blockLength, final int stride,
        final Datatype oldType) throws MPIException
    {
        final String op = "MPI_Type_create_hvector";
        MPI.check(op);
        try
        {
            return hvector(op, count, blockLength, stride, oldType);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype hvector(final String op, final int count, final int blockLength, final int stride,
        final Datatype oldType)
    {
        checkCount(op, count);
        checkBlockLength(op, blockLength, -1);
        check(op, oldType, "old datatype");
        return new Datatype(oldType, TypeMap.hvector(count, blockLength, stride, oldType.map),
            "hvector(" + count + ", " + blockLength + ", " + stride + ", " + oldType.typeName + ")");
    }

    /**
     * Blocks of {@code oldType} with their own lengths and displacements. Binds {@code MPI_TYPE_INDEXED}; the number
     * of blocks is the length of {@code blockLengths}.
     *
     * @param blockLengths  items of {@code oldType} in each block
     * @param displacements displacement of each block, in extents of {@code oldType}
     * @param oldType       old datatype
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_ARG} for null or unequal arrays or a negative block length,
     *                      {@code MPI.ERR_TYPE}
     */
    public static Datatype createIndexed(final int[] blockLengths, final int[] displacements,
        final Datatype oldType) throws MPIException
    {
        final String op = "MPI_Type_indexed";
        MPI.check(op);
        try
        {
            return indexed(op, blockLengths, displacements, oldType);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype indexed(final String op, final int[] blockLengths, final int[] displacements,
        final Datatype oldType)
    {
        checkBlocks(op, blockLengths, displacements, "displacements", null == displacements ? 0 :
            displacements.length);
        check(op, oldType, "old datatype");
        return new Datatype(oldType, TypeMap.indexed(blockLengths, displacements, oldType.map),
            "indexed(" + blockLengths.length + " blocks of " + oldType.typeName + ")");
    }

    /**
     * Like {@link #createIndexed} with displacements in bytes. Binds {@code MPI_TYPE_CREATE_HINDEXED}.
     *
     * @param blockLengths  items of {@code oldType} in each block
     * @param displacements byte displacement of each block
     * @param oldType       old datatype
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_ARG}, {@code MPI.ERR_TYPE}
     */
    public static Datatype createHIndexed(final int[] blockLengths, final int[] displacements,
        final Datatype oldType) throws MPIException
    {
        final String op = "MPI_Type_create_hindexed";
        MPI.check(op);
        try
        {
            return hindexed(op, blockLengths, displacements, oldType);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype hindexed(final String op, final int[] blockLengths, final int[] displacements,
        final Datatype oldType)
    {
        checkBlocks(op, blockLengths, displacements, "displacements", null == displacements ? 0 :
            displacements.length);
        check(op, oldType, "old datatype");
        return new Datatype(oldType, TypeMap.hindexed(blockLengths, bytes(displacements), oldType.map),
            "hindexed(" + blockLengths.length + " blocks of " + oldType.typeName + ")");
    }

    /**
     * The most general constructor: block i is {@code blockLengths[i]} items of {@code types[i]} at byte
     * displacement {@code displacements[i]}. Binds {@code MPI_TYPE_CREATE_STRUCT}; the base type of the result is
     * the byte, so its size and extent are in bytes. As in Open MPI, the extent is padded to the largest alignment
     * of the basic types inside unless a resized type inside set the bounds.
     *
     * @param blockLengths  items in each block
     * @param displacements byte displacement of each block
     * @param types         datatype of each block
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_ARG} for null or unequal arrays or a negative block length,
     *                      {@code MPI.ERR_TYPE} for a null or freed type among {@code types}
     */
    public static Datatype createStruct(final int[] blockLengths, final int[] displacements,
        final Datatype[] types) throws MPIException
    {
        final String op = "MPI_Type_create_struct";
        MPI.check(op);
        try
        {
            return struct(op, blockLengths, displacements, types);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype struct(final String op, final int[] blockLengths, final int[] displacements,
        final Datatype[] types)
    {
        checkBlocks(op, blockLengths, displacements, "displacements", null == displacements ? 0 :
            displacements.length);
        if (null == types || types.length != blockLengths.length)
        {
            throw new MpiError(ErrorClass.ERR_ARG, op + ": " + (null == types ? "types is null" :
                "types has " + types.length + " entries but blockLengths has " + blockLengths.length));
        }
        final TypeMap[] maps = new TypeMap[types.length];
        for (int i = 0; i < types.length; i++)
        {
            check(op, types[i], "types[" + i + "]");
            maps[i] = types[i].map;
        }
        return new Datatype(BYTE, 1, 1, TypeMap.struct(blockLengths, bytes(displacements), maps),
            "struct(" + blockLengths.length + " blocks)", false);
    }

    /**
     * The same data with a new lower bound and extent. Binds {@code MPI_TYPE_CREATE_RESIZED}.
     *
     * @param oldType old datatype
     * @param lb      new lower bound, in bytes
     * @param extent  new extent, in bytes
     * @return new datatype
     * @throws MPIException {@code MPI.ERR_TYPE} for a null or freed type
     */
    public static Datatype createResized(final Datatype oldType, final int lb, final int extent)
        throws MPIException
    {
        final String op = "MPI_Type_create_resized";
        MPI.check(op);
        try
        {
            return resized(op, oldType, lb, extent);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    static Datatype resized(final String op, final Datatype oldType, final int lb, final int extent)
    {
        check(op, oldType, "old datatype");
        return new Datatype(oldType, TypeMap.resized(oldType.map, lb, extent),
            "resized(" + oldType.typeName + ", " + lb + ", " + extent + ")");
    }

    private static long[] bytes(final int[] displacements)
    {
        final long[] bytes = new long[displacements.length];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = displacements[i];
        }
        return bytes;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Argument checks: MpiError with the class Open MPI gives; the public methods raise it on COMM_WORLD.

    /** Raises {@code MPI.ERR_TYPE} for a null, {@code MPI.DATATYPE_NULL} or freed type. */
    private static void check(final String op, final Datatype type, final String what)
    {
        if (null == type)
        {
            throw new MpiError(ErrorClass.ERR_TYPE, op + ": " + what + " is null");
        }
        if (NULL == type.baseType)
        {
            throw new MpiError(ErrorClass.ERR_TYPE, op + ": " + what + " is MPI_DATATYPE_NULL");
        }
        if (type.freed)
        {
            throw new MpiError(ErrorClass.ERR_TYPE, op + ": " + what + " " + type.typeName + " has been freed");
        }
    }

    private void valid(final String op) throws MPIException
    {
        try
        {
            check(op, this, "datatype");
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
    }

    private static void checkCount(final String op, final int count)
    {
        if (count < 0)
        {
            throw new MpiError(ErrorClass.ERR_COUNT, op + ": count " + count + " is negative");
        }
    }

    private static void checkBlockLength(final String op, final int blockLength, final int block)
    {
        if (blockLength < 0)
        {
            throw new MpiError(ErrorClass.ERR_ARG, op + ": block length " +
                (block < 0 ? "" : "[" + block + "] ") + blockLength + " is negative");
        }
    }

    private static void checkBlocks(final String op, final int[] blockLengths, final int[] other,
        final String otherName, final int otherLength)
    {
        if (null == blockLengths || null == other)
        {
            throw new MpiError(ErrorClass.ERR_ARG, op + ": " + (null == blockLengths ? "blockLengths" : otherName) +
                " is null");
        }
        if (blockLengths.length != otherLength)
        {
            throw new MpiError(ErrorClass.ERR_ARG, op + ": blockLengths has " + blockLengths.length +
                " entries but " + otherName + " has " + otherLength);
        }
        for (int i = 0; i < blockLengths.length; i++)
        {
            checkBlockLength(op, blockLengths[i], i);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Names and attributes

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
     * @return print name ("MPI_INT" for {@code MPI.INT} unless renamed; empty for an unnamed derived type)
     * @throws MPIException if MPI is not initialized
     */
    public String getName() throws MPIException
    {
        MPI.check("MPI_Type_get_name");
        return name;
    }

    /**
     * Creates an attribute key for datatypes; a dup gets the same value. Binds {@code MPI_TYPE_CREATE_KEYVAL}.
     *
     * @return attribute key for future access
     * @throws MPIException if MPI is not initialized
     */
    public static int createKeyval() throws MPIException
    {
        MPI.check("MPI_Type_create_keyval");
        return KEYVALS.create(COPY_VALUE, null);
    }

    /**
     * Frees an attribute key. Binds {@code MPI_TYPE_FREE_KEYVAL}.
     *
     * @param keyval attribute key
     * @throws MPIException {@code MPI.ERR_KEYVAL} for an unknown or already freed key
     */
    public static void freeKeyval(final int keyval) throws MPIException
    {
        final String op = "MPI_Type_free_keyval";
        MPI.check(op);
        if (!KEYVALS.free(keyval))
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
    }

    /**
     * Caches a value on the datatype. Binds {@code MPI_TYPE_SET_ATTR}.
     *
     * @param keyval attribute key
     * @param value  attribute value
     * @throws MPIException {@code MPI.ERR_KEYVAL} for an unknown or freed key, {@code MPI.ERR_TYPE}
     */
    public void setAttr(final int keyval, final Object value) throws MPIException
    {
        final String op = "MPI_Type_set_attr";
        MPI.check(op);
        valid(op);
        final Keyval key = KEYVALS.forSet(keyval);
        if (null == key)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
        attributeTable().set(this, key, value);
    }

    /**
     * Retrieves a cached value. Binds {@code MPI_TYPE_GET_ATTR}.
     *
     * @param keyval attribute key
     * @return the value, or null if none is cached under the key
     * @throws MPIException {@code MPI.ERR_KEYVAL} for an unknown key, {@code MPI.ERR_TYPE}
     */
    public Object getAttr(final int keyval) throws MPIException
    {
        final String op = "MPI_Type_get_attr";
        MPI.check(op);
        valid(op);
        final Keyval key = KEYVALS.forUse(keyval);
        if (null == key)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
        final AttributeTable table = attributes;
        return null == table ? null : table.get(key);
    }

    /**
     * Deletes a cached value. Binds {@code MPI_TYPE_DELETE_ATTR}.
     *
     * @param keyval attribute key
     * @throws MPIException {@code MPI.ERR_KEYVAL} for an unknown key, {@code MPI.ERR_TYPE}
     */
    public void deleteAttr(final int keyval) throws MPIException
    {
        final String op = "MPI_Type_delete_attr";
        MPI.check(op);
        valid(op);
        final Keyval key = KEYVALS.forUse(keyval);
        if (null == key)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
        final AttributeTable table = attributes;
        if (null != table)
        {
            table.delete(this, key);
        }
    }

    private AttributeTable attributeTable()
    {
        AttributeTable table = attributes;
        if (null == table)
        {
            synchronized (this)
            {
                table = attributes;
                if (null == table)
                {
                    table = new AttributeTable(KEYVALS);
                    attributes = table;
                }
            }
        }
        return table;
    }

    /**
     * The reduction kernels' type code ({@code io.mpi4j.coll.ReductionType}): the base type for one-element types,
     * the pair code for MINLOC/MAXLOC pairs, -1 for types no predefined operator applies to (complex numbers).
     */
    int reductionType()
    {
        if (complex)
        {
            return -1;
        }
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
