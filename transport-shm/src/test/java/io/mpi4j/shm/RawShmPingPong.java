package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One-way latency of 8-byte frames between two JVMs through {@link ShmTransport} alone (no MPI layers): half the
 * round trip of a strict ping-pong, each JVM busy-polling on its own core.
 * <pre>
 *   java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp &lt;test and runtime classes&gt; \
 *       io.mpi4j.shm.RawShmPingPong [iterations] [warmup]
 * </pre>
 * Starts the pong side itself (same class path). Prints median, 90th and 99th percentile one-way latency from
 * per-round-trip clock reads, and the mean of a second loop timed only as a whole.
 */
public final class RawShmPingPong
{
    private static final int FRAME_LENGTH = 8;
    private static final long STOP = -1L;

    private RawShmPingPong()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && "pong".equals(args[0]))
        {
            pong(args[1]);
            return;
        }
        final int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        ping(iterations, warmup);
    }

    private static final class LastValue implements FrameHandler
    {
        long value;

        public void onFrame(final DirectBuffer buffer, final int index, final int length)
        {
            value = buffer.getLong(index);
        }
    }

    private static void ping(final int iterations, final int warmup) throws Exception
    {
        final String jobId = ShmTestSupport.newJobId();
        final ShmConfiguration configuration = new ShmConfiguration(
            ShmConfiguration.DEFAULT_RING_CAPACITY, 4, ShmConfiguration.DEFAULT_EAGER_LIMIT, ShmTestSupport.DIRECTORY);
        final Process pong = ShmTestSupport.startJvm(RawShmPingPong.class, "pong", jobId);
        try (ShmTransport transport = ShmTestSupport.open(jobId, 0, configuration))
        {
            final Connection connection =
                ShmTestSupport.connectWhenReady(transport, ShmTestSupport.addressOf(jobId, 1), pong);
            final LastValue reply = new LastValue();
            final long[] roundTrips = new long[iterations];

            for (int i = 0, total = warmup + iterations; i < total; i++)
            {
                final long start = System.nanoTime();
                send(connection, i);
                while (0 == transport.poll(reply, 1))
                {
                    // busy poll: latency, not CPU, is measured
                }
                final long end = System.nanoTime();
                if (reply.value != i)
                {
                    throw new IllegalStateException("expected " + i + ", got " + reply.value);
                }
                if (i >= warmup)
                {
                    roundTrips[i - warmup] = end - start;
                }
            }
            // Same exchange without per-iteration clock reads, which add their own ~20 ns to each sample above.
            final long untimedStart = System.nanoTime();
            for (int i = 0; i < iterations; i++)
            {
                send(connection, i);
                while (0 == transport.poll(reply, 1))
                {
                    // busy poll
                }
            }
            final double untimedMeanOneWay = (System.nanoTime() - untimedStart) / (2.0 * iterations);
            send(connection, STOP);
            pong.waitFor(10, TimeUnit.SECONDS);

            Arrays.sort(roundTrips);
            System.out.printf("RawShmPingPong %d B, %d iterations: one-way latency median %.1f ns, p90 %.1f ns, " +
                "p99 %.1f ns, min %.1f ns; untimed loop mean %.1f ns%n", FRAME_LENGTH, iterations,
                roundTrips[iterations / 2] / 2.0, roundTrips[(int)(iterations * 0.9)] / 2.0,
                roundTrips[(int)(iterations * 0.99)] / 2.0, roundTrips[0] / 2.0, untimedMeanOneWay);
        }
        finally
        {
            if (pong.isAlive())
            {
                pong.destroyForcibly().waitFor();
            }
        }
    }

    private static void send(final Connection connection, final long value)
    {
        int index;
        while ((index = connection.tryClaim(FRAME_LENGTH)) < 0)
        {
            Thread.onSpinWait();
        }
        connection.buffer().putLong(index, value);
        connection.commit(index);
    }

    private static void pong(final String jobId) throws Exception
    {
        final ShmConfiguration configuration = new ShmConfiguration(
            ShmConfiguration.DEFAULT_RING_CAPACITY, 4, ShmConfiguration.DEFAULT_EAGER_LIMIT, ShmTestSupport.DIRECTORY);
        try (ShmTransport transport = ShmTestSupport.open(jobId, 1, configuration))
        {
            final Connection back =
                ShmTestSupport.connectWhenReady(transport, ShmTestSupport.addressOf(jobId, 0), null);
            final LastValue ping = new LastValue();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline)
            {
                if (0 != transport.poll(ping, 1))
                {
                    if (STOP == ping.value)
                    {
                        return;
                    }
                    send(back, ping.value);
                }
            }
        }
    }
}
