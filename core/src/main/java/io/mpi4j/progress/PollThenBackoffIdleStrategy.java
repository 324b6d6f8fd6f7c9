package io.mpi4j.progress;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Waiting when this process has a core to itself: poll back to back for a while (no spin-wait hint, whose pause
 * instruction alone costs tens of nanoseconds before a message that just landed is seen), then back off like
 * {@link BackoffIdleStrategy} so a long wait hands the core over.
 */
final class PollThenBackoffIdleStrategy implements IdleStrategy
{
    private final int pollBudget;
    private final BackoffIdleStrategy backoff;
    private int idlePolls;

    PollThenBackoffIdleStrategy(final int pollBudget, final BackoffIdleStrategy backoff)
    {
        this.pollBudget = pollBudget;
        this.backoff = backoff;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else if (idlePolls < pollBudget)
        {
            idlePolls++;
        }
        else
        {
            backoff.idle();
        }
    }

    @Override
    public void idle()
    {
        idle(0);
    }

    @Override
    public void reset()
    {
        if (idlePolls != 0)
        {
            idlePolls = 0;
            backoff.reset();
        }
    }

    @Override
    public String alias()
    {
        return "poll-then-backoff";
    }
}
