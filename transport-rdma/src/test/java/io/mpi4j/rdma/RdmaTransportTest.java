package io.mpi4j.rdma;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.TransportContext;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Device-free checks of the RDMA transport's pieces, plus one loopback exchange that runs only where an RDMA device
 * exists (the CI virtual machine) and is skipped, saying why, everywhere else.
 */
class RdmaTransportTest
{
    @Test
    void sendQueueSignalsEveryIntervalAndWhenFull()
    {
        final SendQueue queue = new SendQueue(6, 4);
        final List<Long> signaled = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            assertTrue(queue.hasRoom());
            final boolean signal = queue.shouldSignalNext();
            if (signal)
            {
                signaled.add(queue.nextSequence());
            }
            queue.onPosted(signal);
        }
        assertFalse(queue.hasRoom());
        assertEquals(List.of(3L, 5L), signaled, "every 4th, and the one taking the last entry");
        queue.onCompleted(3);
        assertEquals(4, queue.completed());
        assertTrue(queue.hasRoom());
        queue.onCompleted(5);
        assertTrue(queue.isDrained());
    }

    @Test
    void sendQueueRebuildsSequencesPast32Bits()
    {
        final SendQueue queue = new SendQueue(4, 1);
        final long target = (1L << 32) + 2;
        queue.restartAt((1L << 32) - 3);
        while (queue.posted() < target)
        {
            queue.onPosted(true);
            queue.onCompleted((int)(queue.posted() - 1));
        }
        assertEquals(target, queue.completed());
        queue.onPosted(true);
        queue.onCompleted((int)target);
        assertEquals(target + 1, queue.completed());
        queue.onCompleted((int)(target - 3)); // a stale completion never moves backwards
        assertEquals(target + 1, queue.completed());
    }

    @Test
    void workRequestIdsRoundTrip()
    {
        final long id = RdmaDescriptor.workRequestId(65535, RdmaDescriptor.KIND_GRANT, 4001, 0x1_2345_6789L);
        assertEquals(65535, RdmaDescriptor.endpoint(id));
        assertEquals(RdmaDescriptor.KIND_GRANT, RdmaDescriptor.kind(id));
        assertEquals(4001, RdmaDescriptor.slot(id));
        assertEquals(0x2345_6789, RdmaDescriptor.sequenceLow(id));
        assertTrue(RdmaConfiguration.MAX_CREDITS + 1 <= RdmaDescriptor.SLOT_MASK);
        assertTrue(RdmaConnection.MAX_READS <= RdmaDescriptor.SLOT_MASK);
    }

    @Test
    void addressesParse()
    {
        final InetSocketAddress parsed = RdmaAddress.parse("rdma:10.10.0.1:4791");
        assertNotNull(parsed);
        assertEquals("10.10.0.1", parsed.getAddress().getHostAddress());
        assertEquals(4791, parsed.getPort());
        assertNull(RdmaAddress.parse("shm:node:/dev/shm/x"));
        assertNull(RdmaAddress.parse("rdma:10.10.0.1"));
        assertNull(RdmaAddress.parse("rdma:10.10.0.1:0"));
        assertNull(RdmaAddress.parse("rdma:10.10.0.1:70000"));
        assertNull(RdmaAddress.parse("rdma:somehost:4791"), "no name lookups: literals only");
        assertNull(RdmaAddress.parse("rdma:1.2.3:4791"));
        assertNull(RdmaAddress.parse(null));
    }

    @Test
    void configurationValidates()
    {
        final RdmaConfiguration defaults = RdmaConfiguration.fromEnvironment();
        assertTrue(defaults.eagerLimit() < defaults.maxFrameLength());
        assertEquals(0, defaults.slotLength() % RdmaConfiguration.FRAME_ALIGNMENT);
        assertEquals(65 << 10, io.mpi4j.transport.TransportSettings.parseSize("65k"));
        assertThrows(IllegalArgumentException.class, () -> new RdmaConfiguration(null, null, 100, 64, 10, 0, 1024));
        assertThrows(IllegalArgumentException.class, () -> new RdmaConfiguration(null, null, 4096, 1, 10, 0, 1024));
        final IllegalArgumentException eager = assertThrows(IllegalArgumentException.class,
            () -> new RdmaConfiguration(null, null, 4096, 64, 4096, 0, 1024));
        assertTrue(eager.getMessage().contains(RdmaConfiguration.EAGER_LIMIT));
    }

    @Test
    void providerExplainsUnavailabilityInOneLine()
    {
        final RdmaTransportProvider provider = new RdmaTransportProvider();
        assertEquals("rdma", provider.name());
        assertEquals(50, provider.priority());
        final String reason = provider.unavailableReason();
        if (null != reason)
        {
            assertFalse(reason.isBlank());
            assertFalse(reason.contains("\n"), reason);
        }
    }

    @Test
    void loopbackFramesAndClose() throws Exception
    {
        final String reason = new RdmaTransportProvider().unavailableReason();
        assumeTrue(null == reason, () -> "RDMA unavailable here: " + reason);
        final RdmaConfiguration configuration = RdmaConfiguration.fromEnvironment();
        try (RdmaTransport a = RdmaTransport.open(new TransportContext("t", 0, "n", "o"), configuration);
            RdmaTransport b = RdmaTransport.open(new TransportContext("t", 1, "n", "o"), configuration))
        {
            assertTrue(a.address().startsWith("rdma:"));
            assertTrue(a.reaches(b.address()));
            final Connection connection = a.connect(b.address());
            final int[] received = new int[1];
            final long deadline = System.nanoTime() + 30_000_000_000L;
            int sent = 0;
            while (received[0] < 500 && System.nanoTime() < deadline)
            {
                if (sent < 500)
                {
                    final int index = connection.tryClaim(8);
                    if (index >= 0)
                    {
                        connection.buffer().putInt(index, sent);
                        connection.buffer().putInt(index + 4, ~sent);
                        connection.commit(index);
                        sent++;
                    }
                }
                a.poll((buffer, index, length) -> fail("nothing should arrive at a"), 64);
                b.poll((buffer, index, length) ->
                {
                    assertEquals(received[0], buffer.getInt(index));
                    assertEquals(~received[0], buffer.getInt(index + 4));
                    received[0]++;
                }, 64);
            }
            assertEquals(500, received[0]);
            connection.close();
            assertThrows(IllegalStateException.class, () -> connection.tryClaim(8));
        }
    }
}
