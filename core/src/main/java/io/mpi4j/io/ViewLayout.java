package io.mpi4j.io;

import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * A file view ({@code MPI_File_set_view}) as arithmetic on bytes: the filetype tiled from byte {@code disp} of the
 * file, one tile per extent, and the data stream of the view (what the process sees, counted in etypes) laid over
 * the tiles' runs in type-map order. Maps a position of the stream to file byte ranges ({@link #map}), and back
 * ({@link #streamBytesBelow}). Immutable.
 * <p>
 * MPI requires the filetype's displacements to be non-negative and monotonically non-decreasing over the whole
 * tiling; here runs must also not overlap, so that a view never shows one file byte twice and the ranges of an
 * access increase in the file.
 */
public final class ViewLayout
{
    /** The default view: displacement 0, etype and filetype MPI_BYTE. */
    public static final ViewLayout DEFAULT = new ViewLayout(0, 1, null);

    private final long disp;
    private final int etypeSize;
    /** Null when the filetype is contiguous (its tiles form one block from {@code disp + first}). */
    private final long[] runDisplacement;
    private final long[] runLength;
    /** Stream offset within a tile where run i ends (prefix sums of runLength). */
    private final long[] runEnd;
    private final long first;
    private final long size;
    private final long extent;

    private ViewLayout(final long disp, final int etypeSize, final TypeMap filetype)
    {
        this.disp = disp;
        this.etypeSize = etypeSize;
        if (null == filetype || filetype.isContiguous())
        {
            this.runDisplacement = null;
            this.runLength = null;
            this.runEnd = null;
            this.first = null == filetype ? 0 : filetype.firstDisplacement();
            this.size = null == filetype ? 1 : filetype.size();
            this.extent = size;
            return;
        }
        final int n = filetype.runCount();
        this.runDisplacement = new long[n];
        this.runLength = new long[n];
        this.runEnd = new long[n];
        long end = 0;
        for (int i = 0; i < n; i++)
        {
            runDisplacement[i] = filetype.runDisplacement(i);
            runLength[i] = filetype.runLength(i);
            end += runLength[i];
            runEnd[i] = end;
        }
        this.first = runDisplacement[0];
        this.size = filetype.size();
        this.extent = filetype.extent();
    }

    /**
     * The view of {@code filetype} tiled from byte {@code disp}, with elementary type {@code etype}.
     *
     * @throws MpiError {@code ERR_ARG} for a negative displacement or a filetype whose displacements decrease,
     *                  overlap or are negative; {@code ERR_TYPE} for an empty etype or a filetype that is not a
     *                  whole number of etypes
     */
    public static ViewLayout of(final long disp, final TypeMap etype, final TypeMap filetype)
    {
        if (disp < 0)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "displacement " + disp + " is negative");
        }
        final long etypeSize = etype.size();
        if (etypeSize <= 0 || etypeSize > Integer.MAX_VALUE)
        {
            throw new MpiError(ErrorClass.ERR_TYPE, "the etype holds " + etypeSize + " bytes of data");
        }
        if (filetype.size() <= 0 || 0 != filetype.size() % etypeSize)
        {
            throw new MpiError(ErrorClass.ERR_TYPE, "the filetype holds " + filetype.size() +
                " bytes of data, which is not a positive whole number of etypes of " + etypeSize + " bytes");
        }
        if (filetype.isContiguous())
        {
            if (filetype.firstDisplacement() < 0)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "the filetype's data starts at displacement " +
                    filetype.firstDisplacement() + "; filetype displacements must not be negative");
            }
            return new ViewLayout(disp, (int)etypeSize, filetype);
        }
        long previousEnd = Long.MIN_VALUE;
        final int n = filetype.runCount();
        for (int i = 0; i < n; i++)
        {
            final long d = filetype.runDisplacement(i);
            if (d < 0)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "the filetype has data at displacement " + d +
                    "; filetype displacements must not be negative");
            }
            if (d < previousEnd)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "the filetype's displacements are not monotonically " +
                    "non-decreasing: a block at byte " + d + " follows one ending at byte " + previousEnd);
            }
            previousEnd = d + filetype.runLength(i);
        }
        final long extent = filetype.extent();
        if (extent <= 0 || previousEnd > extent + filetype.runDisplacement(0))
        {
            throw new MpiError(ErrorClass.ERR_ARG, "the filetype's tiles overlap: its data spans bytes " +
                filetype.runDisplacement(0) + ".." + previousEnd + " but its extent is " + extent +
                "; displacements must be monotonically non-decreasing across tiles");
        }
        return new ViewLayout(disp, (int)etypeSize, filetype);
    }

    public long disp()
    {
        return disp;
    }

    /** Bytes of one etype: the unit of offsets and file pointers in this view. */
    public int etypeSize()
    {
        return etypeSize;
    }

    /** Adds to {@code out} the file ranges of stream bytes {@code [start, start + bytes)}, in stream order. */
    public Segments map(final long start, final long bytes, final Segments out)
    {
        out.clear();
        if (bytes <= 0)
        {
            return out;
        }
        if (null == runDisplacement)
        {
            out.add(disp + first + start, bytes);
            return out;
        }
        long tile = start / size;
        int run = runAt(start % size);
        long within = start % size - (runEnd[run] - runLength[run]);
        long left = bytes;
        while (left > 0)
        {
            final long n = Math.min(left, runLength[run] - within);
            out.add(disp + tile * extent + runDisplacement[run] + within, n);
            left -= n;
            within = 0;
            if (++run == runLength.length)
            {
                run = 0;
                tile++;
            }
        }
        return out;
    }

    /** The run of a tile holding stream byte {@code within} of the tile: the first run ending after it. */
    private int runAt(final long within)
    {
        int low = 0;
        int high = runEnd.length - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (runEnd[mid] <= within)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    /** Absolute file offset of stream byte {@code streamByte} ({@code MPI_File_get_byte_offset} in bytes). */
    public long fileOffset(final long streamByte)
    {
        if (null == runDisplacement)
        {
            return disp + first + streamByte;
        }
        final long tile = streamByte / size;
        final long within = streamByte % size;
        final int run = runAt(within);
        return disp + tile * extent + runDisplacement[run] + within - (runEnd[run] - runLength[run]);
    }

    /** Bytes of the stream that lie below file offset {@code fileOffset}: where the end of a file is in the view. */
    public long streamBytesBelow(final long fileOffset)
    {
        final long rel = fileOffset - disp;
        if (null == runDisplacement)
        {
            return Math.max(0, rel - first);
        }
        final long last = runDisplacement[runLength.length - 1] + runLength[runLength.length - 1];
        if (rel <= first)
        {
            return 0;
        }
        // Tiles that end at or below rel count whole; the next ones (at most two, as a tile spans one extent) in part.
        long tile = rel >= last ? (rel - last) / extent + 1 : 0;
        long bytes = tile * size;
        while (tile * extent + first < rel)
        {
            final long base = tile * extent;
            for (int i = 0; i < runLength.length; i++)
            {
                final long from = base + runDisplacement[i];
                if (from >= rel)
                {
                    break;
                }
                bytes += Math.min(runLength[i], rel - from);
            }
            tile++;
        }
        return bytes;
    }
}
