package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static io.mpi4j.ci.JobAssertions.assertEndedSoonAfterDeath;
import static io.mpi4j.ci.JobAssertions.assertFailedFast;
import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.Abort;
import io.mpi4j.ci.jobs.BadInput;
import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.FatalError;
import io.mpi4j.ci.jobs.OutsideInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors and failures: error classes under ERRORS_RETURN, fatal errors, crashes, MPI_Abort, cleanup. */
@Timeout(120)
class ErrorJobsTest
{
    @Test
    void everyBadArgumentRowReturnsItsErrorClassAndTheProcessStaysUsable()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, BadInput.class).run(), 2);
        assertTrue(result.out(0).stream().filter(l -> l.startsWith("ROW ")).count() >= 20, result::describe);
    }

    @Test
    void callsBeforeInitAndAfterFinalizeFailWithErrOther()
    {
        assertAllOk(MpiJob.of(2, OutsideInit.class).run(), 2);
    }

    @Test
    void fatalErrorHandlerAbortsTheJob() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(3, FatalError.class).timeout(Duration.ofSeconds(60)).run();
        assertFailedFast(result, Duration.ofSeconds(30));
        final String all = String.join("\n", result.stderr()) + "\n" + String.join("\n", result.stdout());
        assertTrue(all.contains("MPI_ERR_RANK"), () -> "the error is printed\n" + result.describe());
        assertTrue(result.stdout().stream().noneMatch(l -> l.contains("NOT REACHED")), result::describe);
        assertNothingLeft(result, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit", "halt"})
    void crashingRankEndsTheJobWithItsStatus(final String how) throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(3, Crash.class).args(how).timeout(Duration.ofSeconds(60)).run();
        assertFailedFast(result, Duration.ofSeconds(30));
        assertEquals(3, result.exitCode(), result::describe);
        final String summary = launcherText(result);
        assertTrue(summary.contains("rank 1"), () -> "summary names rank 1\n" + result.describe());
        assertEndedSoonAfterDeath(result, 1, Duration.ofSeconds(3));
        assertNothingLeft(result, 3);
    }

    @Test
    void mpiAbortKillsTheJobWithTheErrorCode() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(3, Abort.class).timeout(Duration.ofSeconds(60)).run();
        assertFailedFast(result, Duration.ofSeconds(30));
        assertEquals(5, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("rank 2"), () -> "summary names rank 2\n" + result.describe());
        assertTrue(launcherText(result).contains("MPI_Abort"), () -> "summary says MPI_Abort\n" + result.describe());
        assertEndedSoonAfterDeath(result, 2, Duration.ofSeconds(3));
        assertTrue(result.stdout().stream().noneMatch(l -> l.contains("NOT REACHED")), result::describe);
        assertNothingLeft(result, 3);
    }

    @Test
    void ranksThatAllAbortAtOnceFailTheJobWithTheErrorCode()
    {
        final MpiJob.Result result = MpiJob.of(2, Abort.class).args("all").timeout(Duration.ofSeconds(60)).run();
        assertFailedFast(result, Duration.ofSeconds(30));
        assertEquals(5, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("MPI_Abort"), () -> "summary says MPI_Abort\n" + result.describe());
    }
}
