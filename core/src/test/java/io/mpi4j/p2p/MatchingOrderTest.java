package io.mpi4j.p2p;

import io.mpi4j.p2p.LoopbackFixture.UserMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.mpi4j.p2p.LoopbackFixture.ANY_SOURCE;
import static io.mpi4j.p2p.LoopbackFixture.ANY_TAG;
import static io.mpi4j.p2p.LoopbackFixture.EAGER_LIMIT;
import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MPI matching: the non-overtaking rule per source and context, wildcards, and contexts kept apart. */
class MatchingOrderTest
{
    private LoopbackFixture fixture;

    @AfterEach
    void close()
    {
        fixture.close();
    }

    /**
     * Eager, rendezvous and synchronous messages of one sender with one tag arrive in the order they were sent, even
     * when the rendezvous ones need a round trip before their data moves and the connection fills up.
     */
    @Test
    void messagesOfOneSenderAreNotOvertakenWhateverTheirProtocol()
    {
        fixture = new LoopbackFixture(2);
        final int[] sizes = {10, 3000, 0, EAGER_LIMIT, EAGER_LIMIT + 1, 64, 700, 1, 5000, 100};
        final List<Operation> sends = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++)
        {
            sends.add(i % 3 == 2 ?
                fixture.issend(0, 1, 7, pattern(i, sizes[i])) : fixture.isend(0, 1, 7, pattern(i, sizes[i])));
        }
        fixture.settle();

