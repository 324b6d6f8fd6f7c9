package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.ANY_TAG;
import static io.mpi4j.p2p.LoopbackFixture.PROC_NULL;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Persistent sends and receives (MPI_Send_init and modes, MPI_Recv_init, MPI_Start), single-threaded. */
class PersistentRequestTest
{
    private final LoopbackFixture fixture = new LoopbackFixture(3);

    @AfterEach
    void close()
    {
        fixture.close();
    }

    /** Each start runs the bound arguments again on the same operation, in every mode and protocol. */
    private void restartLoop(final int mode, final int bytes, final boolean direct)
    {
        final byte[] out = new byte[bytes];
        final ByteBuffer outDirect = ByteBuffer.allocateDirect(bytes);
        final byte[] in = new byte[bytes];
        final UserMemory sendMemory = direct ? UserMemory.of(outDirect) : UserMemory.of(out);
        final PersistentRequest send = fixture.sendInit(0, 1, 9, WORLD, mode, sendMemory);
        final PersistentRequest recv = fixture.recvInit(1, 0, 9, WORLD, UserMemory.of(in));
        assertNull(send.operation(), "nothing runs before the first start");
        Operation first = null;
        for (int iteration = 0; iteration < 20; iteration++)
        {
            final byte[] expected = pattern(iteration, bytes);
            System.arraycopy(expected, 0, out, 0, bytes);
            outDirect.clear();
            outDirect.put(expected).clear();
            // receive first for ready mode; the others alternate so that both orders of arrival are covered
            final boolean receiveFirst = mode == SendMode.READY || iteration % 2 == 0;
            final Operation r = receiveFirst ? fixture.start(1, recv) : null;
            final Operation s = fixture.start(0, send);
            final Operation r2 = receiveFirst ? r : fixture.start(1, recv);
            if (null == first)
            {
                first = s;
            }
            assertSame(first, s, "a start reuses the operation");
            assertSame(r2, recv.operation());
            fixture.await(s, r2);
            assertEquals(0, s.status().error, "send of iteration " + iteration);
            assertEquals(0, r2.status().error, "receive of iteration " + iteration);
            assertEquals(bytes, r2.status().byteCount);
            assertEquals(0, r2.status().source);
            assertEquals(9, r2.status().tag);
            assertArrayEquals(expected, in, "data of iteration " + iteration);
        }
    }

    @Test
    void standardEagerAndRendezvous()
    {
        restartLoop(SendMode.STANDARD, 40, false);
        restartLoop(SendMode.STANDARD, 5000, false);
        restartLoop(SendMode.STANDARD, 5000, true);
    }

    @Test
    void synchronousAndReady()
    {
        restartLoop(SendMode.SYNCHRONOUS, 40, false);
        restartLoop(SendMode.SYNCHRONOUS, 3000, true);
        restartLoop(SendMode.READY, 40, false);
        restartLoop(SendMode.READY, 3000, false);
    }

    @Test
    void bufferedChargesTheAttachedBufferPerStartAndGivesItBack()
    {
        final byte[] out = new byte[3000];
        final PersistentRequest send = fixture.sendInit(0, 1, 3, WORLD, SendMode.BUFFERED, UserMemory.of(out));
        final MpiError none = assertThrows(MpiError.class, () -> fixture.start(0, send));
        assertEquals(ErrorClass.ERR_BUFFER, none.errorClass(), "a message to buffer, and no buffer attached");

        // room for one message only: every start must have given the previous one's space back
        fixture.attachBuffer(0, 3000 + BufferedSendSpace.BSEND_OVERHEAD);
        restartLoop(SendMode.BUFFERED, 3000, false);
    }

    @Test
    void aBufferedMessageThatGoesOutAtOnceNeedsNoBufferSpace()
    {
        final PersistentRequest send = fixture.sendInit(0, 1, 3, WORLD, SendMode.BUFFERED,
            UserMemory.of(pattern(5, 40)));
        final byte[] in = new byte[40];
        for (int i = 0; i < 3; i++)
        {
            final Operation s = fixture.start(0, send);
            assertTrue(s.isComplete(), "the eager frame took the data: complete at the start");
            final Operation r = fixture.irecv(1, 0, 3, in);
            fixture.await(r);
            assertArrayEquals(pattern(5, 40), in);
        }
    }

    @Test
    void bufferedSendCompletesBeforeTheReceiveAndSendsWhatTheBufferHeldAtStart()
    {
        fixture.attachBuffer(0, 1 << 16);
        final byte[] out = pattern(4, 3000);
        final PersistentRequest send = fixture.sendInit(0, 1, 3, WORLD, SendMode.BUFFERED, UserMemory.of(out));
        final Operation s = fixture.start(0, send);
        out[0]++;
        final byte[] in = new byte[3000];
        final Operation r = fixture.irecv(1, 0, 3, in);
        fixture.await(s, r);
        assertArrayEquals(pattern(4, 3000), in, "the data copied at the start, not the changed buffer");
    }

    @Test
    void procNullCompletesAtOnceWithAnEmptyStatus()
    {
        final PersistentRequest send = fixture.sendInit(0, PROC_NULL, 1, WORLD, SendMode.STANDARD,
            UserMemory.of(new byte[8]));
        final PersistentRequest recv = fixture.recvInit(0, PROC_NULL, 1, WORLD, UserMemory.of(new byte[8]));
        for (int i = 0; i < 3; i++)
        {
            assertTrue(fixture.start(0, send).isComplete());
            final Operation r = fixture.start(0, recv);
            assertTrue(r.isComplete());
            assertEquals(PROC_NULL, r.status().source);
            assertEquals(ANY_TAG, r.status().tag);
            assertEquals(0, r.status().byteCount);
        }
    }

    @Test
    void aCancelledPersistentReceiveCanBeStartedAgain()
    {
        final byte[] in = new byte[64];
        final PersistentRequest recv = fixture.recvInit(2, ANY_SOURCE, 5, WORLD, UserMemory.of(in));
        final Operation cancelled = fixture.start(2, recv);
        fixture.cancel(2, cancelled);
        assertTrue(cancelled.isComplete());
        assertTrue(cancelled.status().cancelled);

        final Operation again = fixture.start(2, recv);
        assertTrue(!again.status().cancelled, "a new start clears the last run's status");
        final Operation s = fixture.isend(1, 2, 5, pattern(7, 64));
        fixture.await(s, again);
        assertEquals(1, again.status().source);
        assertArrayEquals(pattern(7, 64), in);
    }

    @Test
    void wildcardReceiveTakesMessagesInArrivalOrderAcrossStarts()
    {
        final byte[] in = new byte[16];
        final PersistentRequest recv = fixture.recvInit(2, ANY_SOURCE, ANY_TAG, WORLD, UserMemory.of(in));
        final Operation a = fixture.isend(0, 2, 1, pattern(1, 16));
        fixture.settle();
        final Operation b = fixture.isend(1, 2, 2, pattern(2, 16));
        fixture.settle();
        Operation r = fixture.start(2, recv);
        fixture.await(a, r);
        assertEquals(0, r.status().source);
        assertEquals(1, r.status().tag);
        assertArrayEquals(pattern(1, 16), in);
        r = fixture.start(2, recv);
        fixture.await(b, r);
        assertEquals(1, r.status().source);
        assertEquals(2, r.status().tag);
        assertArrayEquals(pattern(2, 16), in);
    }
}
