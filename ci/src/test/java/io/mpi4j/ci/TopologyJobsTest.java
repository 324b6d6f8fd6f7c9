package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.TopoCart;
import io.mpi4j.ci.jobs.TopoGraph;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cartesian and graph topologies, each a real job at 2, 4 and 8 ranks. */
@Timeout(180)
class TopologyJobsTest
{
    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 4, 8})
    void cartesianGridsShiftSubDupAndRejectBadInput(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, TopoCart.class).timeout(Duration.ofSeconds(120)).run(), ranks);
        final String dims = 2 == ranks ? "2x1" : 4 == ranks ? "2x2" : "4x2";
        assertTrue(result.out(0).contains("OK topo-cart rank=0 size=" + ranks + " dims=" + dims), result::describe);
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 4, 8})
    void graphRingAndStarNeighboursDupAndRejectBadInput(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, TopoGraph.class).timeout(Duration.ofSeconds(120)).run(), ranks);
        assertTrue(result.out(0).contains("OK topo-graph rank=0 size=" + ranks), result::describe);
    }
}
