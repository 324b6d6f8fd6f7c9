package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;

import io.mpi4j.ci.jobs.HugeSpawn;
import io.mpi4j.ci.jobs.KvsFlood;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a careless user or a hostile local process can do to a job, and must not bring it down. */
@Timeout(180)
class HardeningJobsTest
{
    @Test
    void hugeSpawnsFailWithErrSpawnAndLeaveTheJobUsable()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, HugeSpawn.class)
            .launcherOptions("--universe-size", "8").timeout(Duration.ofSeconds(90)).run(), 2);
        assertFalse(launcherText(result).contains("OutOfMemoryError"), result::describe);
    }

    @Test
    void connectionsWithoutTheSecretNeitherExhaustTheLauncherNorStopTheJob()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, KvsFlood.class).args("400")
            .launcherOptions("--universe-size", "8").timeout(Duration.ofSeconds(90)).run(), 2);
        assertFalse(launcherText(result).contains("stopped accepting"), result::describe);
        assertFalse(launcherText(result).contains("OutOfMemoryError"), result::describe);
    }
}
