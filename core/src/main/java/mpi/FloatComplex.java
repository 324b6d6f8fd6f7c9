package mpi;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * A complex number of {@link MPI#FLOAT_COMPLEX}, two floats (real, imaginary), viewed in place in a buffer or array.
 */
public final class FloatComplex
{
    private final int offset;
    private final FloatBuffer buffer;

    private FloatComplex(final FloatBuffer buffer, final int index)
    {
        this.buffer = buffer;
        this.offset = 2 * index;
    }

    /**
     * @param buffer buffer holding the number at its start
     * @return the complex number
     */
    public static FloatComplex get(final FloatBuffer buffer)
    {
        return new FloatComplex(buffer, 0);
    }

    /**
     * @param buffer buffer holding an array of complex numbers
     * @param index  index of the number in the array
     * @return the complex number
     */
    public static FloatComplex get(final FloatBuffer buffer, final int index)
    {
        return new FloatComplex(buffer, index);
    }

    /**
     * @param array array holding the number in its first two elements
     * @return the complex number
     */
    public static FloatComplex get(final float[] array)
    {
        return new FloatComplex(FloatBuffer.wrap(array), 0);
    }

    /**
     * @param array array holding complex numbers as pairs of elements
     * @param index index of the number
     * @return the complex number
     */
    public static FloatComplex get(final float[] array, final int index)
    {
        return new FloatComplex(FloatBuffer.wrap(array), index);
    }

    /**
     * @param buffer byte buffer holding the number at its start, in the buffer's byte order
     * @return the complex number
     */
    public static FloatComplex get(final ByteBuffer buffer)
    {
        return new FloatComplex(buffer.asFloatBuffer(), 0);
    }

    /**
     * @param buffer byte buffer holding an array of complex numbers, in the buffer's byte order
     * @param index  index of the number
     * @return the complex number
     */
    public static FloatComplex get(final ByteBuffer buffer, final int index)
    {
        return new FloatComplex(buffer.asFloatBuffer(), index);
    }

    /** @return the real part */
    public float getReal()
    {
        return buffer.get(offset);
    }

    /** @return the imaginary part */
    public float getImag()
    {
        return buffer.get(offset + 1);
    }

    /** @param real the real part */
    public void putReal(final float real)
    {
        buffer.put(offset, real);
    }

    /** @param imag the imaginary part */
    public void putImag(final float imag)
    {
        buffer.put(offset + 1, imag);
    }

    /**
     * The buffer starting at this number, for send and receive calls.
     *
     * @return buffer starting at the number
     */
    public FloatBuffer getBuffer()
    {
        return 0 == offset ? buffer : MPI.slice(buffer, offset);
    }
}
