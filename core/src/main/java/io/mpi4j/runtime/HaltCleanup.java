package io.mpi4j.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a process must undo even when it halts: {@link Runtime#halt} skips shutdown hooks, and a rank halts when
 * its launcher is gone ({@link KeyValueClient}) or on MPI_Abort. A transport registers here the removal of the
 * files it owns (the shared-memory inbox), so that no file outlives the process whoever died first.
 */
public final class HaltCleanup
{
    private static final List<Runnable> ACTIONS = new ArrayList<>();

    private HaltCleanup()
    {
    }

    /** Run {@code action} if this process halts before {@link #remove} is called with it. */
    public static void add(final Runnable action)
    {
        synchronized (ACTIONS)
        {
            ACTIONS.add(action);
        }
    }

    /** The action is done or no longer needed (the owner released its resource itself). */
    public static void remove(final Runnable action)
    {
        synchronized (ACTIONS)
        {
            ACTIONS.remove(action);
        }
    }

    /** Run every registered action once, on the calling thread, just before halting; failures are ignored. */
    public static void runAll()
    {
        final Runnable[] actions;
        synchronized (ACTIONS)
        {
            actions = ACTIONS.toArray(new Runnable[0]);
            ACTIONS.clear();
        }
        for (final Runnable action : actions)
        {
            try
            {
                action.run();
            }
            catch (final Throwable ignore)
            {
                // Halting anyway: the next job's sweep removes what is left.
            }
        }
    }
}
