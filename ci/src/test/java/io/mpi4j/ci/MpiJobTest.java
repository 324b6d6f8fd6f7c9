package io.mpi4j.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.mpi4j.ci.jobs.Ring;
import org.junit.jupiter.api.Test;

/** The harness itself: output splitting by rank and the command it builds. */
class MpiJobTest
{
    @Test
    void splitsTaggedOutputByRankAndKeepsLauncherLines()
    {
        final MpiJob.Result result = new MpiJob.Result("cmd", 3, false, Duration.ofMillis(5), 0L,
            List.of("[1,0]<stdout>: OK zero", "[1,12]<stdout>: twelve: with colon", "plain launcher line"),
            List.of("[1,1]<stderr>: boom", "mpi4jrun: rank 1 (pid 7) exited with status 3"));
        assertEquals(List.of("OK zero"), result.out(0));
        assertEquals(List.of("twelve: with colon"), result.out(12));
        assertEquals(List.of("boom"), result.err(1));
        assertEquals(List.of(), result.out(5));
        assertEquals("zero", result.value(0, "OK "));
        assertEquals(List.of("plain launcher line", "mpi4jrun: rank 1 (pid 7) exited with status 3"),
            result.launcherLines());
    }

    @Test
    void commandRunsTheLauncherWithTagOutputTimeoutAndFlags()
    {
        final List<String> cmd = MpiJob.of(3, Ring.class).args("5").jvm("-Xmx64m").env("A", "b")
            .timeout(Duration.ofSeconds(42)).command();
        final String line = String.join(" ", cmd);
        assertTrue(line.contains(MpiJob.LAUNCHER_MAIN + " -n 3 --tag-output --timeout 42 -x A=b "), line);
        // more ranks than cores: without MPI_Init's rehearsal unless the test sets it
        assertEquals(3 > Runtime.getRuntime().availableProcessors(),
            line.contains(" -x A=b -x MPI4J_INIT_REHEARSAL=0 java "), line);
        final String forced = String.join(" ", MpiJob.of(3, Ring.class).env("MPI4J_INIT_REHEARSAL", "1").command());
        assertFalse(forced.contains("MPI4J_INIT_REHEARSAL=0"), forced);
        assertTrue(line.endsWith("-Xmx64m -cp " + MpiJob.testClassPath() + " " + Ring.class.getName() + " 5"), line);
        assertEquals(2, cmd.stream().filter("--add-opens"::equals).count(), line);
    }
}
