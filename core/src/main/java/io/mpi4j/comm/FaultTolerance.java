package io.mpi4j.comm;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PointToPoint;

/**
 * ULFM's communicator operations: revoke, agree, shrink, failure acknowledgement and the failed group. The
 * point-to-point layer fails what waits on a failed process or a revoked communicator ({@code p2p.ProcessFailures});
 * here the decisions all survivors must share are taken through the {@link FailureCoordinator}.
 */
public final class FaultTolerance
{
    private final PointToPoint p2p;
    private final ContextIdAllocator allocator;
    private final FailureCoordinator coordinator;

    public FaultTolerance(final PointToPoint p2p, final ContextIdAllocator allocator,
        final FailureCoordinator coordinator)
    {
        this.p2p = p2p;
        this.allocator = allocator;
        this.coordinator = coordinator;
    }

    /** MPI_Comm_revoke: pending and later operations on {@code comm} fail with MPI_ERR_REVOKED, at every member. */
    public void revoke(final Communicator comm)
    {
        p2p.noticeRevoke(comm.contextId());
        if (comm.isInter())
        {
            p2p.noticeRevoke(comm.localComm().contextId());
        }
        coordinator.revoke(comm);
    }

    /** MPI_Comm_is_revoked. */
    public boolean isRevoked(final Communicator comm)
    {
        return p2p.isRevoked(comm.endpoint());
    }

    /** MPI_Comm_get_failed: ranks of {@code comm} (its remote group for an intercommunicator) known to have failed. */
    public int[] failedRanks(final Communicator comm)
    {
        return p2p.failedRanks(comm.endpoint());
    }

    /** MPI_Comm_failure_ack: wildcard receives on {@code comm} proceed despite the failures known now. */
    public int[] acknowledge(final Communicator comm)
    {
        return p2p.acknowledgeFailures(comm.endpoint());
    }

    /**
     * MPI_Comm_agree: the bitwise AND of {@code flag} over the live members, the same at all of them, even when
     * members fail during the call. Throws MPI_ERR_PROC_FAILED (after the agreement completed everywhere) when a
     * member has failed whose failure this process has not acknowledged, as ULFM prescribes.
     */
    public int agree(final Communicator comm, final int flag)
    {
        requireIntra(comm, "MPI_Comm_agree");
        final FailureCoordinator.Agreement agreement =
            coordinator.agree(comm, comm.nextAgreementSequence(), flag & 0xffffffffL);
        // The launcher notifies a failure before it answers an agreement that counts it, so the failure is known here.
        final int[] known = p2p.failedRanks(comm.endpoint());
        final int[] unacknowledged = p2p.unacknowledgedFailedRanks(comm.endpoint());
        int unacknowledgedFailed = 0;
        for (final long key : agreement.failedMembers())
        {
            final int rank = rankOf(comm, key);
            if (!contains(known, rank) || contains(unacknowledged, rank))
            {
                unacknowledgedFailed++;
            }
        }
        if (unacknowledgedFailed > 0)
        {
            throw new MpiError(ErrorClass.ERR_PROC_FAILED, "MPI_Comm_agree: " + unacknowledgedFailed +
                " failed process(es) of the communicator not acknowledged (agreed value " + (int)agreement.value() +
                "; call failureAck() first)");
        }
        return (int)agreement.value();
    }

    /**
     * MPI_Comm_shrink: a new communicator of the members of {@code comm} that had not failed when the survivors
     * agreed, in their old rank order. Works on a revoked communicator; the context id is agreed through the
     * coordinator too, window by window of free slots as {@link ContextAgreement} does it over messages.
     */
    public Communicator shrink(final Communicator comm)
    {
        requireIntra(comm, "MPI_Comm_shrink");
        for (int window = 0; window < ContextIdAllocator.WINDOWS; window++)
        {
            final long offered = allocator.offer(window);
            final FailureCoordinator.Agreement agreement;
            try
            {
                agreement = coordinator.agree(comm, comm.nextAgreementSequence(), offered);
            }
            catch (final RuntimeException ex)
            {
                allocator.settle(window, offered, -1);
                throw ex;
            }
            final long common = agreement.value() & offered;
            if (common == 0)
            {
                allocator.settle(window, offered, -1);
                continue;
            }
            final int slot = window * 64 + Long.numberOfTrailingZeros(common);
            allocator.settle(window, offered, slot);
            return survivors(comm, agreement.failedMembers(), slot);
        }
        throw new MpiError(ErrorClass.ERR_INTERN, "MPI_Comm_shrink: no context id is free at every survivor");
    }

    private static Communicator survivors(final Communicator comm, final long[] failed, final int slot)
    {
        final long[] members = comm.localMembers();
        final long[] kept = new long[members.length];
        int count = 0;
        int rank = -1;
        for (int r = 0; r < members.length; r++)
        {
            boolean dead = false;
            for (final long key : failed)
            {
                dead |= key == members[r];
            }
            if (!dead)
            {
                if (r == comm.rank())
                {
                    rank = count;
                }
                kept[count++] = members[r];
            }
        }
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), rank, java.util.Arrays.copyOf(kept, count),
            "");
    }

    private static int rankOf(final Communicator comm, final long key)
    {
        for (int r = 0; r < comm.size(); r++)
        {
            if (comm.member(r) == key)
            {
                return r;
            }
        }
        return -1;
    }

    private static boolean contains(final int[] ranks, final int rank)
    {
        for (final int r : ranks)
        {
            if (r == rank)
            {
                return true;
            }
        }
        return false;
    }

    private static void requireIntra(final Communicator comm, final String op)
    {
        if (comm.isInter())
        {
            throw new MpiError(ErrorClass.ERR_COMM, op + ": intercommunicators are not supported; use the " +
                "intracommunicator of each side");
        }
    }
}
