package io.mpi4j.ci;

import io.mpi4j.ci.jobs.AllPairs;
import io.mpi4j.ci.jobs.CommAttributes;
import io.mpi4j.ci.jobs.CommDup;
import io.mpi4j.ci.jobs.CommIntercomm;
import io.mpi4j.ci.jobs.CommSplit;
import io.mpi4j.ci.jobs.NonOvertaking;
import io.mpi4j.ci.jobs.Probe;
import io.mpi4j.ci.jobs.Ring;
import io.mpi4j.ci.jobs.SpawnParent;
import io.mpi4j.ci.jobs.SyncSend;
import io.mpi4j.ci.jobs.Truncation;
import io.mpi4j.ci.jobs.Wildcard;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The point-to-point, communicator and spawn jobs again, at 2 and 4 ranks, with RDMA forced between ranks of one
 * node ({@code MPI4J_TRANSPORT=rdma}, as {@code mpi4jrun --transport rdma}). Runs where an RDMA device exists: in CI,
 * inside the Soft-RoCE virtual machine (ci/rdma-vm-tests.sh); elsewhere it is skipped. Every job also asks each rank
 * which transport reaches each peer and checks that it is RDMA, so a silent fallback cannot pass.
 */
@Tag("rdma")
@EnabledIfEnvironmentVariable(named = "MPI4J_TRANSPORT", matches = "rdma")
class RdmaJobsTest
{
    private static MpiJob.Result run(final int ranks, final Class<?> main, final String... args)
    {
        final MpiJob.Result result = MpiJob.of(ranks, main).args(args).launcherOptions("--report-transports")
            .timeout(Duration.ofSeconds(120)).run();
        assertAllOk(result, ranks);
        assertOverRdma(result, ranks);
        return result;
    }

    private static void assertOverRdma(final MpiJob.Result result, final int ranks)
    {
        for (int rank = 0; rank < ranks; rank++)
        {
            final String prefix = "mpi4j: rank " + rank + " on ";
            final String report = result.err(rank).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
            assertTrue(report != null && !report.contains(":shm") && report.contains(":rdma"),
                "rank " + rank + " does not reach its peers over RDMA: " + report + "\n" + result.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void ringPassesTheToken(final int ranks)
    {
        final MpiJob.Result result = run(ranks, Ring.class, "3");
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK ring rank=0 size=" + ranks)),
            result::describe);
    }

    /** Random sizes up to 8 MiB: eager, rendezvous by RDMA READ (direct buffers) and by streamed frames (arrays). */
    @ParameterizedTest(name = "{0} at {1} ranks")
    @CsvSource({"direct,2", "array,2", "nonblocking-direct,4"})
    void allPairsExchangeRandomSizesAndTags(final String mode, final int ranks)
    {
        final MpiJob.Result result = MpiJob.of(ranks, AllPairs.class).args(mode).launcherOptions("--report-transports")
            .timeout(Duration.ofSeconds(240)).run();
        assertAllOk(result, ranks);
        assertOverRdma(result, ranks);
    }

    @Test
    void pointToPointSemantics()
    {
        run(2, NonOvertaking.class);
        run(2, SyncSend.class);
        run(2, Truncation.class);
        run(2, Probe.class);
        run(4, Wildcard.class);
    }

    /** Each job at one size to keep the emulated run short; the shared-memory suite covers 2, 4 and 8. */
    @Test
    void communicators()
    {
        run(2, CommDup.class);
        run(2, CommSplit.class);
        run(4, CommIntercomm.class);
        run(4, CommAttributes.class, "copy-per-attribute");
    }

    @ParameterizedTest(name = "{0} parents spawn {1} children")
    @CsvSource({"1,1", "2,2"})
    void spawnedChildrenAnswerOverRdma(final int parents, final int children)
    {
        final MpiJob.Result result = MpiJob.of(parents, SpawnParent.class).args("basic", Integer.toString(children))
            .launcherOptions("--universe-size", "8").timeout(Duration.ofSeconds(120)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertFalse(result.timedOut(), result.describe());
        for (int rank = 0; rank < parents; rank++)
        {
            assertTrue(result.out(rank).contains("OK basic rank " + rank), result.describe());
        }
    }
}
