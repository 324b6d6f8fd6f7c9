package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

final class ShmTestSupport
{
    static final String NODE = "node-test";
    static final Path DIRECTORY = ShmConfiguration.defaultDirectory();

    private ShmTestSupport()
    {
    }

    static String newJobId()
    {
        return "t" + ProcessHandle.current().pid() + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    static ShmConfiguration configuration(final int ringCapacity, final int slots)
    {
        return new ShmConfiguration(ringCapacity, slots, InboxDescriptor.maxFrameLength(ringCapacity) / 2, DIRECTORY);
    }

    static ShmTransport open(final String jobId, final int index, final ShmConfiguration configuration)
        throws IOException
    {
        return ShmTransport.open(new TransportContext(jobId, index, NODE, "test"), configuration);
    }

    static List<Path> leftovers(final String jobId) throws IOException
    {
        try (Stream<Path> files = Files.list(DIRECTORY))
        {
            return files.filter(p -> p.getFileName().toString().startsWith("mpi4j-" + jobId))
                .collect(Collectors.toList());
        }
    }

    /** Start {@code main} in a new JVM with this JVM's class path and the flags Agrona needs. */
    static Process startJvm(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            main.getName()));
        command.addAll(List.of(args));
        // Not inherited: output written straight to a surefire fork's stdout corrupts its channel.
        final Path log = Files.createTempFile("mpi4j-shm-peer-", ".log");
        log.toFile().deleteOnExit();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        process.onExit().thenRun(() -> printAndDelete(main.getSimpleName(), log));
        return process;
    }

    private static void printAndDelete(final String name, final Path log)
    {
        try
        {
            for (final String line : Files.readAllLines(log))
            {
                System.out.println("[" + name + "] " + line);
            }
            Files.deleteIfExists(log);
        }
        catch (final IOException ignore)
        {
            // diagnostics only
        }
    }

    /**
     * Busy-wait step for tests: spin first, then yield, then park, so two polling processes still make progress when
     * the machine is oversubscribed (two cores shared with other builds).
     */
    static void idle(final int idleCount)
    {
        if (idleCount < 1_000)
        {
            Thread.onSpinWait();
        }
        else if (idleCount < 10_000)
        {
            Thread.yield();
        }
        else
        {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    /** Connect to {@code address}, retrying while the peer is still creating its inbox. */
    static Connection connectWhenReady(final ShmTransport transport, final String address, final Process peer)
        throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (true)
        {
            try
            {
                return transport.connect(address);
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline || (null != peer && !peer.isAlive()))
                {
                    throw ex;
                }
                Thread.sleep(5);
            }
        }
    }

    static String addressOf(final String jobId, final int index)
    {
        return ShmAddress.format(NODE, Inbox.inboxPath(DIRECTORY.toAbsolutePath(), jobId, index));
    }

    /** Claim, or poll {@code drain} until there is room; fail after a while. */
    static int claim(final Connection connection, final int length, final Runnable drain)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        for (int idle = 0; ; idle++)
        {
            final int index = connection.tryClaim(length);
            if (index >= 0)
            {
                return index;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("ring stayed full for 10 s");
            }
            drain.run();
            idle(idle);
        }
    }
}
