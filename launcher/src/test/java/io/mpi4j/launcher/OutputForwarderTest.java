package io.mpi4j.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class OutputForwarderTest
{
    private static final String TAG = "[1,0]<stdout>: ";

    private static String forward(final byte[] input, final String tag) throws InterruptedException
    {
        return new String(forwardBytes(new ByteArrayInputStream(input), tag), StandardCharsets.ISO_8859_1);
    }

    private static byte[] forwardBytes(final InputStream input, final String tag) throws InterruptedException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final OutputForwarder forwarder = new OutputForwarder(input, new OutputSink(out), tag, "test-forwarder");
        forwarder.start();
        assertTrue(forwarder.join(20_000));
        return out.toByteArray();
    }

    @Test
    void tagsWholeLinesAndEndsAPartialLastLine() throws InterruptedException
    {
        assertEquals(TAG + "a\n" + TAG + "bc\n" + TAG + "\n" + TAG + "tail\n",
            forward("a\nbc\n\ntail".getBytes(StandardCharsets.ISO_8859_1), TAG));
        assertEquals("a\nbc\n\ntail", forward("a\nbc\n\ntail".getBytes(StandardCharsets.ISO_8859_1), null));
    }

    @Test
    void aLineLongerThanTheBoundIsForwardedInTaggedPieces() throws InterruptedException
    {
        final int longLength = 3 * OutputForwarder.MAX_LINE_BYTES + 10;
        final byte[] input = new byte[longLength + "\nnext\n".length()];
        Arrays.fill(input, 0, longLength, (byte)'x');
        System.arraycopy("\nnext\n".getBytes(StandardCharsets.ISO_8859_1), 0, input, longLength, 6);

        final String[] lines = forward(input, TAG).split("\n", -1);
        assertEquals(6, lines.length, "3 full pieces, the rest of the line, next, and the empty tail");
        int xs = 0;
        for (int i = 0; i < 4; i++)
        {
            assertTrue(lines[i].startsWith(TAG), "every piece is tagged");
            final String payload = lines[i].substring(TAG.length());
            assertTrue(payload.chars().allMatch(c -> c == 'x'));
            assertTrue(payload.length() <= OutputForwarder.MAX_LINE_BYTES);
            xs += payload.length();
        }
        assertEquals(longLength, xs, "no byte lost or added");
        assertEquals(TAG + "next", lines[4]);
        assertEquals("", lines[5]);

        assertArrayEquals(input, forwardBytes(new ByteArrayInputStream(input), null), "untagged: unchanged");
    }

    @Test
    void aLineExactlyAtTheBoundIsOneLine() throws InterruptedException
    {
        final byte[] input = new byte[OutputForwarder.MAX_LINE_BYTES];
        Arrays.fill(input, (byte)'y');
        input[input.length - 1] = '\n';
        final String out = forward(input, TAG);
        assertEquals(TAG.length() + input.length, out.length());
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
    }

    @Test
    void aHugeLineIsForwardedInLinearTimeAndBoundedMemory() throws InterruptedException
    {
        final long total = 256L << 20;
        final InputStream endless = new InputStream()
        {
            private long left = total;

            @Override
            public int read()
            {
                return left-- > 0 ? 'z' : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len)
            {
                if (left <= 0)
                {
                    return -1;
                }
                final int n = (int)Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte)'z');
                left -= n;
                return n;
            }
        };
        final long[] seen = new long[2];
        final OutputSink counting = new OutputSink(new java.io.OutputStream()
        {
            @Override
            public void write(final int b)
            {
                seen[b == 'z' ? 0 : 1]++;
            }

            @Override
            public void write(final byte[] b, final int off, final int len)
            {
                for (int i = off; i < off + len; i++)
                {
                    seen[b[i] == 'z' ? 0 : 1]++;
                }
            }
        });
        final OutputForwarder forwarder = new OutputForwarder(endless, counting, null, "test-huge");
        forwarder.start();
        assertTrue(forwarder.join(20_000), "256 MiB without a newline forwarded within 20 s");
        assertEquals(total, seen[0]);
        assertEquals(0, seen[1]);
    }
}
