package mpi;

import io.mpi4j.errors.MpiError;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Base class of user struct types laid out in a {@code ByteBuffer}, as in Open MPI's Java binding: a subclass adds
 * its fields in its constructor ({@code addInt()}, {@code addDouble(3)}, {@code addStruct(other)}, ...; each returns
 * the field's byte offset), and defines a {@link Data} subclass whose accessors read and write one struct in a
 * buffer through the protected {@code get*}/{@code put*} methods. Fields are placed one after the other with no
 * padding ({@link #setOffset} moves the next one further); the MPI datatype, created on first use, has the extent
 * of {@code MPI_TYPE_CREATE_STRUCT} (padded to the widest field's alignment, like C).
 */
public abstract class Struct
{
    private static final String TYPE_MISMATCH = "field type or index does not match the struct's layout";

    private int extent;
    private final ArrayList<Field> fields = new ArrayList<>();
    private volatile Datatype datatype;
    private Datatype[] types;
    private int[] offsets;
    private int[] lengths;

    /** Creates the datatype once, on first use; no field can be added afterwards. */
    private Datatype type() throws MPIException
    {
        Datatype type = datatype;
        if (null == type)
        {
            synchronized (this)
            {
                type = datatype;
                if (null == type)
                {
                    type = create();
                    datatype = type;
                }
            }
        }
        return type;
    }

    private Datatype create() throws MPIException
    {
        final int count = fields.size();
        final Datatype[] fieldTypes = new Datatype[count];
        final int[] fieldOffsets = new int[count];
        final int[] fieldLengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            final Field f = fields.get(i);
            fieldTypes[i] = f.type instanceof Struct ? ((Struct)f.type).type() : (Datatype)f.type;
            fieldOffsets[i] = f.offset;
            fieldLengths[i] = f.length;
        }
        final Datatype type;
        try
        {
            type = Datatype.struct("MPI_Type_create_struct", fieldLengths, fieldOffsets, fieldTypes);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(ex.errorClass(), ex.getMessage());
        }
        type.markCommitted();
        types = fieldTypes;
        offsets = fieldOffsets;
        lengths = fieldLengths;
        extent = (int)type.map.extent();
        return type;
    }

    /**
     * Extent of the struct type in bytes: the distance between consecutive structs in a buffer.
     *
     * @return extent in bytes
     * @throws MPIException if the datatype cannot be created
     */
    public final int getExtent() throws MPIException
    {
        type();
        return extent;
    }

    /**
     * The struct's MPI datatype, committed, for communication calls.
     *
     * @return the datatype
     * @throws MPIException if the datatype cannot be created
     */
    public final Datatype getType() throws MPIException
    {
        return type();
    }

    /**
     * Creates a data accessor of the subclass's own {@link Data} type.
     *
     * @return new accessor
     */
    protected abstract Data newData();

    @SuppressWarnings("unchecked")
    private <T extends Data> T newData(final ByteBuffer buffer, final int offset)
    {
        final Data d = newData();
        d.buffer = buffer;
        d.offset = offset;
        return (T)d;
    }

    /**
     * Accessor for the struct at the start of {@code buffer}.
     *
     * @param buffer buffer the accessor reads and writes
     * @param <T>    the subclass's data type
     * @return data accessor
     * @throws MPIException if the datatype cannot be created
     */
    public final <T extends Data> T getData(final ByteBuffer buffer) throws MPIException
    {
        type();
        return newData(buffer, 0);
    }

    /**
     * Accessor for struct {@code index} of an array of structs in {@code buffer}.
     *
     * @param buffer buffer the accessor reads and writes
     * @param index  index of the struct in the buffer
     * @param <T>    the subclass's data type
     * @return data accessor
     * @throws MPIException if the datatype cannot be created
     */
    public final <T extends Data> T getData(final ByteBuffer buffer, final int index) throws MPIException
    {
        type();
        return newData(buffer, index * extent);
    }

    /**
     * Accessor for the struct at the start of {@code array}, in native byte order.
     *
     * @param array array the accessor reads and writes
     * @param <T>   the subclass's data type
     * @return data accessor
     * @throws MPIException if the datatype cannot be created
     */
    public final <T extends Data> T getData(final byte[] array) throws MPIException
    {
        return getData(ByteBuffer.wrap(array).order(ByteOrder.nativeOrder()));
    }

    /**
     * Accessor for struct {@code index} of an array of structs in {@code array}, in native byte order.
     *
     * @param array array the accessor reads and writes
     * @param index index of the struct in the array
     * @param <T>   the subclass's data type
     * @return data accessor
     * @throws MPIException if the datatype cannot be created
     */
    public final <T extends Data> T getData(final byte[] array, final int index) throws MPIException
    {
        return getData(ByteBuffer.wrap(array).order(ByteOrder.nativeOrder()), index);
    }

    private int addField(final Object type, final int typeExtent, final int length)
    {
        if (null != datatype)
        {
            throw new AssertionError("The struct data type was committed.");
        }
        final int offset = extent;
        extent += typeExtent * length;
        fields.add(new Field(type, offset, length));
        return offset;
    }

    /**
     * Places the next field at {@code offset}, which must not be below the end of the fields so far.
     *
     * @param offset byte offset of the next field
     * @return this struct, to chain field definitions
     */
    public final Struct setOffset(final int offset)
    {
        if (null != datatype)
        {
            throw new AssertionError("The struct data type was committed.");
        }
        if (offset < extent)
        {
            throw new IllegalArgumentException("The offset must be greater or equal to the accumulated extent.");
        }
        extent = offset;
        return this;
    }

    /** @return offset of a new byte field */
    public final int addByte()
    {
        return addByte(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new byte array field
     */
    public final int addByte(final int length)
    {
        return addField(MPI.BYTE, 1, length);
    }

    /** @return offset of a new char field */
    public final int addChar()
    {
        return addChar(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new char array field
     */
    public final int addChar(final int length)
    {
        return addField(MPI.CHAR, 2, length);
    }

    /** @return offset of a new short field */
    public final int addShort()
    {
        return addShort(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new short array field
     */
    public final int addShort(final int length)
    {
        return addField(MPI.SHORT, 2, length);
    }

    /** @return offset of a new int field */
    public final int addInt()
    {
        return addInt(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new int array field
     */
    public final int addInt(final int length)
    {
        return addField(MPI.INT, 4, length);
    }

    /** @return offset of a new long field */
    public final int addLong()
    {
        return addLong(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new long array field
     */
    public final int addLong(final int length)
    {
        return addField(MPI.LONG, 8, length);
    }

    /** @return offset of a new float field */
    public final int addFloat()
    {
        return addFloat(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new float array field
     */
    public final int addFloat(final int length)
    {
        return addField(MPI.FLOAT, 4, length);
    }

    /** @return offset of a new double field */
    public final int addDouble()
    {
        return addDouble(1);
    }

    /**
     * @param length length of the array
     * @return offset of a new double array field
     */
    public final int addDouble(final int length)
    {
        return addField(MPI.DOUBLE, 8, length);
    }

    /**
     * @param struct type of the field
     * @return offset of a new struct field
     * @throws MPIException if the nested struct's datatype cannot be created
     */
    public final int addStruct(final Struct struct) throws MPIException
    {
        return addStruct(struct, 1);
    }

    /**
     * @param struct type of the array's elements
     * @param length length of the array
     * @return offset of a new array-of-structs field
     * @throws MPIException if the nested struct's datatype cannot be created
     */
    public final int addStruct(final Struct struct, final int length) throws MPIException
    {
        struct.type();
        return addField(struct, struct.extent, length);
    }

    /**
     * @param type datatype of the field
     * @return offset of a new field of {@code type}
     * @throws MPIException if MPI is not initialized
     */
    public final int addData(final Datatype type) throws MPIException
    {
        return addData(type, 1);
    }

    /**
     * @param type   datatype of the array's elements
     * @param length length of the array
     * @return offset of a new array field of {@code type}
     * @throws MPIException if MPI is not initialized
     */
    public final int addData(final Datatype type, final int length) throws MPIException
    {
        return addField(type, type.getExtent() * type.unitSize(), length);
    }

    private boolean validType(final int fieldOffset, final int index, final Datatype type)
    {
        final int i = Arrays.binarySearch(offsets, fieldOffset);
        return i >= 0 && index >= 0 && index < lengths[i] && type == types[i];
    }

    private static final class Field
    {
        private final Object type;
        private final int offset;
        private final int length;

        private Field(final Object type, final int offset, final int length)
        {
            this.type = type;
            this.offset = offset;
            this.length = length;
        }
    }

    /**
     * Reads and writes one struct stored in a byte buffer; subclasses give the fields names. Field accessors take
     * the field's offset (what the {@code add*} method returned) and, for arrays, an element index; with assertions
     * enabled they check the field's type and the index.
     */
    public abstract class Data
    {
        private ByteBuffer buffer;
        private int offset;

        /**
         * The buffer holding this struct, starting at it, for send and receive calls.
         *
         * @return buffer starting at this struct
         */
        public final ByteBuffer getBuffer()
        {
            return 0 == offset ? buffer : MPI.slice(buffer, offset);
        }

        /**
         * @param field offset of the field
         * @return the byte value
         */
        protected final byte getByte(final int field)
        {
            assert validType(field, 0, MPI.BYTE) : TYPE_MISMATCH;
            return buffer.get(offset + field);
        }

        /**
         * @param field offset of the byte array
         * @param index index in the array
         * @return the byte value
         */
        protected final byte getByte(final int field, final int index)
        {
            assert validType(field, index, MPI.BYTE) : TYPE_MISMATCH;
            return buffer.get(offset + field + index);
        }

        /**
         * @param field offset of the field
         * @param v     byte value
         */
        protected final void putByte(final int field, final byte v)
        {
            assert validType(field, 0, MPI.BYTE) : TYPE_MISMATCH;
            buffer.put(offset + field, v);
        }

        /**
         * @param field offset of the byte array
         * @param index index in the array
         * @param v     byte value
         */
        protected final void putByte(final int field, final int index, final byte v)
        {
            assert validType(field, index, MPI.BYTE) : TYPE_MISMATCH;
            buffer.put(offset + field + index, v);
        }

        /**
         * @param field offset of the field
         * @return the char value
         */
        protected final char getChar(final int field)
        {
            assert validType(field, 0, MPI.CHAR) : TYPE_MISMATCH;
            return buffer.getChar(offset + field);
        }

        /**
         * @param field offset of the char array
         * @param index index in the array
         * @return the char value
         */
        protected final char getChar(final int field, final int index)
        {
            assert validType(field, index, MPI.CHAR) : TYPE_MISMATCH;
            return buffer.getChar(offset + field + index * Character.BYTES);
        }

        /**
         * @param field offset of the field
         * @param v     char value
         */
        protected final void putChar(final int field, final char v)
        {
            assert validType(field, 0, MPI.CHAR) : TYPE_MISMATCH;
            buffer.putChar(offset + field, v);
        }

        /**
         * @param field offset of the char array
         * @param index index in the array
         * @param v     char value
         */
        protected final void putChar(final int field, final int index, final char v)
        {
            assert validType(field, index, MPI.CHAR) : TYPE_MISMATCH;
            buffer.putChar(offset + field + index * Character.BYTES, v);
        }

        /**
         * @param field offset of the field
         * @return the short value
         */
        protected final short getShort(final int field)
        {
            assert validType(field, 0, MPI.SHORT) : TYPE_MISMATCH;
            return buffer.getShort(offset + field);
        }

        /**
         * @param field offset of the short array
         * @param index index in the array
         * @return the short value
         */
        protected final short getShort(final int field, final int index)
        {
            assert validType(field, index, MPI.SHORT) : TYPE_MISMATCH;
            return buffer.getShort(offset + field + index * Short.BYTES);
        }

        /**
         * @param field offset of the field
         * @param v     short value
         */
        protected final void putShort(final int field, final short v)
        {
            assert validType(field, 0, MPI.SHORT) : TYPE_MISMATCH;
            buffer.putShort(offset + field, v);
        }

        /**
         * @param field offset of the short array
         * @param index index in the array
         * @param v     short value
         */
        protected final void putShort(final int field, final int index, final short v)
        {
            assert validType(field, index, MPI.SHORT) : TYPE_MISMATCH;
            buffer.putShort(offset + field + index * Short.BYTES, v);
        }

        /**
         * @param field offset of the field
         * @return the int value
         */
        protected final int getInt(final int field)
        {
            assert validType(field, 0, MPI.INT) : TYPE_MISMATCH;
            return buffer.getInt(offset + field);
        }

        /**
         * @param field offset of the int array
         * @param index index in the array
         * @return the int value
         */
        protected final int getInt(final int field, final int index)
        {
            assert validType(field, index, MPI.INT) : TYPE_MISMATCH;
            return buffer.getInt(offset + field + index * Integer.BYTES);
        }

        /**
         * @param field offset of the field
         * @param v     int value
         */
        protected final void putInt(final int field, final int v)
        {
            assert validType(field, 0, MPI.INT) : TYPE_MISMATCH;
            buffer.putInt(offset + field, v);
        }

        /**
         * @param field offset of the int array
         * @param index index in the array
         * @param v     int value
         */
        protected final void putInt(final int field, final int index, final int v)
        {
            assert validType(field, index, MPI.INT) : TYPE_MISMATCH;
            buffer.putInt(offset + field + index * Integer.BYTES, v);
        }

        /**
         * @param field offset of the field
         * @return the long value
         */
        protected final long getLong(final int field)
        {
            assert validType(field, 0, MPI.LONG) : TYPE_MISMATCH;
            return buffer.getLong(offset + field);
        }

        /**
         * @param field offset of the long array
         * @param index index in the array
         * @return the long value
         */
        protected final long getLong(final int field, final int index)
        {
            assert validType(field, index, MPI.LONG) : TYPE_MISMATCH;
            return buffer.getLong(offset + field + index * Long.BYTES);
        }

        /**
         * @param field offset of the field
         * @param v     long value
         */
        protected final void putLong(final int field, final long v)
        {
            assert validType(field, 0, MPI.LONG) : TYPE_MISMATCH;
            buffer.putLong(offset + field, v);
        }

        /**
         * @param field offset of the long array
         * @param index index in the array
         * @param v     long value
         */
        protected final void putLong(final int field, final int index, final long v)
        {
            assert validType(field, index, MPI.LONG) : TYPE_MISMATCH;
            buffer.putLong(offset + field + index * Long.BYTES, v);
        }

        /**
         * @param field offset of the field
         * @return the float value
         */
        protected final float getFloat(final int field)
        {
            assert validType(field, 0, MPI.FLOAT) : TYPE_MISMATCH;
            return buffer.getFloat(offset + field);
        }

        /**
         * @param field offset of the float array
         * @param index index in the array
         * @return the float value
         */
        protected final float getFloat(final int field, final int index)
        {
            assert validType(field, index, MPI.FLOAT) : TYPE_MISMATCH;
            return buffer.getFloat(offset + field + index * Float.BYTES);
        }

        /**
         * @param field offset of the field
         * @param v     float value
         */
        protected final void putFloat(final int field, final float v)
        {
            assert validType(field, 0, MPI.FLOAT) : TYPE_MISMATCH;
            buffer.putFloat(offset + field, v);
        }

        /**
         * @param field offset of the float array
         * @param index index in the array
         * @param v     float value
         */
        protected final void putFloat(final int field, final int index, final float v)
        {
            assert validType(field, index, MPI.FLOAT) : TYPE_MISMATCH;
            buffer.putFloat(offset + field + index * Float.BYTES, v);
        }

        /**
         * @param field offset of the field
         * @return the double value
         */
        protected final double getDouble(final int field)
        {
            assert validType(field, 0, MPI.DOUBLE) : TYPE_MISMATCH;
            return buffer.getDouble(offset + field);
        }

        /**
         * @param field offset of the double array
         * @param index index in the array
         * @return the double value
         */
        protected final double getDouble(final int field, final int index)
        {
            assert validType(field, index, MPI.DOUBLE) : TYPE_MISMATCH;
            return buffer.getDouble(offset + field + index * Double.BYTES);
        }

        /**
         * @param field offset of the field
         * @param v     double value
         */
        protected final void putDouble(final int field, final double v)
        {
            assert validType(field, 0, MPI.DOUBLE) : TYPE_MISMATCH;
            buffer.putDouble(offset + field, v);
        }

        /**
         * @param field offset of the double array
         * @param index index in the array
         * @param v     double value
         */
        protected final void putDouble(final int field, final int index, final double v)
        {
            assert validType(field, index, MPI.DOUBLE) : TYPE_MISMATCH;
            buffer.putDouble(offset + field + index * Double.BYTES, v);
        }

        /**
         * Accessor for a nested struct field.
         *
         * @param struct the nested struct's type
         * @param field  offset of the field
         * @param <S>    struct class
         * @param <D>    its data class
         * @return accessor of the nested struct
         */
        protected final <S extends Struct, D extends Struct.Data> D getData(final S struct, final int field)
        {
            final Struct s = struct;
            assert validType(field, 0, s.datatype) : TYPE_MISMATCH;
            return s.newData(buffer, offset + field);
        }

        /**
         * Accessor for one struct of an array-of-structs field.
         *
         * @param struct the nested struct's type
         * @param field  offset of the array
         * @param index  index in the array
         * @param <S>    struct class
         * @param <D>    its data class
         * @return accessor of the nested struct
         */
        protected final <S extends Struct, D extends Struct.Data> D getData(final S struct, final int field,
            final int index)
        {
            final Struct s = struct;
            assert validType(field, index, s.datatype) : TYPE_MISMATCH;
            return s.newData(buffer, offset + field + index * s.extent);
        }

        /**
         * The buffer starting at a field of type {@code type}, for send and receive calls.
         *
         * @param type  datatype of the field
         * @param field offset of the field
         * @return buffer starting at the field
         */
        protected final ByteBuffer getBuffer(final Datatype type, final int field)
        {
            assert validType(field, 0, type) : TYPE_MISMATCH;
            final int position = offset + field;
            return 0 == position ? buffer : MPI.slice(buffer, position);
        }

        /**
         * The buffer starting at element {@code index} of an array field of type {@code type}.
         *
         * @param type  datatype of the array's elements
         * @param field offset of the array
         * @param index index in the array
         * @return buffer starting at the element
         * @throws MPIException if MPI is not initialized
         */
        protected final ByteBuffer getBuffer(final Datatype type, final int field, final int index)
            throws MPIException
        {
            assert validType(field, index, type) : TYPE_MISMATCH;
            final int position = offset + field + index * type.getExtent() * type.unitSize();
            return 0 == position ? buffer : MPI.slice(buffer, position);
        }
    }
}
