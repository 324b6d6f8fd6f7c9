package io.mpi4j.tcp;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.mpi4j.transport.TransportContext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpTransportTest
{
    private static final String NODE = "node-a";
    private final List<TcpTransport> transports = new ArrayList<>();
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    /** Peers reported lost: "job/index@host: reason". */
    private final List<String> losses = new ArrayList<>();
    private final List<byte[]> received = new ArrayList<>();
    private final FrameHandler collect = (buffer, index, length) ->
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        received.add(bytes);
    };

    @AfterEach
    void closeAll()
    {
        transports.forEach(TcpTransport::close);
    }

    private TcpTransport open(final int index) throws IOException
    {
        return open(index, TcpConfiguration.DEFAULT_AUTHENTICATION_TIMEOUT_NS);
    }

    private TcpTransport open(final int index, final long authTimeoutNs) throws IOException
    {
        return open(index, new TcpConfiguration(InetAddress.getLoopbackAddress(),
            TcpConfiguration.DEFAULT_MAX_FRAME_LENGTH, TcpConfiguration.DEFAULT_BUFFER_SIZE,
            TcpConfiguration.DEFAULT_EAGER_LIMIT, authTimeoutNs));
    }

    private TcpTransport open(final int index, final TcpConfiguration configuration) throws IOException
    {
        final TcpTransport transport =
            TcpTransport.open(new TransportContext("jtest", index, NODE, "mpi4j-jtest"), configuration);
        transport.warnings(warnings::add);
        transport.peerLossListener((jobId, processIndex, host, reason) ->
            losses.add(jobId + "/" + processIndex + "@" + host + ": " + reason));
        transports.add(transport);
        return transport;
    }

    /** Poll every transport until {@code done} or 10 s. */
    private void pumpUntil(final BooleanSupplier done, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + "; warnings " + warnings);
            for (final TcpTransport transport : transports)
            {
                transport.poll(collect, 64);
            }
            Thread.onSpinWait();
        }
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private void send(final Connection connection, final byte[] frame)
    {
        final int[] index = { Connection.INSUFFICIENT_CAPACITY };
        pumpUntil(() -> (index[0] = connection.tryClaim(frame.length)) >= 0, "room for " + frame.length + " bytes");
        connection.buffer().putBytes(index[0], frame);
        connection.commit(index[0]);
    }

    @Test
    void aPrintedAddressNamesTheEndpointButNotItsKey() throws IOException
    {
        final TcpTransport transport = open(0);
        final TcpAddress address = TcpAddress.parse(transport.address());
        final String printed = transport.printable(transport.address());
        assertTrue(printed.contains(String.valueOf(address.socketAddress.getPort())), printed);
        final String keyHex = transport.address().split("/")[2];
        assertEquals(2 * address.key.length, keyHex.length());
        assertFalse(printed.contains(keyHex), printed);
        assertEquals("tcp:(malformed)", transport.printable("tcp:nonsense"));
    }

    @Test
    void framesOfManySizesArriveInOrderAndIntact() throws IOException
    {
        final TcpTransport sender = open(0);
        final TcpTransport receiver = open(1);
        final Connection connection = sender.connect(receiver.address());
        final int max = sender.maxFrameLength();
        final int[] sizes = { 0, 1, 7, 8, 9, 31, 32, 33, 100, 1000, 4095, 4096, 4097, 65536, max - 1, max, 17, max, 3 };
        final List<byte[]> sent = new ArrayList<>();
        final Random random = new Random(42);
        for (int i = 0; i < 300; i++)
        {
            final int length = i < sizes.length ? sizes[i] : random.nextInt(random.nextBoolean() ? 256 : max + 1);
            final byte[] frame = pattern(length, i);
            sent.add(frame);
            send(connection, frame);
        }
        pumpUntil(() -> received.size() == sent.size(), "all frames");
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), received.get(i), "frame " + i + " of " + sent.get(i).length + " bytes");
        }
        assertTrue(warnings.isEmpty(), warnings::toString);
        assertThrows(IllegalArgumentException.class, () -> connection.tryClaim(max + 1));
    }

    @Test
    void framesOfEverySizeArriveIntactThroughASendBufferThatWrapsAround() throws IOException
    {
        // A send buffer of little more than two largest records: frames keep starting again at its front, and the
        // queue goes out as two runs, while the receiver reads small frames in bulk and large ones up to their end.
        final int maxFrame = 64 << 10;
        final TcpConfiguration small = new TcpConfiguration(InetAddress.getLoopbackAddress(), maxFrame,
            2 * FrameRecord.recordLength(maxFrame) + TcpHandshake.RESPONSE_LENGTH + 24, maxFrame / 2,
            TcpConfiguration.DEFAULT_AUTHENTICATION_TIMEOUT_NS);
        final TcpTransport sender = open(0, small);
        final TcpTransport receiver = open(1, small);
        final Connection connection = sender.connect(receiver.address());
        final Random sizes = new Random(42);
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            final int length = switch (i % 4)
            {
                case 0 -> maxFrame;
                case 1 -> sizes.nextInt(64);
                case 2 -> sizes.nextInt(maxFrame + 1);
                default -> 16 << 10 | sizes.nextInt(8);
            };
            final byte[] frame = pattern(length, i);
            sent.add(frame);
            send(connection, frame);
            if (i % 7 == 0)
            {
                // The receiver falls behind now and then, so that the sender's queue wraps with bytes on both runs.
                receiver.poll(collect, 1);
            }
        }
        pumpUntil(() -> received.size() == sent.size(), "every frame");
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), received.get(i), "frame " + i + " of " + sent.get(i).length + " bytes");
        }
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void payloadsInNativeMemoryAndInArraysArriveIntactWhetherTheSocketTakesThemOrNot() throws IOException
    {
        // Frames whose payload is committed from outside the send buffer (rendezvous data), between ordinary ones,
        // while the receiver falls behind now and then: the socket takes a payload whole, in part or not at all,
        // and what it leaves must still go out, from the send buffer, after the user's memory was overwritten.
        final TcpTransport sender = open(0);
        final TcpTransport receiver = open(1);
        final Connection connection = sender.connect(receiver.address());
        final int max = sender.maxFrameLength();
        final int headerLength = 24;
        final ByteBuffer user = ByteBuffer.allocateDirect(max);
        final long userAddress = UnsafeApi.getLong(user, UnsafeApi.objectFieldOffset(java.nio.Buffer.class, "address"));
        final Random random = new Random(7);
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            final int payloadLength = switch (i % 3)
            {
                case 0 -> max - headerLength;
                case 1 -> random.nextInt(max - headerLength + 1);
                default -> random.nextInt(100);
            };
            final byte[] frame = pattern(headerLength + payloadLength, i);
            sent.add(frame);
            if (i % 5 == 4)
            {
                send(connection, frame);
                continue;
            }
            final int[] index = { Connection.INSUFFICIENT_CAPACITY };
            pumpUntil(() -> (index[0] = connection.tryClaim(frame.length)) >= 0, "room for " + frame.length);
            connection.buffer().putBytes(index[0], frame, 0, headerLength);
            if (i % 4 == 3)
            {
                final byte[] array = Arrays.copyOfRange(frame, headerLength, frame.length);
                connection.commit(index[0], index[0] + headerLength, array, UnsafeApi.arrayBaseOffset(byte[].class),
                    payloadLength);
                Arrays.fill(array, (byte)0);
            }
            else
            {
                user.clear();
                user.put(frame, headerLength, payloadLength);
                connection.commit(index[0], index[0] + headerLength, null, userAddress, payloadLength);
                // The memory is the user's again: what the socket did not take must not be read from it later.
                for (int b = 0; b < payloadLength; b++)
                {
                    user.put(b, (byte)~frame[headerLength + b]);
                }
            }
            if (i % 3 == 0)
            {
                receiver.poll(collect, 1);
            }
        }
        pumpUntil(() -> received.size() == sent.size(), "every frame");
        for (int i = 0; i < sent.size(); i++)
        {
            assertArrayEquals(sent.get(i), received.get(i), "frame " + i + " of " + sent.get(i).length + " bytes");
        }
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void framesTheHandlerPlacesArriveInItsMemoryAndAWithdrawnOneIsDroppedWithoutLosingTheStream() throws IOException
    {
        // Frames starting with 1 are placed into native memory from the byte the transport offers on; frames
        // starting with 2 are placed, then withdrawn after their first placed read (their rest must be dropped);
        // other frames are delivered as usual. Every frame must arrive whole and in order, except withdrawn ones.
        // Small socket buffers make large frames arrive in pieces, so that the receiver sees their first bytes only.
        final TcpConfiguration smallSockets = new TcpConfiguration(InetAddress.getLoopbackAddress(),
            TcpConfiguration.DEFAULT_MAX_FRAME_LENGTH, TcpConfiguration.DEFAULT_BUFFER_SIZE,
            TcpConfiguration.DEFAULT_EAGER_LIMIT, TcpConfiguration.DEFAULT_AUTHENTICATION_TIMEOUT_NS, 16 << 10);
        final TcpTransport sender = open(0, smallSockets);
        final TcpTransport receiver = open(1, smallSockets);
        final Connection connection = sender.connect(receiver.address());
        final int max = sender.maxFrameLength();
        final ByteBuffer target = ByteBuffer.allocateDirect(max);
        final long targetAddress =
            UnsafeApi.getLong(target, UnsafeApi.objectFieldOffset(java.nio.Buffer.class, "address"));
        final int[] asked = new int[1];
        final int[] placedFrames = new int[1];
        final List<String> withdrawn = new ArrayList<>();
        final FrameHandler placing = new FrameHandler()
        {
            public void onFrame(final DirectBuffer buffer, final int index, final int length)
            {
                collect.onFrame(buffer, index, length);
            }

            public long placement(final DirectBuffer buffer, final int index, final int available, final int length)
            {
                final byte kind = buffer.getByte(index);
                if (available < 1 || (1 != kind && 2 != kind))
                {
                    return 0;
                }
                if (2 == kind && asked[0]++ > 0)
                {
                    withdrawn.add("frame of " + length);
                    return 0;
                }
                return targetAddress + available;
            }

            public void onPlacedFrame(final DirectBuffer buffer, final int index, final int available,
                final int length)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(index, bytes, 0, available);
                target.get(available, bytes, available, length - available);
                received.add(bytes);
                placedFrames[0]++;
            }
        };
        final Random random = new Random(11);
        final List<byte[]> expected = new ArrayList<>();
        int withdrawals = 0;
        for (int i = 0; i < 200; i++)
        {
            final int length = i % 2 == 0 ? max - random.nextInt(64) : 1 + random.nextInt(max);
            final byte[] frame = pattern(length, i);
            frame[0] = (byte)(i % 10 == 9 ? 2 : i % 3 == 0 ? 0 : 1);
            asked[0] = 0;
            send(connection, frame);
            // One frame at a time, so that a withdrawal concerns the frame just sent.
            final int before = received.size();
            final int withdrawnBefore = withdrawn.size();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() == before && withdrawn.size() == withdrawnBefore)
            {
                assertTrue(System.nanoTime() < deadline, "frame " + i + " did not arrive; warnings " + warnings);
                sender.poll(placing, 64);
                receiver.poll(placing, 64);
            }
            if (withdrawn.size() > withdrawnBefore)
            {
                withdrawals++;
            }
            else
            {
                expected.add(frame);
            }
        }
        // The frame behind a withdrawn one still arrives: the stream kept its framing.
        final byte[] last = pattern(100, 999);
        expected.add(last);
        send(connection, last);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < expected.size())
        {
            assertTrue(System.nanoTime() < deadline, "the last frame did not arrive; warnings " + warnings);
            sender.poll(placing, 64);
            receiver.poll(placing, 64);
        }
        assertEquals(expected.size(), received.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), received.get(i), "frame " + i + " of " + expected.get(i).length);
        }
        assertTrue(withdrawals > 0, "no frame was withdrawn mid-way: the test placed nothing in parts");
        assertTrue(placedFrames[0] > 20, "only " + placedFrames[0] + " frames placed");
        assertTrue(warnings.isEmpty(), warnings::toString);
        assertTrue(losses.isEmpty(), losses::toString);
    }

    @Test
    void socketBuffersOfAGivenSizeCarryFramesAndANegativeSizeIsRefused() throws IOException
    {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new TcpConfiguration(
            loopback, TcpConfiguration.DEFAULT_MAX_FRAME_LENGTH, TcpConfiguration.DEFAULT_BUFFER_SIZE,
            TcpConfiguration.DEFAULT_EAGER_LIMIT, TcpConfiguration.DEFAULT_AUTHENTICATION_TIMEOUT_NS, -1));
        assertTrue(ex.getMessage().contains(TcpConfiguration.SOCKET_BUFFER), ex.getMessage());

        final TcpConfiguration sized = new TcpConfiguration(loopback, TcpConfiguration.DEFAULT_MAX_FRAME_LENGTH,
            TcpConfiguration.DEFAULT_BUFFER_SIZE, TcpConfiguration.DEFAULT_EAGER_LIMIT,
            TcpConfiguration.DEFAULT_AUTHENTICATION_TIMEOUT_NS, 1 << 20);
        final TcpTransport sender = open(0, sized);
        final TcpTransport receiver = open(1, sized);
        final Connection connection = sender.connect(receiver.address());
        final byte[] large = pattern(sender.maxFrameLength(), 3);
        for (int i = 0; i < 20; i++)
        {
            send(connection, large);
        }
        pumpUntil(() -> received.size() == 20, "the frames");
        assertArrayEquals(large, received.get(19));
    }

    @Test
    void aProcessSendsToItselfAndPeersSendBothWays() throws IOException
    {
        final TcpTransport a = open(0);
        final TcpTransport b = open(1);
        final Connection self = a.connect(a.address());
        final Connection ab = a.connect(b.address());
        final Connection ba = b.connect(a.address());
        send(self, pattern(10, 1));
        send(ab, pattern(20, 2));
        send(ba, pattern(30, 3));
        pumpUntil(() -> received.size() == 3, "three frames");
        assertEquals(List.of(10, 20, 30), received.stream().map(f -> f.length).sorted().toList());
    }

    @Test
    void aFullSendBufferSaysNoCapacityUntilTheReceiverDrains() throws IOException
    {
        final TcpTransport sender = open(0);
        final TcpTransport receiver = open(1);
        final Connection connection = sender.connect(receiver.address());
        send(connection, pattern(1, 0));
        pumpUntil(() -> received.size() == 1, "the connection to be set up");
        received.clear();

        // The receiver stops polling: the kernel's socket buffers fill, then the connection's own buffer.
        final int frame = sender.maxFrameLength();
        int claimed = 0;
        int index;
        while ((index = connection.tryClaim(frame)) >= 0)
        {
            connection.buffer().putInt(index, claimed);
            connection.commit(index);
            claimed++;
            sender.poll(collect, 64);
            assertTrue(claimed < 100_000, "no back-pressure after " + claimed + " frames");
        }
        assertEquals(Connection.INSUFFICIENT_CAPACITY, index);
        assertTrue(claimed > 2, "only " + claimed + " frames before back-pressure");

        final int total = claimed + 10;
        for (int i = claimed; i < total; i++)
        {
            final int sequence = i;
            final int[] slot = { -1 };
            pumpUntil(() -> (slot[0] = connection.tryClaim(frame)) >= 0, "room after draining");
            connection.buffer().putInt(slot[0], sequence);
            connection.commit(slot[0]);
        }
        pumpUntil(() -> received.size() == total, "every frame");
        for (int i = 0; i < total; i++)
        {
            assertEquals(i, ByteBuffer.wrap(received.get(i)).order(ByteOrder.nativeOrder()).getInt(0), "frame " + i);
            assertEquals(frame, received.get(i).length);
        }
    }

    @Test
    void aClientWithoutTheKeyIsRefusedAndTheJobGoesOn() throws Exception
    {
        final TcpTransport receiver = open(1);
        final TcpTransport sender = open(0);
        final TcpAddress address = TcpAddress.parse(receiver.address());
        assertNotNull(address);

        // Another transport that read a forged address: right port, wrong key.
        final TcpTransport intruder = open(5);
        final byte[] wrongKey = TcpHandshake.newKey();
        final String forged = TcpAddress.format(address.socketAddress.getAddress(), address.socketAddress.getPort(),
            wrongKey, address.jobId, address.processIndex, address.nodeId);
        final Connection refused = intruder.connect(forged);
        final int index = refused.tryClaim(8);
        refused.buffer().putLong(index, 0xBADL);
        refused.commit(index);
        pumpUntil(() -> warnings.stream().anyMatch(w -> w.contains("does not know the listener's key")), "a refusal");
        pumpUntil(() -> failed(refused), "the intruder's connection to fail");
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> refused.tryClaim(8));
        assertTrue(ex.getMessage().contains("rank 1 of job jtest"), ex.getMessage());

        // A raw socket answering garbage of the right length.
        try (Socket socket = new Socket(address.socketAddress.getAddress(), address.socketAddress.getPort()))
        {
            final InputStream in = socket.getInputStream();
            pumpUntil(() -> available(in) >= TcpHandshake.CHALLENGE_LENGTH, "the challenge");
            socket.getOutputStream().write(new byte[TcpHandshake.RESPONSE_LENGTH]);
            pumpUntil(() -> warnings.stream().anyMatch(w -> w.contains("does not speak")), "the second refusal");
            pumpUntil(() -> endOfStream(in), "the listener to close the socket");
        }

        assertTrue(received.isEmpty(), "a frame of a refused connection was delivered");
        final Connection good = sender.connect(receiver.address());
        send(good, pattern(100, 9));
        pumpUntil(() -> received.size() == 1, "the genuine frame");
        assertEquals(1, receiver.authenticatedInbounds());
    }

    @Test
    void silentConnectionsAreDroppedAfterTheDeadlineAndTheirNumberIsBounded() throws Exception
    {
        final TcpTransport receiver = open(1, TimeUnit.MILLISECONDS.toNanos(300));
        final TcpAddress address = TcpAddress.parse(receiver.address());
        final List<Socket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < TcpTransport.MAX_UNAUTHENTICATED + 10; i++)
            {
                sockets.add(new Socket(address.socketAddress.getAddress(), address.socketAddress.getPort()));
                receiver.poll(collect, 64);
            }
            pumpUntil(() -> warnings.size() >= 8, "refusals");
            assertTrue(receiver.unauthenticatedInbounds() <= TcpTransport.MAX_UNAUTHENTICATED);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("too many connections waiting")), warnings::toString);
            pumpUntil(() -> receiver.unauthenticatedInbounds() == 0, "the deadline");
        }
        finally
        {
            for (final Socket socket : sockets)
            {
                socket.close();
            }
        }
    }

    @Test
    void garbageAfterAuthenticationFailsThatConnectionOnlyNamingThePeer() throws Exception
    {
        final TcpTransport receiver = open(1);
        final TcpTransport sender = open(0);
        final Connection good = sender.connect(receiver.address());
        try (Socket socket = authenticatedSocket(receiver, "jother", 7))
        {
            final OutputStream out = socket.getOutputStream();
            out.write(new byte[]{ 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P' });
            out.flush();
            pumpUntil(() -> warnings.stream().anyMatch(w -> w.contains("rank 7 of job jother") &&
                w.contains("malformed frame record")), "the garbage to be reported");
        }
        send(good, pattern(64, 4));
        pumpUntil(() -> received.size() == 1, "the other connection's frame");
    }

    @Test
    void aPeerClosingInTheMiddleOfAFrameIsReported() throws Exception
    {
        final TcpTransport receiver = open(1);
        try (Socket socket = authenticatedSocket(receiver, "jother", 3))
        {
            final ByteBuffer record = ByteBuffer.allocate(FrameRecord.HEADER_LENGTH + 10).order(FrameRecord.WIRE_ORDER);
            record.putInt(1000).putInt(FrameRecord.MARK);
            socket.getOutputStream().write(record.array());
            socket.getOutputStream().flush();
        }
        pumpUntil(() -> warnings.stream().anyMatch(w -> w.contains("rank 3 of job jother") &&
            w.contains("in the middle of a frame (10 of 1000 bytes received)")), "the truncated frame");
        assertTrue(received.isEmpty());
        pumpUntil(() -> receiver.authenticatedInbounds() == 0, "the connection to be dropped");
        assertEquals(1, losses.size(), losses::toString);
        assertTrue(losses.get(0).startsWith("jother/3@127.0.0.1:") &&
            losses.get(0).contains("in the middle of a frame (10 of 1000 bytes received) without its goodbye"),
            losses::toString);
    }

    @Test
    void aPeerEndingAtAFrameBoundaryWithoutGoodbyeIsLost() throws Exception
    {
        final TcpTransport receiver = open(1);
        try (Socket socket = authenticatedSocket(receiver, "jother", 2))
        {
            final ByteBuffer record = ByteBuffer.allocate(FrameRecord.recordLength(4)).order(FrameRecord.WIRE_ORDER);
            record.putInt(4).putInt(FrameRecord.MARK).putInt(42);
            socket.getOutputStream().write(record.array());
            socket.getOutputStream().flush();
        }
        pumpUntil(() -> !losses.isEmpty(), "the loss to be reported");
        assertEquals(1, received.size(), "the whole frame before the end is delivered");
        assertEquals(1, losses.size(), losses::toString);
        assertTrue(losses.get(0).startsWith("jother/2@127.0.0.1:") &&
            losses.get(0).contains("closed the connection without its goodbye"), losses::toString);
        assertTrue(warnings.isEmpty(), "no frame was cut: the listener alone decides " + warnings);
        assertEquals(0, receiver.authenticatedInbounds());
    }

    @Test
    void aConnectionOrATransportClosedInOrderIsNoLoss() throws IOException
    {
        final TcpTransport receiver = open(1);
        final TcpTransport first = open(0);
        final TcpTransport second = open(2);
        final Connection disconnecting = first.connect(receiver.address());
        final Connection finalizing = second.connect(receiver.address());
        send(disconnecting, pattern(100, 1));
        send(finalizing, pattern(100, 2));
        pumpUntil(() -> received.size() == 2 && receiver.authenticatedInbounds() == 2, "the first frames");
        disconnecting.close();
        second.close();
        transports.remove(second);
        pumpUntil(() -> receiver.authenticatedInbounds() == 0, "both connections to end");
        assertEquals(List.of(), losses);
        assertEquals(List.of(), warnings);
    }

    @Test
    void twoProcessesConnectingAtOnceEndOnOneSocketWithEveryFrameInOrder() throws IOException
    {
        final TcpTransport low = open(0);
        final TcpTransport high = open(1);
        final Connection lowToHigh = low.connect(high.address());
        final Connection highToLow = high.connect(low.address());
        final int frames = 300;
        final Random random = new Random(11);
        for (int seq = 0; seq < frames; seq++)
        {
            // the first ones are queued while both connect; a few large ones make the queue wrap
            final int length = seq % 37 == 36 ? 200_000 : 5 + random.nextInt(seq < 20 ? 1000 : 3000);
            send(lowToHigh, numbered(0, seq, length));
            send(highToLow, numbered(1, seq, length));
        }
        pumpUntil(() -> received.size() == 2 * frames, "every frame");
        final int[] next = new int[2];
        for (final byte[] frame : received)
        {
            final ByteBuffer read = ByteBuffer.wrap(frame);
            final int sender = read.get(0);
            assertEquals(next[sender]++, read.getInt(1), "frame order from process " + sender);
        }
        pumpUntil(() -> low.authenticatedInbounds() == 1 && high.authenticatedInbounds() == 1,
            "the second socket to close");
        assertTrue(((TcpConnection)lowToHigh).ownsSocket(), "the lower process keeps the socket it opened");
        assertFalse(((TcpConnection)highToLow).ownsSocket(), "the higher process sends on the lower one's socket");

        // both directions still work on the one socket, and closing it in order is no loss
        received.clear();
        send(highToLow, numbered(1, frames, 64));
        send(lowToHigh, numbered(0, frames, 64));
        pumpUntil(() -> received.size() == 2, "a frame each way");
        highToLow.close();
        lowToHigh.close();
        pumpUntil(() -> low.authenticatedInbounds() == 0 && high.authenticatedInbounds() == 0, "the socket to close");
        assertEquals(List.of(), losses);
        assertEquals(List.of(), warnings);
    }

    /** A frame that says who sent it and its place in that sender's sequence. */
    private static byte[] numbered(final int sender, final int seq, final int length)
    {
        final byte[] frame = pattern(Math.max(length, 5), seq);
        frame[0] = (byte)sender;
        ByteBuffer.wrap(frame).putInt(1, seq);
        return frame;
    }

    /** Two processes, rank 3 and rank 2 of one job, and the connections each way once a frame went each way. */
    private record Answered(TcpTransport first, TcpTransport second, Connection out, Connection back)
    {
    }

    /**
     * Rank 3 connects to rank 2 and sends a frame; rank 2 then connects back, which must reuse the socket that came
     * in, and answers.
     */
    private Answered answeredOnTheSocketThatCameIn() throws IOException
    {
        final TcpTransport first = open(3);
        final TcpTransport second = open(2);
        final Connection out = first.connect(second.address());
        send(out, numbered(3, 0, 16));
        pumpUntil(() -> received.size() == 1, "the first frame");
        final Connection back = second.connect(first.address());
        assertFalse(((TcpConnection)back).ownsSocket(), "the answer goes back on the socket that came in");
        send(back, numbered(2, 0, 16));
        pumpUntil(() -> received.size() == 2, "the answer");
        return new Answered(first, second, out, back);
    }

    @Test
    void aPeerThatConnectedFirstCarriesTheAnswers() throws IOException
    {
        final Answered pair = answeredOnTheSocketThatCameIn();
        final TcpTransport first = pair.first();
        final TcpTransport second = pair.second();
        final Connection out = pair.out();
        assertEquals(1, first.authenticatedInbounds());
        assertEquals(1, second.authenticatedInbounds());
        second.close();
        transports.remove(second);
        pumpUntil(() -> failed(out), "the first to learn that the second finalized");
        assertEquals(List.of(), losses);
    }

    @Test
    void aPeerThatDiesOnTheSharedSocketIsLostAndItsAnswersFail() throws IOException
    {
        final Answered pair = answeredOnTheSocketThatCameIn();
        final TcpTransport first = pair.first();
        final Connection out = pair.out();
        final Connection back = pair.back();
        // the first process dies: its socket ends without a goodbye
        ((TcpConnection)out).channel().close();
        transports.remove(first);
        pumpUntil(() -> failed(back), "the answers to fail");
        assertEquals(1, losses.size(), losses::toString);
        assertTrue(losses.get(0).startsWith("jtest/3@") && losses.get(0).contains("without its goodbye"),
            losses::toString);
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> back.tryClaim(8));
        assertTrue(ex.getMessage().contains("rank 3 of job jtest") && ex.getMessage().contains("is gone"),
            ex.getMessage());
    }

    @Test
    void aSenderLearnsThatItsPeerClosed() throws IOException
    {
        final TcpTransport sender = open(0);
        final TcpTransport receiver = open(1);
        final Connection connection = sender.connect(receiver.address());
        send(connection, pattern(5, 5));
        pumpUntil(() -> received.size() == 1, "the first frame");
        receiver.close();
        transports.remove(receiver);
        pumpUntil(() -> failed(connection), "the sender to notice");
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> connection.tryClaim(8));
        assertTrue(ex.getMessage().contains("rank 1 of job jtest") && ex.getMessage().contains("finalized or died"),
            ex.getMessage());
    }

    @Test
    void connectingToNobodyFailsWithTheAddress() throws IOException
    {
        final TcpTransport sender = open(0);
        final TcpTransport gone = open(1);
        final String address = gone.address();
        gone.close();
        transports.remove(gone);
        final Connection connection = sender.connect(address);
        pumpUntil(() -> failed(connection), "the refused connect");
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> connection.tryClaim(8));
        assertTrue(ex.getMessage().contains("cannot connect to tcp peer rank 1 of job jtest"), ex.getMessage());
    }

    @Test
    void framesCommittedBeforeCloseStillArrive() throws IOException
    {
        final TcpTransport sender = open(0);
        final TcpTransport receiver = open(1);
        final Connection connection = sender.connect(receiver.address());
        for (int i = 0; i < 20; i++)
        {
            final int index = connection.tryClaim(1000);
            if (index < 0)
            {
                break;
            }
            connection.buffer().putInt(index, i);
            connection.commit(index);
        }
        connection.close();
        pumpUntil(() -> received.size() == 20, "frames committed before the close");
    }

    @Test
    void addressesRoundTripAndLoopbackIsReachableOnlyOnItsNode() throws IOException
    {
        final byte[] key = TcpHandshake.newKey();
        final String v6 = TcpAddress.format(InetAddress.getByName("fe80::1"), 4000, key, "j1", 2, "n/1");
        final TcpAddress parsed = TcpAddress.parse(v6);
        assertNotNull(parsed, v6);
        assertEquals(4000, parsed.socketAddress.getPort());
        assertEquals("n/1", parsed.nodeId);
        assertArrayEquals(key, parsed.key);
        assertNull(TcpAddress.parse("tcp:example.com/4000/" + TcpAddress.hex(key) + "/j1/2/n"));
        assertNull(TcpAddress.parse("tcp:10.0.0.1/4000/abc/j1/2/n"));
        assertNull(TcpAddress.parse("shm:n:/dev/shm/x"));

        final TcpTransport here = open(0);
        final String otherNode = TcpAddress.format(InetAddress.getLoopbackAddress(), 4000, key, "j1", 2, "node-b");
        final String sameNode = TcpAddress.format(InetAddress.getLoopbackAddress(), 4000, key, "j1", 2, NODE);
        final String remote = TcpAddress.format(InetAddress.getByName("10.1.2.3"), 4000, key, "j1", 2, "node-b");
        assertFalse(here.reaches(otherNode));
        assertTrue(here.reaches(sameNode));
        assertTrue(here.reaches(remote));
        assertFalse(here.address().contains(",") || here.address().contains(" "));
    }

    /** A raw client that answers the challenge correctly, as job {@code jobId} rank {@code rank}. */
    private Socket authenticatedSocket(final TcpTransport receiver, final String jobId, final int rank)
        throws IOException
    {
        final TcpAddress address = TcpAddress.parse(receiver.address());
        final Socket socket = new Socket(address.socketAddress.getAddress(), address.socketAddress.getPort());
        final InputStream in = socket.getInputStream();
        pumpUntil(() -> available(in) >= TcpHandshake.CHALLENGE_LENGTH, "the challenge");
        final ByteBuffer challenge = ByteBuffer.wrap(in.readNBytes(TcpHandshake.CHALLENGE_LENGTH));
        final ByteBuffer response = ByteBuffer.allocate(TcpHandshake.RESPONSE_LENGTH);
        assertNull(new TcpHandshake(TcpHandshake.newKey()).writeResponse(challenge, address.key, jobId, rank,
            response, 0));
        socket.getOutputStream().write(response.array());
        socket.getOutputStream().flush();
        final int before = receiver.authenticatedInbounds();
        pumpUntil(() -> receiver.authenticatedInbounds() > before, "the raw client to authenticate");
        return socket;
    }

    private static boolean failed(final Connection connection)
    {
        return ((TcpConnection)connection).state() == TcpConnection.FAILED;
    }

    private static int available(final InputStream in)
    {
        try
        {
            return in.available();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private static boolean endOfStream(final InputStream in)
    {
        try
        {
            return in.read() < 0;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }
}
