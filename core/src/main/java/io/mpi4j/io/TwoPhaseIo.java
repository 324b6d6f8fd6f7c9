package io.mpi4j.io;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Collective reads and writes in two phases, after ROMIO's: the byte range the whole group touches is cut into
 * one contiguous file domain per aggregator; every rank sends the pieces of its access that fall in a domain to
 * that domain's aggregator (piece descriptors, then data, by alltoallv), and the aggregators issue few large
 * contiguous accesses instead of every rank seeking on its own. Reads run the exchange backwards.
 * <p>
 * Overlapping writes of one call land in rank order (a higher rank's bytes win), in every domain alike, which is
 * what atomic mode asks of concurrent conflicting accesses. Gaps between the pieces a read asks for are read too
 * when they are small (data sieving), never written. Aggregators hold their whole domain's data of one call.
 */
final class TwoPhaseIo
{
    /** A read reads through holes up to this size rather than issuing one more access. */
    private static final long SIEVE_GAP = 64 * 1024;

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

    static long write(final OpenFile file, final Segments segs, final byte[] data, final MpiError local)
    {
        final Plan plan = plan(file, segs, local);
        if (null == plan)
        {
            return 0;
        }
        final FileCollectives coll = file.collectives();
        final Incoming in = exchangeDescriptors(coll, plan);
        final byte[] received = new byte[(int)in.totalBytes];
        coll.allToAllv(data, plan.streamOff, plan.streamLen, received, in.dataOff, in.dataLen);
        MpiError failure = null;
        if (in.pieces > 0)
        {
            try
            {
                aggregateWrite(file, in, received);
            }
            catch (final IOException ex)
            {
                failure = OpenFile.failure(file.path(), "collective write to", ex);
            }
        }
        // Also the completion: no rank returns before the aggregators have written its data.
        coll.agree(failure);
        return segs.bytes();
    }

    static long read(final OpenFile file, final Segments segs, final byte[] data, final MpiError local)
    {
        final Plan plan = plan(file, segs, local);
        if (null == plan)
        {
            return 0;
        }
        final FileCollectives coll = file.collectives();
        final Incoming in = exchangeDescriptors(coll, plan);
        final byte[] reply = new byte[(int)in.totalBytes];
        MpiError failure = null;
        if (in.pieces > 0)
        {
            try
            {
                aggregateRead(file, in, reply);
            }
            catch (final IOException ex)
            {
                failure = OpenFile.failure(file.path(), "collective read from", ex);
            }
        }
        coll.allToAllv(reply, in.dataOff, in.dataLen, data, plan.streamOff, plan.streamLen);
        coll.agree(failure);
        return segs.bytesBelow(file.size());
    }

    /** Agrees on errors and the group's range, then splits this rank's segments by domain; null if nothing moves. */
    private static Plan plan(final OpenFile file, final Segments segs, final MpiError local)
    {
        final FileCollectives coll = file.collectives();
        final boolean has = null == local && segs.count() > 0;
        final long[] all = coll.allGather(null == local ? ErrorClass.SUCCESS : local.errorClass(),
            has ? segs.lowest() : Long.MAX_VALUE, has ? segs.highest() : Long.MIN_VALUE);
        final int p = coll.size();
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (int i = 0; i < p; i++)
        {
            if (ErrorClass.SUCCESS != all[3 * i])
            {
                throw null != local ? local : new MpiError((int)all[3 * i], "rank " + i + " of the file's " +
                    "group failed its part of this collective call with " + ErrorClass.name((int)all[3 * i]));
            }
            low = Math.min(low, all[3 * i + 1]);
            high = Math.max(high, all[3 * i + 2]);
        }
        if (low >= high)
        {
            return null;
        }
        final int aggregators = file.aggregators();
        final long domain = (high - low + aggregators - 1) / aggregators;
        final Plan plan = new Plan(p, aggregators);
        for (int i = 0; i < segs.count(); i++)
        {
            long offset = segs.offset(i);
            long stream = segs.streamStart(i);
            final long end = segs.end(i);
            while (offset < end)
            {
                final int d = (int)((offset - low) / domain);
                final long cut = Math.min(end, low + (d + 1) * domain);
                plan.add(plan.aggregatorRank[d], offset, cut - offset, stream);
                stream += cut - offset;
                offset = cut;
            }
        }
        return plan;
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

    /** Index of the merged range holding file offset {@code offset}. */
    private static int rangeOf(final long[] runs, final long offset)
    {
        int low = 0;
        int high = runs.length / 2 - 1;
        while (low < high)
        {
            final int mid = (low + high + 1) >>> 1;
            if (runs[2 * mid] <= offset)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low;
    }

    private static void aggregateWrite(final OpenFile file, final Incoming in, final byte[] received)
        throws IOException
    {
        final long[] runs = ranges(in, 0);
        final byte[][] buffers = new byte[runs.length / 2][];
        for (int r = 0; r < buffers.length; r++)
        {
            buffers[r] = new byte[(int)(runs[2 * r + 1] - runs[2 * r])];
        }
        // Rank order: a later rank's bytes overwrite an earlier one's where pieces overlap.
        long at = 0;
        for (int i = 0; i < in.pieces; i++)
        {
            final long offset = in.descriptors[2 * i];
            final long length = in.descriptors[2 * i + 1];
            final int r = rangeOf(runs, offset);
            System.arraycopy(received, (int)at, buffers[r], (int)(offset - runs[2 * r]), (int)length);
            at += length;
        }
        final Segments one = new Segments();
        for (int r = 0; r < buffers.length; r++)
        {
            one.clear().add(runs[2 * r], buffers[r].length);
            file.writeRanges(one, buffers[r]);
        }
    }

    private static void aggregateRead(final OpenFile file, final Incoming in, final byte[] reply)
        throws IOException
    {
        final long[] runs = ranges(in, SIEVE_GAP);
        final byte[][] buffers = new byte[runs.length / 2][];
        final Segments one = new Segments();
        for (int r = 0; r < buffers.length; r++)
        {
            buffers[r] = new byte[(int)(runs[2 * r + 1] - runs[2 * r])];
            one.clear().add(runs[2 * r], buffers[r].length);
            file.readRanges(one, buffers[r]);
        }
        long at = 0;
        for (int i = 0; i < in.pieces; i++)
        {
            final long offset = in.descriptors[2 * i];
            final long length = in.descriptors[2 * i + 1];
            final int r = rangeOf(runs, offset);
            System.arraycopy(buffers[r], (int)(offset - runs[2 * r]), reply, (int)at, (int)length);
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
