package mpi;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.Memory;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Turns the buffers a program passes to MPI calls into the engine's {@code (base, address, bytes)} form and checks
 * them against count and datatype. Primitive arrays give {@code base = array, address = Unsafe array offset};
 * heap NIO buffers give their backing array, starting at {@code arrayOffset()}; direct NIO buffers give
 * {@code base = null, address = native address}. As in Open MPI's binding the buffer's position is ignored:
 * programs use {@code MPI.slice} to start inside a buffer. Nothing here allocates unless an error is explained.
 */
final class UserBuffer
{
    /** Element type of a ByteBuffer: it holds any basic type. */
    static final int ANY = -1;
    /** Not a primitive array nor an NIO buffer. */
    static final int UNSUPPORTED = -2;

    private UserBuffer()
    {
    }

    /** Element type of {@code buf}: a {@code Datatype} base type, {@link #ANY} or {@link #UNSUPPORTED}. */
    static int elementType(final Object buf)
    {
        if (buf instanceof byte[]) return Datatype.BYTE;
        if (buf instanceof int[]) return Datatype.INT;
        if (buf instanceof double[]) return Datatype.DOUBLE;
        if (buf instanceof long[]) return Datatype.LONG;
        if (buf instanceof float[]) return Datatype.FLOAT;
        if (buf instanceof short[]) return Datatype.SHORT;
        if (buf instanceof char[]) return Datatype.CHAR;
        if (buf instanceof boolean[]) return Datatype.BOOLEAN;
        if (buf instanceof ByteBuffer) return ANY;
        if (buf instanceof IntBuffer) return Datatype.INT;
        if (buf instanceof DoubleBuffer) return Datatype.DOUBLE;
        if (buf instanceof LongBuffer) return Datatype.LONG;
        if (buf instanceof FloatBuffer) return Datatype.FLOAT;
        if (buf instanceof ShortBuffer) return Datatype.SHORT;
        if (buf instanceof CharBuffer) return Datatype.CHAR;
        return UNSUPPORTED;
    }

    /** Bytes of one element of a buffer of element type {@code elementType}. */
    static int elementBytes(final int elementType)
    {
        switch (elementType)
        {
            case Datatype.CHAR:
            case Datatype.SHORT:
                return 2;
            case Datatype.INT:
            case Datatype.FLOAT:
                return 4;
            case Datatype.LONG:
            case Datatype.DOUBLE:
                return 8;
            default:
                return 1;
        }
    }

    private static long arrayBaseOffset(final int elementType)
    {
        switch (elementType)
        {
            case Datatype.CHAR: return Memory.CHAR_ARRAY_BASE;
            case Datatype.SHORT: return Memory.SHORT_ARRAY_BASE;
            case Datatype.BOOLEAN: return Memory.BOOLEAN_ARRAY_BASE;
            case Datatype.INT: return Memory.INT_ARRAY_BASE;
            case Datatype.LONG: return Memory.LONG_ARRAY_BASE;
            case Datatype.FLOAT: return Memory.FLOAT_ARRAY_BASE;
            case Datatype.DOUBLE: return Memory.DOUBLE_ARRAY_BASE;
            default: return Memory.BYTE_ARRAY_BASE;
        }
    }

    /** Bytes the buffer can hold from where MPI starts reading it. */
    static long capacityBytes(final Object buf)
    {
        if (buf instanceof Buffer)
        {
            return (long)((Buffer)buf).capacity() * elementBytes(elementType(buf));
        }
        return (long)arrayLength(buf) * elementBytes(elementType(buf));
    }

    /**
     * Bytes before the buffer's first element that belong to the memory it shares (the array of a heap buffer that
     * starts inside it, the buffer a direct buffer was sliced from): a datatype with negative displacements may
     * reach them, as it may in C and in Open MPI's binding.
     */
    static long headroomBytes(final Object buf)
    {
        if (buf instanceof Buffer)
        {
            final Buffer b = (Buffer)buf;
            if (b.isDirect())
            {
                return Memory.directHeadroom(b);
            }
            return b.hasArray() ? (long)b.arrayOffset() * elementBytes(elementType(buf)) : 0;
        }
        return 0;
    }

    private static int arrayLength(final Object array)
    {
        if (array instanceof byte[]) return ((byte[])array).length;
        if (array instanceof int[]) return ((int[])array).length;
        if (array instanceof double[]) return ((double[])array).length;
        if (array instanceof long[]) return ((long[])array).length;
        if (array instanceof float[]) return ((float[])array).length;
        if (array instanceof short[]) return ((short[])array).length;
        if (array instanceof char[]) return ((char[])array).length;
        return ((boolean[])array).length;
    }

    /** The engine's {@code base}: the array holding the data, or null for direct buffers (and null buffers). */
    static Object base(final Object buf)
    {
        if (buf instanceof Buffer)
        {
            final Buffer b = (Buffer)buf;
            return b.isDirect() ? null : b.array();
        }
        return buf;
    }

    /** The engine's {@code address}: an Unsafe offset into {@link #base}, or a native address if base is null. */
    static long address(final Object buf)
    {
        if (null == buf)
        {
            return 0;
        }
        if (buf instanceof Buffer)
        {
            final Buffer b = (Buffer)buf;
            if (b.isDirect())
            {
                return Memory.directAddress(b);
            }
            final int type = elementType(buf);
            return arrayBaseOffset(type) + (long)b.arrayOffset() * elementBytes(type);
        }
        return arrayBaseOffset(elementType(buf));
    }

