package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.LongHashSet;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Failed processes and revoked contexts as point-to-point sees them (ULFM, {@code mpi4jrun --enable-recovery}).
 * <p>
 * Notices come from another thread (the launcher connection's reader) into a concurrent queue; the progress engine
 * applies them on its own thread, so the protocol's state is only ever touched under its lock. Applying a failure
 * completes with {@code MPI_ERR_PROC_FAILED} every operation waiting on that process: posted receives naming it,
 * sends to it (queued, or waiting for its CTS or SYNC_ACK), matched receives still waiting for its data; wildcard
 * receives of a communicator containing it get {@code MPI_ERR_PROC_FAILED_PENDING}. Applying a revoke completes
 * the receives posted in the context and the sends waiting for a reply with {@code MPI_ERR_REVOKED}.
 * <p>
 * Failed operations stay in the protocol's cookie maps: a reply already on its way (a CTS or DATA the dead process
 * wrote before it died, a CTS of a live peer after a revoke) must find its operation, not an unknown cookie.
 * Nothing here runs while no process has failed and no context is revoked: the hooks test one plain field.
 */
final class ProcessFailures
{
    private static final long REVOKE_NOTICE = Long.MIN_VALUE;

    /** Notices not applied yet: a process key, or {@link #REVOKE_NOTICE} then a context id. */
    private final ConcurrentLinkedQueue<long[]> notices = new ConcurrentLinkedQueue<>();
    private volatile boolean noticesPending;

    /** Failed processes in the order they were learnt: an endpoint acknowledges a prefix of this list. */
    private long[] failedInOrder = new long[8];
    private int failedCount;
    private final LongHashSet failed = new LongHashSet();
    private final IntHashSet revokedContexts = new IntHashSet();
    /** True once anything failed or was revoked: the only thing the fast paths test. */
    boolean active;

    /** From any thread: process {@code processKey} is gone. */
    void noticeFailure(final long processKey)
    {
        notices.add(new long[]{ processKey });
        noticesPending = true;
    }

    /** From any thread: communicator context {@code contextId} (point-to-point id; its collective id too) is revoked. */
    void noticeRevoke(final int contextId)
    {
        notices.add(new long[]{ REVOKE_NOTICE, contextId });
        noticesPending = true;
    }

    boolean hasNotices()
    {
        return noticesPending;
    }

    /** Apply the notices received so far; the number applied. */
    int apply(final MessageProtocol protocol)
    {
        noticesPending = false;
        int applied = 0;
        long[] notice;
        while ((notice = notices.poll()) != null)
        {
            if (notice[0] == REVOKE_NOTICE)
            {
                revoke((int)notice[1], protocol);
            }
            else
            {
                fail(notice[0], protocol);
            }
            applied++;
        }
        return applied;
    }

    boolean isFailed(final long processKey)
    {
        return active && failed.contains(processKey);
    }

    boolean isRevoked(final int context)
    {
        return active && revokedContexts.contains(context);
    }

    int failedCount()
    {
        return failedCount;
    }

    /** Ranks of {@code endpoint} whose process failed, ascending. */
    int[] failedRanks(final MessageEndpoint endpoint)
    {
        int count = 0;
        final int[] ranks = new int[endpoint.size()];
        for (int rank = 0; rank < ranks.length; rank++)
        {
            if (isFailed(endpoint.processKey(rank)))
            {
                ranks[count++] = rank;
            }
        }
        return java.util.Arrays.copyOf(ranks, count);
    }

    /** Why a new send must not start, as an error class: 0 when it may. */
    int refuseSend(final SendOperation op)
    {
        if (revokedContexts.contains(op.context))
        {
            return ErrorClass.ERR_REVOKED;
        }
        return failed.contains(op.peer.processKey) ? ErrorClass.ERR_PROC_FAILED : 0;
    }

    /** Why a receive that matched no message already here must not wait, as an error class: 0 when it may. */
    int refuseReceive(final RecvOperation op)
    {
        if (revokedContexts.contains(op.context))
        {
            return ErrorClass.ERR_REVOKED;
        }
        if (op.source == PointToPoint.ANY_SOURCE)
        {
            return hasUnacknowledgedFailure(op.endpoint) ? ErrorClass.ERR_PROC_FAILED_PENDING : 0;
        }
        return failed.contains(op.endpoint.processKey(op.source)) ? ErrorClass.ERR_PROC_FAILED : 0;
    }

    /** Why a probe that found no message must not wait, as an error class: 0 when it may. */
    int refuseProbe(final MessageEndpoint endpoint, final int source)
    {
        if (revokedContexts.contains(endpoint.contextId()))
        {
            return ErrorClass.ERR_REVOKED;
        }
        if (source == PointToPoint.ANY_SOURCE)
        {
            return hasUnacknowledgedFailure(endpoint) ? ErrorClass.ERR_PROC_FAILED_PENDING : 0;
        }
        return failed.contains(endpoint.processKey(source)) ? ErrorClass.ERR_PROC_FAILED : 0;
    }

    static String describe(final int errorClass, final RecvOperation op)
    {
        switch (errorClass)
        {
            case ErrorClass.ERR_REVOKED: return "the communicator was revoked";
            case ErrorClass.ERR_PROC_FAILED_PENDING:
                return "a process of the communicator failed and the failure is not acknowledged " +
                    "(MPI_Comm_failure_ack) while this receive is from any source";
            default: return "rank " + op.source + " of the communicator has failed";
        }
    }

