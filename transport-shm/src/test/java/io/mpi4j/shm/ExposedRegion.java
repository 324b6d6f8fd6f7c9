package io.mpi4j.shm;

import org.agrona.BufferUtil;

import java.nio.ByteBuffer;

/**
 * A process whose memory another reads ({@link CrossMemoryAttachTest}): fills a direct buffer of {@code args[0]}
 * bytes with {@link #pattern}, prints its address, and exits once its standard input closes.
 */
public final class ExposedRegion
{
    private ExposedRegion()
    {
    }

    static byte pattern(final int i)
    {
        return (byte)(i * 31 + (i >>> 12));
    }

    public static void main(final String[] args) throws Exception
    {
        final int bytes = Integer.parseInt(args[0]);
        final ByteBuffer region = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++)
        {
            region.put(i, pattern(i));
        }
        System.out.println(BufferUtil.address(region));
        System.out.flush();
        while (System.in.read() >= 0)
        {
            // held until the reader is done
        }
        System.out.println(region.get(0));
    }
}
