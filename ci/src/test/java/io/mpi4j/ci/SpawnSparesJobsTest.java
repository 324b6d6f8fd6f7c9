package io.mpi4j.ci;

import io.mpi4j.ci.jobs.SpawnSpares;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spawn latency: the launcher's spare JVMs ({@code MPI4J_SPAWN_SPARES}, default 2) run spawned Java ranks
 * exactly as cold-started ones would, and are not used when the rank would see a difference.
 */
class SpawnSparesJobsTest
{
    private static MpiJob.Result run(final String mode)
    {
        final MpiJob.Result result = MpiJob.of(1, SpawnSpares.class).args(mode)
            .launcherOptions("--universe-size", "8").timeout(Duration.ofSeconds(90)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertFalse(result.timedOut(), result.describe());
        assertTrue(result.out(0).contains("OK " + mode), result.describe());
        return result;
    }

    @Test
    void spawnedRanksRunOnSparesWithTheirIdentityArgvAndLabelledOutput()
    {
        final MpiJob.Result result = run("spare");
        final List<String> lines = result.stdout();
        // Job 2 is the first spawn, job 3 the spawnMultiple on spares: its output carries its own labels.
        for (int rank = 0; rank < 3; rank++)
        {
            final String out = "[3," + rank + "]<stdout>: CHILD-OUT rank " + rank;
            final String err = "[3," + rank + "]<stderr>: CHILD-ERR rank " + rank;
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(out)), out + "\n" + result.describe());
            assertTrue(lines.stream().anyMatch(line -> line.equals(err)) ||
                result.stderr().stream().anyMatch(line -> line.equals(err)), err + "\n" + result.describe());
        }
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("[3,0]<stdout>: CHILD-OUT rank 0 spare=true") ||
            line.startsWith("[3,1]<stdout>: CHILD-OUT rank 1 spare=true")), result.describe());
    }

    @Test
    void aProgramThatCallsSpawnFindsASpareAtItsFirstSpawn()
    {
        run("primed");
    }

    @Test
    void aFirstSpawnThePredictionDoesNotFitReplacesIt()
    {
        run("mispredicted");
    }

    @Test
    void envInfoKeyOrOtherWdirStartsCold()
    {
        run("cold");
    }
}
