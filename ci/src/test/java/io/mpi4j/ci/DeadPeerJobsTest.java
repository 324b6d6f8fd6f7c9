package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.mpi4j.ci.jobs.DieAfterRendezvous;
import io.mpi4j.ci.jobs.DieInCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rank dies while the others are inside a one-sided synchronisation (fence, lock, flush) or a collective file
 * write: never a hang. With {@code --enable-recovery} every survivor gets MPI_ERR_PROC_FAILED from that very call
 * (also a survivor that waited on another survivor, not on the dead rank) and finalizes; without it the launcher
 * ends the job at once, naming the rank.
 * Either way the job ends with the dead rank's status and leaves nothing behind.
 */
@Timeout(180)
class DeadPeerJobsTest
{
    private static final int RANKS = 4;
    private static final int VICTIM = 1;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fence", "lock", "flush", "writeAll"})
    void survivorsOfADeathInTheCallGetAnErrorAndFinish(final String call) throws Exception
    {
        final MpiJob job = MpiJob.of(RANKS, DieInCall.class).args(call, dir.toString())
            .launcherOptions("--enable-recovery").timeout(Duration.ofSeconds(90));
        if ("flush".equals(call))
        {
            // the victim, asleep, must not serve the put rank 0's flush waits for
            job.env("MPI4J_RMA_PROGRESS", "off");
        }
        final MpiJob.Result result = job.run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        for (int rank = 0; rank < RANKS; rank++)
        {
            if (VICTIM == rank)
            {
                continue;
            }
            final int r = rank;
            final List<String> errors = result.out(rank).stream().filter(l -> l.startsWith("ERROR ")).toList();
            assertEquals(1, errors.size(), () -> "rank " + r + " saw no error\n" + result.describe());
            assertTrue(errors.get(0).startsWith("ERROR " + call + " 75 "), () -> "rank " + r + " should see " +
                "MPI_ERR_PROC_FAILED from " + call + "\n" + result.describe());
            assertTrue(result.out(rank).contains("SURVIVED rank=" + rank), () -> "rank " + r + " did not go on\n" +
                result.describe());
            assertFalse(result.out(rank).stream().anyMatch(l -> l.startsWith("NOT REACHED")), result::describe);
        }
        assertEquals(3, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("rank " + VICTIM + " (pid"), result::describe);
        assertNothingLeft(result, RANKS);
        assertEquals(List.of(), leftovers(), "files left by the job");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fence", "lock", "writeAll"})
    void withoutRecoveryADeathInTheCallEndsTheJobNamingTheRank(final String call) throws Exception
    {
        final MpiJob.Result result = MpiJob.of(RANKS, DieInCall.class).args(call, dir.toString())
            .timeout(Duration.ofSeconds(90)).run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        assertEquals(3, result.exitCode(), result::describe);
        assertTrue(launcherText(result).contains("rank " + VICTIM + " (pid"), result::describe);
        JobAssertions.assertEndedSoonAfterDeath(result, VICTIM, Duration.ofSeconds(15));
        assertNothingLeft(result, RANKS);
    }

    /**
     * A rendezvous from a direct buffer whose sender dies before the receive is posted: the receiver, which would
     * read the data out of the sender's memory, gets MPI_ERR_PROC_FAILED instead and goes on.
     */
    @Test
    void aSingleCopyRendezvousFromADeadSenderFailsTheReceive() throws Exception
    {
        final MpiJob.Result result = MpiJob.of(2, DieAfterRendezvous.class).args("1000")
            .launcherOptions("--enable-recovery").timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), () -> "job hung\n" + result.describe());
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("ERROR recv 75 ")), result::describe);
        assertTrue(result.out(0).contains("SURVIVED rank=0"), result::describe);
        assertEquals(3, result.exitCode(), result::describe);
        assertNothingLeft(result, 2);
    }

    private List<String> leftovers() throws IOException
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("die-in-write")).toList();
        }
    }
}
