package mpi;

import io.mpi4j.comm.Communicator;

import java.util.Arrays;

/** {@code MPI_Comm_compare} and {@code MPI_Group_compare} on process-key lists. */
final class CommCompare
{
    private CommCompare()
    {
    }

    static int compare(final Communicator a, final Communicator b)
    {
        if (a == b)
        {
            return MPI.IDENT;
        }
        if (a.isInter() != b.isInter())
        {
            return MPI.UNEQUAL;
        }
        final int local = groups(a.localMembers(), b.localMembers());
        final int remote = a.isInter() ? groups(a.remoteMembers(), b.remoteMembers()) : MPI.IDENT;
        final int worst = Math.max(local, remote);
        return MPI.IDENT == worst ? MPI.CONGRUENT : worst;
    }

    /** IDENT (same members, same order), SIMILAR (same members) or UNEQUAL. */
    static int groups(final long[] a, final long[] b)
    {
        if (a == b || Arrays.equals(a, b))
        {
            return MPI.IDENT;
        }
        if (a.length != b.length)
        {
            return MPI.UNEQUAL;
        }
        final long[] sa = a.clone();
        final long[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        return Arrays.equals(sa, sb) ? MPI.SIMILAR : MPI.UNEQUAL;
    }
}
