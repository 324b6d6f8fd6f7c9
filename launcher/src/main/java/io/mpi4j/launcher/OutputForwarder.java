package io.mpi4j.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies one stream of one rank (stdout or stderr) to the launcher's matching stream, whole lines at a time,
 * optionally tagged as Open MPI's {@code --tag-output} does ({@code [1,<rank>]<stdout>: }). A partial last line is
 * forwarded at end of stream (tagged output then gets its newline so the next tag starts a line).
 */
final class OutputForwarder implements Runnable
{
    private static final int READ_CHUNK = 8192;

    private final InputStream in;
    private final OutputSink sink;
    private final byte[] tag;
    private final Thread thread;
    private byte[] pending = new byte[READ_CHUNK];
    private int pendingLength;
    private byte[] batch = new byte[READ_CHUNK * 2];

    OutputForwarder(final InputStream in, final OutputSink sink, final String tagOrNull, final String threadName)
    {
        this.in = in;
        this.sink = sink;
        this.tag = tagOrNull == null ? new byte[0] : tagOrNull.getBytes(StandardCharsets.UTF_8);
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
                forwardCompleteLines(chunk, read);
            }
        }
        catch (final IOException ignore)
        {
            // The rank's pipe broke (it was killed): forward what arrived.
        }
        if (pendingLength > 0)
        {
            int length = appendTagged(0, pending, 0, pendingLength);
            if (tag.length > 0)
            {
                batch = ensure(batch, length + 1);
                batch[length++] = '\n';
            }
            sink.write(batch, length);
            pendingLength = 0;
        }
    }

    private void forwardCompleteLines(final byte[] chunk, final int length)
    {
        int lineStart = 0;
        int batchLength = 0;
        for (int i = 0; i < length; i++)
        {
            if (chunk[i] == '\n')
            {
                if (pendingLength > 0)
                {
                    pending = ensure(pending, pendingLength + i + 1 - lineStart);
                    System.arraycopy(chunk, lineStart, pending, pendingLength, i + 1 - lineStart);
                    pendingLength += i + 1 - lineStart;
                    batchLength = appendTagged(batchLength, pending, 0, pendingLength);
                    pendingLength = 0;
                }
                else
                {
                    batchLength = appendTagged(batchLength, chunk, lineStart, i + 1 - lineStart);
                }
                lineStart = i + 1;
            }
        }
        if (batchLength > 0)
        {
            sink.write(batch, batchLength);
        }
        if (lineStart < length)
        {
            pending = ensure(pending, pendingLength + length - lineStart);
            System.arraycopy(chunk, lineStart, pending, pendingLength, length - lineStart);
            pendingLength += length - lineStart;
        }
    }

    private int appendTagged(final int at, final byte[] src, final int offset, final int length)
    {
        batch = ensure(batch, at + tag.length + length);
        System.arraycopy(tag, 0, batch, at, tag.length);
        System.arraycopy(src, offset, batch, at + tag.length, length);
        return at + tag.length + length;
    }

    private static byte[] ensure(final byte[] buffer, final int capacity)
    {
        return buffer.length >= capacity ? buffer : Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
    }
}
