package io.mpi4j.rdma;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.RemoteMemory;
import io.mpi4j.transport.TransportContext;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Runtime proof of the RDMA transport on a real device (Soft-RoCE in the CI virtual machine): two transports in one
 * JVM connect both ways and to themselves, exchange frames of many sizes in order, exhaust the credits, read a peer's
 * memory with RDMA READ (registered per transfer and pinned), see a connection to a dead address fail, close cleanly,
 * and measure ping-pong latency, frame bandwidth and READ bandwidth.
 * <p>
 * Usage: {@code java <mpi4j flags> -cp ... io.mpi4j.rdma.RdmaSelfCheck [iterations]}. Prints one line per check;
 * exits 0 when all pass, 1 otherwise, 2 when RDMA is unavailable here.
 */
public final class RdmaSelfCheck
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static int failures;

    private RdmaSelfCheck()
    {
    }

    /** Frames one side received: payloads start with {source int, sequence int}. */
    private static final class Receiver implements FrameHandler
    {
        final int[] nextSequence = new int[4];
        int frames;
        String error;
        long lastCookie = -1;
        String lastReadFailure;
        int readsDone;

        public void onFrame(final DirectBuffer buffer, final int index, final int length)
        {
            frames++;
            if (length < 8)
            {
                return;
            }
            final int source = buffer.getInt(index);
            final int sequence = buffer.getInt(index + 4);
            if (source < 0 || source >= nextSequence.length)
            {
                error = "bad source " + source;
                return;
            }
            if (sequence != nextSequence[source])
            {
                error = "source " + source + ": frame " + sequence + " arrived, expected " + nextSequence[source];
            }
            nextSequence[source] = sequence + 1;
            for (int i = 8; i < length; i++)
            {
                if (buffer.getByte(index + i) != (byte)(sequence + i))
                {
                    error = "source " + source + " frame " + sequence + " length " + length + ": byte " + i + " corrupt";
                    return;
                }
            }
        }

        public void onReadComplete(final long cookie, final String failure)
        {
            lastCookie = cookie;
            lastReadFailure = failure;
            readsDone++;
        }
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && args[0].startsWith("pingpong-"))
        {
            pingPong(args);
            return;
        }
        final int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final RdmaTransportProvider provider = new RdmaTransportProvider();
        final String reason = provider.unavailableReason();
        System.out.println("rdma unavailableReason: " + reason);
        if (null != reason)
        {
            System.exit(2);
        }

        final RdmaConfiguration configuration = RdmaConfiguration.fromEnvironment();
        System.out.println("configuration: " + configuration);
        final RdmaTransport a = RdmaTransport.open(new TransportContext("selfcheck", 0, "node", "o"), configuration);
        final RdmaTransport b = RdmaTransport.open(new TransportContext("selfcheck", 1, "node", "o"), configuration);
        System.out.println("opened " + a.address() + " and " + b.address());
        final Receiver atA = new Receiver();
        final Receiver atB = new Receiver();
        try
        {
            long started = System.nanoTime();
            final Connection aToB = a.connect(b.address());
            final Connection bToA = b.connect(a.address());
            final Connection aToA = a.connect(a.address());
            check("connect returns at once", System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1), "");

            // Sizes around the inline limit and up to the largest frame, in order, on three connections.
            final int[] sizes = {8, 9, 64, 127, 128, 129, 1000, 4096, 8192, configuration.maxFrameLength()};
            started = System.nanoTime();
            int sequenceAB = 0;
            int sequenceBA = 0;
            int sequenceAA = 0;
            for (int round = 0; round < 3; round++)
            {
                for (final int size : sizes)
                {
                    send(aToB, 0, sequenceAB++, size, a, b, atA, atB);
                    send(bToA, 1, sequenceBA++, size, a, b, atA, atB);
                    send(aToA, 2, sequenceAA++, size, a, b, atA, atB);
                }
            }
            drain(a, b, atA, atB, () -> atB.nextSequence[0] == 30 && atA.nextSequence[1] == 30 &&
                atA.nextSequence[2] == 30);
            check("frames of every size both ways and to self, in order",
                atA.error == null && atB.error == null && atB.nextSequence[0] == 30 && atA.nextSequence[1] == 30 &&
                atA.nextSequence[2] == 30, "A: " + atA.error + ", B: " + atB.error + " after " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms (incl. connect)");

            // Credit exhaustion: B does not poll while A sends; A must see INSUFFICIENT_CAPACITY after the credits.
            int sent = 0;
            for (int attempt = 0; attempt < 100_000 && sent <= 10 * configuration.credits(); attempt++)
            {
                final int index = aToB.tryClaim(64);
                if (index < 0)
                {
                    a.poll(atA, 64); // retires A's sends; B stays silent, so no credits come back
                    continue;
                }
                fill(aToB, index, 0, sequenceAB++, 64);
                aToB.commit(index);
                sent++;
            }
            check("credits run out while the receiver does not poll", sent == configuration.credits(),
                "sent " + sent + " frames, credits " + configuration.credits());
            final int target = sequenceAB;
            final int bulk = 5 * configuration.credits();
            for (int i = 0; i < bulk; i++)
            {
                send(aToB, 0, sequenceAB++, 200 + (i % 300), a, b, atA, atB);
            }
            drain(a, b, atA, atB, () -> atB.nextSequence[0] == target + bulk);
            check("flow control resumes, order kept", atB.error == null && atB.nextSequence[0] == sequenceAB,
                "B: " + atB.error + ", got " + atB.nextSequence[0] + " of " + sequenceAB);

            readCheck("RDMA READ, registered per transfer", a, b, aToB, atA, atB, false);
            readCheck("RDMA READ, pinned (registration cache)", a, b, aToB, atA, atB, true);

            // A dead address: a port nobody listens on must fail, not hang.
            final String dead = b.address().substring(0, b.address().lastIndexOf(':') + 1) + "9";
            final Connection toDead = a.connect(dead);
            String deadFailure = null;
            started = System.nanoTime();
            while (System.nanoTime() - started < TIMEOUT_NS && null == deadFailure)
            {
                a.poll(atA, 64);
                b.poll(atB, 64);
                try
                {
                    if (toDead.tryClaim(8) >= 0)
                    {
                        deadFailure = "claimed a frame on a dead connection";
                    }
                }
                catch (final IllegalStateException ex)
                {
                    deadFailure = ex.getMessage();
                }
            }
            check("dead peer is an error", null != deadFailure && !deadFailure.startsWith("claimed"),
                deadFailure + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            toDead.close();

            measureLatency(aToB, bToA, a, b, iterations);
            measureBandwidth(aToB, a, b, atA, atB, configuration.maxFrameLength(), iterations);
            measureReadBandwidth(a, b, aToB, atA, atB);

            // Frames committed right before close still arrive.
            final int lastBefore = atB.nextSequence[0];
            final int closing = 50;
            for (int i = 0; i < closing; i++)
            {
                sendAt(aToB, 0, lastBefore + i, 100, a, b, atA, atB);
            }
            aToB.close();
            drain(a, b, atA, atB, () -> atB.nextSequence[0] == lastBefore + closing && b.endpointCount() <= 2);
            check("close delivers committed frames, then frees the queue pair",
                atB.error == null && atB.nextSequence[0] == lastBefore + closing,
                "B got " + (atB.nextSequence[0] - lastBefore) + " of " + closing + ", endpoints A " + a.endpointCount() +
                " B " + b.endpointCount());
            boolean closedThrows = false;
            try
            {
                aToB.tryClaim(8);
            }
            catch (final IllegalStateException ex)
            {
                closedThrows = true;
            }
            check("closed connection refuses frames", closedThrows, "");
        }
        finally
        {
            final long closing = System.nanoTime();
            a.close();
            b.close();
            a.close();
            System.out.println("closed both transports in " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing) + " ms");
        }
        System.out.println(failures == 0 ? "RDMA SELF-CHECK PASSED" : "RDMA SELF-CHECK FAILED: " + failures);
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * Two processes, like perftest: {@code pingpong-server FILE [iterations] [size]} writes its address to FILE and
     * echoes every frame; {@code pingpong-client FILE [iterations] [size]} reads it, sends its own address in the first
     * frame, then measures ping-pong latency and a one-way frame stream.
     */
    private static void pingPong(final String[] args) throws Exception
    {
        final boolean server = args[0].equals("pingpong-server");
        final java.nio.file.Path file = java.nio.file.Path.of(args[1]);
        final int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        final int size = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        final RdmaConfiguration configuration = RdmaConfiguration.fromEnvironment();
        try (RdmaTransport transport = RdmaTransport.open(new TransportContext("pp", server ? 0 : 1, "n", "o"),
            configuration))
        {
            final int[] received = new int[1];
            final String[] peerAddress = new String[1];
            final FrameHandler handler = (buffer, index, length) ->
            {
                if (null == peerAddress[0] && length > 0 && buffer.getByte(index) == 'r')
                {
                    peerAddress[0] = buffer.getStringWithoutLengthAscii(index, length);
                }
                received[0]++;
            };
            final Connection connection;
            if (server)
            {
                final java.nio.file.Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
                java.nio.file.Files.writeString(temporary, transport.address());
                java.nio.file.Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                while (null == peerAddress[0])
                {
                    transport.poll(handler, 64);
                }
                connection = transport.connect(peerAddress[0]);
                final int total = 1 + 2 * iterations + Math.max(1000, iterations);
                int echoed = 0;
                while (received[0] < total)
                {
                    transport.poll(handler, 64);
                    // Echo only the ping-pong part (frames after the address, which may have come in the same poll as
                    // the address itself); the stream that follows is only counted.
                    for (; echoed < Math.min(received[0] - 1, 2 * iterations); echoed++)
                    {
                        int index;
                        while ((index = connection.tryClaim(size)) < 0)
                        {
                            transport.poll(handler, 64);
                        }
                        connection.commit(index);
                    }
                }
            }
            else
            {
                while (!java.nio.file.Files.exists(file))
                {
                    Thread.sleep(10);
                }
                connection = transport.connect(java.nio.file.Files.readString(file).trim());
                final String own = transport.address();
                int index;
                while ((index = connection.tryClaim(own.length())) < 0)
                {
                    transport.poll(handler, 64);
                }
                connection.buffer().putStringWithoutLengthAscii(index, own);
                connection.commit(index);
                final int warmup = 2 * iterations == 0 ? 0 : iterations;
                long started = 0;
                for (int i = 0; i < 2 * iterations; i++)
                {
                    if (i == warmup)
                    {
                        started = System.nanoTime();
                    }
                    while ((index = connection.tryClaim(size)) < 0)
                    {
                        transport.poll(handler, 64);
                    }
                    connection.commit(index);
                    while (received[0] <= i)
                    {
                        transport.poll(handler, 64);
                    }
                }
                System.out.printf("two processes: %d-byte frame ping-pong, one way %.2f us (%d round trips after " +
                    "%d warm-up)%n", size, (System.nanoTime() - started) / 2.0 / iterations / 1000.0, iterations,
                    warmup);
                final int frames = Math.max(1000, iterations);
                final int frameLength = configuration.maxFrameLength();
                started = System.nanoTime();
                for (int i = 0; i < frames; i++)
                {
                    while ((index = connection.tryClaim(frameLength)) < 0)
                    {
                        transport.poll(handler, 64);
                    }
                    connection.commit(index);
                }
                // The server counts the stream; give its last credits time to come back before closing.
                connection.close();
                final long elapsed = System.nanoTime() - started;
                System.out.printf("two processes: stream of %d frames of %d bytes, %.1f MB/s (posted; close " +
                    "waits for the acknowledgements)%n", frames, frameLength, (double)frames * frameLength / elapsed * 1000.0);
            }
        }
    }

    private static void readCheck(
        final String what,
        final RdmaTransport a,
        final RdmaTransport b,
        final Connection aToB,
        final Receiver atA,
        final Receiver atB,
        final boolean pinned)
    {
        final int length = 1 << 20;
        final ByteBuffer source = BufferUtil.allocateDirectAligned(length, 4096);
        final ByteBuffer target = BufferUtil.allocateDirectAligned(length, 4096);
        final UnsafeBuffer sourceView = new UnsafeBuffer(source);
        final UnsafeBuffer targetView = new UnsafeBuffer(target);
        for (int i = 0; i < length; i += 4)
        {
            sourceView.putInt(i, i * 31 + (pinned ? 7 : 3));
        }
        final long sourceAddress = BufferUtil.address(source);
        final long targetAddress = BufferUtil.address(target);
        final RemoteMemory atBMemory = b.remoteMemory();
        final RemoteMemory atAMemory = a.remoteMemory();
        if (pinned)
        {
            check(what + ": pin", atBMemory.pin(sourceAddress, length) && atAMemory.pin(targetAddress, length), "");
        }
        final UnsafeBuffer descriptor = new UnsafeBuffer(new byte[RemoteMemory.DESCRIPTOR_LENGTH]);
        final long token = atBMemory.expose(sourceAddress, length, descriptor, 0);
        if (token == RemoteMemory.NOT_EXPOSED)
        {
            check(what + ": expose", false, "NOT_EXPOSED");
            return;
        }
        final long cookie = 42 + (pinned ? 1 : 0);
        final int before = atA.readsDone;
        final long started = System.nanoTime();
        while (!atAMemory.read(aToB, descriptor, 0, targetAddress, length, cookie))
        {
            a.poll(atA, 64);
            b.poll(atB, 64);
        }
        drain(a, b, atA, atB, () -> atA.readsDone > before);
        final long elapsed = System.nanoTime() - started;
        boolean same = atA.readsDone > before && atA.lastCookie == cookie && null == atA.lastReadFailure;
        for (int i = 0; same && i < length; i += 4)
        {
            same = targetView.getInt(i) == i * 31 + (pinned ? 7 : 3);
        }
        atBMemory.release(token);
        if (pinned)
        {
            atBMemory.unpin(sourceAddress, length);
            atAMemory.unpin(targetAddress, length);
        }
        check(what, same, "1 MiB in " + TimeUnit.NANOSECONDS.toMicros(elapsed) + " us, cookie " + atA.lastCookie +
            ", failure " + atA.lastReadFailure);
    }

    private static void measureLatency(
        final Connection aToB, final Connection bToA, final RdmaTransport a, final RdmaTransport b, final int iterations)
    {
        final int[] received = new int[2];
        final FrameHandler countA = (buffer, index, length) -> received[0]++;
        final FrameHandler countB = (buffer, index, length) -> received[1]++;
        final int warmup = Math.max(100, iterations / 10);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        long started = 0;
        long allocatedBefore = 0;
        for (int i = 0; i < warmup + iterations; i++)
        {
            if (i == warmup)
            {
                allocatedBefore = threads.getThreadAllocatedBytes(thread);
                started = System.nanoTime();
            }
            claimCommit(aToB, 8, a, b, countA, countB);
            while (received[1] <= i)
            {
                b.poll(countB, 64);
            }
            claimCommit(bToA, 8, a, b, countA, countB);
            while (received[0] <= i)
            {
                a.poll(countA, 64);
            }
        }
        final long elapsed = System.nanoTime() - started;
        final long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        final double halfRoundTripUs = elapsed / 2.0 / iterations / 1000.0;
        System.out.printf("latency: 8-byte frame ping-pong, one way %.2f us (%d round trips, one thread); " +
            "allocated %d bytes in %d ms (rdma_cm polls once a millisecond)%n",
            halfRoundTripUs, iterations, allocated, TimeUnit.NANOSECONDS.toMillis(elapsed));
    }

    private static void measureBandwidth(
        final Connection aToB,
        final RdmaTransport a,
        final RdmaTransport b,
        final Receiver atA,
        final Receiver atB,
        final int frameLength,
        final int iterations)
    {
        final int[] received = new int[1];
        final FrameHandler count = (buffer, index, length) -> received[0]++;
        final int frames = Math.max(1000, iterations);
        final long started = System.nanoTime();
        int sent = 0;
        while (received[0] < frames)
        {
            if (sent < frames)
            {
                final int index = aToB.tryClaim(frameLength);
                if (index >= 0)
                {
                    aToB.commit(index);
                    sent++;
                    continue;
                }
                a.poll(atA, 64);
            }
            b.poll(count, 64);
        }
        final long elapsed = System.nanoTime() - started;
        System.out.printf("bandwidth: %d frames of %d bytes, %.1f MB/s (one thread drives both ends)%n",
            frames, frameLength, (double)frames * frameLength / elapsed * 1000.0);
    }

    private static void measureReadBandwidth(
        final RdmaTransport a, final RdmaTransport b, final Connection aToB, final Receiver atA, final Receiver atB)
    {
        final int length = 4 << 20;
        final int reads = 32;
        final ByteBuffer source = BufferUtil.allocateDirectAligned(length, 4096);
        final ByteBuffer target = BufferUtil.allocateDirectAligned(length, 4096);
        final long sourceAddress = BufferUtil.address(source);
        final long targetAddress = BufferUtil.address(target);
        b.remoteMemory().pin(sourceAddress, length);
        a.remoteMemory().pin(targetAddress, length);
        final UnsafeBuffer descriptor = new UnsafeBuffer(new byte[RemoteMemory.DESCRIPTOR_LENGTH]);
        final long token = b.remoteMemory().expose(sourceAddress, length, descriptor, 0);
        final int before = atA.readsDone;
        final long started = System.nanoTime();
        for (int i = 0; i < reads; i++)
        {
            while (!a.remoteMemory().read(aToB, descriptor, 0, targetAddress, length, i))
            {
                a.poll(atA, 64);
                b.poll(atB, 64);
            }
        }
        drain(a, b, atA, atB, () -> atA.readsDone >= before + reads);
        final long elapsed = System.nanoTime() - started;
        b.remoteMemory().release(token);
        b.remoteMemory().unpin(sourceAddress, length);
        a.remoteMemory().unpin(targetAddress, length);
        System.out.printf("RDMA READ bandwidth: %d reads of %d MiB, %.1f MB/s, failures: %s%n",
            reads, length >> 20, (double)reads * length / elapsed * 1000.0, atA.lastReadFailure);
    }

    private static void claimCommit(
        final Connection connection, final int length, final RdmaTransport a, final RdmaTransport b,
        final FrameHandler atA, final FrameHandler atB)
    {
        int index;
        while ((index = connection.tryClaim(length)) < 0)
        {
            a.poll(atA, 64);
            b.poll(atB, 64);
        }
        connection.commit(index);
    }

    private static void send(
        final Connection connection, final int source, final int sequence, final int length,
        final RdmaTransport a, final RdmaTransport b, final Receiver atA, final Receiver atB)
    {
        sendAt(connection, source, sequence, length, a, b, atA, atB);
    }

    private static void sendAt(
        final Connection connection, final int source, final int sequence, final int length,
        final RdmaTransport a, final RdmaTransport b, final Receiver atA, final Receiver atB)
    {
        final long started = System.nanoTime();
        int index;
        while ((index = connection.tryClaim(length)) < 0)
        {
            a.poll(atA, 64);
            b.poll(atB, 64);
            if (System.nanoTime() - started > TIMEOUT_NS)
            {
                throw new IllegalStateException("no capacity for 60 s on " + connection);
            }
        }
        fill(connection, index, source, sequence, length);
        connection.commit(index);
    }

    private static void fill(final Connection connection, final int index, final int source, final int sequence,
        final int length)
    {
        connection.buffer().putInt(index, source);
        connection.buffer().putInt(index + 4, sequence);
        for (int i = 8; i < length; i++)
        {
            connection.buffer().putByte(index + i, (byte)(sequence + i));
        }
    }

    private static void drain(
        final RdmaTransport a, final RdmaTransport b, final Receiver atA, final Receiver atB,
        final java.util.function.BooleanSupplier done)
    {
        final long started = System.nanoTime();
        while (!done.getAsBoolean() && System.nanoTime() - started < TIMEOUT_NS)
        {
            a.poll(atA, 64);
            b.poll(atB, 64);
        }
    }

    private static void check(final String what, final boolean ok, final String detail)
    {
        if (!ok)
        {
            failures++;
        }
        System.out.println((ok ? "ok   " : "FAIL ") + what + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }
}
