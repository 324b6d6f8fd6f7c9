package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.LargeMessage;
import io.mpi4j.ci.jobs.ManyRanks;
import io.mpi4j.ci.jobs.SingletonSelf;
import io.mpi4j.ci.jobs.Soak;
import io.mpi4j.ci.jobs.ThreadMultiple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Load and scale: many ranks on few cores, a million messages, threads, a 256 MiB message, a singleton. */
@Timeout(300)
class ScaleJobsTest
{
    @Test
    void sixteenRanksOnTwoCores()
    {
        assertAllOk(MpiJob.of(16, ManyRanks.class).jvm("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1")
            .timeout(Duration.ofSeconds(180)).run(), 16);
    }

    @Test
    void soakOfAMillionMessagesWithChecksums()
    {
        assertAllOk(MpiJob.of(2, Soak.class).args("1000000").timeout(Duration.ofSeconds(240)).run(), 2);
    }

    @Test
    void threadMultipleConcurrentSendRecv()
    {
        assertAllOk(MpiJob.of(2, ThreadMultiple.class).timeout(Duration.ofSeconds(120)).run(), 2);
    }

    @Test
    void messageOf256MiBThroughA1MiBRing()
    {
        assertAllOk(MpiJob.of(2, LargeMessage.class).args("256").jvm("-Xmx1200m")
            .env("MPI4J_SHM_RING_SIZE", Integer.toString(1 << 20)).timeout(Duration.ofSeconds(120)).run(), 2);
    }

    @Test
    void singletonWithoutTheLauncherTalksToItself() throws InterruptedException
    {
        final MpiJob.Result result = MpiJob.singleton(SingletonSelf.class).timeout(Duration.ofSeconds(60)).run();
        assertFalse(result.timedOut(), result::describe);
        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.out(0).contains("OK singleton"), result::describe);
        // A singleton's job id is "s<pid>-<hex>" (JobEnvironment.singleton()); none of its files may remain.
        final String prefix = "s" + result.value(0, "PID ") + "-";
        assertTrue(MpiJob.shmFilesOf(prefix).isEmpty(), () -> "singleton left " + MpiJob.shmFilesOf(prefix));
    }
}
