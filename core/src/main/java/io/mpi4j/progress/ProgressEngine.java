package io.mpi4j.progress;

import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.Transport;
import org.agrona.concurrent.IdleStrategy;

/**
 * The one progress engine of a process: every blocking call and every test turns it, and one turn polls every
 * transport and then the protocol layer's deferred work (frames waiting for ring space).
 * <p>
 * Waiting polls, then yields, then parks ({@link PollYieldParkIdleStrategy}, phases from the process's
 * {@link WaitPolicy}): for milliseconds first, so that a peer's reply within a message exchange never waits for a
 * parked thread, while a rank blocked for long hands its core over. When the node has more ranks than cores the rank
 * waited for may need this very core: waiting then yields from the first idle turn instead of polling.
 */
public final class ProgressEngine
{
    /** Frames taken from one transport per turn: bounds the time one turn can take. */
    private static final int FRAME_LIMIT = 64;

    private final Transport[] transports;
    private final WaitPolicy waitPolicy;
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
     * @throws IllegalArgumentException when a variable of {@link WaitPolicy} has a value it cannot use
     */
    public ProgressEngine(final Transport[] transports, final boolean oversubscribed)
    {
        this(transports, WaitPolicy.of(oversubscribed, System::getenv));
    }

    /**
     * @param transports opened transports, highest priority first
     * @param waitPolicy how the waits of this process idle
     */
    public ProgressEngine(final Transport[] transports, final WaitPolicy waitPolicy)
    {
        this.transports = transports;
        this.waitPolicy = waitPolicy;
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

    /** How the waits of this process idle. */
    public WaitPolicy waitPolicy()
    {
        return waitPolicy;
    }

    /** A new idle strategy for one waiting thread. */
    public IdleStrategy newIdleStrategy()
    {
        return waitPolicy.newIdleStrategy();
    }

    public void close()
    {
        for (final Transport transport : transports)
        {
            transport.close();
        }
    }
}
