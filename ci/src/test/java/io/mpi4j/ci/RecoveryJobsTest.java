package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.ShrinkAfterFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code mpi4jrun --enable-recovery}: a rank's death is an error the others recover from (ULFM), never a hang. */
@Timeout(180)
class RecoveryJobsTest
{
    /**
     * Rank 2 of 4 halts mid-loop; the survivors get ERR_PROC_FAILED or ERR_REVOKED, revoke, shrink and finish the
     * loop with the sum over 3 ranks, finalize, and the job exits with the dead rank's status (as mpirun reports the
     * first process that terminated abnormally), with nothing left behind.
     */
    @Test
    void survivorsShrinkAndFinishTheLoopAfterARankDies() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(4, ShrinkAfterFailure.class).args("200", "50", "2")
            .launcherOptions("--enable-recovery").timeout(Duration.ofSeconds(120)).run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        for (final int rank : new int[]{ 0, 1, 3 })
        {
            assertTrue(result.out(rank).stream().anyMatch(l -> l.startsWith("OK rank " + rank + " survivors 3")),
                () -> "rank " + rank + " did not recover\n" + result.describe());
            assertTrue(result.out(rank).stream().anyMatch(l -> l.startsWith("ERROR ")),
                () -> "rank " + rank + " saw no error\n" + result.describe());
        }
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("ERROR PROC_FAILED")) ||
                result.out(1).stream().anyMatch(l -> l.startsWith("ERROR PROC_FAILED")) ||
                result.out(3).stream().anyMatch(l -> l.startsWith("ERROR PROC_FAILED")),
            () -> "some survivor saw ERR_PROC_FAILED\n" + result.describe());
        assertEquals(7, result.exitCode(), result::describe);
        final String launcher = launcherText(result);
        assertTrue(launcher.contains("rank 2") && launcher.contains("went on"), result::describe);
        assertNothingLeft(result, 4);
    }

    /** Without the option a death still ends the job at once (the behaviour of ErrorJobsTest). */
    @Test
    void withoutTheOptionADeathStillEndsTheJob() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(3, Crash.class).args("halt").timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        assertEquals(3, result.exitCode(), result::describe);
        assertFalse(launcherText(result).contains("went on"), result::describe);
        assertNothingLeft(result, 3);
    }

    /**
     * With the option, ranks blocked in a receive from a rank that dies get an error instead of being killed:
     * Crash's survivors take the ERRORS_ARE_FATAL default, so they abort, and the job fails fast, not hangs.
     */
    @Test
    void aFatalErrorOnTheDeathStillEndsTheJobFast() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(3, Crash.class).args("halt")
            .launcherOptions("--enable-recovery").timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        assertTrue(result.exitCode() != 0, result::describe);
        assertTrue(result.elapsed().compareTo(Duration.ofSeconds(40)) < 0, result::describe);
        assertNothingLeft(result, 3);
    }
}
