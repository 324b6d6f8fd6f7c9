package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.AllPairs;
import io.mpi4j.ci.jobs.BufferedSend;
import io.mpi4j.ci.jobs.Cancel;
import io.mpi4j.ci.jobs.Fairness;
import io.mpi4j.ci.jobs.NoAllocation;
import io.mpi4j.ci.jobs.NonOvertaking;
import io.mpi4j.ci.jobs.ProcNull;
import io.mpi4j.ci.jobs.Probe;
import io.mpi4j.ci.jobs.RequestReuse;
import io.mpi4j.ci.jobs.Requests;
import io.mpi4j.ci.jobs.Ring;
import io.mpi4j.ci.jobs.SendRecv;
import io.mpi4j.ci.jobs.SingleCopy;
import io.mpi4j.ci.jobs.SingleCopyRefused;
import io.mpi4j.ci.jobs.SyncSend;
import io.mpi4j.ci.jobs.Truncation;
import io.mpi4j.ci.jobs.Wildcard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Point-to-point semantics, each test a real multi-process job over the shared-memory transport. */
@Timeout(180)
class PointToPointJobsTest
{
    /**
     * A ping-pong whose requests and statuses the program does not keep allocates nothing once compiled: the
     * launcher's inlining hints keep the calls small enough to be inlined into the program's loop, where the JIT
     * takes the unkept objects apart (without them, 24 bytes a request and 40 a status).
     */
    @Test
    void messagesWhoseRequestsAndStatusesAreNotKeptAllocateNothing()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, NoAllocation.class).timeout(Duration.ofSeconds(120))
            .run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            for (final String kind : new String[]{ "nonblocking", "blocking" })
            {
                final String line = result.value(rank, "ALLOC " + kind + " ");
                assertTrue(line != null && Double.parseDouble(line) < 1.0,
                    () -> "bytes allocated per message, " + kind + ": " + line + "\n" + result.describe());
            }
        }
    }

    @Test
    void ringOfFourRanksPassesTheToken()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(4, Ring.class).args("3").run(), 4);
        assertTrue(result.out(0).contains("OK ring rank=0 size=4 token=30"), result::describe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"array", "heap", "direct", "double", "intbuf", "nonblocking", "nonblocking-direct"})
    void allPairsExchangeRandomSizesAndTags(final String mode)
    {
        assertAllOk(MpiJob.of(4, AllPairs.class).args(mode).timeout(Duration.ofSeconds(120)).run(), 4);
    }

    /** Contiguous messages in shared-memory fragments of 4 KiB: eager ones in EAGER_FIRST/MORE, rendezvous chunks. */
    @ParameterizedTest
    @ValueSource(strings = {"array", "direct", "nonblocking-direct"})
    void allPairsWithContiguousFragments(final String mode)
    {
        assertAllOk(MpiJob.of(4, AllPairs.class).args(mode).env("MPI4J_SHM_FRAGMENT_SIZE", "4k")
            .timeout(Duration.ofSeconds(120)).run(), 4);
    }

    /**
     * Rendezvous between direct buffers read by the receiver out of the sender's memory (single copy), and with it
     * off: the same job, the same bytes. --report-transports says which it was, so a silent fallback cannot pass.
     */
    @ParameterizedTest
    @ValueSource(strings = {"on", "off"})
    void directBuffersAreReadInOneCopyOrStreamed(final String singleCopy)
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(4, SingleCopy.class).env("MPI4J_SHM_SINGLE_COPY",
            singleCopy).launcherOptions("--report-transports").timeout(Duration.ofSeconds(120)).run(), 4);
        for (int rank = 0; rank < 4; rank++)
        {
            final String line = "rank " + rank + " single-copy reads through shm";
            assertEquals("on".equals(singleCopy), result.err(rank).stream().anyMatch(l -> l.contains(line)),
                result::describe);
        }
    }

    /**
     * Single copy on, but refused by the kernel: the job runs with a real group id other than its effective one
     * (the kernel treats it as a set-group-ID program's process) and without CAP_SYS_PTRACE, so that its ranks, though
     * root, may not ptrace each other and process_vm_readv fails with EPERM, as under Yama or between users. Each
     * receiver declines the read and the sender streams the message through the ring; every byte must arrive and the
     * pair must go on. The job checks that the refusal is in force before it sends anything.
     */
    @Test
    void directBuffersAreStreamedWhenTheKernelRefusesSingleCopy()
    {
        assumeTrue("root".equals(System.getProperty("user.name")) && SshFixture.onPath("setpriv"),
            "needs root and setpriv (util-linux) to run the job under credentials the kernel refuses to ptrace");
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, SingleCopyRefused.class)
            .launcherPrefix("setpriv", "--egid=65534", "--keep-groups", "--bounding-set=-sys_ptrace", "--")
            .env("MPI4J_SHM_SINGLE_COPY", "on").launcherOptions("--report-transports")
            .timeout(Duration.ofSeconds(120)).run(), 2);
        for (int rank = 0; rank < 2; rank++)
        {
            final String line = "rank " + rank + " single-copy reads through shm";
            assertTrue(result.err(rank).stream().anyMatch(l -> l.contains(line)), result::describe);
        }
    }

    @Test
    void messagesInFragmentsDoNotOvertake()
    {
        assertAllOk(MpiJob.of(2, NonOvertaking.class).env("MPI4J_SHM_FRAGMENT_SIZE", "4k").run(), 2);
    }

    @Test
    void wildcardReceivesReportSourceTagAndKeepOrder()
    {
        assertAllOk(MpiJob.of(4, Wildcard.class).run(), 4);
    }

    @Test
    void anySourceLoopEventuallySeesEverySender()
    {
        assertAllOk(MpiJob.of(4, Fairness.class).timeout(Duration.ofSeconds(90)).run(), 4);
    }

    @Test
    void messagesFromOneSourceDoNotOvertake()
    {
        assertAllOk(MpiJob.of(2, NonOvertaking.class).run(), 2);
    }

    @Test
    void synchronousSendWaitsForTheMatch()
    {
        assertAllOk(MpiJob.of(2, SyncSend.class).run(), 2);
    }

    @Test
    void truncatedReceiveFailsAndTheNextMessageIsIntact()
    {
        assertAllOk(MpiJob.of(2, Truncation.class).run(), 2);
    }

    @Test
    void probeIprobeMprobeImprobe()
    {
        assertAllOk(MpiJob.of(2, Probe.class).run(), 2);
    }

    @Test
    void requestsWaitAnyWaitAllTestAll()
    {
        assertAllOk(MpiJob.of(2, Requests.class).run(), 2);
    }

    @Test
    void completedRequestsStayInactiveWhileTheirOperationsAreReused()
    {
        assertAllOk(MpiJob.of(2, RequestReuse.class).timeout(Duration.ofSeconds(120)).run(), 2);
    }

    @Test
    void cancelOfAPostedReceive()
    {
        assertAllOk(MpiJob.of(2, Cancel.class).run(), 2);
    }

    @Test
    void procNullCompletesAtOnce()
    {
        assertAllOk(MpiJob.of(3, ProcNull.class).run(), 3);
    }

    @Test
    void sendRecvAndSendRecvReplaceShiftTheRing()
    {
        assertAllOk(MpiJob.of(4, SendRecv.class).run(), 4);
    }

    @Test
    void bufferedSendReturnsBeforeTheReceiverIsReady()
    {
        assertAllOk(MpiJob.of(2, BufferedSend.class).run(), 2);
    }
}
