package io.mpi4j.comm;

/**
 * Tags communicator management uses in a parent communicator's collective context. All are negative: user tags
 * are never negative and collectives use non-negative tags, so these can never match either.
 */
public final class CommTags
{
    /**
     * Each management call takes the next collective sequence number of the communicator it runs on (every member
     * makes the same calls in the same order), and its tags carry it, so a non-blocking dup still in flight never
     * matches the messages of a later dup or split on the same communicator.
     */
    private static final int SEQUENCE_MASK = 0xF_FFFF;
    private static final int AGREE_BASE = -0x10_0000;
    private static final int SPLIT_BASE = -0x20_0000;
    private static final int BCAST_BASE = -0x30_0000;
    private static final int LEADERS_BASE = -0x40_0000;
    /** {@code MPI_Comm_create_group} tags are mapped below this. */
    private static final int GROUP_BASE = -0x4000_0000;

    private CommTags()
    {
    }

    /** Context-id agreement rounds of call {@code sequence}. */
    public static int agree(final int sequence)
    {
        return AGREE_BASE - (sequence & SEQUENCE_MASK);
    }

    /** Exchange of split arguments (color, key). */
    public static int split(final int sequence)
    {
        return SPLIT_BASE - (sequence & SEQUENCE_MASK);
    }

    /** Broadcasts of management data within a group (intercommunicator setup, merge). */
    public static int bcast(final int sequence)
    {
        return BCAST_BASE - (sequence & SEQUENCE_MASK);
    }

    /** Leader-to-leader exchanges of intercommunicator dup and merge. */
    public static int leaders(final int sequence)
    {
        return LEADERS_BASE - (sequence & SEQUENCE_MASK);
    }

    /** The management tag for a user tag of MPI_Comm_create_group / MPI_Intercomm_create. */
    public static int ofUserTag(final int userTag)
    {
        return GROUP_BASE - (userTag & 0x3fff_ffff);
    }
}
