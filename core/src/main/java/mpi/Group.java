package mpi;

import io.mpi4j.errors.ErrorClass;

/**
 * An ordered set of processes ({@code MPI_Group}). Set operations arrive with communicator creation.
 */
public final class Group implements Freeable
{
    private final long[] members;
    private final int rank;
    private final boolean predefined;
    private volatile boolean freed;

    /**
     * @param members process keys in rank order
     * @param rank    the calling process's rank, or {@code MPI.UNDEFINED}
     */
    Group(final long[] members, final int rank)
    {
        this(members, rank, false);
    }

    Group(final long[] members, final int rank, final boolean predefined)
    {
        this.members = members;
        this.rank = rank;
        this.predefined = predefined;
    }

    /** Process key of group rank {@code rank}. */
    long member(final int rank)
    {
        return members[rank];
    }

    private void checkLive(final String op) throws MPIException
    {
        MPI.check(op);
        if (freed)
        {
            throw new MPIException(ErrorClass.ERR_GROUP, op + ": the group has been freed");
        }
    }

    /**
     * Number of processes. Binds {@code MPI_GROUP_SIZE}.
     *
     * @return group size
     * @throws MPIException if MPI is not running or the group was freed
     */
    public int getSize() throws MPIException
    {
        checkLive("MPI_Group_size");
        return members.length;
    }

    /**
     * Rank of the calling process. Binds {@code MPI_GROUP_RANK}.
     *
     * @return rank, or {@code MPI.UNDEFINED} if the process is not a member
     * @throws MPIException if MPI is not running or the group was freed
     */
    public int getRank() throws MPIException
    {
        checkLive("MPI_Group_rank");
        return rank;
    }

    /**
     * Binds {@code MPI_GROUP_FREE}; {@code MPI.GROUP_EMPTY} cannot be freed.
     *
     * @throws MPIException if MPI is not running, or the group is predefined or already freed
     */
    @Override
    public void free() throws MPIException
    {
        final String op = "MPI_Group_free";
        checkLive(op);
        if (predefined)
        {
            throw new MPIException(ErrorClass.ERR_GROUP, op + ": MPI_GROUP_EMPTY is predefined and cannot be freed");
        }
        freed = true;
    }

