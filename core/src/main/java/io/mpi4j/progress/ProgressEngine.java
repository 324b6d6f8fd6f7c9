package io.mpi4j.progress;

import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.Transport;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * The one progress engine of a process: every blocking call and every test turns it, and one turn polls every
 * transport and then the protocol layer's deferred work (frames waiting for ring space).
 * <p>
 * Waiting polls, then yields, then parks ({@link PollYieldParkIdleStrategy}): for milliseconds first, so that a
 * peer's reply within a message exchange never waits for a parked thread, while a rank blocked for long hands its
 * core over. When the node has more ranks than cores the rank waited for may need this very core: waiting then
 * backs off within microseconds instead of livelocking.
 */
public final class ProgressEngine
{
    /** Frames taken from one transport per turn: bounds the time one turn can take. */
    private static final int FRAME_LIMIT = 64;

    private final Transport[] transports;
    private final boolean oversubscribed;
    private FrameHandler handler;
    private DeferredWork deferredWork;

    /** Work the layer above does on each turn after polling (flushing outboxes); returns the amount done. */
    @FunctionalInterface
    public interface DeferredWork
    {
        int doWork();
    }

    /**
     * @param transports     opened transports, highest priority first
     * @param oversubscribed true when this node runs more ranks than it has cores
     */
    public ProgressEngine(final Transport[] transports, final boolean oversubscribed)
    {
        this.transports = transports;
        this.oversubscribed = oversubscribed;
    }

    public void bind(final FrameHandler handler, final DeferredWork deferredWork)
    {
        this.handler = handler;
        this.deferredWork = deferredWork;
    }

    public Transport[] transports()
    {
        return transports;
    }

    /** One turn; returns the number of frames and deferred items handled (0 = idle). */
    public int progress()
    {
        int work = 0;
        final FrameHandler handler = this.handler;
        for (final Transport transport : transports)
        {
            work += transport.poll(handler, FRAME_LIMIT);
        }
        return work + deferredWork.doWork();
    }

    /** A new idle strategy for one waiting thread. */
    public IdleStrategy newIdleStrategy()
    {
        final String mode = System.getenv("MPI4J_WAIT");
        if ("spin".equals(mode))
        {
            return new org.agrona.concurrent.BusySpinIdleStrategy();
        }
        if (oversubscribed || "yield".equals(mode))
        {
            return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
        }
        return PollYieldParkIdleStrategy.standard();
    }

    public void close()
    {
        for (final Transport transport : transports)
        {
            transport.close();
        }
    }
}
