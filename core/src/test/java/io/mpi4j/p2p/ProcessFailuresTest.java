package io.mpi4j.p2p;

import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.ANY_TAG;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ULFM in point-to-point: what a failure notice and a revoke do to pending and new operations. */
class ProcessFailuresTest
{
    private final LoopbackFixture fixture = new LoopbackFixture(3);

    @AfterEach
    void close()
    {
        fixture.close();
    }

    private void kill(final int observer, final int dead)
    {
        fixture.p2p(observer).noticeProcessFailure(ProcessKeys.key(0, dead));
        fixture.progress(observer);
    }

    @Test
    void pendingReceivesFromAFailedProcessFailAndWildcardsArePending()
    {
        final Operation fromDead = fixture.irecv(0, 2, 1, new byte[8]);
        final byte[] live = new byte[8];
        final Operation fromLive = fixture.irecv(0, 1, 1, live);
        final Operation wildcard = fixture.irecv(0, ANY_SOURCE, ANY_TAG, new byte[8]);
        fixture.progress(0);
        assertFalse(fromDead.isComplete());
        kill(0, 2);
        assertTrue(fromDead.isComplete());
        assertEquals(ErrorClass.ERR_PROC_FAILED, fromDead.status().error);
        assertEquals(ErrorClass.ERR_PROC_FAILED_PENDING, wildcard.status().error);
        assertFalse(fromLive.isComplete(), "a receive from a live process waits on");

        fixture.await(fixture.isend(1, 0, 1, pattern(3, 8)), fromLive);
        assertEquals(0, fromLive.status().error);
        assertArrayEquals(pattern(3, 8), live);
    }

    @Test
    void newCallsInvolvingAFailedProcessAreRefusedUntilAcknowledgedForWildcards()
    {
        kill(0, 2);
        final Operation send = fixture.isend(0, 2, 0, pattern(1, 8));
        assertEquals(ErrorClass.ERR_PROC_FAILED, send.status().error);
        final Operation big = fixture.isend(0, 2, 0, pattern(1, 4000));
        assertEquals(ErrorClass.ERR_PROC_FAILED, big.status().error, "rendezvous too");
        final MpiError blocking = assertThrows(MpiError.class, () -> fixture.send(0, 2, 0, pattern(1, 8)));
        assertEquals(ErrorClass.ERR_PROC_FAILED, blocking.errorClass());
        assertEquals(ErrorClass.ERR_PROC_FAILED,
            assertThrows(MpiError.class, () -> fixture.probe(0, 2, ANY_TAG, WORLD)).errorClass());
        assertEquals(ErrorClass.ERR_PROC_FAILED_PENDING,
            fixture.irecv(0, ANY_SOURCE, 0, new byte[8]).status().error);

        final MessageEndpoint world = fixture.endpoint(0, WORLD);
        assertArrayEquals(new int[]{ 2 }, fixture.p2p(0).failedRanks(world));
        assertArrayEquals(new int[]{ 2 }, fixture.p2p(0).unacknowledgedFailedRanks(world));
        fixture.p2p(0).acknowledgeFailures(world);
        assertArrayEquals(new int[0], fixture.p2p(0).unacknowledgedFailedRanks(world));
        final byte[] got = new byte[8];
        final Operation wildcard = fixture.irecv(0, ANY_SOURCE, 0, got);
        assertFalse(wildcard.isComplete(), "after the acknowledgement a wildcard receive waits for live senders");
        fixture.await(fixture.isend(1, 0, 0, pattern(4, 8)), wildcard);
        assertEquals(0, wildcard.status().error);
        assertArrayEquals(pattern(4, 8), got);
    }

    @Test
    void aRendezvousSendWaitingForTheDeadReceiversCtsFails()
    {
        final Operation send = fixture.isend(0, 2, 0, pattern(1, 4000));
        fixture.progress(0);
        assertFalse(send.isComplete(), "waits for the CTS of a receiver that never posts");
        kill(0, 2);
        assertEquals(ErrorClass.ERR_PROC_FAILED, send.status().error);
    }

    @Test
    void aRevokeFailsPostedReceivesAndNewCallsOfBothContextsOnly()
    {
        final Operation p2p = fixture.irecv(1, 0, 0, WORLD, LoopbackFixture.UserMemory.of(new byte[8]));
        final Operation coll = fixture.irecv(1, 0, 0, WORLD + 1, LoopbackFixture.UserMemory.of(new byte[8]));
        final Operation other = fixture.irecv(1, 0, 0, 2, LoopbackFixture.UserMemory.of(new byte[8]));
        fixture.p2p(1).noticeRevoke(WORLD);
        fixture.progress(1);
        assertEquals(ErrorClass.ERR_REVOKED, p2p.status().error);
        assertEquals(ErrorClass.ERR_REVOKED, coll.status().error);
        assertFalse(other.isComplete(), "another communicator is untouched");
        assertTrue(fixture.p2p(1).isRevoked(fixture.endpoint(1, WORLD)));
        assertEquals(ErrorClass.ERR_REVOKED, fixture.isend(1, 0, 0, pattern(1, 8)).status().error);
        fixture.await(fixture.isend(0, 1, 0, 2, SendMode.STANDARD, LoopbackFixture.UserMemory.of(pattern(2, 8))),
            other);
        assertEquals(0, other.status().error);
    }
}
