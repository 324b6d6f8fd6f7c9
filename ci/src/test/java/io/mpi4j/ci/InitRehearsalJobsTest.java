package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mpi4j.ci.jobs.EarlyMessages;
import io.mpi4j.ci.jobs.JobFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MPI_Init's rehearsal of MPI calls among the ranks: every rank of a pair, and the last rank of an odd-sized job on
 * its own, runs its rounds; nothing of it is left (files) or reaches the program's messages; it is off on request
 * and, unless forced, with more than two ranks per core.
 */
@Timeout(240)
class InitRehearsalJobsTest
{
    private static final String REPORT = "mpi4j: rank ";
    private static final Pattern ROUNDS = Pattern.compile(
        "rehearsed MPI calls: (\\d+) pair rounds, (\\d+) collective rounds.*; then (\\d+) and (\\d+) more, " +
        "(\\d+) of small ping-pongs and (\\d+) of small collectives.*; then (\\d+) and (\\d+) more of each");

    @Test
    void everyRankRehearsesAndTheProgramsMessagesArriveIntact()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, JobFiles.class)
            .env("MPI4J_INIT_REHEARSAL_REPORT", "1").run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            assertRehearsed(result, rank);
            // only the job's inboxes: the rehearsal's communicator left no file
            assertTrue(result.out(rank).contains("FILES rank=" + rank + " -0,-1"), result::describe);
        }
    }

    @Test
    void theProgramsFirstMessagesOnCommWorldAreItsOwnWhileAPeerStillRehearses()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, EarlyMessages.class)
            .env("MPI4J_INIT_REHEARSAL_REPORT", "1").run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            assertRehearsed(result, rank);
        }
    }

    @Test
    void theLastRankOfAnOddJobRehearsesOnItsOwn()
    {
        // forced: three ranks may be more than two per core of this machine
        final MpiJob.Result result = assertAllOk(MpiJob.of(3, JobFiles.class).env("MPI4J_INIT_REHEARSAL", "1")
            .env("MPI4J_INIT_REHEARSAL_REPORT", "1").timeout(Duration.ofSeconds(120)).run(), 3);
        for (int rank = 0; rank < 3; rank++)
        {
            assertRehearsed(result, rank);
        }
    }

    @Test
    void twoRanksPerCoreRehearseUnforced()
    {
        final int ranks = 2 * Runtime.getRuntime().availableProcessors();
        final MpiJob.Result result = assertAllOk(MpiJob.of(ranks, JobFiles.class).defaultInitRehearsal()
            .env("MPI4J_INIT_REHEARSAL_REPORT", "1").timeout(Duration.ofSeconds(180)).run(), ranks);
        for (int rank = 0; rank < ranks; rank++)
        {
            assertRehearsed(result, rank);
        }
    }

    @Test
    void offOnRequestAndWithMoreThanTwoRanksPerCore()
    {
        final MpiJob.Result off = assertAllOk(MpiJob.of(2, JobFiles.class).env("MPI4J_INIT_REHEARSAL", "0")
            .env("MPI4J_INIT_REHEARSAL_REPORT", "1").run(), 2);
        final int ranks = 2 * Runtime.getRuntime().availableProcessors() + 1;
        final MpiJob.Result crowded = assertAllOk(MpiJob.of(ranks, JobFiles.class).defaultInitRehearsal()
            .env("MPI4J_INIT_REHEARSAL_REPORT", "1").timeout(Duration.ofSeconds(180)).run(), ranks);
        for (int rank = 0; rank < 2; rank++)
        {
            assertEquals(List.of(), reports(off, rank), off::describe);
        }
        for (int rank = 0; rank < ranks; rank++)
        {
            assertEquals(List.of(), reports(crowded, rank), crowded::describe);
        }
    }

    private static void assertRehearsed(final MpiJob.Result result, final int rank)
    {
        final List<String> reports = reports(result, rank);
        assertEquals(1, reports.size(), result::describe);
        final Matcher rounds = ROUNDS.matcher(reports.get(0));
        assertTrue(rounds.find(), result::describe);
        // both passes ran: the first, and the second once the compiler threads were idle, with its burst of small
        // collectives at the end, and then that burst again; on a loaded host the second pass's pair rounds may use
        // all of its budget, leaving none to its collective rounds (group 4); a rank without a partner (the last of
        // an odd-sized job) has no ping-pong bursts (groups 5 and 7)
        for (final int group : new int[] {1, 2, 3, 6, 8})
        {
            assertTrue(Integer.parseInt(rounds.group(group)) > 0, result::describe);
        }
    }

    private static List<String> reports(final MpiJob.Result result, final int rank)
    {
        return result.err(rank).stream().filter(line -> line.startsWith(REPORT) && line.contains("rehearsed MPI"))
            .toList();
    }
}
