package io.mpi4j.rma;

import io.mpi4j.datatype.TypeMap;
import io.mpi4j.p2p.Memory;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A non-contiguous target datatype as it travels in a request header: the count, the extent and the runs (byte
 * displacement, length) of one item. The target moves the packed stream through these runs: a put or accumulate
 * scatters into its memory, a get gathers from it. Layout fields follow the header ({@link RmaWire#HEADER_LENGTH})
 * when the header has the {@link RmaWire#LAYOUT} flag; offsets are derived from one another.
 */
final class TargetLayout
{
    static final int COUNT_OFFSET = 0;
    static final int EXTENT_OFFSET = COUNT_OFFSET + Long.BYTES;
    static final int RUNS_OFFSET = EXTENT_OFFSET + Long.BYTES;
    static final int FIRST_RUN_OFFSET = RUNS_OFFSET + Long.BYTES;
    static final int RUN_LENGTH = 2 * Long.BYTES;
    /** Runs of one item a request can describe; a type with more is refused at the origin (MPI_ERR_TYPE). */
    static final int MAX_RUNS = 4096;
    static final int MAX_LENGTH = FIRST_RUN_OFFSET + MAX_RUNS * RUN_LENGTH;

    private long count;
    private long extent;
    private int runs;
    private final long[] displacement = new long[MAX_RUNS];
    private final long[] length = new long[MAX_RUNS];
    private long lowest;
    private long highest;

    /** Bytes {@code type}'s layout takes on the wire. */
    static int wireLength(final TypeMap type)
    {
        return FIRST_RUN_OFFSET + type.runCount() * RUN_LENGTH;
    }

    /** Writes {@code count} items of {@code type} at {@code at}; returns the bytes written. */
    static int write(final UnsafeBuffer buffer, final int at, final TypeMap type, final long count)
    {
        buffer.putLong(at + COUNT_OFFSET, count);
        buffer.putLong(at + EXTENT_OFFSET, type.extent());
        buffer.putLong(at + RUNS_OFFSET, type.runCount());
        int p = at + FIRST_RUN_OFFSET;
        for (int i = 0; i < type.runCount(); i++)
        {
            buffer.putLong(p, type.runDisplacement(i));
            buffer.putLong(p + Long.BYTES, type.runLength(i));
            p += RUN_LENGTH;
        }
        return p - at;
    }

    /** Reads a layout at {@code at}; returns the bytes it took, or -1 when it is malformed. */
    int read(final UnsafeBuffer buffer, final int at)
    {
        count = buffer.getLong(at + COUNT_OFFSET);
        extent = buffer.getLong(at + EXTENT_OFFSET);
        final long n = buffer.getLong(at + RUNS_OFFSET);
        if (n < 0 || n > MAX_RUNS || count < 0)
        {
            return -1;
        }
        runs = (int)n;
        int p = at + FIRST_RUN_OFFSET;
        for (int i = 0; i < runs; i++)
        {
            displacement[i] = buffer.getLong(p);
            length[i] = buffer.getLong(p + Long.BYTES);
            p += RUN_LENGTH;
        }
        bound();
        return p - at;
    }

    /**
     * Takes {@code count} items of {@code type} straight from its type map: an origin that reaches the target's
     * memory itself (a shared segment) moves data through the same runs the target would. The type has at most
     * {@link #MAX_RUNS} runs (checked by the caller).
     */
    void describe(final TypeMap type, final long count)
    {
        this.count = count;
        this.extent = type.extent();
        this.runs = type.runCount();
        for (int i = 0; i < runs; i++)
        {
            displacement[i] = type.runDisplacement(i);
            length[i] = type.runLength(i);
        }
        bound();
    }

    private void bound()
    {
        lowest = Long.MAX_VALUE;
        highest = Long.MIN_VALUE;
        for (int i = 0; i < runs; i++)
        {
            lowest = Math.min(lowest, displacement[i]);
            highest = Math.max(highest, displacement[i] + length[i]);
        }
        if (0 == runs || 0 == count)
        {
            lowest = 0;
            highest = 0;
        }
        else
        {
            // items repeat every extent: the first and the last item bound the span
            final long last = (count - 1) * extent;
            lowest = Math.min(lowest, lowest + last);
            highest = Math.max(highest, highest + last);
        }
    }

    /** Lowest byte, relative to the target displacement, the items touch. */
    long lowest()
    {
        return lowest;
    }

    /** One past the highest byte, relative to the target displacement, the items touch. */
    long highest()
    {
        return highest;
    }

    /** Copies the items at {@code origin} (address of the target displacement) into {@code out}, packed. */
    void gather(final long origin, final byte[] out)
    {
        gather(origin, out, Memory.BYTE_ARRAY_BASE);
    }

    /** Copies the items at {@code origin} (address of the target displacement) packed to {@code (base, address)}. */
    void gather(final long origin, final Object base, final long address)
    {
        long packed = address;
        for (long item = 0; item < count; item++)
        {
            final long at = origin + item * extent;
            for (int i = 0; i < runs; i++)
            {
                Memory.copy(null, at + displacement[i], base, packed, length[i]);
                packed += length[i];
            }
        }
    }

    /** Combines the packed stream at (base, address) into the items at {@code origin} with {@code op}. */
    void scatter(final int op, final int type, final int items, final int elementBytes, final Object base,
        final long address, final long origin)
    {
        long packed = address;
        for (long item = 0; item < count; item++)
        {
            final long at = origin + item * extent;
            for (int i = 0; i < runs; i++)
            {
                Accumulation.apply(op, type, items, elementBytes, base, packed, at + displacement[i], length[i]);
                packed += length[i];
            }
        }
    }
}
