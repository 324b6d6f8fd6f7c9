package io.mpi4j.datatype;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

import java.util.Arrays;

/**
 * The type map of an MPI datatype, in bytes: what one item of the type covers in a user buffer and in which order
 * its bytes travel. Immutable and shared (a dup is the same map).
 * <p>
 * The map is kept flattened: {@link #runCount()} runs of (byte displacement, byte length) in type-map order, which
 * is the order of the packed stream, with a run merged into the one before it when it starts where that one ends.
 * Runs are deliberately not sorted by displacement: MPI defines the packed stream by the type map, so an indexed
 * type with decreasing displacements must send its blocks in the order given. Alongside, the basic elements in
 * packed order, as runs of equal-sized elements, for {@code MPI_Get_elements}.
 * <p>
 * Bounds follow MPI and Open MPI: lb/ub from the blocks' own bounds (replicated by their extent), the upper bound
 * padded to the largest alignment of the basic types inside unless a bound was set explicitly by a resize
 * somewhere inside; true bounds from the data alone.
 */
public final class TypeMap
{
    /** Most runs one item may flatten to; a larger type is refused rather than exhausting the heap. */
    public static final int MAX_RUNS = 1 << 24;

    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];

    /** The empty type map: no data, zero extent (a struct of zero blocks). */
    public static final TypeMap EMPTY =
        new TypeMap(0, 0, 0, 0, 0, 1, false, NO_LONGS, NO_LONGS, 0, NO_INTS, NO_LONGS, 0);

    private final long size;
    private final long lb;
    private final long ub;
    private final long trueLb;
    private final long trueUb;
    private final int alignment;
    private final boolean explicitBounds;
    private final long[] runDisplacement;
    private final long[] runLength;
    /** Packed offset at which run i ends: prefix sums of runLength, for seeking. */
    private final long[] runEnd;
    private final int runCount;
    private final int[] elementSize;
    private final long[] elementRepeat;
    private final int elementRunCount;
    private final long elementCount;
    private final boolean contiguous;

    private TypeMap(
        final long size, final long lb, final long ub, final long trueLb, final long trueUb, final int alignment,
        final boolean explicitBounds, final long[] runDisplacement, final long[] runLength, final int runCount,
        final int[] elementSize, final long[] elementRepeat, final int elementRunCount)
    {
        this.size = size;
        this.lb = lb;
        this.ub = ub;
        this.trueLb = trueLb;
        this.trueUb = trueUb;
        this.alignment = alignment;
        this.explicitBounds = explicitBounds;
        this.runDisplacement = runDisplacement;
        this.runLength = runLength;
        this.runCount = runCount;
        this.runEnd = new long[runCount];
        long end = 0;
        for (int i = 0; i < runCount; i++)
        {
            end += runLength[i];
            runEnd[i] = end;
        }
        this.elementSize = elementSize;
        this.elementRepeat = elementRepeat;
        this.elementRunCount = elementRunCount;
        long elements = 0;
        for (int i = 0; i < elementRunCount; i++)
        {
            elements += elementRepeat[i];
        }
        this.elementCount = elements;
        // Items tile memory when the one run fills the whole extent: count items are then one block of bytes.
        this.contiguous = 0 == size || (1 == runCount && runLength[0] == ub - lb);
    }

    /**
     * A basic (predefined) element type.
     *
     * @param size      bytes of one element
     * @param alignment its natural alignment, which pads the extent of types built from it
     * @return the type map of one element at displacement 0
     */
    public static TypeMap basic(final int size, final int alignment)
    {
        if (size <= 0 || alignment <= 0)
        {
            throw new IllegalArgumentException("basic type of size " + size + ", alignment " + alignment);
        }
        return new TypeMap(size, 0, size, 0, size, alignment, false, new long[]{ 0 }, new long[]{ size }, 1,
            new int[]{ size }, new long[]{ 1 }, 1);
    }

    /**
     * {@code MPI_TYPE_CONTIGUOUS}: {@code count} copies of {@code old}, each one extent after the previous.
     */
    public static TypeMap contiguous(final int count, final TypeMap old)
    {
        return hvector(count, 1, old.extent(), old);
    }

    /** {@code MPI_TYPE_VECTOR}: the stride counts extents of {@code old}. */
    public static TypeMap vector(final int count, final int blockLength, final long stride, final TypeMap old)
    {
        return hvector(count, blockLength, stride * old.extent(), old);
    }

    /** {@code MPI_TYPE_CREATE_HVECTOR}: the stride is in bytes. */
    public static TypeMap hvector(final int count, final int blockLength, final long strideBytes, final TypeMap old)
    {
        requireNonNegative(count, "count");
        requireNonNegative(blockLength, "block length");
        final Builder b = new Builder();
        for (int i = 0; i < count; i++)
        {
            b.add(old, blockLength, i * strideBytes);
        }
        return b.build();
    }

    /** {@code MPI_TYPE_INDEXED}: displacements count extents of {@code old}. */
    public static TypeMap indexed(final int[] blockLengths, final int[] displacements, final TypeMap old)
    {
        final long[] bytes = new long[displacements.length];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = displacements[i] * old.extent();
        }
        return hindexed(blockLengths, bytes, old);
    }

    /** {@code MPI_TYPE_CREATE_HINDEXED}: displacements are in bytes. */
    public static TypeMap hindexed(final int[] blockLengths, final long[] displacements, final TypeMap old)
    {
        requireSameLength(blockLengths.length, displacements.length);
        final Builder b = new Builder();
        for (int i = 0; i < blockLengths.length; i++)
        {
            requireNonNegative(blockLengths[i], "block length");
            b.add(old, blockLengths[i], displacements[i]);
        }
        return b.build();
    }

    /** {@code MPI_TYPE_CREATE_STRUCT}: block i is {@code blockLengths[i]} items of {@code types[i]}. */
    public static TypeMap struct(final int[] blockLengths, final long[] displacements, final TypeMap[] types)
    {
        requireSameLength(blockLengths.length, displacements.length);
        requireSameLength(blockLengths.length, types.length);
        final Builder b = new Builder();
        for (int i = 0; i < blockLengths.length; i++)
        {
            requireNonNegative(blockLengths[i], "block length");
            b.add(types[i], blockLengths[i], displacements[i]);
        }
        return b.build();
    }

    /**
     * {@code MPI_TYPE_CREATE_RESIZED}: the same data with explicit bounds; types built from it keep them unpadded.
     */
    public static TypeMap resized(final TypeMap old, final long lb, final long extent)
    {
        return new TypeMap(old.size, lb, lb + extent, old.trueLb, old.trueUb, old.alignment, true,
            old.runDisplacement, old.runLength, old.runCount, old.elementSize, old.elementRepeat,
            old.elementRunCount);
    }

    private static void requireNonNegative(final int value, final String what)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(what + " " + value + " is negative");
        }
    }

    private static void requireSameLength(final int a, final int b)
    {
        if (a != b)
        {
            throw new IllegalArgumentException("argument arrays differ in length: " + a + " and " + b);
        }
    }

    /** Bytes of data in one item: the packed size. */
    public long size()
    {
        return size;
    }

    /** Lower bound in bytes. */
    public long lb()
    {
        return lb;
    }

    /** Upper bound in bytes. */
    public long ub()
    {
        return ub;
    }

    /** Extent in bytes: the distance between consecutive items in a buffer. */
    public long extent()
    {
        return ub - lb;
    }

    /** Lowest byte holding data, relative to the item's start. */
    public long trueLb()
    {
        return trueLb;
    }

    /** Bytes from the lowest to past the highest byte holding data. */
    public long trueExtent()
    {
        return trueUb - trueLb;
    }

    /** Largest natural alignment of the basic types inside. */
    public int alignment()
    {
        return alignment;
    }

    /** Whether a resize set the bounds of this type or of one inside it. */
    public boolean hasExplicitBounds()
    {
        return explicitBounds;
    }

    /**
     * Whether {@code count} items are one block of {@code count * size()} bytes starting {@link #firstDisplacement()}
     * bytes after the buffer's address: the fast path that needs no packing.
     */
    public boolean isContiguous()
    {
        return contiguous;
    }

    /** Displacement of the first run (of the contiguous block for a contiguous type), 0 without data. */
    public long firstDisplacement()
    {
        return 0 == runCount ? 0 : runDisplacement[0];
    }

    /** Runs of one item. */
    public int runCount()
    {
        return runCount;
    }

    /** Byte displacement of run {@code i}, relative to the item's start. */
    public long runDisplacement(final int i)
    {
        return runDisplacement[i];
    }

    /** Byte length of run {@code i}. */
    public long runLength(final int i)
    {
        return runLength[i];
    }

    /** The run displacements themselves, for {@link PackCursor}'s loop; not a copy, never to be written. */
    long[] runDisplacements()
    {
        return runDisplacement;
    }

    /** The run lengths themselves, for {@link PackCursor}'s loop; not a copy, never to be written. */
    long[] runLengths()
    {
        return runLength;
    }

    /** Packed offset, within one item, where run {@code i} ends. */
    long runEnd(final int i)
    {
        return runEnd[i];
    }

    /** Basic elements in one item. */
    public long elementCount()
    {
        return elementCount;
    }

    /** Bytes {@code count} items pack to. */
    public long packedSize(final long count)
    {
        return Math.multiplyExact(count, size);
    }

    /**
     * Lowest byte offset, relative to the buffer's address, that {@code count} items touch (0 without data); with
     * {@link #highestOffset} it tells whether a buffer is large enough.
     */
    public long lowestOffset(final long count)
    {
        if (count <= 0 || 0 == size)
        {
            return 0;
        }
        return trueLb + Math.min(0, (count - 1) * extent());
    }

    /** One past the highest byte offset, relative to the buffer's address, that {@code count} items touch. */
    public long highestOffset(final long count)
    {
        if (count <= 0 || 0 == size)
        {
            return 0;
        }
        return trueUb + Math.max(0, (count - 1) * extent());
    }

    /**
     * {@code MPI_Get_elements}: whole basic elements in the first {@code bytes} of a packed stream of this type.
     *
     * @return the count, or -1 if {@code bytes} ends inside a basic element
     */
    public long elementsIn(final long bytes)
    {
        if (bytes <= 0 || 0 == size)
        {
            return 0 == bytes ? 0 : -1;
        }
        long elements = bytes / size * elementCount;
        long rest = bytes % size;
        for (int i = 0; i < elementRunCount && rest > 0; i++)
        {
            final long runBytes = elementSize[i] * elementRepeat[i];
            if (rest >= runBytes)
            {
                elements += elementRepeat[i];
                rest -= runBytes;
            }
            else
            {
                if (0 != rest % elementSize[i])
                {
                    return -1;
                }
                elements += rest / elementSize[i];
                rest = 0;
            }
        }
        return elements;
    }

    /**
     * Bytes of the packed stream that hold the first {@code elements} basic elements ({@code MPI_Get_elements} the
     * other way round, for {@code MPI_Status_set_elements}).
     */
    public long bytesOfElements(final long elements)
    {
        if (elements <= 0 || 0 == elementCount)
        {
            return 0;
        }
        long bytes = elements / elementCount * size;
        long rest = elements % elementCount;
        for (int i = 0; i < elementRunCount && rest > 0; i++)
        {
            final long n = Math.min(rest, elementRepeat[i]);
            bytes += n * elementSize[i];
            rest -= n;
        }
        return bytes;
    }

    @Override
    public String toString()
    {
        final StringBuilder s = new StringBuilder("TypeMap{size=").append(size).append(", lb=").append(lb)
            .append(", extent=").append(extent()).append(", trueLb=").append(trueLb).append(", trueExtent=")
            .append(trueExtent()).append(", runs=[");
        for (int i = 0; i < Math.min(runCount, 16); i++)
        {
            s.append(i > 0 ? " " : "").append('(').append(runDisplacement[i]).append(',').append(runLength[i])
                .append(')');
        }
        return s.append(runCount > 16 ? " ...]}" : "]}").toString();
    }

    /** Accumulates blocks (count copies of a type at a byte displacement), in type-map order. */
    private static final class Builder
    {
        private long size;
        private long lb = Long.MAX_VALUE;
        private long ub = Long.MIN_VALUE;
        private long trueLb = Long.MAX_VALUE;
        private long trueUb = Long.MIN_VALUE;
        private int alignment = 1;
        private boolean explicitBounds;
        private long[] runDisplacement = new long[4];
        private long[] runLength = new long[4];
        private int runCount;
        private int[] elementSize = new int[2];
        private long[] elementRepeat = new long[2];
        private int elementRunCount;

        void add(final TypeMap type, final int count, final long displacement)
        {
            // A zero count adds nothing to the type map and does not affect bounds (MPI-3.1 section 4.1).
            if (0 == count)
            {
                return;
            }
            final long extent = type.extent();
            final long last = (count - 1) * extent;
            lb = Math.min(lb, displacement + type.lb + Math.min(0, last));
            ub = Math.max(ub, displacement + type.ub + Math.max(0, last));
            alignment = Math.max(alignment, type.alignment);
            explicitBounds |= type.explicitBounds;
            if (0 == type.size)
            {
                return;
            }
            size = Math.addExact(size, Math.multiplyExact(count, type.size));
            trueLb = Math.min(trueLb, displacement + type.trueLb + Math.min(0, last));
            trueUb = Math.max(trueUb, displacement + type.trueUb + Math.max(0, last));
            if (1 == type.runCount && type.runLength[0] == extent && extent > 0)
            {
                // Copies of a gapless type abut: one run for the whole block.
                appendRun(displacement + type.runDisplacement[0], count * extent);
            }
            else
            {
                for (int c = 0; c < count; c++)
                {
                    final long base = displacement + c * extent;
                    for (int r = 0; r < type.runCount; r++)
                    {
                        appendRun(base + type.runDisplacement[r], type.runLength[r]);
                    }
                }
            }
            for (int c = 0; c < (1 == type.elementRunCount ? 1 : count); c++)
            {
                for (int e = 0; e < type.elementRunCount; e++)
                {
                    appendElements(type.elementSize[e],
                        1 == type.elementRunCount ? type.elementRepeat[e] * count : type.elementRepeat[e]);
                }
            }
        }

        private void appendRun(final long displacement, final long length)
        {
            if (runCount > 0 && runDisplacement[runCount - 1] + runLength[runCount - 1] == displacement)
            {
                runLength[runCount - 1] += length;
                return;
            }
            if (runCount == MAX_RUNS)
            {
                throw new MpiError(ErrorClass.ERR_NO_MEM, "the datatype has more than " + MAX_RUNS +
                    " separate blocks of data per item");
            }
            if (runCount == runDisplacement.length)
            {
                final int capacity = (int)Math.min(MAX_RUNS, 2L * runCount);
                runDisplacement = Arrays.copyOf(runDisplacement, capacity);
                runLength = Arrays.copyOf(runLength, capacity);
            }
            runDisplacement[runCount] = displacement;
            runLength[runCount] = length;
            runCount++;
        }

        private void appendElements(final int size, final long repeat)
        {
            if (elementRunCount > 0 && elementSize[elementRunCount - 1] == size)
            {
                elementRepeat[elementRunCount - 1] += repeat;
                return;
            }
            if (elementRunCount == elementSize.length)
            {
                elementSize = Arrays.copyOf(elementSize, 2 * elementRunCount);
                elementRepeat = Arrays.copyOf(elementRepeat, 2 * elementRunCount);
            }
            elementSize[elementRunCount] = size;
            elementRepeat[elementRunCount] = repeat;
            elementRunCount++;
        }

        TypeMap build()
        {
            if (Long.MAX_VALUE == lb)
            {
                return EMPTY;
            }
            if (0 == size)
            {
                trueLb = 0;
                trueUb = 0;
            }
            long upper = ub;
            if (!explicitBounds)
            {
                // Open MPI pads the extent to the alignment of the widest basic type, as C pads a struct.
                final long epsilon = Math.floorMod(upper - lb, (long)alignment);
                if (0 != epsilon)
                {
                    upper += alignment - epsilon;
                }
            }
            return new TypeMap(size, lb, upper, trueLb, trueUb, alignment, explicitBounds,
                Arrays.copyOf(runDisplacement, runCount), Arrays.copyOf(runLength, runCount), runCount,
                Arrays.copyOf(elementSize, elementRunCount), Arrays.copyOf(elementRepeat, elementRunCount),
                elementRunCount);
        }
    }
}
