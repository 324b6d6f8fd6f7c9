package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.MPI;

/** Benchmark buffers: direct ({@link MPI#newByteBuffer}), never empty, filled as OSU fills its buffers. */
final class Buffers
{
    private Buffers()
    {
    }

    static ByteBuffer filled(final long bytes, final char fill)
    {
        if (bytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("a buffer of " + bytes + " bytes is larger than Java allows");
        }
        final ByteBuffer buffer = MPI.newByteBuffer((int)Math.max(1, bytes));
        for (int i = 0; i < buffer.capacity(); i++)
        {
            buffer.put(i, (byte)fill);
        }
        return buffer;
    }
}
