package io.mpi4j.ci;

import io.mpi4j.ci.jobs.Ring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a node without RDMA, the line "mpi4j: transport rdma unavailable: ..." is said only when it matters: under
 * {@code --report-transports}, when {@code --transport rdma} asks for it, or when the job spans nodes
 * ({@link MultiNodeJobsTest}); a plain job on one node has shared memory and stays quiet.
 */
class TransportNoticeJobsTest
{
    private static final String NOTICE = "mpi4j: transport rdma unavailable: ";

    @BeforeAll
    static void noRdmaDeviceHere() throws IOException
    {
        final Path devices = Path.of("/sys/class/infiniband");
        boolean none = true;
        if (Files.isDirectory(devices))
        {
            try (Stream<Path> list = Files.list(devices))
            {
                none = list.findAny().isEmpty();
            }
        }
        assumeTrue(none, "this node has an RDMA device: no notice to test");
    }

    private static long notices(final MpiJob.Result result)
    {
        return Stream.concat(result.stdout().stream(), result.stderr().stream()).filter(l -> l.contains(NOTICE)).count();
    }

    @Test
    void aJobOnOneNodeSaysNothingAboutRdma()
    {
        final MpiJob.Result result = JobAssertions.assertAllOk(MpiJob.of(3, Ring.class).args("5").run(), 3);
        assertEquals(0, notices(result), result::describe);
    }

    @Test
    void reportTransportsSaysItOnce()
    {
        final MpiJob.Result result = MpiJob.of(3, Ring.class).args("5").launcherOptions("--report-transports").run();
        assertEquals(0, result.exitCode(), result::describe);
        assertEquals(1, notices(result), result::describe);
        assertEquals(1, result.err(0).stream().filter(l -> l.startsWith(NOTICE)).count(), result::describe);
    }

    @Test
    void askingForRdmaSaysWhyItCannotBeHad()
    {
        final MpiJob.Result result = MpiJob.of(2, Ring.class).args("5").launcherOptions("--transport", "rdma")
            .timeout(Duration.ofSeconds(60)).run();
        assertNotEquals(0, result.exitCode(), result::describe);
        assertSaysWhyRdmaCannotBeHad(result);
    }

    @Test
    void mpi4jTransportRdmaSaysItToo()
    {
        final MpiJob.Result result = MpiJob.of(2, Ring.class).args("5").env("MPI4J_TRANSPORT", "rdma")
            .timeout(Duration.ofSeconds(60)).run();
        assertNotEquals(0, result.exitCode(), result::describe);
        assertSaysWhyRdmaCannotBeHad(result);
    }

    /**
     * Every rank fails MPI_Init when the only transport asked for is unusable, and the launcher ends the job at the
     * first failure: whichever rank fails first has said why (its error names the transport and the reason), and
     * rank 0's notice line, when it got that far, is said once, never once per rank.
     */
    private static void assertSaysWhyRdmaCannotBeHad(final MpiJob.Result result)
    {
        assertTrue(notices(result) <= 1, result::describe);
        assertTrue(Stream.concat(result.stdout().stream(), result.stderr().stream())
            .anyMatch(l -> l.contains(NOTICE) || l.contains("is not usable; rdma: ")), result::describe);
    }
}
