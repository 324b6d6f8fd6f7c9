package io.mpi4j.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies one stream of one rank (stdout or stderr) to the launcher's matching stream, whole lines at a time,
 * optionally tagged as Open MPI's {@code --tag-output} does ({@code [1,<rank>]<stdout>: }). A partial last line is
 * forwarded at end of stream (tagged output then gets its newline so the next tag starts a line).
 * <p>
 * A line longer than {@link #MAX_LINE_BYTES} is forwarded in pieces of that size as they arrive, so memory per
 * stream is bounded and time is linear however long a rank writes without a newline. Tagged, every piece is a
 * line of its own, tag first and a newline added: a reader can always tell which rank wrote which bytes, though
 * the long line comes out split. Untagged, the pieces are forwarded as they are (the bytes are unchanged; another
 * rank's line may then land between two pieces).
 */
final class OutputForwarder implements Runnable
{
    /** Longest line forwarded whole; longer lines are forwarded in pieces of this size. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int READ_CHUNK = 8192;

    private final InputStream in;
    private final OutputSink sink;
    private final byte[] tag;
    private final Thread thread;
    /** The line being read, grown on demand up to {@link #MAX_LINE_BYTES}. */
    private byte[] pending = new byte[READ_CHUNK];
    private int pendingLength;
    /** Lines tagged and ready for one write to the sink, grown on demand up to {@link #batchCapacity}. */
    private byte[] batch = new byte[READ_CHUNK * 2];
    private int batchLength;
    private final int batchCapacity;

    OutputForwarder(final InputStream in, final OutputSink sink, final String tagOrNull, final String threadName)
    {
        this.in = in;
        this.sink = sink;
        this.tag = tagOrNull == null ? new byte[0] : tagOrNull.getBytes(StandardCharsets.UTF_8);
        this.batchCapacity = 2 * (tag.length + MAX_LINE_BYTES + 1);
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
    }

    static String tag(final int rank, final boolean stderr)
    {
        return tag(1, rank, stderr);
    }

    /** Tag of job number {@code jobNumber} (1: the job mpi4jrun started; 2, 3...: spawned jobs, as Open MPI). */
    static String tag(final int jobNumber, final int rank, final boolean stderr)
    {
        return "[" + jobNumber + "," + rank + "]<" + (stderr ? "stderr" : "stdout") + ">: ";
    }

    void start()
    {
        thread.start();
    }

    /** Wait until everything the rank wrote has been forwarded; false if that took longer than {@code millis}. */
    boolean join(final long millis) throws InterruptedException
    {
        thread.join(millis);
        return !thread.isAlive();
    }

    @Override
    public void run()
    {
        final byte[] chunk = new byte[READ_CHUNK];
        try (in)
        {
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                forward(chunk, read);
            }
        }
        catch (final IOException ignore)
        {
            // The rank's pipe broke (it was killed): forward what arrived.
        }
        if (pendingLength > 0)
        {
            forwardPendingPiece();
            flushBatch();
        }
    }

    private void forward(final byte[] chunk, final int length)
    {
        int start = 0;
        while (start < length)
        {
            final int newline = indexOfNewline(chunk, start, length);
            final int end = newline < 0 ? length : newline + 1;
            if (pendingLength == 0 && newline >= 0 && end - start <= MAX_LINE_BYTES)
            {
                appendLine(chunk, start, end - start, false);
            }
            else
            {
                int from = start;
                while (from < end)
                {
                    final int n = Math.min(end - from, MAX_LINE_BYTES - pendingLength);
                    pending = grow(pending, pendingLength + n, MAX_LINE_BYTES);
                    System.arraycopy(chunk, from, pending, pendingLength, n);
                    pendingLength += n;
                    from += n;
                    if (pendingLength == MAX_LINE_BYTES && !(from == end && newline >= 0))
                    {
                        forwardPendingPiece();
                    }
                }
                if (newline >= 0)
                {
                    appendLine(pending, 0, pendingLength, false);
                    pendingLength = 0;
                }
            }
            start = end;
        }
        flushBatch();
    }

    /** The line read so far, as a piece: tagged output ends it with a newline so the next tag starts a line. */
    private void forwardPendingPiece()
    {
        appendLine(pending, 0, pendingLength, tag.length > 0);
        pendingLength = 0;
    }

    private void appendLine(final byte[] src, final int offset, final int length, final boolean addNewline)
    {
        final int needed = tag.length + length + (addNewline ? 1 : 0);
        if (batchLength + needed > batchCapacity)
        {
            flushBatch();
        }
        batch = grow(batch, batchLength + needed, batchCapacity);
        System.arraycopy(tag, 0, batch, batchLength, tag.length);
        System.arraycopy(src, offset, batch, batchLength + tag.length, length);
        batchLength += tag.length + length;
        if (addNewline)
        {
            batch[batchLength++] = '\n';
        }
    }

    private void flushBatch()
    {
        if (batchLength > 0)
        {
            sink.write(batch, batchLength);
            batchLength = 0;
        }
    }

    private static int indexOfNewline(final byte[] bytes, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (bytes[i] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    /** {@code buffer}, or a copy of at least {@code capacity} bytes (doubling, at most {@code max}). */
    private static byte[] grow(final byte[] buffer, final int capacity, final int max)
    {
        return buffer.length >= capacity ? buffer :
            Arrays.copyOf(buffer, Math.max(capacity, (int)Math.min(max, 2L * buffer.length)));
    }
}
