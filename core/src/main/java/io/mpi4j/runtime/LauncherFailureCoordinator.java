package io.mpi4j.runtime;

import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.FailureCoordinator;
import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PointToPoint;

import java.io.IOException;

/**
 * Fault tolerance through the launcher ({@code mpi4jrun --enable-recovery}): it outlives every rank and sees each
 * one die, so a revoke it relays reaches every live member and an agreement it runs completes as soon as every
 * member either agreed or died, with one answer for all. Members are named to it by their rank in the job, so only
 * communicators within this process's own job are covered.
 */
final class LauncherFailureCoordinator implements FailureCoordinator
{
    private final KeyValueStore keyValueStore;
    private final PointToPoint p2p;
    private final Runnable progress;

    LauncherFailureCoordinator(final KeyValueStore keyValueStore, final PointToPoint p2p)
    {
        this.keyValueStore = keyValueStore;
        this.p2p = p2p;
        this.progress = () -> p2p.completion().progress();
    }

    @Override
    public void revoke(final Communicator comm)
    {
        final int[] ranks = jobRanks(comm, "MPI_Comm_revoke");
        try
        {
            keyValueStore.revoke(comm.contextId(), ranks);
            if (comm.isInter())
            {
                keyValueStore.revoke(comm.localComm().contextId(), jobRanks(comm.localComm(), "MPI_Comm_revoke"));
            }
        }
        catch (final IOException ex)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, "MPI_Comm_revoke: the launcher cannot be told (" +
                ErrorText.of(ex) + "); start the job with mpi4jrun --enable-recovery", ex);
        }
    }

    @Override
    public Agreement agree(final Communicator comm, final int sequence, final long value)
    {
        final int[] ranks = jobRanks(comm, "MPI_Comm_agree");
        final KeyValueStore.Agreement agreement;
        try
        {
            agreement = keyValueStore.agree(comm.contextId(), sequence, ranks, value, progress);
        }
        catch (final IOException ex)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, "fault-tolerant agreement failed: " + ErrorText.of(ex) +
                " (it needs a job started with mpi4jrun --enable-recovery)", ex);
        }
        final int[] failedRanks = agreement.failedRanks();
        final long[] failed = new long[failedRanks.length];
        for (int i = 0; i < failed.length; i++)
        {
            failed[i] = ProcessKeys.key(0, failedRanks[i]);
            // Known here before the answer came, normally; this makes sure of it.
            p2p.noticeProcessFailure(failed[i]);
        }
        return new Agreement(agreement.value(), failed);
    }

    /** Ranks in this job of the members of {@code comm} (both groups of an intercommunicator). */
    private static int[] jobRanks(final Communicator comm, final String op)
    {
        final long[] local = comm.localMembers();
        final long[] remote = comm.isInter() ? comm.remoteMembers() : new long[0];
        final int[] ranks = new int[local.length + remote.length];
        for (int i = 0; i < ranks.length; i++)
        {
            final long key = i < local.length ? local[i] : remote[i - local.length];
            if (ProcessKeys.jobIndex(key) != 0)
            {
                throw new MpiError(ErrorClass.ERR_UNSUPPORTED_OPERATION, op + ": fault tolerance covers " +
                    "communicators within one job; this one includes processes of another job");
            }
            ranks[i] = ProcessKeys.rank(key);
        }
        return ranks;
    }
}
