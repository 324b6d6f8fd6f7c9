package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ShmCrossProcessTest
{
    private static final int FRAMES = 100_000;
    private static final int RING = 64 << 10;

    @Test
    void pingPongsFramesWithChecksumsBetweenTwoJvms() throws Exception
    {
        final String jobId = ShmTestSupport.newJobId();
        Process peer = null;
        try (ShmTransport transport = ShmTestSupport.open(jobId, 0, ShmTestSupport.configuration(RING, 4)))
        {
            peer = ShmTestSupport.startJvm(ShmEchoPeer.class, jobId, Integer.toString(RING));
            final Connection connection =
                ShmTestSupport.connectWhenReady(transport, ShmTestSupport.addressOf(jobId, 1), peer);

            final long[] echoed = {-1};
            final int[] echoedLength = {0};
            final FrameHandler check = (buffer, at, frameLength) ->
            {
                assertEquals(buffer.getInt(at + 8), ShmEchoPeer.checksum(buffer, at, frameLength));
                echoed[0] = buffer.getLong(at);
                echoedLength[0] = frameLength;
            };
            for (long sequence = 0; sequence < FRAMES; sequence++)
            {
                final int length = ShmEchoPeer.HEADER + (int)(sequence * 31 % 700);
                final int index = ShmTestSupport.claim(connection, length, () -> { });
                for (int i = ShmEchoPeer.HEADER; i < length; i++)
                {
                    connection.buffer().putByte(index + i, (byte)(sequence * 7 + i * 13));
                }
                connection.buffer().putLong(index, sequence);
                connection.buffer().putInt(index + 8, ShmEchoPeer.checksum(connection.buffer(), index, length));
                connection.commit(index);

                final long deadline = System.nanoTime() + 10_000_000_000L;
                for (int idle = 0; 0 == transport.poll(check, 1); idle++)
                {
                    assertTrue(System.nanoTime() < deadline && peer.isAlive(), "no echo for frame " + sequence);
                    ShmTestSupport.idle(idle);
                }
                assertEquals(sequence, echoed[0]);
                assertEquals(length, echoedLength[0]);
            }

            final int stop = ShmTestSupport.claim(connection, ShmEchoPeer.HEADER, () -> { });
            connection.buffer().putLong(stop, -1L);
            connection.commit(stop);
            assertTrue(peer.waitFor(30, TimeUnit.SECONDS), "peer did not stop");
            assertEquals(0, peer.exitValue());
        }
        finally
        {
            if (null != peer && peer.isAlive())
            {
                peer.destroyForcibly().waitFor();
            }
        }
        assertEquals(List.of(), ShmTestSupport.leftovers(jobId));
    }

    @Test
    void shutdownHookRemovesTheInboxOfAnExitingProcess() throws Exception
    {
        final String jobId = ShmTestSupport.newJobId();
        final Process peer = ShmTestSupport.startJvm(ShmExitWithoutClose.class, jobId);
        try
        {
            assertTrue(peer.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, peer.exitValue());
            assertEquals(List.of(), ShmTestSupport.leftovers(jobId));
        }
        finally
        {
            peer.destroyForcibly();
        }
    }
}
