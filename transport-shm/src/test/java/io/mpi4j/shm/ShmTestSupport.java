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
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
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
        while (true)
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
        }
    }
}
