package io.mpi4j.runtime;

import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.runtime.pmi.PmiKeyValueStore;
import io.mpi4j.transport.PeerLossListener;

import java.util.concurrent.TimeUnit;

/**
 * What a rank does when a transport loses a peer without an orderly close, so that a dead peer is an error and
 * never a hang:
 * <ul>
 * <li>started directly by a process manager ({@code srun --mpi=pmi2}), nobody else watches the job: the rank says
 * which rank it lost, asks the manager to end the job (PMI-2 {@code abort}) and halts non-zero, its job's
 * shared-memory files removed on the way ({@link HaltCleanup});</li>
 * <li>under {@code mpi4jrun --enable-recovery}: the loss is the failure notice the launcher sends as well (the
 * second one changes nothing), so waiting operations end with {@code MPI_ERR_PROC_FAILED} early;</li>
 * <li>under {@code mpi4jrun} otherwise: nothing; the launcher saw the death and ends the job with its own line.</li>
 * </ul>
 */
final class PeerLoss implements PeerLossListener
{
    /** Exit status of a rank that ended its job because it lost a peer. */
    static final int LOST_PEER_STATUS = 14;
    /** How long the manager's connection may take the abort before the rank halts anyway. */
    private static final long ABORT_WAIT_MS = TimeUnit.SECONDS.toMillis(2);

    private final String jobId;
    private final int rank;
    private final PmiKeyValueStore manager;
    private final PointToPoint recovery;

    /**
     * @param manager  the process manager's exchange under direct launch, else null.
     * @param recovery point-to-point of a job with {@code --enable-recovery}, else null.
     */
    PeerLoss(final String jobId, final int rank, final PmiKeyValueStore manager, final PointToPoint recovery)
    {
        this.jobId = jobId;
        this.rank = rank;
        this.manager = manager;
        this.recovery = recovery;
    }

    @Override
    public void peerLost(final String peerJobId, final int processIndex, final String host, final String reason)
    {
        final boolean ownJob = jobId.equals(peerJobId);
        if (null != recovery && ownJob)
        {
            recovery.noticeProcessFailure(ProcessKeys.key(0, processIndex));
        }
        else if (null != manager)
        {
            abortJob(line(ownJob ? "rank " + processIndex : null == peerJobId ? "a process of its node" :
                "process " + processIndex + " of job " + peerJobId, host, reason));
        }
    }

    /** Whether a loss changes anything here; if not, the transports need not look for one. */
    boolean acts()
    {
        return null != manager || null != recovery;
    }

    /** "mpi4j: rank N lost rank M (host H): reason; aborting the job". */
    String line(final String peer, final String host, final String reason)
    {
        return "mpi4j: rank " + rank + " lost " + peer + " (host " + host + "): " + reason + "; aborting the job";
    }

    private void abortJob(final String line)
    {
        System.out.flush();
        System.err.println(line);
        System.err.flush();
        // First, for the manager kills the whole step (this process too) as soon as it has the abort.
        HaltCleanup.runAll();
        // The manager's connection is shared with the other threads' key-value calls: one stuck there must not
        // keep this rank from ending.
        final Thread abort = new Thread(() -> manager.abortJob(line), "mpi4j-abort-job");
        abort.setDaemon(true);
        abort.start();
        try
        {
            abort.join(ABORT_WAIT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(LOST_PEER_STATUS);
    }
}
