package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.JobFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MPI_Init's rehearsal of the hot paths: it leaves nothing behind, and jobs run as without it. */
@Timeout(180)
class WarmStartJobsTest
{
    @Test
    void rehearsalLeavesOnlyTheJobsInboxes()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, JobFiles.class).env("MPI4J_REHEARSAL", "1").run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(result.out(rank).contains("FILES rank=" + rank + " -0,-1"), result::describe);
        }
    }

    @Test
    void fourRanksLeaveOnlyTheirInboxes()
    {
        // Four ranks: more than this machine's cores (no rehearsal, waiting backs off at once), or not (each
        // rank rehearses beside the others).
        final MpiJob.Result result = assertAllOk(MpiJob.of(4, JobFiles.class).env("MPI4J_REHEARSAL", "1").timeout(Duration.ofSeconds(120)).run(), 4);
        for (int rank = 0; rank < 4; rank++)
        {
            assertEquals(1, result(result, rank), result::describe);
        }
    }

    private static int result(final MpiJob.Result result, final int rank)
    {
        return result.out(rank).contains("FILES rank=" + rank + " -0,-1,-2,-3") ? 1 : 0;
    }
}
