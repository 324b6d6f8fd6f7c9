package io.mpi4j.io;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Collective reads and writes, after ROMIO's two-phase I/O. When no rank's byte range meets another's, there is
 * nothing to merge and every rank accesses its own ranges directly (as ROMIO and ompio skip two phases for
 * accesses that are not interleaved). Otherwise the byte range the whole group touches is cut into one contiguous
 * file domain per aggregator (cb_nodes), and each domain is moved in windows of cb_buffer_size bytes: in round k
 * every rank sends the pieces of its access that fall in window k of a domain to that domain's aggregator (piece
 * descriptors, then data, by alltoallv), and the aggregators issue few large contiguous accesses instead of every
 * rank seeking on its own. Reads run the exchange backwards. An aggregator holds one window at a time, so memory
 * stays bounded whatever the size of the access.
 * <p>
 * Overlapping writes of one call land in rank order (a higher rank's bytes win), in every window alike, which is
 * what atomic mode asks of concurrent conflicting accesses. Gaps between the pieces a read asks for are read too
 * when they are small (data sieving), never written.
 */
final class TwoPhaseIo
{
    /** A read reads through holes up to this size rather than issuing one more access. */
    private static final long SIEVE_GAP = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /**
     * An interleaved access whose every piece, on every rank, is at least this long goes straight to the file (each
     * rank its own pieces, from and into its own memory) when no two ranks' pieces meet: a piece this large is an
     * efficient file access already, and two phases would only copy it through an aggregator's buffers (on a local
     * file system, 2 ranks writing 256 MiB in 256 KiB pieces dealt round-robin: 6.4 GB/s straight, 2.0 through one
     * aggregator; 64 KiB pieces straight 4.7). The {@code romio_cb_write} and {@code romio_cb_read} hints override it.
     */
    static final long DIRECT_PIECE = 64 << 10;

    /** Most pieces of the whole group compared to find out whether two ranks' pieces meet (two longs each). */
    static final long MAX_COMPARED_PIECES = 1 << 16;

    private TwoPhaseIo()
    {
    }

    /** This rank's pieces of one call, split by file domain, and the exchange's bookkeeping. */
    private static final class Plan
    {
        final int p;
        final int[] aggregatorRank;
        /** Pieces per destination rank, and the slice of this rank's stream they carry. */
        final long[] pieceCount;
        final long[] streamOff;
        final long[] streamLen;
        long[] pieces = new long[16];
        int n;

        Plan(final int p, final int aggregators)
        {
            this.p = p;
            this.aggregatorRank = new int[aggregators];
            for (int i = 0; i < aggregators; i++)
            {
                aggregatorRank[i] = (int)((long)i * p / aggregators);
            }
            pieceCount = new long[p];
            streamOff = new long[p];
            streamLen = new long[p];
        }

        void clear()
        {
            Arrays.fill(pieceCount, 0);
            Arrays.fill(streamOff, 0);
            Arrays.fill(streamLen, 0);
            n = 0;
        }

        void add(final int rank, final long offset, final long length, final long streamStart)
        {
            if (2 * n + 2 > pieces.length)
            {
                pieces = Arrays.copyOf(pieces, pieces.length * 2);
            }
            pieces[2 * n] = offset;
            pieces[2 * n + 1] = length;
            n++;
            if (0 == pieceCount[rank]++)
            {
                streamOff[rank] = streamStart;
            }
            streamLen[rank] += length;
        }
    }

    static long write(final OpenFile file, final Segments segs, final AccessStream data, final MpiError local)
    {
        return access(Direction.WRITE, file, segs, data, local) ? segs.bytes() : 0;
    }

    static long read(final OpenFile file, final Segments segs, final AccessStream data, final MpiError local)
    {
        return access(Direction.READ, file, segs, data, local) ? segs.bytesBelow(file.size()) : 0;
    }

    /** One collective access in either direction; false when no rank moves anything. */
    private static boolean access(final Direction direction, final OpenFile file, final Segments segs,
        final AccessStream data, final MpiError local)
    {
        final Extent extent = extent(file, segs, local, file.directPiece(direction == Direction.WRITE));
        if (null == extent)
        {
            return false;
        }
        MpiError failure = null;
        if (!extent.interleaved)
        {
            // No rank's range meets another's: nothing to merge, so each accesses its own ranges straight.
            try
            {
                direction.direct(file, segs, data);
            }
            catch (final IOException ex)
            {
                failure = OpenFile.failure(file.path(), direction.what, ex);
            }
        }
        else
        {
            failure = cycle(direction, file, segs, data.array(), extent);
        }
        // Also the completion: no rank returns before the aggregators have moved its data.
        file.collectives().agree(failure);
        return true;
    }

    /**
     * The group's range of one call and how it is cut: one domain per aggregator, each moved in windows of the
     * collective buffer size, window k of every domain in round k, so an aggregator holds one window at a time.
     */
    private static final class Extent
    {
        long low;
        long high;
        boolean interleaved;
        int aggregators;
        long domain;
        int window;
        long rounds;

        /** Start and end of aggregator {@code a}'s window in round {@code k}; empty when start >= end. */
        long windowStart(final int a, final long k)
        {
            return low + a * domain + k * window;
        }

        long windowEnd(final int a, final long k)
        {
            return Math.min(high, low + a * domain + Math.min((k + 1) * window, domain));
        }
    }

    /**
     * Agrees on errors and the group's range; null if nothing moves. The access is interleaved when some rank's
     * range [lowest, highest) meets another rank's and the pieces need merging by aggregators: not when every piece
     * is large ({@link #DIRECT_PIECE}) and no two ranks' pieces meet.
     */
    /**
     * Longs each rank contributes to the first gather: error class, lowest, highest, whether all its pieces are long
     * enough to skip the aggregators (by its own hints; 1 or 0), pieces.
     */
    private static final int FIELDS = 5;

    private static Extent extent(final OpenFile file, final Segments segs, final MpiError local,
        final long directPiece)
    {
        final FileCollectives coll = file.collectives();
        final boolean has = null == local && segs.count() > 0;
        final long[] all = coll.allGather(null == local ? ErrorClass.SUCCESS : local.errorClass(),
            has ? segs.lowest() : Long.MAX_VALUE, has ? segs.highest() : Long.MIN_VALUE,
            !has || shortestPiece(segs) >= directPiece ? 1 : 0, has ? segs.count() : 0);
        final int p = coll.size();
        final Extent extent = new Extent();
        extent.low = Long.MAX_VALUE;
        extent.high = Long.MIN_VALUE;
        final long[] ranges = new long[2 * p];
        int nonEmpty = 0;
        for (int i = 0; i < p; i++)
        {
            if (ErrorClass.SUCCESS != all[FIELDS * i])
            {
                throw null != local ? local : new MpiError((int)all[FIELDS * i], "rank " + i + " of the file's " +
                    "group failed its part of this collective call with " + ErrorClass.name((int)all[FIELDS * i]));
            }
            final long low = all[FIELDS * i + 1];
            final long high = all[FIELDS * i + 2];
            if (low < high)
            {
                extent.low = Math.min(extent.low, low);
                extent.high = Math.max(extent.high, high);
                ranges[2 * nonEmpty] = low;
                ranges[2 * nonEmpty + 1] = high;
                nonEmpty++;
            }
        }
        if (0 == nonEmpty)
        {
            return null;
        }
        extent.interleaved = overlap(ranges, nonEmpty) && !largeApart(coll, segs, all);
        extent.aggregators = file.aggregators();
        extent.domain = (extent.high - extent.low + extent.aggregators - 1) / extent.aggregators;
        extent.window = (int)Math.min(file.collectiveBufferSize(), extent.domain);
        extent.rounds = (extent.domain + extent.window - 1) / extent.window;
        return extent;
    }

    private static long shortestPiece(final Segments segs)
    {
        long shortest = Long.MAX_VALUE;
        for (int i = 0; i < segs.count(); i++)
        {
            shortest = Math.min(shortest, segs.length(i));
        }
        return shortest;
    }

    /**
     * Whether every rank's pieces are long enough to skip the aggregators and no two ranks' pieces meet, from the
     * gathered {@code all} (the same on every rank, so every rank asks the group for the pieces or none does).
     */
    private static boolean largeApart(final FileCollectives coll, final Segments segs, final long[] all)
    {
        final int p = coll.size();
        long pieces = 0;
        long most = 0;
        for (int i = 0; i < p; i++)
        {
            if (0 == all[FIELDS * i + 3])
            {
                return false;
            }
            pieces += all[FIELDS * i + 4];
            most = Math.max(most, all[FIELDS * i + 4]);
        }
        if (pieces > MAX_COMPARED_PIECES)
        {
            return false;
        }
        final long[] mine = new long[2 * (int)most];
        for (int i = 0; i < segs.count(); i++)
        {
            mine[2 * i] = segs.offset(i);
            mine[2 * i + 1] = segs.end(i);
        }
        final long[] every = coll.allGather(mine);
        final long[] ranges = new long[2 * (int)pieces];
        int n = 0;
        for (int r = 0; r < p; r++)
        {
            final int base = 2 * (int)most * r;
            for (int i = 0; i < all[FIELDS * r + 4]; i++)
            {
                ranges[2 * n] = every[base + 2 * i];
                ranges[2 * n + 1] = every[base + 2 * i + 1];
                n++;
            }
        }
        return !overlap(ranges, n);
    }

    /** Whether any two of the first {@code n} ranges {low, high} meet. */
    private static boolean overlap(final long[] ranges, final int n)
    {
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ranges[2 * a], ranges[2 * b]));
        long reach = Long.MIN_VALUE;
        for (final int i : order)
        {
            if (ranges[2 * i] < reach)
            {
                return true;
            }
            reach = Math.max(reach, ranges[2 * i + 1]);
        }
        return false;
    }

    /** This rank's pieces in round {@code k}: the parts of its segments in each aggregator's window. */
    private static void planRound(final Plan plan, final Segments segs, final Extent extent, final long k)
    {
        plan.clear();
        for (int a = 0; a < extent.aggregators; a++)
        {
            final long start = extent.windowStart(a, k);
            final long end = extent.windowEnd(a, k);
            if (start >= end)
            {
                continue;
            }
            for (int i = firstEndingAfter(segs, start); i < segs.count() && segs.offset(i) < end; i++)
            {
                final long from = Math.max(start, segs.offset(i));
                final long to = Math.min(end, segs.end(i));
                plan.add(plan.aggregatorRank[a], from, to - from, segs.streamStart(i) + from - segs.offset(i));
            }
        }
    }

    /** Index of the first segment that ends after {@code offset}; segments of a view increase. */
    private static int firstEndingAfter(final Segments segs, final long offset)
    {
        int low = 0;
        int high = segs.count();
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (segs.end(mid) <= offset)
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

    /**
     * The rounds of an interleaved access. An aggregator whose file access failed keeps taking part in the
     * remaining rounds' exchanges, so that no rank waits for it, and reports the failure to the agreement.
     */
    private static MpiError cycle(final Direction direction, final OpenFile file, final Segments segs,
        final byte[] data, final Extent extent)
    {
        final FileCollectives coll = file.collectives();
        final Plan plan = new Plan(coll.size(), extent.aggregators);
        byte[] staged = EMPTY;
        byte[] window = EMPTY;
        MpiError failure = null;
        for (long k = 0; k < extent.rounds; k++)
        {
            planRound(plan, segs, extent, k);
            final Incoming in = exchangeDescriptors(coll, plan);
            if (staged.length < in.totalBytes)
            {
                staged = new byte[(int)in.totalBytes];
            }
            direction.toAggregators(coll, plan, data, in, staged);
            if (in.pieces > 0 && null == failure)
            {
                if (window.length < extent.window)
                {
                    window = new byte[extent.window];
                }
                try
                {
                    direction.aggregate(file, in, staged, window);
                }
                catch (final IOException ex)
                {
                    failure = OpenFile.failure(file.path(), direction.what, ex);
                }
            }
            direction.fromAggregators(coll, plan, data, in, staged);
        }
        return failure;
    }

    /**
     * Which way the data of a collective access flows. A write sends every rank's pieces to the aggregators
     * before they write; a read has the aggregators read first and send every rank its pieces back.
     */
    private enum Direction
    {
        WRITE("collective write to")
        {
            void direct(final OpenFile file, final Segments segs, final AccessStream data) throws IOException
            {
                file.writeRanges(segs, data.base(), data.address());
            }

            void toAggregators(final FileCollectives coll, final Plan plan, final byte[] data, final Incoming in,
                final byte[] staged)
            {
                coll.allToAllv(data, plan.streamOff, plan.streamLen, staged, in.dataOff, in.dataLen);
            }

            void aggregate(final OpenFile file, final Incoming in, final byte[] staged, final byte[] window)
                throws IOException
            {
                aggregateWrite(file, in, staged, window);
            }
        },
        READ("collective read from")
        {
            void direct(final OpenFile file, final Segments segs, final AccessStream data) throws IOException
            {
                file.readRanges(segs, data.base(), data.address());
            }

            void aggregate(final OpenFile file, final Incoming in, final byte[] staged, final byte[] window)
                throws IOException
            {
                aggregateRead(file, in, staged, window);
            }

            void fromAggregators(final FileCollectives coll, final Plan plan, final byte[] data,
                final Incoming in, final byte[] staged)
            {
                coll.allToAllv(staged, in.dataOff, in.dataLen, data, plan.streamOff, plan.streamLen);
            }
        };

        /** How an error message names the access, before the file's path. */
        final String what;

        Direction(final String what)
        {
            this.what = what;
        }

        /** Accesses this rank's own ranges (no rank's range meets another's). */
        abstract void direct(OpenFile file, Segments segs, AccessStream data) throws IOException;

        /** An aggregator's file access of one window: {@code staged} holds the pieces in arrival order. */
        abstract void aggregate(OpenFile file, Incoming in, byte[] staged, byte[] window) throws IOException;

        /** Moves this round's pieces from every rank's {@code data} to the aggregators' {@code staged}. */
        void toAggregators(final FileCollectives coll, final Plan plan, final byte[] data, final Incoming in,
            final byte[] staged)
        {
        }

        /** Moves this round's pieces from the aggregators' {@code staged} back into every rank's {@code data}. */
        void fromAggregators(final FileCollectives coll, final Plan plan, final byte[] data, final Incoming in,
            final byte[] staged)
        {
        }
    }

    /** What an aggregator receives: every rank's pieces of its domain, in rank order. */
    private static final class Incoming
    {
        long[] descriptors;
        int pieces;
        long[] dataOff;
        long[] dataLen;
        long totalBytes;
    }

    private static Incoming exchangeDescriptors(final FileCollectives coll, final Plan plan)
    {
        final int p = plan.p;
        final long[] eight = new long[p];
        final long[] slot = new long[p];
        for (int i = 0; i < p; i++)
        {
            eight[i] = Long.BYTES;
            slot[i] = (long)i * Long.BYTES;
        }
        final byte[] countsOut = longs(plan.pieceCount, p);
        final byte[] countsIn = new byte[p * Long.BYTES];
        coll.allToAllv(countsOut, slot, eight, countsIn, slot, eight);
        final long[] incomingCount = toLongs(countsIn, p);

        final long[] descOff = new long[p];
        final long[] descLen = new long[p];
        final long[] inOff = new long[p];
        final long[] inLen = new long[p];
        long out = 0;
        long in = 0;
        for (int i = 0; i < p; i++)
        {
            descOff[i] = out;
            descLen[i] = plan.pieceCount[i] * 2 * Long.BYTES;
            out += descLen[i];
            inOff[i] = in;
            inLen[i] = incomingCount[i] * 2 * Long.BYTES;
            in += inLen[i];
        }
        // Pieces were added domain by domain, and aggregator ranks increase with the domain: already grouped.
        final byte[] descOut = longs(plan.pieces, 2 * plan.n);
        final byte[] descIn = new byte[(int)in];
        coll.allToAllv(descOut, descOff, descLen, descIn, inOff, inLen);

        final Incoming incoming = new Incoming();
        incoming.pieces = (int)(in / (2 * Long.BYTES));
        incoming.descriptors = toLongs(descIn, 2 * incoming.pieces);
        incoming.dataOff = new long[p];
        incoming.dataLen = new long[p];
        int piece = 0;
        long bytes = 0;
        for (int i = 0; i < p; i++)
        {
            incoming.dataOff[i] = bytes;
            for (long k = 0; k < incomingCount[i]; k++, piece++)
            {
                incoming.dataLen[i] += incoming.descriptors[2 * piece + 1];
            }
            bytes += incoming.dataLen[i];
        }
        incoming.totalBytes = bytes;
        return incoming;
    }

    /**
     * The merged ranges an aggregator accesses: pieces sorted by offset, overlapping or touching ones (or, for a
     * read, ones less than {@code gap} apart) joined. Returns {start0, end0, start1, end1, ...}.
     */
    private static long[] ranges(final Incoming in, final long gap)
    {
        final int n = in.pieces;
        final long[][] byOffset = new long[n][];
        for (int i = 0; i < n; i++)
        {
            byOffset[i] = new long[] {in.descriptors[2 * i], in.descriptors[2 * i] + in.descriptors[2 * i + 1]};
        }
        Arrays.sort(byOffset, (a, b) -> Long.compare(a[0], b[0]));
        final long[] runs = new long[2 * n];
        int r = 0;
        for (final long[] piece : byOffset)
        {
            if (r > 0 && piece[0] <= runs[2 * r - 1] + gap)
            {
                runs[2 * r - 1] = Math.max(runs[2 * r - 1], piece[1]);
            }
            else
            {
                runs[2 * r] = piece[0];
                runs[2 * r + 1] = piece[1];
                r++;
            }
        }
        return Arrays.copyOf(runs, 2 * r);
    }

    /** Merges one window's pieces in rank order (a later rank's bytes win) and writes its covered runs. */
    private static void aggregateWrite(final OpenFile file, final Incoming in, final byte[] received,
        final byte[] window) throws IOException
    {
        final long[] runs = ranges(in, 0);
        final long base = runs[0];
        long at = 0;
        for (int i = 0; i < in.pieces; i++)
        {
            final long offset = in.descriptors[2 * i];
            final long length = in.descriptors[2 * i + 1];
            System.arraycopy(received, (int)at, window, (int)(offset - base), (int)length);
            at += length;
        }
        for (int r = 0; r < runs.length / 2; r++)
        {
            file.writeRange(runs[2 * r], window, (int)(runs[2 * r] - base), (int)(runs[2 * r + 1] - runs[2 * r]));
        }
    }

    /** Reads one window's runs (through small holes) and hands every piece its bytes, in arrival order. */
    private static void aggregateRead(final OpenFile file, final Incoming in, final byte[] reply,
        final byte[] window) throws IOException
    {
        final long[] runs = ranges(in, SIEVE_GAP);
        final long base = runs[0];
        for (int r = 0; r < runs.length / 2; r++)
        {
            file.readRange(runs[2 * r], window, (int)(runs[2 * r] - base), (int)(runs[2 * r + 1] - runs[2 * r]));
        }
        long at = 0;
        for (int i = 0; i < in.pieces; i++)
        {
            final long offset = in.descriptors[2 * i];
            final long length = in.descriptors[2 * i + 1];
            System.arraycopy(window, (int)(offset - base), reply, (int)at, (int)length);
            at += length;
        }
    }

    private static byte[] longs(final long[] values, final int n)
    {
        final byte[] out = new byte[n * Long.BYTES];
        ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).asLongBuffer().put(values, 0, n);
        return out;
    }

    private static long[] toLongs(final byte[] bytes, final int n)
    {
        final long[] out = new long[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asLongBuffer().get(out, 0, n);
        return out;
    }
}
