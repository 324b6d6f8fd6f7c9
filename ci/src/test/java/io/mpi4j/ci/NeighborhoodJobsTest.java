package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.Neighborhood;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Distributed graphs and the neighbourhood collectives on Cartesian, graph and distributed-graph communicators, a
 * real job at 2, 3 and 4 ranks (2 and 3 give grid dimensions whose two neighbours are one process). Data are
 * checked inside the job against the standard's neighbour order.
 */
@Timeout(180)
class NeighborhoodJobsTest
{
    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3, 4})
    void neighbourhoodCollectivesFollowEachTopologysNeighbourOrder(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, Neighborhood.class).timeout(Duration.ofSeconds(150)).run(), ranks);
        assertTrue(result.out(0).contains("OK neighborhood rank=0 size=" + ranks), result::describe);
    }
}
