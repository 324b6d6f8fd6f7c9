package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.TransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import static io.mpi4j.shm.ShmTestSupport.claim;
import static io.mpi4j.shm.ShmTestSupport.configuration;
import static org.junit.jupiter.api.Assertions.*;

class ShmTransportTest
{
    private static final int SMALL_RING = 4096;

    private final List<ShmTransport> transports = new ArrayList<>();
    private String jobId;

    @BeforeEach
    void newJob()
    {
        jobId = ShmTestSupport.newJobId();
    }

    @AfterEach
    void closeAll() throws IOException
    {
        transports.forEach(ShmTransport::close);
        assertEquals(List.of(), ShmTestSupport.leftovers(jobId), "inbox files left behind");
    }

    private ShmTransport open(final int index, final ShmConfiguration configuration) throws IOException
    {
        final ShmTransport transport = ShmTestSupport.open(jobId, index, configuration);
        transports.add(transport);
        return transport;
    }

    /** The pid of a process that ran and is gone. */
    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        assertEquals(0, process.waitFor());
        return process.pid();
    }

    @Test
    void peersThatDiedWithoutClosingAreReportedOnceWithoutFramesAndOrderlyOnesNever() throws Exception
    {
        final ShmTransport watcher = open(1, configuration(SMALL_RING, 4));
        final ShmTransport sender = open(2, configuration(SMALL_RING, 4));
        final ShmTransport receiver = open(3, configuration(SMALL_RING, 4));
        final ShmTransport finalized = open(4, configuration(SMALL_RING, 4));
        final List<String> losses = new ArrayList<>();
        watcher.peerLossListener((job, index, host, reason) ->
            losses.add(job + "/" + index + "@" + host + ": " + reason));
        sender.connect(watcher.address());
        watcher.connect(receiver.address());
        watcher.connect(finalized.address());
        finalized.close();
        transports.remove(finalized);
        final FrameHandler none = (buffer, index, length) -> fail("no frame was sent");
        final long deadline = System.nanoTime() + 2 * ShmTransport.PEER_CHECK_INTERVAL_NS;
        while (System.nanoTime() - deadline < 0)
        {
            watcher.poll(none, 16);
        }
        assertEquals(List.of(), losses, "every peer runs or closed in order");

        // As if the processes behind the receiver's inbox and the sender's slot had died.
        final long deadOwner = deadPid();
        final long deadSender = deadPid();
        receiver.inbox().header().putLongVolatile(InboxDescriptor.OWNER_PID_OFFSET, deadOwner);
        watcher.inbox().header().putLongVolatile(
            InboxDescriptor.slotEntryOffset(0) + InboxDescriptor.SLOT_SENDER_PID_OFFSET, deadSender);
        final long until = System.nanoTime() + 5 * ShmTransport.PEER_CHECK_INTERVAL_NS;
        while (losses.size() < 2 && System.nanoTime() - until < 0)
        {
            watcher.poll(none, 16);
        }
        final long settle = System.nanoTime() + 2 * ShmTransport.PEER_CHECK_INTERVAL_NS;
        while (System.nanoTime() - settle < 0)
        {
            watcher.poll(none, 16);
        }
        assertEquals(2, losses.size(), losses::toString);
        assertTrue(losses.get(0).startsWith(jobId + "/3@") && losses.get(0).endsWith(", pid " + deadOwner +
            ": its process is gone without closing its inbox"), losses::toString);
        assertTrue(losses.get(1).startsWith("null/-1@") && losses.get(1).contains(", pid " + deadSender + ": "),
            losses::toString);
    }

    @Test
    void framesArriveInOrderAcrossManyWraparounds() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 4));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 4));
        final Connection connection = sender.connect(receiver.address());
        final int frames = 20_000;
        final long[] expected = {0};
        final FrameHandler check = (buffer, index, length) ->
        {
            final long sequence = buffer.getLong(index);
            assertEquals(expected[0], sequence);
            assertEquals(lengthOf(sequence), length);
            for (int i = 8; i < length; i++)
            {
                assertEquals((byte)(sequence + i), buffer.getByte(index + i));
            }
            expected[0]++;
        };

        for (long sequence = 0; sequence < frames; sequence++)
        {
            final int length = lengthOf(sequence);
            final int index = claim(connection, length, () -> receiver.poll(check, 7));
            connection.buffer().putLong(index, sequence);
            for (int i = 8; i < length; i++)
            {
                connection.buffer().putByte(index + i, (byte)(sequence + i));
            }
            connection.commit(index);
        }
        while (expected[0] < frames)
        {
            assertTrue(receiver.poll(check, 100) > 0);
        }
        assertEquals(0, receiver.poll(check, 100));
    }

    private static int lengthOf(final long sequence)
    {
        return 8 + (int)(sequence * 37 % 400);
    }

    @Test
    void fullRingReturnsInsufficientCapacityThenDrains() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 4));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 4));
        final Connection connection = sender.connect(receiver.address());

        int sent = 0;
        int index;
        while ((index = connection.tryClaim(64)) >= 0)
        {
            connection.buffer().putInt(index, sent++);
            connection.commit(index);
        }
        assertEquals(Connection.INSUFFICIENT_CAPACITY, index);
        assertEquals(SMALL_RING / (64 + 8), sent, "records of 72 bytes fill the ring");

        final int[] received = {0};
        final int delivered = receiver.poll((buffer, i, length) -> assertEquals(received[0]++, buffer.getInt(i)), 1000);
        assertEquals(sent, delivered);
        assertTrue(connection.tryClaim(64) >= 0, "room again after draining");
    }

    @Test
    void sendingAndPollingAllocateNothing() throws IOException
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 2));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 2));
        final Connection connection = sender.connect(receiver.address());
        final long[] sum = {0};
        final FrameHandler add = (buffer, index, length) -> sum[0] += buffer.getLong(index);
        final Runnable exchange = () ->
        {
            for (int i = 0; i < 10_000; i++)
            {
                final int index = connection.tryClaim(16);
                connection.buffer().putLong(index, i);
                connection.commit(index);
                receiver.poll(add, 10);
            }
        };
        for (int i = 0; i < 20; i++)
        {
            exchange.run();
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++)
        {
            exchange.run();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes for 200k frames");
        assertEquals(40L * (9_999L * 10_000L / 2), sum[0]);
    }

    @Test
    void abortedFramesAreNotDelivered() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 4));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 4));
        final Connection connection = sender.connect(receiver.address());
        connection.abort(connection.tryClaim(16));
        final int index = connection.tryClaim(16);
        connection.buffer().putLong(index, 42);
        connection.commit(index);
        final long[] got = new long[2];
        assertEquals(1, receiver.poll((buffer, i, length) -> got[0] = buffer.getLong(i), 10));
        assertEquals(42, got[0]);
    }

    @Test
    void busySendersCannotStarveOthers() throws IOException
    {
        final int senders = 8;
        final ShmTransport receiver = open(senders, configuration(SMALL_RING, senders));
        final List<Connection> connections = new ArrayList<>();
        for (int s = 0; s < senders; s++)
        {
            final Connection connection = open(s, configuration(SMALL_RING, 1)).connect(receiver.address());
            connections.add(connection);
            int index;
            while ((index = connection.tryClaim(32)) >= 0)
            {
                connection.buffer().putInt(index, s);
                connection.commit(index);
            }
        }

        final Set<Integer> seen = new HashSet<>();
        for (int poll = 0; poll < senders; poll++)
        {
            assertEquals(1, receiver.poll((buffer, i, length) -> seen.add(buffer.getInt(i)), 1));
        }
        assertEquals(senders, seen.size(), "one frame per poll, each from a different sender: " + seen);

        // Everything still arrives.
        int total = senders;
        int polled;
        while ((polled = receiver.poll((buffer, i, length) -> { }, 1000)) > 0)
        {
            total += polled;
        }
        assertEquals(senders * (SMALL_RING / 40), total);
    }

    @Test
    void processCanConnectToItself() throws IOException
    {
        final ShmTransport transport = open(0, configuration(SMALL_RING, 2));
        final Connection self = transport.connect(transport.address());
        final int index = self.tryClaim(8);
        self.buffer().putLong(index, 7L);
        self.commit(index);

        // A handler may send while polling, here to itself; the echo may even arrive within the same poll.
        final List<Long> values = new ArrayList<>();
        final FrameHandler echoOnce = (buffer, i, length) ->
        {
            final long value = buffer.getLong(i);
            values.add(value);
            if (7L == value)
            {
                final int echo = self.tryClaim(8);
                self.buffer().putLong(echo, value + 1);
                self.commit(echo);
            }
        };
        int delivered = 0;
        for (int poll = 0; poll < 3; poll++)
        {
            delivered += transport.poll(echoOnce, 10);
        }
        assertEquals(2, delivered);
        assertEquals(List.of(7L, 8L), values);
    }

    @Test
    void releasedSlotIsReusedOnlyAfterTheReceiverDrainedIt() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 2));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 2));
        final ShmConnection first = (ShmConnection)sender.connect(receiver.address());
        final ShmConnection second = (ShmConnection)sender.connect(receiver.address());
        assertEquals(0, first.slot());
        assertEquals(1, second.slot());

        // Leave a committed frame, a claimed-but-unfinished frame and a wrapped tail behind.
        for (int i = 0; i < 100; i++)
        {
            final int index = claim(first, 40, () -> receiver.poll((buffer, at, length) -> { }, 1));
            first.buffer().putInt(index, i);
            first.commit(index);
        }
        final int unfinished = first.tryClaim(8);
        assertTrue(unfinished >= 0);
        first.close();
        first.close();
        assertThrows(IllegalStateException.class, () -> first.tryClaim(8));

        final IOException full = assertThrows(IOException.class, () -> sender.connect(receiver.address()));
        assertTrue(full.getMessage().contains("all 2 slots"), full.getMessage());

        final List<Integer> drained = new ArrayList<>();
        while (receiver.poll((buffer, at, length) -> drained.add(buffer.getInt(at)), 1000) > 0)
        {
            // drain
        }
        assertEquals(100, drained.get(drained.size() - 1) + 1, "last committed frame delivered");

        final ShmConnection third = (ShmConnection)sender.connect(receiver.address());
        assertEquals(0, third.slot(), "recycled slot reused");
        for (int i = 0; i < 3; i++)
        {
            final int index = third.tryClaim(12);
            third.buffer().putInt(index, 1000 + i);
            third.commit(index);
        }
        final List<Integer> fresh = new ArrayList<>();
        receiver.poll((buffer, at, length) -> fresh.add(buffer.getInt(at)), 1000);
        assertEquals(List.of(1000, 1001, 1002), fresh, "no stale frames from the previous owner");
        second.close();
        third.close();
    }

    @Test
    void aSlotRecycledManyTimesKeepsDeliveringInOrder() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 1));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 1));
        final List<Integer> received = new ArrayList<>();
        final FrameHandler collect = (buffer, at, length) ->
        {
            assertEquals(8 + buffer.getInt(at) % 200, length);
            received.add(buffer.getInt(at));
        };
        int sequence = 0;
        for (int cycle = 0; cycle < 20; cycle++)
        {
            final ShmConnection connection = (ShmConnection)sender.connect(receiver.address());
            assertEquals(0, connection.slot(), "cycle " + cycle);
            for (int i = 0; i < 25; i++, sequence++)
            {
                final int index = claim(connection, 8 + sequence % 200, () -> receiver.poll(collect, 4));
                connection.buffer().putInt(index, sequence);
                connection.commit(index);
            }
            connection.close();
            while (receiver.poll(collect, 1000) > 0)
            {
                // drain, which recycles the slot
            }
        }
        assertEquals(500, received.size());
        for (int i = 0; i < received.size(); i++)
        {
            assertEquals(i, received.get(i));
        }
    }

    @Test
    void slotExhaustionSaysWhatToRaise() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 3));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 3));
        for (int i = 0; i < 3; i++)
        {
            sender.connect(receiver.address());
        }
        final IOException ex = assertThrows(IOException.class, () -> sender.connect(receiver.address()));
        assertTrue(ex.getMessage().contains(ShmConfiguration.SLOTS), ex.getMessage());
    }

    @Test
    void inboxIsPrivateSparseAndRemovedByClose() throws IOException
    {
        final ShmConfiguration configuration = configuration(1 << 20, 256);
        final ShmTransport transport = open(3, configuration);
        final Path path = ShmAddress.path(transport.address());
        assertEquals(Inbox.inboxPath(ShmTestSupport.DIRECTORY.toAbsolutePath(), jobId, 3), path);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(InboxDescriptor.fileLength(256, 1 << 20), Files.size(path));
        transport.close();
        assertFalse(Files.exists(path));
        assertEquals(List.of(), ShmTestSupport.leftovers(jobId));
    }

    @Test
    void secondInboxWithTheSameNameIsRefused() throws IOException
    {
        open(0, configuration(SMALL_RING, 1));
        final IOException ex = assertThrows(IOException.class, () -> open(0, configuration(SMALL_RING, 1)));
        assertTrue(ex.getMessage().contains("already exists"), ex.getMessage());
    }

    @Test
    void fullRingToADeadProcessFails() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 2));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 2));
        final Connection connection = sender.connect(receiver.address());

        final long fakePid = unusedPid();
        receiver.inbox().header().putLongVolatile(InboxDescriptor.OWNER_PID_OFFSET, fakePid);
        while (connection.tryClaim(100) >= 0)
        {
            // fill; never committed frames are fine, the ring is full either way
        }

        final long start = System.nanoTime();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () ->
        {
            while (System.nanoTime() - start < 5_000_000_000L)
            {
                assertEquals(Connection.INSUFFICIENT_CAPACITY, connection.tryClaim(100));
            }
        });
        assertEquals("peer process " + fakePid + " is gone", ex.getMessage());
        assertTrue(System.nanoTime() - start >= ShmConnection.LIVENESS_CHECK_INTERVAL_NS, "rate limited");
    }

    @Test
    void fullRingToAClosedInboxFails() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 2));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 2));
        final Connection connection = sender.connect(receiver.address());
        receiver.close();
        assertThrows(IOException.class, () -> sender.connect(receiver.address()));

        final long start = System.nanoTime();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () ->
        {
            while (System.nanoTime() - start < 5_000_000_000L)
            {
                final int index = connection.tryClaim(100);
                if (index >= 0)
                {
                    connection.commit(index);
                }
            }
        });
        assertTrue(ex.getMessage().contains("closed its shm inbox"), ex.getMessage());
    }

    private static long unusedPid()
    {
        for (long pid = 4_194_000L; pid > 1000; pid--)
        {
            if (ProcessHandle.of(pid).isEmpty())
            {
                return pid;
            }
        }
        throw new AssertionError("no unused pid");
    }

    @Test
    void closingTheTransportClosesItsConnections() throws IOException
    {
        final ShmTransport receiver = open(1, configuration(SMALL_RING, 2));
        final ShmTransport sender = open(0, configuration(SMALL_RING, 2));
        final Connection connection = sender.connect(receiver.address());
        sender.close();
        sender.close();
        assertThrows(IllegalStateException.class, () -> connection.tryClaim(8));
        assertEquals(0, sender.poll((buffer, index, length) -> fail(), 10));
    }

    @Test
    void oversizedFrameIsRejected() throws IOException
    {
        final ShmTransport transport = open(0, configuration(SMALL_RING, 1));
        final Connection self = transport.connect(transport.address());
        assertEquals(SMALL_RING / 8, transport.maxFrameLength());
        assertThrows(IllegalArgumentException.class, () -> self.tryClaim(transport.maxFrameLength() + 1));
        final int index = self.tryClaim(transport.maxFrameLength());
        assertTrue(index >= 0);
        self.abort(index);
    }

    @Test
    void peerWithSmallerRingsIsRefused() throws IOException
    {
        final ShmTransport small = open(1, configuration(SMALL_RING, 1));
        final ShmTransport big = open(0, configuration(SMALL_RING * 4, 1));
        final IOException ex = assertThrows(IOException.class, () -> big.connect(small.address()));
        assertTrue(ex.getMessage().contains(ShmConfiguration.RING_SIZE), ex.getMessage());
        assertNotNull(small.connect(big.address()));
    }

    @Test
    void addressNamesNodeAndPath() throws IOException
    {
        final ShmTransport transport = open(0, configuration(SMALL_RING, 1));
        final String address = transport.address();
        assertTrue(address.startsWith("shm:" + ShmTestSupport.NODE + ":/"), address);
        assertTrue(transport.reaches(address));
        assertFalse(transport.reaches(address.replace(ShmTestSupport.NODE, "other-node")));
        assertFalse(transport.reaches("shm:" + ShmTestSupport.NODE + "x:/dev/shm/x"));
        assertFalse(transport.reaches("rdma:" + ShmTestSupport.NODE + ":/dev/shm/x"));
        final IOException ex = assertThrows(IOException.class, () -> transport.connect("shm:elsewhere:/dev/shm/x"));
        assertTrue(ex.getMessage().contains("another node"), ex.getMessage());
    }

    @Test
    void configurationIsValidated()
    {
        assertEquals(1 << 20, io.mpi4j.transport.TransportSettings.parseSize("1m"));
        assertEquals(65536, io.mpi4j.transport.TransportSettings.parseSize("64K"));
        assertEquals(4096, io.mpi4j.transport.TransportSettings.parseSize("4096"));
        assertThrows(NumberFormatException.class, () -> io.mpi4j.transport.TransportSettings.parseSize("4g"));
        assertThrows(IllegalArgumentException.class, () -> configuration(3000, 1));
        assertThrows(IllegalArgumentException.class,
            () -> new ShmConfiguration(SMALL_RING, 1, SMALL_RING / 8, ShmTestSupport.DIRECTORY));
        assertThrows(IllegalArgumentException.class,
            () -> new ShmConfiguration(SMALL_RING, 0, 16, ShmTestSupport.DIRECTORY));
        final ShmConfiguration defaults = ShmConfiguration.fromEnvironment();
        assertEquals(ShmConfiguration.DEFAULT_EAGER_LIMIT, defaults.eagerLimit());
        assertEquals(128 << 10, defaults.maxFrameLength());
        System.setProperty(ShmConfiguration.RING_SIZE, "64k");
        try
        {
            final ShmConfiguration small = ShmConfiguration.fromEnvironment();
            assertEquals(64 << 10, small.ringCapacity());
            assertEquals(4 << 10, small.eagerLimit(), "unset eager limit follows the ring down");
            System.setProperty(ShmConfiguration.EAGER_LIMIT, "16k");
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                ShmConfiguration::fromEnvironment);
            assertTrue(ex.getMessage().contains(ShmConfiguration.EAGER_LIMIT), ex.getMessage());
            assertEquals(ex.getMessage(), new ShmTransportProvider().unavailableReason());
        }
        finally
        {
            System.clearProperty(ShmConfiguration.RING_SIZE);
            System.clearProperty(ShmConfiguration.EAGER_LIMIT);
        }
    }

    @Test
    void providerIsFoundByServiceLoader()
    {
        final TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> "shm".equals(p.name()))
            .findFirst()
            .orElseThrow();
        assertEquals(100, provider.priority());
        assertNull(provider.unavailableReason());
    }
}
