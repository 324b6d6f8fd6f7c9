package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;

import io.mpi4j.ci.jobs.WinAtomicCounter;
import io.mpi4j.ci.jobs.WinBadInput;
import io.mpi4j.ci.jobs.WinCounter;
import io.mpi4j.ci.jobs.WinDerived;
import io.mpi4j.ci.jobs.WinInFlight;
import io.mpi4j.ci.jobs.WinNodeAccumulate;
import io.mpi4j.ci.jobs.WinShared;
import io.mpi4j.ci.jobs.WinThreads;
import io.mpi4j.ci.jobs.WinSync;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-sided communication (mpi.Win): every synchronisation mode and operation, atomicity, bad input. The cases
 * tagged "rdma" run again in the Soft-RoCE VM with RDMA forced (ci/rdma-vm-tests.sh), where puts, gets and atomics
 * take the RDMA path; the rdma-only cases check from each rank's report that they did.
 */
@Timeout(180)
class WindowJobsTest
{
    @ParameterizedTest
    @CsvSource({"fence,2", "fence,4", "pscw,2", "pscw,4", "lock,2", "lock,4", "lockall,2", "lockall,4"})
    void everyOperationUnderEverySynchronisationMode(final String mode, final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinSync.class).args(mode).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "fetch"})
    void ranksIncrementingOneCounterEndWithTheExactCount(final String how)
    {
        assertAllOk(MpiJob.of(4, WinCounter.class).args(how).run(), 4);
    }

    /** Request messages composed in reused scratch memory must not change while a queued send still holds them. */
    @ParameterizedTest
    @CsvSource({"shm,2", "shm,3", "tcp,2"})
    void manyRequestsInFlightEachLandWithItsOwnData(final String transport, final int ranks)
    {
        // without the progress thread a target serves only inside its own calls: the origins' rings fill, their
        // requests queue, and queued ones travel from pooled arrays
        assertAllOk(MpiJob.of(ranks, WinInFlight.class).launcherOptions("--transport", transport)
            .env("MPI4J_RMA_PROGRESS", "off").timeout(Duration.ofSeconds(240)).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void badInputReturnsItsErrorClassAndTheWindowStaysUsable(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinBadInput.class).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void sharedWindowPartsAreMappedByEveryRank(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinShared.class).run(), ranks);
    }

    /**
     * Accumulates into an allocated window on one node are applied by the origins to the shared segment: the
     * passive-target progress thread is off and the target makes no MPI call while they land, and the counters,
     * fetched values and compare-and-swap loops of several ranks end exact.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void accumulatesOnOneNodeAreAtomicWithoutTheTarget(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinNodeAccumulate.class).env("MPI4J_RMA_PROGRESS", "off").run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void datatypesWithGapsAtOriginAndTarget(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinDerived.class).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void threadsOfOneRankShareAnEpoch(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinThreads.class).run(), ranks);
    }

    /** Where RDMA is absent the same program checks its counters with rank 0 serving them (no proof of a path). */
    @Test
    void atomicCountersOfLongsEndExact()
    {
        assertAllOk(MpiJob.of(3, WinAtomicCounter.class).args("checked").run(), 3);
    }

    /**
     * Over RDMA: rank 0 makes no MPI call and has no progress thread while three ranks increment its counters, so
     * only verbs atomics can complete them; every origin's report counts its atomics.
     */
    @Test
    @Tag("rdma")
    @EnabledIfEnvironmentVariable(named = "MPI4J_TRANSPORT", matches = "rdma")
    void atomicsOverRdmaNeedNoTargetCpu()
    {
        final MpiJob.Result result = MpiJob.of(4, WinAtomicCounter.class).env("MPI4J_RMA_PROGRESS", "off")
            .launcherOptions("--report-transports").timeout(Duration.ofSeconds(240)).run();
        assertAllOk(result, 4);
        for (int rank = 1; rank < 4; rank++)
        {
            assertTrue(counted(result, rank, "atomics") > 0, "rank " + rank + " used no RDMA atomics\n" +
                result.describe());
        }
    }

    /** Over RDMA: puts and gets of every synchronisation mode went as RDMA WRITE and READ (each rank's report). */
    @ParameterizedTest
    @ValueSource(strings = {"fence", "pscw", "lock"})
    @Tag("rdma")
    @EnabledIfEnvironmentVariable(named = "MPI4J_TRANSPORT", matches = "rdma")
    void putsAndGetsOverRdma(final String mode)
    {
        final MpiJob.Result result = MpiJob.of(2, WinSync.class).args(mode).launcherOptions("--report-transports")
            .timeout(Duration.ofSeconds(240)).run();
        assertAllOk(result, 2);
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(counted(result, rank, "puts") > 0 && counted(result, rank, "gets") > 0,
                "rank " + rank + " did not put and get over RDMA\n" + result.describe());
        }
    }

    /** The count before {@code what} in the rank's "mpi4j: rank R window: ..." report, or -1 without one. */
    private static long counted(final MpiJob.Result result, final int rank, final String what)
    {
        final Pattern pattern = Pattern.compile("mpi4j: rank " + rank + " window: .*?(\\d+) " + what + "\\b");
        for (final String line : result.err(rank))
        {
            final Matcher m = pattern.matcher(line);
            if (m.find())
            {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }
}