        final List<Operation> recvs = new ArrayList<>();
        final List<byte[]> buffers = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++)
        {
            final byte[] buffer = new byte[5000];
            buffers.add(buffer);
            recvs.add(fixture.irecv(1, 0, 7, buffer));
        }
        fixture.await(recvs.toArray(new Operation[0]));
        fixture.await(sends.toArray(new Operation[0]));
        for (int i = 0; i < sizes.length; i++)
        {
            final StatusRecord status = recvs.get(i).status();
            assertEquals(0, status.error, "message " + i);
            assertEquals(sizes[i], status.byteCount, "message " + i + " came in order");
            assertArrayEquals(pattern(i, sizes[i]), Arrays.copyOf(buffers.get(i), sizes[i]), "message " + i);
        }
    }

    /** The same with the receives posted first: posted receives are matched in posting order. */
    @Test
    void postedReceivesAreMatchedInOrder()
    {
        fixture = new LoopbackFixture(2);
        final int count = 40;
        final byte[][] buffers = new byte[count][600];
        final Operation[] recvs = new Operation[count];
        for (int i = 0; i < count; i++)
        {
            recvs[i] = fixture.irecv(1, 0, ANY_TAG, buffers[i]);
        }
        final Operation[] sends = new Operation[count];
        for (int i = 0; i < count; i++)
        {
            sends[i] = fixture.isend(0, 1, i, pattern(i, i * 15));
        }
        fixture.await(sends);
        fixture.await(recvs);
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, recvs[i].status().tag);
            assertEquals(0, recvs[i].status().source);
            assertEquals(i * 15, recvs[i].status().byteCount);
            assertArrayEquals(pattern(i, i * 15), Arrays.copyOf(buffers[i], i * 15));
        }
        assertTrue(fixture.fullCount(0, 1) > 0, "the connection filled up on the way");
    }

    /** A receive for a specific tag skips earlier messages of other tags, which wait for their own receives. */
    @Test
    void aTagSelectsAmongWaitingMessagesWithoutReorderingTheRest()
    {
        fixture = new LoopbackFixture(2);
        final Operation[] sends = {
            fixture.isend(0, 1, 1, pattern(1, 20)),
            fixture.isend(0, 1, 2, pattern(2, 300)),
            fixture.isend(0, 1, 1, pattern(3, 40)),
            fixture.isend(0, 1, 2, pattern(4, 50)),
        };
        fixture.settle();
        final byte[] second = new byte[400];
        final Operation tag2 = fixture.irecv(1, 0, 2, second);
        fixture.await(tag2);
        assertEquals(300, tag2.status().byteCount, "first message of tag 2, not the later one");
        assertArrayEquals(pattern(2, 300), Arrays.copyOf(second, 300));

        final byte[][] rest = new byte[3][400];
        final Operation[] any = {
            fixture.irecv(1, ANY_SOURCE, ANY_TAG, rest[0]),
            fixture.irecv(1, ANY_SOURCE, ANY_TAG, rest[1]),
            fixture.irecv(1, ANY_SOURCE, ANY_TAG, rest[2]),
        };
        fixture.await(any);
        fixture.await(sends);
        final int[][] expected = {{1, 1, 20}, {1, 3, 40}, {2, 4, 50}};
        for (int i = 0; i < 3; i++)
        {
            assertEquals(expected[i][0], any[i].status().tag, "receive " + i);
            assertEquals(expected[i][2], any[i].status().byteCount, "receive " + i);
            assertArrayEquals(pattern(expected[i][1], expected[i][2]), Arrays.copyOf(rest[i], expected[i][2]));
        }
    }

    /** ANY_SOURCE takes messages of several senders, each sender's in its order, and reports who sent each. */
    @Test
    void anySourceKeepsEachSendersOrderAndNamesTheSource()
    {
        fixture = new LoopbackFixture(4);
        final int perSender = 12;
        final List<Operation> sends = new ArrayList<>();
        for (int i = 0; i < perSender; i++)
        {
            for (final int sender : new int[]{0, 2, 3})
            {
                sends.add(fixture.isend(sender, 1, 100 + sender, pattern(sender * 100 + i, 50 + 30 * (i % 7))));
            }
        }
        final int total = 3 * perSender;
        final byte[][] buffers = new byte[total][400];
        final Operation[] recvs = new Operation[total];
        for (int i = 0; i < total; i++)
        {
            recvs[i] = fixture.irecv(1, ANY_SOURCE, ANY_TAG, buffers[i]);
        }
        fixture.await(recvs);
        fixture.await(sends.toArray(new Operation[0]));

        final int[] next = new int[4];
        for (int i = 0; i < total; i++)
        {
            final StatusRecord status = recvs[i].status();
            final int sender = status.source;
            assertEquals(100 + sender, status.tag, "status names the sender's tag");
            final int sequence = next[sender]++;
            final int length = 50 + 30 * (sequence % 7);
            assertEquals(length, status.byteCount, "sender " + sender + " message " + sequence + " in order");
            assertArrayEquals(pattern(sender * 100 + sequence, length), Arrays.copyOf(buffers[i], length));
        }
        assertArrayEquals(new int[]{perSender, 0, perSender, perSender}, next);
    }

    /** A receive for one source does not take another source's message, though it came first. */
    @Test
    void aSourceSelectsAmongSenders()
    {
        fixture = new LoopbackFixture(3);
        final Operation first = fixture.isend(2, 1, 5, pattern(2, 30));
        fixture.settle();
        final Operation second = fixture.isend(0, 1, 5, pattern(0, 40));
        fixture.settle();
        final byte[] buffer = new byte[100];
        final Operation fromZero = fixture.irecv(1, 0, 5, buffer);
        fixture.await(fromZero, first, second);
        assertEquals(0, fromZero.status().source);
        assertEquals(40, fromZero.status().byteCount);
        assertArrayEquals(pattern(0, 40), Arrays.copyOf(buffer, 40));
        final StatusRecord left = fixture.iprobe(1, ANY_SOURCE, ANY_TAG, WORLD);
        assertEquals(2, left.source, "rank 2's message still waits");
    }

    /** Messages of two communicators (context ids) never match each other's receives, even with wildcards. */
    @Test
    void contextsAreKeptApart()
    {
        fixture = new LoopbackFixture(2);
        final int other = 2;
        final Operation a = fixture.isend(0, 1, 9, WORLD, SendMode.STANDARD, UserMemory.of(pattern(10, 60)));
        final Operation b = fixture.isend(0, 1, 9, other, SendMode.STANDARD, UserMemory.of(pattern(20, 500)));
        final Operation c = fixture.isend(0, 1, 9, WORLD, SendMode.STANDARD, UserMemory.of(pattern(30, 70)));
        fixture.settle();

        final byte[] inOther = new byte[600];
        final Operation recvOther = fixture.irecv(1, ANY_SOURCE, ANY_TAG, other, UserMemory.of(inOther));
        fixture.await(recvOther, b);
        assertEquals(500, recvOther.status().byteCount);
        assertArrayEquals(pattern(20, 500), Arrays.copyOf(inOther, 500));
        assertNull(fixture.iprobe(1, ANY_SOURCE, ANY_TAG, other), "nothing else in the other context");

        final byte[] first = new byte[100];
        final byte[] second = new byte[100];
        final Operation r1 = fixture.irecv(1, ANY_SOURCE, ANY_TAG, WORLD, UserMemory.of(first));
        final Operation r2 = fixture.irecv(1, ANY_SOURCE, ANY_TAG, WORLD, UserMemory.of(second));
        fixture.await(r1, r2, a, c);
        assertEquals(60, r1.status().byteCount);
        assertEquals(70, r2.status().byteCount);
        assertArrayEquals(pattern(10, 60), Arrays.copyOf(first, 60));
        assertArrayEquals(pattern(30, 70), Arrays.copyOf(second, 70));
    }

    /** A receive posted in one context is not matched by a message of another context, which waits instead. */
    @Test
    void aPostedReceiveWaitsForItsOwnContext()
    {
        fixture = new LoopbackFixture(2);
        final byte[] buffer = new byte[50];
        final Operation recv = fixture.irecv(1, ANY_SOURCE, ANY_TAG, 4, UserMemory.of(buffer));
        final Operation wrong = fixture.isend(0, 1, 1, WORLD, SendMode.STANDARD, UserMemory.of(pattern(1, 10)));
        fixture.settle();
        assertFalse(recv.isComplete());
        assertEquals(10, fixture.iprobe(1, 0, 1, WORLD).byteCount);
        final Operation right = fixture.isend(0, 1, 2, 4, SendMode.STANDARD, UserMemory.of(pattern(2, 20)));
        fixture.await(recv, right, wrong);
        assertEquals(2, recv.status().tag);
        assertArrayEquals(pattern(2, 20), Arrays.copyOf(buffer, 20));
    }

    /** A process sends to itself through its own connection, eager and rendezvous alike. */
    @Test
    void aProcessMatchesItsOwnMessages()
    {
        fixture = new LoopbackFixture(1);
        final byte[] small = new byte[10];
        final byte[] large = new byte[2000];
        final Operation r1 = fixture.irecv(0, 0, 1, small);
        final Operation s2 = fixture.isend(0, 0, 2, pattern(2, 2000));
        final Operation s1 = fixture.isend(0, 0, 1, pattern(1, 10));
        final Operation r2 = fixture.irecv(0, 0, 2, large);
        fixture.await(r1, r2, s1, s2);
        assertArrayEquals(pattern(1, 10), small);
        assertArrayEquals(pattern(2, 2000), large);
    }
}
