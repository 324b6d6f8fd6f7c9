package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.ANY_TAG;
import static io.mpi4j.p2p.LoopbackFixture.PROC_NULL;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MPI_Iprobe, MPI_Improbe/MPI_Imrecv, and MPI_Cancel, single-threaded. */
class ProbeAndCancelTest
{
    private final LoopbackFixture fixture = new LoopbackFixture(3);

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void iprobeSeesAWaitingMessageAndLeavesIt()
    {
        assertNull(fixture.iprobe(1, ANY_SOURCE, ANY_TAG, WORLD), "nothing sent yet");
        final Operation eager = fixture.isend(0, 1, 5, pattern(1, 40));
        final Operation rendezvous = fixture.isend(2, 1, 6, pattern(2, 5000));
        fixture.settle();

        final StatusRecord first = fixture.iprobe(1, ANY_SOURCE, 5, WORLD);
        assertNotNull(first);
        assertEquals(0, first.source);
        assertEquals(5, first.tag);
        assertEquals(40, first.byteCount);
        final StatusRecord large = fixture.iprobe(1, 2, ANY_TAG, WORLD);
        assertEquals(6, large.tag);
        assertEquals(5000, large.byteCount, "a rendezvous message's full length, before any data moved");
        assertNull(fixture.iprobe(1, 0, 6, WORLD), "source and tag both have to match");
        assertNull(fixture.iprobe(1, ANY_SOURCE, ANY_TAG, 2), "other context");
        assertEquals(40, fixture.iprobe(1, 0, 5, WORLD).byteCount, "probing again finds it again");

        final byte[] small = new byte[40];
        final byte[] big = new byte[5000];
        final Operation r1 = fixture.irecv(1, 0, 5, small);
        final Operation r2 = fixture.irecv(1, 2, 6, big);
        fixture.await(r1, r2, eager, rendezvous);
        assertArrayEquals(pattern(1, 40), small);
        assertArrayEquals(pattern(2, 5000), big);
        assertNull(fixture.iprobe(1, ANY_SOURCE, ANY_TAG, WORLD), "received, so gone");
    }

    @Test
    void iprobeOfProcNullSucceedsWithAnEmptyStatus()
    {
        final StatusRecord status = fixture.iprobe(1, PROC_NULL, 3, WORLD);
        assertEquals(PROC_NULL, status.source);
        assertEquals(ANY_TAG, status.tag);
        assertEquals(0, status.byteCount);
    }

    /** A message taken by improbe is out of matching: no probe or receive sees it; imrecv gets it whole. */
    @Test
    void improbeTakesTheMessageOutOfMatching()
    {
        final StatusRecord none = new StatusRecord();
        assertNull(fixture.improbe(1, ANY_SOURCE, ANY_TAG, WORLD, none));
        final Operation s1 = fixture.isend(0, 1, 1, pattern(1, 90));
        final Operation s2 = fixture.isend(0, 1, 1, pattern(2, 2000));
        final Operation s3 = fixture.isend(0, 1, 1, pattern(3, 30));
        fixture.settle();

        final StatusRecord status = new StatusRecord();
        final MatchedMessage first = fixture.improbe(1, ANY_SOURCE, ANY_TAG, WORLD, status);
        assertNotNull(first);
        assertEquals(90, status.byteCount);
        final StatusRecord secondStatus = new StatusRecord();
        final MatchedMessage second = fixture.improbe(1, 0, 1, WORLD, secondStatus);
        assertEquals(2000, secondStatus.byteCount, "the next in order, not the one already taken");

        final byte[] third = new byte[100];
        final Operation r3 = fixture.irecv(1, ANY_SOURCE, ANY_TAG, third);
        fixture.await(r3, s3);
        assertEquals(30, r3.status().byteCount, "a receive skips the messages taken by improbe");
        assertArrayEquals(pattern(3, 30), Arrays.copyOf(third, 30));

        // Received in the other order than taken, and the rendezvous one only now moves its data.
        final byte[] big = new byte[2000];
        final Operation m2 = fixture.imrecv(1, second, UserMemory.of(big));
        fixture.await(m2, s2);
        assertArrayEquals(pattern(2, 2000), big);
        assertEquals(0, m2.status().source);
        assertEquals(1, m2.status().tag);
        final byte[] small = new byte[90];
        final Operation m1 = fixture.imrecv(1, first, UserMemory.of(small));
        fixture.await(m1, s1);
        assertArrayEquals(pattern(1, 90), small);
        assertEquals(90, m1.status().byteCount);
    }

