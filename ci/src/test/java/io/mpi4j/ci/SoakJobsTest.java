package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;

import java.time.Duration;

import io.mpi4j.ci.jobs.SoakMixed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A soak of mixed point-to-point traffic between 4 ranks. It runs 20 s by default; {@code -Dmpi4j.soak.seconds=600}
 * (or {@code MPI4J_SOAK_SECONDS=600}) makes it the 10-minute soak.
 */
class SoakJobsTest
{
    private static final double SECONDS = Double.parseDouble(System.getProperty("mpi4j.soak.seconds",
        System.getenv().getOrDefault("MPI4J_SOAK_SECONDS", "20")));

    @Test
    @Timeout(value = 3_600)
    void fourRanksExchangeRandomSizesAndTagsThroughEveryReceivePathWithEveryByteChecked()
    {
        assertAllOk(MpiJob.of(4, SoakMixed.class).args(Double.toString(SECONDS))
            .timeout(Duration.ofSeconds((long)SECONDS + 120)).run(), 4);
    }
}
