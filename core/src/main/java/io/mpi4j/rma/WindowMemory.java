package io.mpi4j.rma;

import java.util.Arrays;

/**
 * The memory a process exposes in a window: one region from creation ({@code MPI_Win_create},
 * {@code MPI_Win_allocate}), or the regions attached to a dynamic window ({@code MPI_Win_attach}), where origins
 * address memory by absolute address. Read by the target's progress engine, changed by the program's thread:
 * the region arrays are replaced, never modified in place, and published through a volatile field.
 */
public final class WindowMemory
{
    private static final long[] NONE = new long[0];

    private final boolean dynamic;
    private final long base;
    private final long size;
    /** Attached regions of a dynamic window: start, end (exclusive), start, end, ... */
    private volatile long[] regions = NONE;

    private WindowMemory(final boolean dynamic, final long base, final long size)
    {
        this.dynamic = dynamic;
        this.base = base;
        this.size = size;
    }

    /** A window over {@code size} bytes of native memory at {@code base}. */
    static WindowMemory fixed(final long base, final long size)
    {
        return new WindowMemory(false, base, size);
    }

    /** A dynamic window: nothing exposed until attached. */
    static WindowMemory dynamic()
    {
        return new WindowMemory(true, 0, 0);
    }

    boolean isDynamic()
    {
        return dynamic;
    }

    long base()
    {
        return base;
    }

    long size()
    {
        return size;
    }

    /**
     * Native address of {@code bytes} bytes at {@code offset} (an absolute address in a dynamic window), or -1
     * when they are not all exposed.
     */
    long resolve(final long offset, final long bytes)
    {
        if (offset < 0 || bytes < 0)
        {
            return -1;
        }
        if (!dynamic)
        {
            return offset + bytes <= size ? base + offset : -1;
        }
        final long[] r = regions;
        for (int i = 0; i < r.length; i += 2)
        {
            if (offset >= r[i] && offset + bytes <= r[i + 1])
            {
                return offset;
            }
        }
        return -1;
    }

    /** MPI_Win_attach; false when the region overlaps one already attached. */
    synchronized boolean attach(final long address, final long bytes)
    {
        final long[] r = regions;
        for (int i = 0; i < r.length; i += 2)
        {
            if (address < r[i + 1] && address + bytes > r[i])
            {
                return false;
            }
        }
        final long[] grown = Arrays.copyOf(r, r.length + 2);
        grown[r.length] = address;
        grown[r.length + 1] = address + bytes;
        regions = grown;
        return true;
    }

    /** MPI_Win_detach; false when no region starts at {@code address}. */
    synchronized boolean detach(final long address)
    {
        final long[] r = regions;
        for (int i = 0; i < r.length; i += 2)
        {
            if (r[i] == address)
            {
                final long[] shrunk = new long[r.length - 2];
                System.arraycopy(r, 0, shrunk, 0, i);
                System.arraycopy(r, i + 2, shrunk, i, r.length - i - 2);
                regions = shrunk;
                return true;
            }
        }
        return false;
    }
}