    /**
     * Whether the group has been freed.
     *
     * @return true once freed
     */
    public boolean isNull()
    {
        return freed;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Group construction and comparison

    /** The process keys in rank order. Do not modify. */
    long[] members()
    {
        return members;
    }

    /** Rank of process {@code key} in this group, or {@code MPI.UNDEFINED}. */
    int rankOf(final long key)
    {
        for (int i = 0; i < members.length; i++)
        {
            if (members[i] == key)
            {
                return i;
            }
        }
        return MPI.UNDEFINED;
    }

    private static long self()
    {
        final io.mpi4j.comm.Communicator world = io.mpi4j.runtime.MpiRuntime.get().world();
        return world.member(world.rank());
    }

    private static Group of(final long[] members)
    {
        final long me = self();
        int rank = MPI.UNDEFINED;
        for (int i = 0; i < members.length; i++)
        {
            if (members[i] == me)
            {
                rank = i;
                break;
            }
        }
        return new Group(members, rank);
    }

    private static Group live(final String op, final Group group) throws MPIException
    {
        if (null == group)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_GROUP, op + ": group is null");
        }
        group.checkLive(op);
        return group;
    }

    private MPIException invalidRank(final String op, final int rank)
    {
        return MPI.COMM_WORLD.raise(ErrorClass.ERR_RANK, op + ": rank " + rank + " is out of range for a group of " +
            members.length + " (valid: 0.." + (members.length - 1) + ")");
    }

    /** Checked list of distinct ranks; true entries of the result are the selected ranks. */
    private boolean[] select(final String op, final int[] ranks) throws MPIException
    {
        if (null == ranks)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": ranks is null");
        }
        final boolean[] chosen = new boolean[members.length];
        for (final int r : ranks)
        {
            if (r < 0 || r >= members.length)
            {
                throw invalidRank(op, r);
            }
            if (chosen[r])
            {
                throw MPI.COMM_WORLD.raise(ErrorClass.ERR_RANK, op + ": rank " + r + " is listed twice");
            }
            chosen[r] = true;
        }
        return chosen;
    }

    /** Expands (first, last, stride) triplets into ranks, checking each. */
    private int[] expand(final String op, final int[][] ranges) throws MPIException
    {
        if (null == ranges)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": ranges is null");
        }
        final java.util.ArrayList<Integer> ranks = new java.util.ArrayList<>();
        for (final int[] range : ranges)
        {
            if (null == range || range.length < 3)
            {
                throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": each range must be {first, last, stride}");
            }
            final int first = range[0];
            final int last = range[1];
            final int stride = range[2];
            if (stride == 0 || (stride > 0 && first > last) || (stride < 0 && first < last))
            {
                throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": range {" + first + ", " + last + ", " + stride +
                    "} is empty or has a zero stride");
            }
            for (int r = first; stride > 0 ? r <= last : r >= last; r += stride)
            {
                if (r < 0 || r >= members.length)
                {
                    throw invalidRank(op, r);
                }
                ranks.add(r);
            }
        }
        final int[] out = new int[ranks.size()];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = ranks.get(i);
        }
        return out;
    }

    /**
     * The listed members, in the order listed. Binds {@code MPI_GROUP_INCL}.
     *
     * @param ranks ranks of this group
     * @return new group
     * @throws MPIException {@code MPI.ERR_RANK} for a rank out of range or repeated
     */
    public Group incl(final int[] ranks) throws MPIException
    {
        final String op = "MPI_Group_incl";
        checkLive(op);
        select(op, ranks);
        final long[] out = new long[ranks.length];
        for (int i = 0; i < ranks.length; i++)
        {
            out[i] = members[ranks[i]];
        }
        return of(out);
    }

    /**
     * All members but the listed ones, in this group's order. Binds {@code MPI_GROUP_EXCL}.
     *
     * @param ranks ranks of this group to leave out
     * @return new group
     * @throws MPIException {@code MPI.ERR_RANK} for a rank out of range or repeated
     */
    public Group excl(final int[] ranks) throws MPIException
    {
        final String op = "MPI_Group_excl";
        checkLive(op);
        final boolean[] chosen = select(op, ranks);
        final long[] out = new long[members.length - ranks.length];
        int n = 0;
        for (int r = 0; r < members.length; r++)
        {
            if (!chosen[r])
            {
                out[n++] = members[r];
            }
        }
        return of(out);
    }

    /**
     * Members given by (first, last, stride) triplets. Binds {@code MPI_GROUP_RANGE_INCL}.
     *
     * @param ranges triplets
     * @return new group
     * @throws MPIException {@code MPI.ERR_RANK} for a rank out of range or repeated
     */
    public Group rangeIncl(final int[][] ranges) throws MPIException
    {
        final String op = "MPI_Group_range_incl";
        checkLive(op);
        return incl(expand(op, ranges));
    }

    /**
     * All members but those given by (first, last, stride) triplets. Binds {@code MPI_GROUP_RANGE_EXCL}.
     *
     * @param ranges triplets
     * @return new group
     * @throws MPIException {@code MPI.ERR_RANK} for a rank out of range or repeated
     */
    public Group rangeExcl(final int[][] ranges) throws MPIException
    {
        final String op = "MPI_Group_range_excl";
        checkLive(op);
        return excl(expand(op, ranges));
    }

    /**
     * Members of the first group, then those of the second not in the first. Binds {@code MPI_GROUP_UNION}.
     *
     * @param group1 first group
     * @param group2 second group
     * @return new group
     * @throws MPIException if a group is null or freed
     */
    public static Group union(final Group group1, final Group group2) throws MPIException
    {
        final String op = "MPI_Group_union";
        MPI.check(op);
        final long[] a = live(op, group1).members;
        final long[] b = live(op, group2).members;
        final long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        int n = a.length;
        for (final long key : b)
        {
            if (group1.rankOf(key) < 0)
            {
                out[n++] = key;
            }
        }
        return of(java.util.Arrays.copyOf(out, n));
    }

    /**
     * Members of the first group that are also in the second, in the first's order. Binds
     * {@code MPI_GROUP_INTERSECTION}.
     *
     * @param group1 first group
     * @param group2 second group
     * @return new group
     * @throws MPIException if a group is null or freed
     */
    public static Group intersection(final Group group1, final Group group2) throws MPIException
    {
        return filter("MPI_Group_intersection", group1, group2, true);
    }

    /**
     * Members of the first group not in the second, in the first's order. Binds {@code MPI_GROUP_DIFFERENCE}.
     *
     * @param group1 first group
     * @param group2 second group
     * @return new group
     * @throws MPIException if a group is null or freed
     */
    public static Group difference(final Group group1, final Group group2) throws MPIException
    {
        return filter("MPI_Group_difference", group1, group2, false);
    }

    private static Group filter(final String op, final Group group1, final Group group2, final boolean keepCommon)
        throws MPIException
    {
        MPI.check(op);
        final long[] a = live(op, group1).members;
        live(op, group2);
        final long[] out = new long[a.length];
        int n = 0;
        for (final long key : a)
        {
            if ((group2.rankOf(key) >= 0) == keepCommon)
            {
                out[n++] = key;
            }
        }
        return of(java.util.Arrays.copyOf(out, n));
    }

    /**
     * Ranks in {@code group2} of processes given by rank in {@code group1}. Binds
     * {@code MPI_GROUP_TRANSLATE_RANKS}.
     *
     * @param group1 a group
     * @param ranks1 ranks in {@code group1} ({@code MPI.PROC_NULL} translates to itself)
     * @param group2 another group
     * @return ranks in {@code group2}, {@code MPI.UNDEFINED} where the process is not in it
     * @throws MPIException {@code MPI.ERR_RANK} for a rank out of range
     */
    public static int[] translateRanks(final Group group1, final int[] ranks1, final Group group2)
        throws MPIException
    {
        final String op = "MPI_Group_translate_ranks";
        MPI.check(op);
        live(op, group1);
        live(op, group2);
        if (null == ranks1)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": ranks is null");
        }
        final int[] out = new int[ranks1.length];
        for (int i = 0; i < ranks1.length; i++)
        {
            final int r = ranks1[i];
            if (r == MPI.PROC_NULL)
            {
                out[i] = MPI.PROC_NULL;
                continue;
            }
            if (r < 0 || r >= group1.members.length)
            {
                throw group1.invalidRank(op, r);
            }
            out[i] = group2.rankOf(group1.members[r]);
        }
        return out;
    }

    /**
     * Compares two groups. Binds {@code MPI_GROUP_COMPARE}.
     *
     * @param group1 first group
     * @param group2 second group
     * @return {@code MPI.IDENT} (same members, same order), {@code MPI.SIMILAR} (same members) or
     *         {@code MPI.UNEQUAL}
     * @throws MPIException if a group is null or freed
     */
    public static int compare(final Group group1, final Group group2) throws MPIException
    {
        final String op = "MPI_Group_compare";
        MPI.check(op);
        return CommCompare.groups(live(op, group1).members, live(op, group2).members);
    }
}
