package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.ANY_TAG;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking calls, one thread per process as in a job: each waits by turning only its own engine. */
class BlockingCallsTest
{
    private LoopbackFixture fixture;

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void pingPongOfEverySize()
    {
        fixture = new LoopbackFixture(2);
        final int[] sizes = {0, 1, 100, 128, 129, 1000, 50_000};
        fixture.run(rank ->
        {
            for (int round = 0; round < 3; round++)
            {
                for (final int size : sizes)
                {
                    final byte[] landing = new byte[size];
                    if (rank == 0)
                    {
                        fixture.send(0, 1, size, pattern(round + size, size));
                        final StatusRecord status = fixture.recv(0, 1, size, landing);
                        assertEquals(size, status.byteCount);
                        assertArrayEquals(pattern(-round - size, size), landing);
                    }
                    else
                    {
                        final StatusRecord status = fixture.recv(1, 0, size, landing);
                        assertEquals(size, status.byteCount);
                        assertArrayEquals(pattern(round + size, size), landing);
                        fixture.send(1, 0, size, pattern(-round - size, size));
                    }
                }
            }
            return null;
        });
    }

    /** Blocking synchronous send returns only once the receiver has matched, here after a probe told it to. */
    @Test
    void blockingSynchronousSendReturnsAfterTheMatch()
    {
        fixture = new LoopbackFixture(2);
        final List<Long> times = fixture.run(rank ->
        {
            if (rank == 0)
            {
                fixture.send(0, 1, 1, WORLD, SendMode.SYNCHRONOUS, UserMemory.of(pattern(1, 16)));
                return System.nanoTime();
            }
            final StatusRecord probed = fixture.probe(1, ANY_SOURCE, ANY_TAG, WORLD);
            assertEquals(16, probed.byteCount);
            sleep(100);
            final long matched = System.nanoTime();
            final byte[] landing = new byte[16];
            fixture.recv(1, probed.source, probed.tag, landing);
            assertArrayEquals(pattern(1, 16), landing);
            return matched;
        });
        assertTrue(times.get(0) >= times.get(1), "ssend returned before the receive was posted");
    }

    @Test
    void blockingReceiveOfATruncatedMessageThrowsAfterFillingTheStatus()
    {
        fixture = new LoopbackFixture(2);
        fixture.run(rank ->
        {
            if (rank == 0)
            {
                fixture.send(0, 1, 3, pattern(2, 1000));
                fixture.send(0, 1, 3, pattern(3, 10));
                return null;
            }
            final byte[] landing = new byte[100];
            final StatusRecord status = new StatusRecord();
            final MpiError error = assertThrows(MpiError.class,
                () -> fixture.recv(1, 0, 3, WORLD, UserMemory.of(landing), status));
            assertEquals(ErrorClass.ERR_TRUNCATE, error.errorClass());
            assertEquals(ErrorClass.ERR_TRUNCATE, status.error);
            assertEquals(100, status.byteCount);
            assertEquals(3, status.tag);
            assertArrayEquals(Arrays.copyOf(pattern(2, 1000), 100), landing);
            final byte[] next = new byte[10];
            fixture.recv(1, 0, 3, next);
            assertArrayEquals(pattern(3, 10), next, "the blocking receive after a failed one works");
            return null;
        });
    }

    @Test
    void mprobeThenMrecvOnThreads()
    {
        fixture = new LoopbackFixture(3);
        fixture.run(rank ->
        {
            if (rank != 1)
            {
                fixture.send(rank, 1, rank, pattern(rank, 700 * (rank + 1)));
                return null;
            }
            for (int i = 0; i < 2; i++)
            {
                final StatusRecord status = new StatusRecord();
                final MatchedMessage message = fixture.mprobe(1, ANY_SOURCE, ANY_TAG, WORLD, status);
                final int length = (int)status.byteCount;
                assertEquals(700 * (status.source + 1), length);
                final byte[] landing = new byte[length];
                final StatusRecord received = new StatusRecord();
                fixture.mrecv(1, message, UserMemory.of(landing), received);
                assertEquals(status.source, received.source);
                assertEquals(status.source, received.tag);
                assertArrayEquals(pattern(status.source, length), landing);
            }
            return null;
        });
    }

    /** Every process sends to every other at once, large messages, before receiving: no deadlock, nothing lost. */
    @Test
    void allToAllWithNonBlockingSendsAndBlockingReceives()
    {
        fixture = new LoopbackFixture(4);
        fixture.run(rank ->
        {
            final int size = fixture.size();
            final Operation[] sends = new Operation[size];
            for (int peer = 0; peer < size; peer++)
            {
                sends[peer] = fixture.isend(rank, peer, 0, pattern(rank * 10 + peer, 3000 + peer));
            }
            for (int peer = 0; peer < size; peer++)
            {
                final byte[] landing = new byte[3000 + rank];
                final StatusRecord status = fixture.recv(rank, peer, 0, landing);
                assertEquals(peer, status.source);
                assertArrayEquals(pattern(peer * 10 + rank, 3000 + rank), landing);
            }
            for (final Operation send : sends)
            {
                fixture.await(rank, send);
            }
            return null;
        });
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