    /** Copies bytes between two {@code (base, address)} locations; used where MPI needs a temporary copy. */
    static void copy(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final long bytes)
    {
        Memory.copy(srcBase, srcAddress, dstBase, dstAddress, bytes);
    }

    /** Unsafe offset of the first element of a byte array. */
    static long byteArrayOffset()
    {
        return Memory.BYTE_ARRAY_BASE;
    }

    /**
     * Checks that {@code count} items of {@code type} fit {@code buf}.
     *
     * @return {@code MPI.SUCCESS} or the error class; {@link #explain} says why
     */
    static int verify(final Object buf, final int count, final Datatype type)
    {
        if (count < 0)
        {
            return ErrorClass.ERR_COUNT;
        }
        if (null == type || type.baseType == Datatype.NULL)
        {
            return ErrorClass.ERR_TYPE;
        }
        if (!type.isUsable())
        {
            return ErrorClass.ERR_TYPE;
        }
        if (null == buf)
        {
            return 0 == count ? ErrorClass.SUCCESS : ErrorClass.ERR_BUFFER;
        }
        final int elementType = elementType(buf);
        if (UNSUPPORTED == elementType)
        {
            return ErrorClass.ERR_BUFFER;
        }
        if (buf instanceof Buffer && !((Buffer)buf).isDirect() && !((Buffer)buf).hasArray())
        {
            return ErrorClass.ERR_BUFFER;
        }
        // the headroom is a walk of the buffer's attachments: asked only of a datatype that reaches below the start
        final long lowest = type.typeMap().lowestOffset(count);
        if (lowest < 0 && lowest < -headroomBytes(buf))
        {
            return ErrorClass.ERR_BUFFER;
        }
        if (highestOffset(count, type) > capacityBytes(buf))
        {
            return ErrorClass.ERR_COUNT;
        }
        return ErrorClass.SUCCESS;
    }

    /**
     * One past the last byte {@code count} items of {@code type} touch from the buffer's start. A predefined type's
     * items are its extent apart (the pair types with their padding), a derived type's as its type map says.
     */
    static long highestOffset(final int count, final Datatype type)
    {
        return type.isContiguous() ? (long)count * type.byteSize : type.typeMap().highestOffset(count);
    }

    /** The message for an error {@link #verify} returned, naming the MPI call {@code op}. */
    static String explain(final int error, final String op, final Object buf, final int count, final Datatype type)
    {
        switch (error)
        {
            case ErrorClass.ERR_COUNT:
                if (count < 0)
                {
                    return op + ": count " + count + " is negative";
                }
                if (type.isContiguous() && type.byteSize > 0)
                {
                    return op + ": count " + count + " is larger than the buffer, which holds " +
                        (capacityBytes(buf) / type.byteSize) + " elements of " + type.typeName() +
                        " (" + describe(buf) + ")";
                }
                return op + ": " + count + " items of " + type.typeName() + " reach byte " +
                    highestOffset(count, type) + " of the buffer, which holds " + capacityBytes(buf) + " bytes (" +
                    describe(buf) + ")";
            case ErrorClass.ERR_TYPE:
                if (null == type)
                {
                    return op + ": datatype is null";
                }
                if (type.baseType == Datatype.NULL)
                {
                    return op + ": MPI_DATATYPE_NULL cannot describe a buffer";
                }
                if (!type.isUsable())
                {
                    return op + ": " + type.unusableReason();
                }
                return op + ": datatype " + type.typeName() + " cannot describe a buffer of " + describe(buf);
            case ErrorClass.ERR_BUFFER:
                if (null == buf)
                {
                    return op + ": buffer is null but count is " + count;
                }
                if (null != buf && type.typeMap().lowestOffset(count) < -headroomBytes(buf))
                {
                    return op + ": datatype " + type.typeName() + " reaches " + -type.typeMap().lowestOffset(count) +
                        " bytes before the start of the buffer, which has " + headroomBytes(buf) +
                        " bytes of memory there";
                }
                if (buf instanceof Buffer)
                {
                    return op + ": heap buffer " + describe(buf) + " has no accessible array (read-only, or a view" +
                        " of a heap ByteBuffer); use a primitive array, a writable heap buffer or MPI.new*Buffer";
                }
                return op + ": buffer of class " + buf.getClass().getName() +
                    " is not supported; use a primitive array or a java.nio buffer";
            default:
                return op + ": " + ErrorClass.name(error);
        }
    }

    private static String describe(final Object buf)
    {
        if (buf instanceof Buffer)
        {
            final Buffer b = (Buffer)buf;
            final String kind = buf instanceof ByteBuffer ? "ByteBuffer" :
                Character.toUpperCase(Datatype.javaName(elementType(buf)).charAt(0)) +
                Datatype.javaName(elementType(buf)).substring(1) + "Buffer";
            return (b.isDirect() ? "direct " : "heap ") + kind + " of capacity " + b.capacity();
        }
        return Datatype.javaName(elementType(buf)) + "[" + arrayLength(buf) + "]";
    }
}
