package io.mpi4j.comm;

/**
 * Tags communicator management uses in a parent communicator's collective context. All are negative: user tags
 * are never negative and collectives use non-negative tags, so these can never match either.
 */
public final class CommTags
{
    /** Context-id agreement rounds. */
    public static final int AGREE = -0x1000;
    /** Exchange of split arguments (color, key). */
    public static final int SPLIT = -0x1001;
    /** Broadcasts of management data within a group (intercommunicator setup, merge). */
    public static final int BCAST = -0x1002;
    /** Leader-to-leader exchanges of intercommunicator creation, dup and merge. */
    public static final int LEADERS = -0x1003;
    /** {@code MPI_Comm_create_group} tags are mapped below this. */
    private static final int GROUP_BASE = -0x4000_0000;

    private CommTags()
    {
    }

    /** The management tag for a user tag of MPI_Comm_create_group / MPI_Intercomm_create. */
    public static int ofUserTag(final int userTag)
    {
        return GROUP_BASE - (userTag & 0x3fff_ffff);
    }
}
