package io.mpi4j.p2p;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.ANY_TAG;
import static io.mpi4j.p2p.LoopbackFixture.EAGER_LIMIT;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unexpected-message queue: it grows past the record pool when a receiver falls far behind, and the recycled
 * records and payload arrays (larger than the message that reuses them) never leak old bytes or lengths.
 */
class UnexpectedMessagesTest
{
    private LoopbackFixture fixture;

    @AfterEach
    void close()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    @Test
    void aLongUnexpectedQueueIsReceivedWholeAndInOrder()
    {
        fixture = new LoopbackFixture(2);
        final int count = 3000;
        final Operation[] sends = new Operation[count];
        for (int i = 0; i < count; i++)
        {
            sends[i] = fixture.isend(0, 1, i % 5, pattern(i, i % (EAGER_LIMIT + 1)));
            fixture.progressAll();
        }
        fixture.settle();
        for (final Operation send : sends)
        {
            assertTrue(send.isComplete(), "eager sends complete without a receiver");
        }
        final byte[] landing = new byte[EAGER_LIMIT];
        for (int i = 0; i < count; i++)
        {
            final Operation recv = fixture.irecv(1, ANY_SOURCE, ANY_TAG, landing);
            fixture.await(recv);
            assertEquals(i % 5, recv.status().tag, "message " + i);
            assertEquals(i % (EAGER_LIMIT + 1), recv.status().byteCount, "message " + i);
            assertArrayEquals(pattern(i, i % (EAGER_LIMIT + 1)), Arrays.copyOf(landing, i % (EAGER_LIMIT + 1)));
        }
        assertNull(fixture.iprobe(1, ANY_SOURCE, ANY_TAG, WORLD));
    }

    /**
     * Round after round of large unexpected messages, then small ones into the recycled payload arrays: each
     * receive gets its own message's bytes and length, and bytes of the receive buffer past it stay untouched.
     */
    @Test
    void recycledRecordsCarryNothingOver()
    {
        fixture = new LoopbackFixture(2);
        final int perRound = 50;
        int seed = 0;
        for (final int size : new int[]{EAGER_LIMIT, 3, EAGER_LIMIT - 1, 0, 65, 64, 1})
        {
            final int first = seed;
            for (int i = 0; i < perRound; i++)
            {
                fixture.isend(0, 1, 2, pattern(seed++, size));
                fixture.progressAll();
            }
            fixture.settle();
            for (int i = 0; i < perRound; i++)
            {
                final byte[] landing = new byte[EAGER_LIMIT];
                Arrays.fill(landing, (byte)0x77);
                final Operation recv = fixture.irecv(1, 0, 2, landing);
                fixture.await(recv);
                assertEquals(size, recv.status().byteCount);
                assertArrayEquals(pattern(first + i, size), Arrays.copyOf(landing, size), "size " + size);
                for (int b = size; b < landing.length; b++)
                {
                    assertEquals((byte)0x77, landing[b], "byte " + b + " past a message of " + size);
                }
            }
        }
    }

    /** The pool hands back released records and same-class payloads, and never one too small. */
    @Test
    void poolReusesRecordsAndPayloadArrays()
    {
        final UnexpectedMessagePool pool = new UnexpectedMessagePool();
        final UnexpectedMessage message = pool.acquire();
        final byte[] payload = pool.payload(100);
        assertEquals(128, payload.length, "a power-of-two size class");
        message.payload = payload;
        pool.release(message);
        assertNull(message.payload, "a released record holds no payload");

        assertSame(message, pool.acquire());
        assertSame(payload, pool.payload(65), "same size class");
        assertNotSame(payload, pool.payload(100), "taken already");
        assertEquals(0, pool.payload(0).length);
        assertTrue(pool.payload(129).length >= 129);
        assertEquals(2_000_000, pool.payload(2_000_000).length, "beyond the classes: exact size");
    }
}