    @Test
    void imrecvOfATooSmallBufferTruncates()
    {
        final Operation send = fixture.isend(0, 1, 1, pattern(4, 3000));
        fixture.settle();
        final StatusRecord status = new StatusRecord();
        final MatchedMessage message = fixture.improbe(1, 0, 1, WORLD, status);
        final byte[] landing = new byte[500];
        final Operation recv = fixture.imrecv(1, message, UserMemory.of(landing));
        fixture.await(recv, send);
        assertEquals(ErrorClass.ERR_TRUNCATE, recv.status().error);
        assertEquals(500, recv.status().byteCount);
        assertArrayEquals(Arrays.copyOf(pattern(4, 3000), 500), landing);
    }

    @Test
    void improbeOfProcNullGivesTheNoProcessMessage()
    {
        final StatusRecord status = new StatusRecord();
        final MatchedMessage message = fixture.improbe(1, PROC_NULL, 0, WORLD, status);
        assertSame(MatchedMessage.NO_PROC, message);
        final Operation recv = fixture.imrecv(1, message, UserMemory.of(new byte[4]));
        assertTrue(recv.isComplete());
        assertEquals(PROC_NULL, recv.status().source);
    }

    /** A cancelled receive completes as cancelled and takes nothing: the message goes to the next receive. */
    @Test
    void cancelledReceiveLetsTheMessageThrough()
    {
        final byte[] cancelledBuffer = new byte[100];
        final Operation cancelled = fixture.irecv(1, 0, 3, cancelledBuffer);
        final Operation other = fixture.irecv(1, ANY_SOURCE, 4, new byte[10]);
        fixture.cancel(1, cancelled);
        assertTrue(cancelled.isComplete());
        assertTrue(cancelled.status().cancelled);
        assertEquals(0, cancelled.status().error);

        final Operation send = fixture.isend(0, 1, 3, pattern(5, 60));
        fixture.settle();
        assertArrayEquals(new byte[100], cancelledBuffer, "a cancelled receive is never written");
        assertFalse(other.isComplete());
        final byte[] landing = new byte[60];
        final Operation recv = fixture.irecv(1, 0, 3, landing);
        fixture.await(recv, send);
        assertArrayEquals(pattern(5, 60), landing);
        assertFalse(recv.status().cancelled);

        fixture.cancel(1, other);
        assertTrue(other.status().cancelled, "the last posted receive can be cancelled too");
    }

    /** Cancelling the middle one of three posted receives keeps the other two in order. */
    @Test
    void cancellingAPostedReceiveKeepsTheQueueIntact()
    {
        final byte[][] buffers = new byte[3][50];
        final Operation[] recvs = new Operation[3];
        for (int i = 0; i < 3; i++)
        {
            recvs[i] = fixture.irecv(1, 0, 1, buffers[i]);
        }
        fixture.cancel(1, recvs[1]);
        final Operation s1 = fixture.isend(0, 1, 1, pattern(1, 50));
        final Operation s2 = fixture.isend(0, 1, 1, pattern(2, 50));
        fixture.await(recvs[0], recvs[2], s1, s2);
        assertArrayEquals(pattern(1, 50), buffers[0]);
        assertArrayEquals(pattern(2, 50), buffers[2]);
        assertTrue(recvs[1].status().cancelled);
    }

    /** Cancel after a match, here a rendezvous in progress, does nothing: the receive completes normally. */
    @Test
    void aMatchedReceiveCannotBeCancelled()
    {
        final byte[] landing = new byte[4000];
        final Operation recv = fixture.irecv(1, 0, 1, landing);
        final Operation send = fixture.isend(0, 1, 1, pattern(6, 4000));
        fixture.progressAll();
        fixture.progressAll();
        fixture.cancel(1, recv);
        fixture.await(recv, send);
        assertFalse(recv.status().cancelled);
        assertEquals(0, recv.status().error);
        assertArrayEquals(pattern(6, 4000), landing);
    }

    /** Sends cannot be cancelled: cancel leaves the send alone and its message arrives. */
    @Test
    void cancellingASendHasNoEffect()
    {
        final Operation send = fixture.issend(0, 1, 2, pattern(7, 20));
        fixture.settle();
        fixture.cancel(0, send);
        assertFalse(send.isComplete());
        final byte[] landing = new byte[20];
        final Operation recv = fixture.irecv(1, 0, 2, landing);
        fixture.await(send, recv);
        assertFalse(send.status().cancelled);
        assertArrayEquals(pattern(7, 20), landing);
    }
}
