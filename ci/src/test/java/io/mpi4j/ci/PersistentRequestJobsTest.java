package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;

import java.time.Duration;

import io.mpi4j.ci.jobs.PersistentHalo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Persistent requests (sendInit in each mode, recvInit, start, startAll, free) in real jobs: a halo exchange
 * restarted 100 times, eager and rendezvous, from arrays and direct buffers, then the restart rules and bad input;
 * one case in the Soft-RoCE VM (tag "rdma") over RDMA, where direct-buffer rendezvous is an RDMA READ.
 */
@Timeout(240)
class PersistentRequestJobsTest
{
    @ParameterizedTest
    @CsvSource({
        "2, standard, 64, array",
        "4, standard, 131072, direct",
        "2, synchronous, 40000, array",
        "4, synchronous, 64, direct",
        "2, ready, 64, array",
        "4, ready, 100000, direct",
        "2, buffered, 100000, direct",
        "4, buffered, 64, array",
    })
    void haloExchangeRestartsTheSameRequests(final int ranks, final String mode, final int bytes, final String kind)
    {
        assertAllOk(MpiJob.of(ranks, PersistentHalo.class).args(mode, Integer.toString(bytes), kind)
            .timeout(Duration.ofSeconds(120)).run(), ranks);
    }

    /**
     * In the Soft-RoCE VM, over RDMA: restarted rendezvous sends from a direct buffer, which the receiver reads with
     * RDMA READ each time (one case: an emulated guest runs a job in minutes).
     */
    @Test
    @Tag("rdma")
    void haloExchangeOverRdmaRestartsRemoteReads()
    {
        haloExchangeRestartsTheSameRequests(2, "standard", 65536, "direct");
    }
}
