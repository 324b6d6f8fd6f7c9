package io.mpi4j.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by the job tests. */
final class JobAssertions
{
    private JobAssertions()
    {
    }

    /** Exit 0, no harness timeout, and every rank printed a line starting with "OK". */
    static MpiJob.Result assertAllOk(final MpiJob.Result result, final int ranks)
    {
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        assertEquals(0, result.exitCode(), () -> "job failed\n" + result.describe());
        for (int r = 0; r < ranks; r++)
        {
            final int rank = r;
            assertTrue(result.out(rank).stream().anyMatch(l -> l.startsWith("OK")),
                () -> "rank " + rank + " printed no OK line\n" + result.describe());
        }
        return result;
    }

    /** The job failed (non-zero exit) without hanging. */
    static void assertFailedFast(final MpiJob.Result result, final Duration within)
    {
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        assertTrue(result.exitCode() != 0, () -> "job should have failed\n" + result.describe());
        assertTrue(result.elapsed().compareTo(within) < 0,
            () -> "job took " + result.elapsed().toMillis() + " ms to fail\n" + result.describe());
    }

    /** Job id printed by the ranks ("JOB <id>"), the same on all ranks that printed it. */
    static String jobId(final MpiJob.Result result, final int ranks)
    {
        String id = null;
        for (int r = 0; r < ranks; r++)
        {
            final String v = result.value(r, "JOB ");
            if (v != null)
            {
                if (id != null && !id.equals(v))
                {
                    fail("ranks disagree on the job id: " + id + " vs " + v + "\n" + result.describe());
                }
                id = v;
            }
        }
        if (id == null || id.equals("null"))
        {
            fail("no rank printed its job id\n" + result.describe());
        }
        return id;
    }

    static List<Long> pids(final MpiJob.Result result, final int ranks)
    {
        final List<Long> pids = new ArrayList<>();
        for (int r = 0; r < ranks; r++)
        {
            final String v = result.value(r, "PID ");
            if (v != null)
            {
                pids.add(Long.parseLong(v));
            }
        }
        return pids;
    }

    /** Nothing of the job left: no /dev/shm/mpi4j-<jobId>* file, no rank process alive. */
    static void assertNothingLeft(final MpiJob.Result result, final int ranks) throws InterruptedException
    {
        final String jobId = jobId(result, ranks);
        final List<Long> pids = pids(result, ranks);
        final List<Long> alive = MpiJob.survivors(pids, Duration.ofSeconds(3));
        assertTrue(alive.isEmpty(), () -> "rank processes still alive: " + alive + "\n" + result.describe());
        final List<String> files = MpiJob.shmFilesOf(jobId);
        assertTrue(files.isEmpty(), () -> "left in /dev/shm: " + files + "\n" + result.describe());
    }

    /** The job ended within {@code limit} of rank {@code rank} printing "DYING_AT <epoch ms>". */
    static void assertEndedSoonAfterDeath(final MpiJob.Result result, final int rank, final Duration limit)
    {
        final String at = result.value(rank, "DYING_AT ");
        assertTrue(at != null, () -> "rank " + rank + " did not print DYING_AT\n" + result.describe());
        final long lag = result.endedAtMillis() - Long.parseLong(at);
        assertTrue(lag < limit.toMillis(), () -> "the job ended " + lag + " ms after rank " + rank + " died\n"
            + result.describe());
    }

    static String launcherText(final MpiJob.Result result)
    {
        return String.join("\n", result.launcherLines());
    }
}
