package io.mpi4j.p2p;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MPI_Buffer_detach waits, turning the engine, until every buffered send it charged has left. */
class BufferDetachTest
{
    private static final int BYTES = 4 * LoopbackFixture.EAGER_LIMIT;

    private final LoopbackFixture fixture = new LoopbackFixture(2);

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void detachWaitsForTheBufferedSendsStillInFlight()
    {
        final byte[] got = new byte[BYTES];
        fixture.run(rank ->
        {
            if (rank == 0)
            {
                fixture.attachBuffer(0, 4 * BYTES);
                // a rendezvous message: copied into the attached buffer and charged until its receiver took it
                fixture.send(0, 1, 9, WORLD, SendMode.BUFFERED, LoopbackFixture.UserMemory.of(pattern(5, BYTES)));
                final long start = System.nanoTime();
                assertEquals(4 * BYTES, fixture.bufferedSends(0).detach());
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20),
                    "detached before the receiver took the message");
            }
            else
            {
                // late, so that the detach has to wait through its polling and into its yielding phase
                sleepMillis(30);
                fixture.recv(1, 0, 9, got);
            }
            return null;
        });
        assertArrayEquals(pattern(5, BYTES), got);
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
