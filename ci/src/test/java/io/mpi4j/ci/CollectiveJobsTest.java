package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.CollInter;
import io.mpi4j.ci.jobs.CollMovement;
import io.mpi4j.ci.jobs.CollOnNode;
import io.mpi4j.ci.jobs.CollReduce;
import io.mpi4j.ci.jobs.CollSingleCopy;
import io.mpi4j.ci.jobs.DerivedPairReduce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Collective operations, each a real multi-process job at 2, 4 and 8 ranks, plus 3 ranks for the
 * algorithms' non-power-of-two paths. Results are checked inside the jobs against sequential references.
 */
@Timeout(240)
class CollectiveJobsTest
{
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void reductionsMatchASequentialFoldForEveryOperatorAndType(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, CollReduce.class).timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK reduce rank=0 size=" + ranks)),
            result::describe);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void predefinedOperatorsApplyPairByPairToDerivedTypesOfPairsAndComplexNumbers(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, DerivedPairReduce.class).timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK derived-pair-reduce rank=0 size=" + ranks)),
            result::describe);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void dataMovementCollectivesDeliverEveryBlockAndNeverMatchPointToPoint(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, CollMovement.class).timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK movement rank=0 size=" + ranks)),
            result::describe);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void onNodeCollectivesAreExactAcrossEveryStepBoundary(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, CollOnNode.class).timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK onnode rank=0 size=" + ranks)),
            result::describe);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void onNodeCollectivesReadLargeBlocksStraightFromEachOthersBuffers(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, CollSingleCopy.class).timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK collsinglecopy rank=0 size=" + ranks)),
            result::describe);
    }

    /**
     * The same collectives where the kernel refuses every read of another process's memory (credentials as in
     * {@code PointToPointJobsTest}): the members find out in the collective and go through the shared slots.
     */
    @Test
    void onNodeCollectivesGoThroughTheSlotsWhenTheKernelRefusesSingleCopy()
    {
        assumeTrue("root".equals(System.getProperty("user.name")) && SshFixture.onPath("setpriv"),
            "needs root and setpriv (util-linux) to run the job under credentials the kernel refuses to ptrace");
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, CollSingleCopy.class).args("refused")
            .launcherPrefix("setpriv", "--egid=65534", "--keep-groups", "--bounding-set=-sys_ptrace", "--")
            .timeout(Duration.ofSeconds(200)).run(), 2);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK collsinglecopy rank=0 size=2")),
            result::describe);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void intercommunicatorCollectivesCrossBetweenTheGroups(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, CollInter.class).timeout(Duration.ofSeconds(120)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK inter rank=0 size=" + ranks)),
            result::describe);
    }
}
