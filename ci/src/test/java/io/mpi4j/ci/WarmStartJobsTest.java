package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mpi4j.ci.jobs.JobFiles;
import io.mpi4j.ci.jobs.WinRehearsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MPI_Init's rehearsal of the hot paths, and the first window's rehearsal of one-sided calls: they leave nothing
 * behind, and jobs run as without them.
 */
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
    void rehearsalRunsRoundsAndSaysWhatItTook()
    {
        // Its budget is counted from the end of its set-up: a set-up that took the whole budget left no round run.
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, JobFiles.class).env("MPI4J_REHEARSAL", "1")
            .env("MPI4J_REHEARSAL_REPORT", "1").run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            final String report = result.err(rank).stream()
                .filter(line -> line.startsWith("mpi4j: rehearsal of the hot paths: ")).findFirst().orElse("");
            final Matcher rounds = ROUNDS.matcher(report);
            assertTrue(rounds.find(), result::describe);
            // A set-up slower than the whole budget (a host loaded many times over) leaves no time for rounds.
            assertTrue(Integer.parseInt(rounds.group(1)) > 0 || Integer.parseInt(rounds.group(2)) >= 1_000,
                result::describe);
            assertTrue(report.contains("MPI_Init held "), result::describe);
        }
    }

    private static final Pattern ROUNDS = Pattern.compile("hot paths: (\\d+) rounds, set-up (\\d+) ms");

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

    @Test
    void firstWindowRehearsesOnceAndLeavesOnlyTheProgramsFiles()
    {
        // on by default
        final MpiJob.Result on = assertAllOk(MpiJob.of(2, WinRehearsed.class)
            .env("MPI4J_WIN_REHEARSAL_REPORT", "1").run(), 2);
        final MpiJob.Result off = assertAllOk(MpiJob.of(2, WinRehearsed.class).env("MPI4J_WIN_REHEARSAL", "0")
            .env("MPI4J_WIN_REHEARSAL_REPORT", "1").run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            final int r = rank;
            final List<String> reports = on.err(rank).stream()
                .filter(line -> line.startsWith("mpi4j: rehearsal of one-sided calls: ")).toList();
            assertEquals(1, reports.size(), on::describe);
            final Matcher rounds = WINDOW_ROUNDS.matcher(reports.get(0));
            assertTrue(rounds.find() && Integer.parseInt(rounds.group(1)) > 0, on::describe);
            assertTrue(off.err(rank).stream().noneMatch(line -> line.contains("rehearsal of one-sided")),
                off::describe);
            // the rehearsal's own window is gone, its mapping too: the same files and mappings as without it
            for (final String what : new String[]{ "FILES-WINDOW", "FILES-FREED" })
            {
                assertEquals(off.value(r, what + " rank=" + r + " "), on.value(r, what + " rank=" + r + " "),
                    on::describe);
            }
        }
    }

    /** A job that forces another transport than shared memory gets no window rehearsal: its windows take that path. */
    @Test
    void noWindowRehearsalWhenATransportIsForced()
    {
        final MpiJob.Result forced = assertAllOk(MpiJob.of(2, WinRehearsed.class).env("MPI4J_TRANSPORT", "tcp")
            .env("MPI4J_WIN_REHEARSAL_REPORT", "1").run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            assertTrue(forced.err(rank).stream().noneMatch(line -> line.contains("rehearsal of one-sided")),
                forced::describe);
        }
    }

    private static final Pattern WINDOW_ROUNDS = Pattern.compile("one-sided calls: (\\d+) rounds");

    private static int result(final MpiJob.Result result, final int rank)
    {
        return result.out(rank).contains("FILES rank=" + rank + " -0,-1,-2,-3") ? 1 : 0;
    }
}