    static String describe(final int errorClass, final SendOperation op)
    {
        return errorClass == ErrorClass.ERR_REVOKED ? "the communicator was revoked" :
            "the destination process has failed";
    }

    /** Ranks of {@code endpoint} that failed after its last acknowledgement, ascending. */
    int[] unacknowledgedRanks(final MessageEndpoint endpoint)
    {
        int count = 0;
        final int[] ranks = new int[endpoint.size()];
        for (int rank = 0; rank < ranks.length; rank++)
        {
            final long key = endpoint.processKey(rank);
            for (int i = endpoint.acknowledgedFailures; i < failedCount; i++)
            {
                if (failedInOrder[i] == key)
                {
                    ranks[count++] = rank;
                    break;
                }
            }
        }
        return java.util.Arrays.copyOf(ranks, count);
    }

    /** Failures up to now count as acknowledged by {@code endpoint}'s communicator. */
    void acknowledge(final MessageEndpoint endpoint)
    {
        endpoint.acknowledgedFailures = failedCount;
    }

    private boolean hasUnacknowledgedFailure(final MessageEndpoint endpoint)
    {
        for (int i = endpoint.acknowledgedFailures; i < failedCount; i++)
        {
            if (contains(endpoint, failedInOrder[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(final MessageEndpoint endpoint, final long processKey)
    {
        for (int rank = 0; rank < endpoint.size(); rank++)
        {
            if (endpoint.processKey(rank) == processKey)
            {
                return true;
            }
        }
        return false;
    }

    private void fail(final long processKey, final MessageProtocol protocol)
    {
        if (!failed.add(processKey))
        {
            return;
        }
        active = true;
        if (failedCount == failedInOrder.length)
        {
            failedInOrder = java.util.Arrays.copyOf(failedInOrder, failedCount * 2);
        }
        failedInOrder[failedCount++] = processKey;

        for (final MatchQueues queues : protocol.matching().allQueues())
        {
            RecvOperation op = queues.firstPosted();
            while (op != null)
            {
                final RecvOperation next = op.next;
                if (op.source == PointToPoint.ANY_SOURCE ? contains(op.endpoint, processKey) :
                    op.endpoint.processKey(op.source) == processKey)
                {
                    queues.removePosted(op);
                    final int error = op.source == PointToPoint.ANY_SOURCE ?
                        ErrorClass.ERR_PROC_FAILED_PENDING : ErrorClass.ERR_PROC_FAILED;
                    op.fail(error, describe(error, op));
                }
                op = next;
            }
        }
        for (final RecvOperation op : protocol.receivesInFlight().values())
        {
            if (!op.complete && op.endpoint.processKey(op.status.source) == processKey)
            {
                op.fail(ErrorClass.ERR_PROC_FAILED, "rank " + op.status.source + " failed while sending this message");
            }
        }
        final Iterator<Object> fragmented = protocol.fragmentedInFlight().values().iterator();
        while (fragmented.hasNext())
        {
            if (fragmented.next() instanceof RecvOperation op && op.endpoint.processKey(op.status.source) == processKey)
            {
                fragmented.remove();
                if (!op.complete)
                {
                    op.fail(ErrorClass.ERR_PROC_FAILED, "rank " + op.status.source + " failed while sending this message");
                }
            }
        }
        for (final SendOperation op : protocol.sendsAwaitingReply().values())
        {
            if (!op.complete && op.peer.processKey == processKey)
            {
                failSend(op, ErrorClass.ERR_PROC_FAILED, protocol);
            }
        }
        for (final Peer peer : protocol.peersWithBacklog())
        {
            if (peer.processKey == processKey)
            {
                Object item;
                while ((item = peer.outbox.pollFirst()) != null)
                {
                    if (item instanceof SendOperation op && !op.complete)
                    {
                        failSend(op, ErrorClass.ERR_PROC_FAILED, protocol);
                    }
                }
            }
        }
    }

    private void revoke(final int contextId, final MessageProtocol protocol)
    {
        final int pointToPoint = contextId & ~1;
        if (!revokedContexts.add(pointToPoint))
        {
            return;
        }
        revokedContexts.add(pointToPoint + 1);
        active = true;
        for (int context = pointToPoint; context <= pointToPoint + 1; context++)
        {
            final MatchQueues queues = protocol.matching().existingQueues(context);
            RecvOperation op = queues == null ? null : queues.firstPosted();
            while (op != null)
            {
                final RecvOperation next = op.next;
                queues.removePosted(op);
                op.fail(ErrorClass.ERR_REVOKED, describe(ErrorClass.ERR_REVOKED, op));
                op = next;
            }
        }
        // Sends waiting for a reply fail; a send already streaming data or queued behind other frames completes.
        for (final SendOperation op : protocol.sendsAwaitingReply().values())
        {
            if (!op.complete && (op.context & ~1) == pointToPoint &&
                (op.phase == SendOperation.AWAIT_CTS || op.phase == SendOperation.AWAIT_ACK))
            {
                failSend(op, ErrorClass.ERR_REVOKED, protocol);
            }
        }
    }

    private static void failSend(final SendOperation op, final int errorClass, final MessageProtocol protocol)
    {
        protocol.releaseBuffered(op);
        op.fail(errorClass, describe(errorClass, op));
    }
}
