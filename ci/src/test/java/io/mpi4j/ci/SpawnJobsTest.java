package io.mpi4j.ci;

import io.mpi4j.ci.jobs.SpawnParent;
import io.mpi4j.ci.jobs.SpawnWithoutLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dynamic processes: MPI_Comm_spawn and friends, as real jobs whose children are started by the launcher. */
class SpawnJobsTest
{
    private static MpiJob.Result run(final int parents, final String... args)
    {
        return run(parents, 16, args);
    }

    private static MpiJob.Result run(final int parents, final int universe, final String... args)
    {
        final MpiJob.Result result = MpiJob.of(parents, SpawnParent.class).args(args)
            .launcherOptions("--universe-size", Integer.toString(universe))
            .timeout(Duration.ofSeconds(90)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertFalse(result.timedOut(), result.describe());
        for (int rank = 0; rank < parents; rank++)
        {
            assertTrue(result.out(rank).contains("OK " + args[0] + " rank " + rank), result.describe());
        }
        return result;
    }

    @ParameterizedTest(name = "{0} parents spawn {1} children")
    @CsvSource({ "1,1", "1,4", "3,1", "3,4" })
    void spawnsChildrenThatAnswerEveryParent(final int parents, final int children)
    {
        final MpiJob.Result result = run(parents, "basic", Integer.toString(children));
        assertTrue(result.stdout().stream().noneMatch(line -> line.contains("<stderr>") && line.startsWith("[2,")),
            result.describe());
    }

    @Test
    void singletonSpawns()
    {
        final MpiJob.Result result = MpiJob.singleton(SpawnParent.class).args("basic", "2")
            .env("MPI4J_UNIVERSE_SIZE", "3").timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("OK basic rank 0"), result.describe());
    }

    @Test
    void singletonWithoutTheLauncherOnItsClassPathCannotSpawnButGoesOn()
    {
        final String withoutLauncher = java.util.Arrays.stream(MpiJob.testClassPath().split(java.io.File.pathSeparator))
            .filter(entry -> !entry.contains("mpi4j-launcher-") && !entry.replace('\\', '/').contains("launcher/target/")
                && !java.nio.file.Path.of(entry).getFileName().toString().startsWith("picocli-"))
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        final MpiJob.Result result = MpiJob.singleton(SpawnWithoutLauncher.class).classPath(withoutLauncher)
            .timeout(Duration.ofSeconds(60)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().stream().anyMatch(line -> line.startsWith("SPAWN FAILED: ") &&
            line.contains("mpi4j-launcher")), result.describe());
        assertTrue(result.stdout().contains("OK still usable"), result.describe());
    }

    @Test
    void abortingParentKillsItsChildren() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(1, SpawnParent.class).args("abort")
            .launcherOptions("--universe-size", "4").timeout(Duration.ofSeconds(60)).run();
        assertEquals(5, result.exitCode(), result.describe());
        final java.util.List<Long> pids = new java.util.ArrayList<>();
        for (final String line : result.stdout())
        {
            final int at = line.indexOf("CHILDPID ");
            if (line.startsWith("[2,0]") && at >= 0)
            {
                pids.add(Long.parseLong(line.substring(at + 9).trim()));
            }
        }
        assertEquals(1, pids.size(), result.describe());
        assertTrue(MpiJob.survivors(pids, Duration.ofSeconds(5)).isEmpty(), "child killed: " + result.describe());
    }

    @Test
    void spawnMultipleSharesOneWorldWithAppnum()
    {
        run(1, "multi");
    }

    @Test
    void mergeOrdersGroupsByHigh()
    {
        run(2, "merge");
    }

    @Test
    void mergeWithEqualHighIsConsistentAcrossJobs()
    {
        run(2, "mergeSameHigh");
    }

    @Test
    void wdirPathAndEnvReachTheChildren()
    {
        run(1, "wdir");
    }

    @Test
    void badInputRaisesWithoutHangingOrKillingTheParent()
    {
        run(1, "bad");
    }

    @Test
    void oversubscribeLetsSpawnGoBeyondTheUniverse()
    {
        final MpiJob.Result result = MpiJob.of(1, SpawnParent.class).args("basic", "3")
            .launcherOptions("--universe-size", "1", "--oversubscribe").timeout(Duration.ofSeconds(90)).run();
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.out(0).contains("OK basic rank 0"), result.describe());
    }

    @Test
    void softSpawnFillsTheUniverse()
    {
        run(1, 3, "soft");
    }

    @Test
    void childCrashingBeforeInitGivesErrSpawn()
    {
        run(1, "crash");
    }

    @Test
    void nestedSpawn()
    {
        final MpiJob.Result result = run(1, "nested");
        assertTrue(result.stdout().stream().anyMatch(line -> line.startsWith("[2,0]") && line.endsWith("NESTED-OK")),
            result.describe());
    }

    @Test
    void portsConnectAcceptAndNames()
    {
        run(4, "ports");
    }

    @Test
    void spawnDisconnectLoopLeaksNothing()
    {
        run(1, "leak", "20");
    }
}
