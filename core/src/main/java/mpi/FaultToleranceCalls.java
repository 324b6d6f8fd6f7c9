package mpi;

import io.mpi4j.comm.FaultTolerance;
import io.mpi4j.runtime.MpiRuntime;

/**
 * The engine behind the facade's ULFM calls ({@link Comm#revoke()}, {@link Comm#agree(int)},
 * {@link Intracomm#shrink()}...): one {@link FaultTolerance} per process, made on first use.
 */
final class FaultToleranceCalls
{
    private static volatile FaultTolerance engine;

    private FaultToleranceCalls()
    {
    }

    static FaultTolerance engine()
    {
        FaultTolerance f = engine;
        if (null == f)
        {
            synchronized (FaultToleranceCalls.class)
            {
                f = engine;
                if (null == f)
                {
                    f = new FaultTolerance(MPI.engine(), CommSupport.CONTEXTS, MpiRuntime.get().failureCoordinator());
                    engine = f;
                }
            }
        }
        return f;
    }

    /** The group of {@code ranks} of {@code c} (its remote group for an intercommunicator). */
    static Group groupOf(final io.mpi4j.comm.Communicator c, final int[] ranks)
    {
        final long[] members = new long[ranks.length];
        int rank = MPI.UNDEFINED;
        for (int i = 0; i < ranks.length; i++)
        {
            members[i] = c.peerKey(ranks[i]);
            if (!c.isInter() && ranks[i] == c.rank())
            {
                rank = i;
            }
        }
        return new Group(members, rank);
    }
}
