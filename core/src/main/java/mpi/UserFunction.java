package mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A user-defined reduction ({@code MPI_User_function}) for {@link Op#Op(UserFunction, boolean)}. Override one of
 * the two {@code call} methods: MPI calls the {@link ByteBuffer} one (buffers in native byte order, positioned at
 * the first item), whose default copies the items into a Java array of the datatype's base type and calls the
 * array one. Both compute {@code inOut[i] = in[i] op inOut[i]}; {@code in} holds the lower ranks' contribution.
 */
public abstract class UserFunction
{
    /**
     * User-defined function over Java arrays of the datatype's base type.
     *
     * @param inVec    array of values to combine with {@code inOutVec} elements
     * @param inOutVec in-out array of accumulator locations
     * @param count    number of items in the arrays
     * @param datatype type of each item
     * @throws MPIException to make the collective fail with that error class
     */
    public void call(final Object inVec, final Object inOutVec, final int count, final Datatype datatype)
        throws MPIException
    {
        throw new UnsupportedOperationException("Not supported yet.");
    }

    /**
     * User-defined function over byte buffers in native order.
     *
     * @param in       buffer to combine with {@code inOut}
     * @param inOut    in-out buffer of accumulator locations
     * @param count    number of items in the buffers
     * @param datatype type of each item
     * @throws MPIException to make the collective fail with that error class
     */
    public void call(final ByteBuffer in, final ByteBuffer inOut, final int count, final Datatype datatype)
        throws MPIException
    {
        final ByteBuffer a = in.duplicate().order(ByteOrder.nativeOrder());
        final ByteBuffer b = inOut.duplicate().order(ByteOrder.nativeOrder());
        // every base element the buffer spans: a type with gaps comes laid out as in memory, gaps included
        final int n = a.remaining() / UserBuffer.elementBytes(datatype.baseType);
        switch (datatype.baseType)
        {
            case Datatype.CHAR:
            {
                final char[] x = new char[n];
                final char[] y = new char[n];
                a.asCharBuffer().get(x);
                b.asCharBuffer().get(y);
                call(x, y, count, datatype);
                b.asCharBuffer().put(y);
                break;
            }
            case Datatype.SHORT:
            {
                final short[] x = new short[n];
                final short[] y = new short[n];
                a.asShortBuffer().get(x);
                b.asShortBuffer().get(y);
                call(x, y, count, datatype);
                b.asShortBuffer().put(y);
                break;
            }
            case Datatype.INT:
            {
                final int[] x = new int[n];
                final int[] y = new int[n];
                a.asIntBuffer().get(x);
                b.asIntBuffer().get(y);
                call(x, y, count, datatype);
                b.asIntBuffer().put(y);
                break;
            }
            case Datatype.LONG:
            {
                final long[] x = new long[n];
                final long[] y = new long[n];
                a.asLongBuffer().get(x);
                b.asLongBuffer().get(y);
                call(x, y, count, datatype);
                b.asLongBuffer().put(y);
                break;
            }
            case Datatype.FLOAT:
            {
                final float[] x = new float[n];
                final float[] y = new float[n];
                a.asFloatBuffer().get(x);
                b.asFloatBuffer().get(y);
                call(x, y, count, datatype);
                b.asFloatBuffer().put(y);
                break;
            }
            case Datatype.DOUBLE:
            {
                final double[] x = new double[n];
                final double[] y = new double[n];
                a.asDoubleBuffer().get(x);
                b.asDoubleBuffer().get(y);
                call(x, y, count, datatype);
                b.asDoubleBuffer().put(y);
                break;
            }
            default:
            {
                // bytes and the pair types: the raw bytes
                final byte[] x = new byte[a.remaining()];
                final byte[] y = new byte[x.length];
                a.get(x);
                b.get(y);
                call(x, y, count, datatype);
                b.position(inOut.position()).put(y);
                break;
            }
        }
    }
}
