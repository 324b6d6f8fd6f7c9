package io.mpi4j.io;

import java.util.Arrays;

/**
 * Byte ranges of a file, in the order an access's data stream visits them: segment i holds stream bytes
 * {@code [streamStart(i), streamStart(i) + length(i))} at file offset {@link #offset(int)}. Adjacent ranges are
 * merged as they are added. Reused between accesses with {@link #clear()}.
 */
public final class Segments
{
    private long[] offset = new long[8];
    private long[] length = new long[8];
    private long[] streamStart = new long[8];
    private int count;
    private long bytes;

    public Segments clear()
    {
        count = 0;
        bytes = 0;
        return this;
    }

    /** Appends {@code length} bytes at file offset {@code fileOffset}, following the previous ones in the stream. */
    public void add(final long fileOffset, final long length)
    {
        if (length <= 0)
        {
            return;
        }
        if (count > 0 && offset[count - 1] + this.length[count - 1] == fileOffset)
        {
            this.length[count - 1] += length;
        }
        else
        {
            if (count == offset.length)
            {
                offset = Arrays.copyOf(offset, count * 2);
                this.length = Arrays.copyOf(this.length, count * 2);
                streamStart = Arrays.copyOf(streamStart, count * 2);
            }
            offset[count] = fileOffset;
            this.length[count] = length;
            streamStart[count] = bytes;
            count++;
        }
        bytes += length;
    }

    public int count()
    {
        return count;
    }

    public long offset(final int i)
    {
        return offset[i];
    }

    public long length(final int i)
    {
        return length[i];
    }

    public long end(final int i)
    {
        return offset[i] + length[i];
    }

    /** Position in the access's data stream of the first byte of segment {@code i}. */
    public long streamStart(final int i)
    {
        return streamStart[i];
    }

    /** Bytes of all segments. */
    public long bytes()
    {
        return bytes;
    }

    /** Lowest file offset touched; meaningful when {@code count() > 0}. */
    public long lowest()
    {
        return offset[0];
    }

    /** One past the highest file offset touched; segments of a view increase, so it is the last one's end. */
    public long highest()
    {
        return end(count - 1);
    }

    /** Stream bytes that lie below file offset {@code eof}: what a read got before the end of the file. */
    public long bytesBelow(final long eof)
    {
        long n = 0;
        for (int i = 0; i < count; i++)
        {
            if (offset[i] >= eof)
            {
                break;
            }
            n += Math.min(length[i], eof - offset[i]);
        }
        return n;
    }
}
