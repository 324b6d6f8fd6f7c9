package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine reuses the operations of non-blocking calls its owner gave back, and only those that are safe to. */
class OperationPoolTest
{
    private LoopbackFixture fixture;

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void completedOperationsAreReusedForTheNextMessages()
    {
        fixture = new LoopbackFixture(2);
        final byte[] landing = new byte[64];
        final Operation recv = fixture.irecv(1, 0, 5, landing);
        final Operation send = fixture.isend(0, 1, 5, pattern(1, 64));
        fixture.await(recv, send);
        fixture.p2p(1).recycle(recv);
        fixture.p2p(0).recycle(send);

        final byte[] next = new byte[64];
        final Operation recvAgain = fixture.irecv(1, 0, 6, next);
        final Operation sendAgain = fixture.isend(0, 1, 6, pattern(2, 64));
        assertSame(recv, recvAgain);
        assertSame(send, sendAgain);
        assertFalse(recvAgain.isComplete(), "a reused receive starts afresh");
        fixture.await(recvAgain, sendAgain);
        assertEquals(6, recvAgain.status().tag);
        assertEquals(64, recvAgain.status().byteCount);
        assertArrayEquals(pattern(2, 64), next);
    }

    @Test
    void rendezvousAndSynchronousOperationsAreReusedToo()
    {
        fixture = new LoopbackFixture(2);
        final int size = 5 * LoopbackFixture.CHUNK_LENGTH + 7;
        for (int round = 0; round < 3; round++)
        {
            final byte[] landing = new byte[size];
            final Operation recv = fixture.irecv(1, 0, round, landing);
            final Operation send = 0 == round % 2 ? fixture.isend(0, 1, round, pattern(round, size)) :
                fixture.issend(0, 1, round, pattern(round, size));
            fixture.await(recv, send);
            assertArrayEquals(pattern(round, size), landing);
            fixture.p2p(1).recycle(recv);
            fixture.p2p(0).recycle(send);
            // the pool hands back the same objects, each reinitialised
            assertSame(recv, fixture.irecv(1, 0, 99, new byte[1]));
            final Operation probe = fixture.isend(0, 1, 99, new byte[1]);
            assertSame(send, probe);
            fixture.await(recv, probe);
            fixture.p2p(1).recycle(recv);
            fixture.p2p(0).recycle(probe);
        }
    }

    @Test
    void anOperationGivenBackTwiceIsHandedOutOnce()
    {
        fixture = new LoopbackFixture(2);
        final Operation recv = fixture.irecv(1, 0, 1, new byte[8]);
        final Operation send = fixture.isend(0, 1, 1, new byte[8]);
        fixture.await(recv, send);
        fixture.p2p(0).recycle(send);
        fixture.p2p(0).recycle(send);
        final Operation first = fixture.isend(0, 1, 2, new byte[8]);
        final Operation second = fixture.isend(0, 1, 3, new byte[8]);
        assertSame(send, first);
        assertNotSame(first, second);
        final Operation r2 = fixture.irecv(1, 0, 2, new byte[8]);
        final Operation r3 = fixture.irecv(1, 0, 3, new byte[8]);
        fixture.await(first, second, r2, r3);
        assertEquals(2, r2.status().tag);
        assertEquals(3, r3.status().tag);
    }

    @Test
    void pendingFailedAndForeignOperationsAreNotReused()
    {
        fixture = new LoopbackFixture(2);
        // still pending: the protocol holds it
        final Operation pending = fixture.irecv(1, 0, 1, new byte[8]);
        fixture.p2p(1).recycle(pending);
        assertNotSame(pending, fixture.irecv(1, 0, 2, new byte[8]));

        // completed with an error (truncation): not reused
        final Operation truncated = fixture.irecv(1, 0, 3, new byte[4]);
        fixture.await(truncated, fixture.isend(0, 1, 3, new byte[8]));
        assertEquals(ErrorClass.ERR_TRUNCATE, truncated.status().error);
        fixture.p2p(1).recycle(truncated);
        assertNotSame(truncated, fixture.irecv(1, 0, 4, new byte[8]));

        // an explicit-context operation belongs to the layer above: never taken into the pool
        final Operation collective = fixture.p2p(0).isendOn(fixture.endpoint(0, 0), 1, new byte[8],
            Memory.BYTE_ARRAY_BASE, 8, 1, 7);
        final Operation collectiveRecv = fixture.p2p(1).irecvOn(fixture.endpoint(1, 0), 1, new byte[8],
            Memory.BYTE_ARRAY_BASE, 8, 0, 7);
        fixture.await(collective, collectiveRecv);
        fixture.p2p(0).recycle(collective);
        assertNotSame(collective, fixture.isend(0, 1, 8, new byte[8]));

        // nothing to do (PROC_NULL): one shared completed operation, never pooled
        final Operation nothing = fixture.isend(0, LoopbackFixture.PROC_NULL, 1, new byte[8]);
        assertTrue(nothing.isComplete());
        fixture.p2p(0).recycle(nothing);
        assertNotSame(nothing, fixture.isend(0, 1, 9, new byte[8]));
    }

    @Test
    void anIdleOperationKeepsNoUserBufferReachable()
    {
        fixture = new LoopbackFixture(2);
        final byte[] landing = new byte[16];
        final RecvOperation recv = (RecvOperation)fixture.irecv(1, 0, 1, landing);
        fixture.await(recv, fixture.isend(0, 1, 1, new byte[16]));
        assertSame(fixture.endpoint(1, 0), recv.endpoint);
        fixture.p2p(1).recycle(recv);
        assertEquals(null, recv.base);
        assertEquals(null, recv.layout);
        // the endpoint is the runtime's, kept so that the next receive on it stores no reference
        assertSame(fixture.endpoint(1, 0), recv.endpoint);
    }
}
