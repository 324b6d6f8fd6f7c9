package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import org.agrona.DirectBuffer;

/**
 * Second process of {@link ShmCrossProcessTest}: index 1 of the job, checks each frame's checksum and sends it back
 * unchanged to index 0; stops at a frame whose sequence is -1.
 * Frame: sequence (long), checksum of the rest (int), payload.
 */
public final class ShmEchoPeer
{
    static final int HEADER = 12;

    private ShmEchoPeer()
    {
    }

    static int checksum(final DirectBuffer buffer, final int index, final int length)
    {
        int hash = 0x811C9DC5;
        for (int i = HEADER; i < length; i++)
        {
            hash = (hash ^ buffer.getByte(index + i)) * 0x01000193;
        }
        return hash;
    }

    public static void main(final String[] args) throws Exception
    {
        final String jobId = args[0];
        final int ringCapacity = Integer.parseInt(args[1]);
        try (ShmTransport transport = ShmTestSupport.open(jobId, 1, ShmTestSupport.configuration(ringCapacity, 4)))
        {
            final Connection back =
                ShmTestSupport.connectWhenReady(transport, ShmTestSupport.addressOf(jobId, 0), null);
            final boolean[] done = {false};
            final long[] expected = {0};
            final FrameHandler echo = (buffer, index, length) ->
            {
                final long sequence = buffer.getLong(index);
                if (-1 == sequence)
                {
                    done[0] = true;
                    return;
                }
                if (sequence != expected[0]++ || checksum(buffer, index, length) != buffer.getInt(index + 8))
                {
                    throw new IllegalStateException("bad frame " + sequence + ", expected " + (expected[0] - 1));
                }
                int out;
                for (int idle = 0; (out = back.tryClaim(length)) < 0; idle++)
                {
                    ShmTestSupport.idle(idle);
                }
                back.buffer().putBytes(out, buffer, index, length);
                back.commit(out);
            };
            long lastFrameNs = System.nanoTime();
            for (int idle = 0; !done[0]; )
            {
                if (0 != transport.poll(echo, 16))
                {
                    idle = 0;
                    lastFrameNs = System.nanoTime();
                }
                else if (System.nanoTime() - lastFrameNs > 20_000_000_000L)
                {
                    throw new IllegalStateException("no frame for 20 s after " + expected[0] + " frames");
                }
                else
                {
                    ShmTestSupport.idle(idle++);
                }
            }
            System.out.println("echo peer: " + expected[0] + " frames verified");
        }
    }
}
