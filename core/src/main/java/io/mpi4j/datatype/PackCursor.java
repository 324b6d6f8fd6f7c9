package io.mpi4j.datatype;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * A position in the packed stream of {@code count} items of a type in a user buffer, so that a message can be
 * packed (or unpacked) in chunks of any size: point-to-point packs a non-contiguous type straight into ring frames
 * and unpacks frames as they arrive, without a temporary buffer of the message's size. One cursor per operation,
 * {@link #reset} for the next: nothing is allocated while packing.
 * <p>
 * The user buffer is given as the runtime gives it everywhere: {@code (base, address)}, a primitive array and an
 * Unsafe offset into it, or null and a native address; {@code address} is where item 0 starts (displacements and
 * the lower bound are relative to it, and may be negative). Bytes are copied as they are, in native order. The
 * caller has checked that the items fit the buffer ({@link TypeMap#lowestOffset}, {@link TypeMap#highestOffset}).
 */
public final class PackCursor
{
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private TypeMap type = TypeMap.EMPTY;
    private Object base;
    private long address;
    private long total;
    private long position;
    // Where position is, for non-contiguous types: item, run within the item, bytes done of that run.
    private long item;
    private int run;
    private long runOffset;

    /**
     * Starts over at position 0 for {@code count} items of {@code type} at {@code (base, address)}.
     *
     * @return this cursor
     */
    public PackCursor reset(final TypeMap type, final long count, final Object base, final long address)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        this.type = type;
        this.base = base;
        this.address = address;
        this.total = type.packedSize(count);
        this.position = 0;
        this.item = 0;
        this.run = 0;
        this.runOffset = 0;
        return this;
    }

    /** Drops the reference to the user buffer (a pooled cursor must not keep a program's array alive). */
    public void clear()
    {
        reset(TypeMap.EMPTY, 0, null, 0);
    }

    /**
     * Moves to byte {@code position} of the packed stream, to resume there (a retransmission, or a receive that
     * starts mid-stream).
     */
    public void seek(final long position)
    {
        if (position < 0 || position > total)
        {
            throw new IllegalArgumentException("position " + position + " is outside the packed stream of " +
                total + " bytes");
        }
        this.position = position;
        if (type.isContiguous() || 0 == total)
        {
            return;
        }
        final long size = type.size();
        item = position / size;
        final long within = position % size;
        // Binary search for the first run ending after 'within'.
        int low = 0;
        int high = type.runCount() - 1;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (type.runEnd(mid) <= within)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        run = low;
        runOffset = within - (type.runEnd(low) - type.runLength(low));
    }

    /** Bytes of the packed stream done so far. */
    public long position()
    {
        return position;
    }

    /** Bytes of the whole packed stream: {@code count * size}. */
    public long total()
    {
        return total;
    }

    /** Bytes still to pack or unpack. */
    public long remaining()
    {
        return total - position;
    }

    /** Whether the whole stream has been packed or unpacked. */
    public boolean isComplete()
    {
        return position == total;
    }

    /**
     * Packs up to {@code length} bytes of the stream into {@code dst} at {@code index}.
     *
     * @return bytes packed: {@code min(length, remaining())}
     */
    public int pack(final MutableDirectBuffer dst, final int index, final int length)
    {
        final int n = chunk(length);
        dst.boundsCheck(index, n);
        transfer(dst.byteArray(), dst.addressOffset() + index, n, true);
        return n;
    }

    /**
     * Packs up to {@code length} bytes of the stream into {@code dst} at {@code offset}.
     *
     * @return bytes packed: {@code min(length, remaining())}
     */
    public int pack(final byte[] dst, final int offset, final int length)
    {
        final int n = chunk(length);
        checkArray(dst.length, offset, n);
        transfer(dst, BYTE_ARRAY_BASE + offset, n, true);
        return n;
    }

    /**
     * Unpacks up to {@code length} bytes of the stream from {@code src} at {@code index} into the user buffer.
     *
     * @return bytes unpacked: {@code min(length, remaining())}
     */
    public int unpack(final DirectBuffer src, final int index, final int length)
    {
        final int n = chunk(length);
        src.boundsCheck(index, n);
        transfer(src.byteArray(), src.addressOffset() + index, n, false);
        return n;
    }

    /**
     * Unpacks up to {@code length} bytes of the stream from {@code src} at {@code offset} into the user buffer.
     *
     * @return bytes unpacked: {@code min(length, remaining())}
     */
    public int unpack(final byte[] src, final int offset, final int length)
    {
        final int n = chunk(length);
        checkArray(src.length, offset, n);
        transfer(src, BYTE_ARRAY_BASE + offset, n, false);
        return n;
    }

    private int chunk(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length " + length + " is negative");
        }
        return (int)Math.min(length, total - position);
    }

    private static void checkArray(final int arrayLength, final int offset, final int length)
    {
        if (offset < 0 || offset > arrayLength - length)
        {
            throw new IndexOutOfBoundsException("offset " + offset + " + length " + length +
                " is outside an array of " + arrayLength + " bytes");
        }
    }

    /** Moves {@code length} bytes between the packed stream at its position and raw memory {@code (raw, rawAt)}. */
    private void transfer(final Object raw, final long rawAt, final int length, final boolean pack)
    {
        if (0 == length)
        {
            return;
        }
        final TypeMap type = this.type;
        if (type.isContiguous())
        {
            final long user = address + type.firstDisplacement() + position;
            copy(raw, rawAt, user, length, pack);
            position += length;
            return;
        }
        final long extent = type.extent();
        final int runCount = type.runCount();
        final long[] displacements = type.runDisplacements();
        final long[] lengths = type.runLengths();
        long item = this.item;
        int run = this.run;
        long runOffset = this.runOffset;
        long at = rawAt;
        long left = length;
        while (left > 0)
        {
            final long itemAddress = address + item * extent;
            if (0 != runOffset)
            {
                // The rest of a run an earlier chunk began, or the part of one this chunk ends with.
                final long n = Math.min(left, lengths[run] - runOffset);
                copy(raw, at, itemAddress + displacements[run] + runOffset, (int)n, pack);
                at += n;
                left -= n;
                runOffset += n;
                if (runOffset < lengths[run])
                {
                    break;
                }
                runOffset = 0;
                run++;
            }
            else
            {
                // Whole runs while they fit: the loop a halo column's thousands of elements go through.
                int r = run;
                long runLength;
                while (r < runCount && (runLength = lengths[r]) <= left)
                {
                    copy(raw, at, itemAddress + displacements[r], (int)runLength, pack);
                    at += runLength;
                    left -= runLength;
                    r++;
                }
                run = r;
                if (r < runCount && left > 0)
                {
                    runOffset = left;
                    copy(raw, at, itemAddress + displacements[r], (int)left, pack);
                    at += left;
                    left = 0;
                }
            }
            if (run == runCount)
            {
                run = 0;
                item++;
            }
        }
        this.item = item;
        this.run = run;
        this.runOffset = runOffset;
        position += length;
    }

    private void copy(final Object raw, final long rawAt, final long user, final int length, final boolean pack)
    {
        // A vector of one basic element per block moves thousands of 4- or 8-byte runs: a plain load and store
        // each, instead of a bulk copy whose set-up costs more than the bytes it moves.
        if (8 == length)
        {
            if (pack)
            {
                UnsafeApi.putLong(raw, rawAt, UnsafeApi.getLong(base, user));
            }
            else
            {
                UnsafeApi.putLong(base, user, UnsafeApi.getLong(raw, rawAt));
            }
            return;
        }
        if (4 == length)
        {
            if (pack)
            {
                UnsafeApi.putInt(raw, rawAt, UnsafeApi.getInt(base, user));
            }
            else
            {
                UnsafeApi.putInt(base, user, UnsafeApi.getInt(raw, rawAt));
            }
            return;
        }
        if (pack)
        {
            UnsafeApi.copyMemory(base, user, raw, rawAt, length);
        }
        else
        {
            UnsafeApi.copyMemory(raw, rawAt, base, user, length);
        }
    }
}
