package io.mpi4j.ci;

import io.mpi4j.ci.jobs.AllPairs;
import io.mpi4j.ci.jobs.CollReduce;
import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.LargeMessage;
import io.mpi4j.ci.jobs.NonOvertaking;
import io.mpi4j.ci.jobs.Ring;
import io.mpi4j.ci.jobs.Soak;
import io.mpi4j.ci.jobs.SpawnParent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static io.mpi4j.ci.JobAssertions.assertFailedFast;
import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Point-to-point and collective jobs with the TCP transport forced between ranks of one node
 * ({@code mpi4jrun --transport tcp}): every job asks each rank which transport reaches each peer and checks that it
 * is TCP, so a silent fallback to shared memory cannot pass.
 */
@Timeout(300)
class TcpJobsTest
{
    private static MpiJob tcpJob(final int ranks, final Class<?> main, final String... args)
    {
        return MpiJob.of(ranks, main).args(args).launcherOptions("--transport", "tcp", "--report-transports");
    }

    private static MpiJob.Result run(final MpiJob job, final int ranks)
    {
        final MpiJob.Result result = job.run();
        assertAllOk(result, ranks);
        assertOverTcp(result, ranks);
        return result;
    }

    static void assertOverTcp(final MpiJob.Result result, final int ranks)
    {
        for (int rank = 0; rank < ranks; rank++)
        {
            final String prefix = "mpi4j: rank " + rank + " on ";
            final String report = result.err(rank).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
            assertTrue(report != null && !report.contains(":shm") && !report.contains(":rdma"),
                "rank " + rank + " does not reach its peers over TCP: " + report + "\n" + result.describe());
            for (int peer = 0; peer < ranks; peer++)
            {
                assertTrue(report.contains(" " + peer + ":tcp"), "rank " + rank + " to " + peer + ": " + report);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void ringPassesTheToken(final int ranks)
    {
        final MpiJob.Result result = run(tcpJob(ranks, Ring.class, "20").timeout(Duration.ofSeconds(60)), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK ring rank=0 size=" + ranks)),
            result::describe);
    }

    /** Random sizes up to 8 MiB: eager and rendezvous, arrays and direct buffers, blocking and not. */
    @ParameterizedTest(name = "{0} at {1} ranks")
    @CsvSource({"array,2", "direct,2", "nonblocking,4"})
    void allPairsExchangeRandomSizesAndTags(final String mode, final int ranks)
    {
        run(tcpJob(ranks, AllPairs.class, mode).timeout(Duration.ofSeconds(240)), ranks);
    }

    /** A job of one sender and one receiver. */
    @Test
    void messagesDoNotOvertake()
    {
        run(tcpJob(2, NonOvertaking.class).timeout(Duration.ofSeconds(60)), 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void reductions(final int ranks)
    {
        final MpiJob.Result result = run(tcpJob(ranks, CollReduce.class).timeout(Duration.ofSeconds(200)), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK reduce rank=0 size=" + ranks)),
            result::describe);
    }

    @Test
    void aLargeMessageGoesThereAndBack()
    {
        run(tcpJob(2, LargeMessage.class, "64").jvm("-Xmx600m").timeout(Duration.ofSeconds(120)), 2);
    }

    /** Many small messages with back-pressure: the receiver is slower than the sender. */
    @Test
    void soak()
    {
        run(tcpJob(2, Soak.class, "200000").timeout(Duration.ofSeconds(180)), 2);
    }

    @Test
    void theEnvironmentVariableForcesTcpToo()
    {
        final MpiJob.Result result = MpiJob.of(2, Ring.class).args("3").env("MPI4J_TRANSPORT", "tcp")
            .env("MPI4J_REPORT_TRANSPORTS", "1").timeout(Duration.ofSeconds(60)).run();
        assertAllOk(result, 2);
        assertOverTcp(result, 2);
    }

    /** Parents and children are different jobs with different secrets: the listener's key still lets them in. */
    @Test
    void spawnedChildrenAnswerOverTcp()
    {
        final MpiJob.Result result = MpiJob.of(2, SpawnParent.class).args("basic", "2")
            .launcherOptions("--transport", "tcp", "--universe-size", "8").timeout(Duration.ofSeconds(120)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertFalse(result.timedOut(), result.describe());
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(result.out(rank).contains("OK basic rank " + rank), result.describe());
        }
    }

    /** A rank that dies while the others wait on it over TCP: the launcher ends the job, nothing is left behind. */
    @Test
    void aRankKilledMidJobEndsTheJobWithAClearLine() throws InterruptedException
    {
        final MpiJob.Result result = tcpJob(3, Crash.class, "halt").timeout(Duration.ofSeconds(60)).run();
        assertFailedFast(result, Duration.ofSeconds(30));
        assertEquals(3, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("rank 1"), () -> "summary names rank 1\n" + result.describe());
        assertNothingLeft(result, 3);
    }
}
