package mpi;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * A complex number of {@link MPI#DOUBLE_COMPLEX}, two doubles (real, imaginary), viewed in place in a buffer or array.
 */
public final class DoubleComplex
{
    private final int offset;
    private final DoubleBuffer buffer;

    private DoubleComplex(final DoubleBuffer buffer, final int index)
    {
        this.buffer = buffer;
        this.offset = 2 * index;
    }

    /**
     * @param buffer buffer holding the number at its start
     * @return the complex number
     */
    public static DoubleComplex get(final DoubleBuffer buffer)
    {
        return new DoubleComplex(buffer, 0);
    }

    /**
     * @param buffer buffer holding an array of complex numbers
     * @param index  index of the number in the array
     * @return the complex number
     */
    public static DoubleComplex get(final DoubleBuffer buffer, final int index)
    {
        return new DoubleComplex(buffer, index);
    }

    /**
     * @param array array holding the number in its first two elements
     * @return the complex number
     */
    public static DoubleComplex get(final double[] array)
    {
        return new DoubleComplex(DoubleBuffer.wrap(array), 0);
    }

    /**
     * @param array array holding complex numbers as pairs of elements
     * @param index index of the number
     * @return the complex number
     */
    public static DoubleComplex get(final double[] array, final int index)
    {
        return new DoubleComplex(DoubleBuffer.wrap(array), index);
    }

    /**
     * @param buffer byte buffer holding the number at its start, in the buffer's byte order
     * @return the complex number
     */
    public static DoubleComplex get(final ByteBuffer buffer)
    {
        return new DoubleComplex(buffer.asDoubleBuffer(), 0);
    }

    /**
     * @param buffer byte buffer holding an array of complex numbers, in the buffer's byte order
     * @param index  index of the number
     * @return the complex number
     */
    public static DoubleComplex get(final ByteBuffer buffer, final int index)
    {
        return new DoubleComplex(buffer.asDoubleBuffer(), index);
    }

    /** @return the real part */
    public double getReal()
    {
        return buffer.get(offset);
    }

    /** @return the imaginary part */
    public double getImag()
    {
        return buffer.get(offset + 1);
    }

    /** @param real the real part */
    public void putReal(final double real)
    {
        buffer.put(offset, real);
    }

    /** @param imag the imaginary part */
    public void putImag(final double imag)
    {
        buffer.put(offset + 1, imag);
    }

    /**
     * The buffer starting at this number, for send and receive calls.
     *
     * @return buffer starting at the number
     */
    public DoubleBuffer getBuffer()
    {
        return 0 == offset ? buffer : MPI.slice(buffer, offset);
    }
}
