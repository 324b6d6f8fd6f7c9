package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.ShrinkAfterFailure;
import io.mpi4j.ci.jobs.UlfmAlone;
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
        survive(2, "blocking");
    }

    /** The same with non-blocking collectives, and rank 0 (the root of their binomial steps) dying. */
    @Test
    void survivorsOfRankZeroShrinkAndFinishANonBlockingCollectiveLoop() throws InterruptedException
    {
        survive(0, "nonblocking");
    }

    private static void survive(final int victim, final String mode) throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.of(4, ShrinkAfterFailure.class)
            .args("200", "50", Integer.toString(victim), mode)
            .launcherOptions("--enable-recovery").timeout(Duration.ofSeconds(120)).run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        final int[] survivors = java.util.stream.IntStream.range(0, 4).filter(r -> r != victim).toArray();
        for (final int rank : survivors)
        {
            assertTrue(result.out(rank).stream().anyMatch(l -> l.startsWith("OK rank " + rank + " survivors 3")),
                () -> "rank " + rank + " did not recover\n" + result.describe());
            assertTrue(result.out(rank).stream().anyMatch(l -> l.startsWith("ERROR ")),
                () -> "rank " + rank + " saw no error\n" + result.describe());
        }
        assertTrue(java.util.Arrays.stream(survivors).anyMatch(r ->
                result.out(r).stream().anyMatch(l -> l.startsWith("ERROR PROC_FAILED"))),
            () -> "some survivor saw ERR_PROC_FAILED\n" + result.describe());
        assertEquals(7, result.exitCode(), result::describe);
        final String launcher = launcherText(result);
        assertTrue(launcher.contains("rank " + victim + " (pid") && launcher.contains("went on"), result::describe);
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

    /** Revoke, agree and shrink work where nothing failed, with or without the option, and in a singleton. */
    @Test
    void ulfmCallsWorkWithoutFailuresInJobsAndSingletons()
    {
        assertAllOk(MpiJob.of(3, UlfmAlone.class).launcherOptions("--enable-recovery").run(), 3);
        assertAllOk(MpiJob.of(2, UlfmAlone.class).run(), 2);
        assertAllOk(MpiJob.singleton(UlfmAlone.class).run(), 1);
    }
}
