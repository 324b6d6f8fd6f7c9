package io.mpi4j.p2p;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.agrona.concurrent.IdleStrategy;

/**
 * Probes: {@code MPI_Probe} and {@code MPI_Iprobe} look at the first matching message that has arrived without
 * receiving it; {@code MPI_Mprobe} and {@code MPI_Improbe} also take it out of matching, so no other receive can
 * match it before {@link PointToPoint#mrecv} receives it. Only arrived messages (unexpected ones) can be probed:
 * a message matched by a posted receive is already that receive's.
 */
public final class Probes
{
    private final ProgressDriver driver;
    private final MessageProtocol protocol;

    Probes(final ProgressDriver driver, final MessageProtocol protocol)
    {
        this.driver = driver;
        this.protocol = protocol;
    }

    /** MPI_Iprobe: true and {@code status} filled if a matching message is waiting. */
    public boolean iprobe(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PointToPoint.PROC_NULL)
        {
            status.empty();
            return true;
        }
        driver.lock();
        try
        {
            driver.turn();
            return peek(endpoint, source, tag, status);
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Probe. */
    public void probe(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PointToPoint.PROC_NULL)
        {
            status.empty();
            return;
        }
        driver.lock();
        try
        {
            final IdleStrategy idle = driver.idle();
            idle.reset();
            while (!peek(endpoint, source, tag, status))
            {
                driver.idleLocked(idle, driver.turn());
            }
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Improbe: the matched message, removed from matching, or null. */
    public MatchedMessage improbe(
        final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PointToPoint.PROC_NULL)
        {
            status.empty();
            return MatchedMessage.NO_PROC;
        }
        driver.lock();
        try
        {
            driver.turn();
            return take(endpoint, source, tag, status);
        }
        finally
        {
            driver.unlock();
        }
    }

    /** MPI_Mprobe. */
    public MatchedMessage mprobe(
        final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        if (source == PointToPoint.PROC_NULL)
        {
            status.empty();
            return MatchedMessage.NO_PROC;
        }
        driver.lock();
        try
        {
            final IdleStrategy idle = driver.idle();
            idle.reset();
            MatchedMessage message;
            while ((message = take(endpoint, source, tag, status)) == null)
            {
                driver.idleLocked(idle, driver.turn());
            }
            return message;
        }
        finally
        {
            driver.unlock();
        }
    }

    private boolean peek(final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        final UnexpectedMessage message = protocol.peek(endpoint.contextId(), source, tag);
        if (message == null)
        {
            refuseIfFailed(endpoint, source);
            return false;
        }
        fill(status, message);
        return true;
    }

    private MatchedMessage take(
        final MessageEndpoint endpoint, final int source, final int tag, final StatusRecord status)
    {
        final UnexpectedMessage message = protocol.take(endpoint.contextId(), source, tag);
        if (message == null)
        {
            refuseIfFailed(endpoint, source);
            return null;
        }
        fill(status, message);
        return new MatchedMessage(endpoint, message);
    }

    /** A probe for what a failed process or a revoked communicator will never send fails instead of waiting. */
    private void refuseIfFailed(final MessageEndpoint endpoint, final int source)
    {
        if (protocol.failures.active)
        {
            final int error = protocol.failures.refuseProbe(endpoint, source);
            if (error != 0)
            {
                throw new MpiError(error, error == ErrorClass.ERR_REVOKED ? "the communicator was revoked" :
                    error == ErrorClass.ERR_PROC_FAILED ? "rank " + source + " of the communicator has failed" :
                    "a process of the communicator failed and the failure is not acknowledged " +
                    "(MPI_Comm_failure_ack) while this probe is for any source");
            }
        }
    }

    private static void fill(final StatusRecord status, final UnexpectedMessage message)
    {
        status.clear();
        status.source = message.source;
        status.tag = message.tag;
        status.byteCount = message.length;
    }
}
