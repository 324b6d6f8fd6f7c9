package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.CollNonBlocking;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The non-blocking rooted and v-collectives, alltoallw and reduceLocal, each a real job at 2, 3 and 4 ranks (3 for
 * unequal intercommunicator groups). Data are checked inside the job.
 */
@Timeout(240)
class NonBlockingCollectiveJobsTest
{
    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3, 4})
    void nonBlockingCollectivesDeliverExactlyAloneOverlappingAndInPlace(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, CollNonBlocking.class).timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK nonblocking rank=0 size=" + ranks)),
            result::describe);
    }
}
