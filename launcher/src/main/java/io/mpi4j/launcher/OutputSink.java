package io.mpi4j.launcher;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One of the launcher's own output streams, shared by the forwarders of every rank. Each write holds the lock for
 * whole lines only, which is what keeps lines of different ranks from interleaving mid-line.
 */
final class OutputSink
{
    private final OutputStream out;

    OutputSink(final OutputStream out)
    {
        this.out = out;
    }

    synchronized void write(final byte[] bytes, final int length)
    {
        try
        {
            out.write(bytes, 0, length);
            out.flush();
        }
        catch (final IOException ignore)
        {
            // The launcher's own output is gone (closed pipe): nothing sensible left to do with the rank's output.
        }
    }
}
