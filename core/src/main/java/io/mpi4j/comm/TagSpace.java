package io.mpi4j.comm;

import io.mpi4j.p2p.PointToPoint;

/**
 * Every tag mpi4j sends with. A communicator has two context ids (point-to-point and collective, see
 * {@link Communicator}); tags only need to be told apart within one context:
 * <ul>
 * <li>point-to-point context: user tags, {@code 0..}{@link #USER_TAG_MAX}; {@link #ANY_TAG} is the receive
 * wildcard;</li>
 * <li>collective context, non-negative: collectives, from {@link #COLLECTIVE_BASE} up, each call's tag made of its
 * sequence number and its kind so that non-blocking collectives in flight never match each other;</li>
 * <li>collective context, negative: communicator management. Windows of {@link #MANAGEMENT_WINDOW} tags below
 * {@link #ANY_TAG} carry the management call's sequence number (agreement, split, bcast, leaders), dynamic-process
 * exchanges sit between the wildcard and the first window, and the tags of {@code MPI_Intercomm_create} and
 * {@code MPI_Comm_create_group} mirror the user tags below {@link #USER_GROUP_BASE};</li>
 * <li>the bridge context two jobs share while they connect: {@link #bridge} tags;</li>
 * <li>the point-to-point context of a window's private communicator (one-sided communication, which no program
 * can send on): {@link #RMA_HEADER} for operation headers, {@link #RMA_DATA} for payloads too large to ride in
 * the header, {@link #RMA_POST} for post notifications, and {@link #rmaReply} tags for answers (get data, fetched
 * values, lock grants, flush acknowledgements), each naming one outstanding request of its origin.</li>
 * </ul>
 * Every member of a communicator makes collective and management calls in the same order, so the sequence numbers
 * agree without messages.
 */
public final class TagSpace
{
    /** Receive wildcard; never a tag a message carries. */
    public static final int ANY_TAG = PointToPoint.ANY_TAG;
    /** Largest user tag, the value of the {@code MPI_TAG_UB} attribute. */
    public static final int USER_TAG_MAX = Integer.MAX_VALUE;

    /** Bits of a collective tag that name the collective ({@code coll.Collectives.BARRIER} and the others). */
    public static final int COLLECTIVE_KIND_BITS = 5;
    private static final int COLLECTIVE_SEQUENCE_BITS = 21;
    private static final int COLLECTIVE_SEQUENCE_MASK = (1 << COLLECTIVE_SEQUENCE_BITS) - 1;
    /** First collective tag; the collective tags end at {@link #USER_TAG_MAX}. */
    public static final int COLLECTIVE_BASE = (USER_TAG_MAX >>> 1) + 1;

    /** Tags one management call kind spans: its sequence numbers modulo this. */
    public static final int MANAGEMENT_WINDOW = 1 << 20;
    private static final int MANAGEMENT_SEQUENCE_MASK = MANAGEMENT_WINDOW - 1;
    private static final int AGREE_BASE = -MANAGEMENT_WINDOW;
    private static final int SPLIT_BASE = AGREE_BASE - MANAGEMENT_WINDOW;
    private static final int BCAST_BASE = SPLIT_BASE - MANAGEMENT_WINDOW;
    private static final int LEADERS_BASE = BCAST_BASE - MANAGEMENT_WINDOW;

    /** Dynamic processes: between {@link #ANY_TAG} and the first management window. */
    private static final int PROCESS_BASE = -0x2000;
    /** Broadcasts of a connect/accept or spawn result within a group. */
    public static final int PROCESS_BCAST = PROCESS_BASE - 1;
    /** Synchronisation of {@code MPI_Comm_disconnect}. */
    public static final int DISCONNECT = PROCESS_BASE - 3;

    /** Bridge-context tags: below the management windows, above the user-tag mirror. */
    private static final int BRIDGE_BASE = -(1 << 24);
    private static final int BRIDGE_SEED_MASK = (1 << 24) - 1;

    /** Tags of calls given a user tag ({@code MPI_Intercomm_create}, {@code MPI_Comm_create_group}). */
    public static final int USER_GROUP_BASE = -COLLECTIVE_BASE;

    /** One-sided: every request of an origin, in issue order (one tag, so MPI's ordering keeps them in order). */
    public static final int RMA_HEADER = 0;
    /** One-sided: the payload of a request whose data did not fit in its header message. */
    public static final int RMA_DATA = 1;
    /** One-sided: a target's MPI_Win_post notification to an origin of its exposure group. */
    public static final int RMA_POST = 2;
    /** One-sided: the window exchanged at creation (sizes and displacement units). */
    public static final int RMA_SETUP = 3;
    /** One-sided: answers of outstanding requests, in a window of {@link #RMA_REPLY_WINDOW} tags from here. */
    private static final int RMA_REPLY_BASE = 1 << 20;
    /** Outstanding answered requests an origin can have to one target before reply tags are reused. */
    public static final int RMA_REPLY_WINDOW = 1 << 24;

    private TagSpace()
    {
    }

    /** Tag of collective call number {@code sequence} on a communicator, of collective {@code kind}. */
    public static int collective(final int sequence, final int kind)
    {
        return COLLECTIVE_BASE | ((sequence & COLLECTIVE_SEQUENCE_MASK) << COLLECTIVE_KIND_BITS) | kind;
    }

    /** Context-id agreement rounds of management call {@code sequence}. */
    public static int agree(final int sequence)
    {
        return AGREE_BASE - (sequence & MANAGEMENT_SEQUENCE_MASK);
    }

    /** Exchange of split arguments (color, key). */
    public static int split(final int sequence)
    {
        return SPLIT_BASE - (sequence & MANAGEMENT_SEQUENCE_MASK);
    }

    /** Broadcasts of management data within a group (intercommunicator setup, merge). */
    public static int bcast(final int sequence)
    {
        return BCAST_BASE - (sequence & MANAGEMENT_SEQUENCE_MASK);
    }

    /** Leader-to-leader exchanges of intercommunicator dup and merge. */
    public static int leaders(final int sequence)
    {
        return LEADERS_BASE - (sequence & MANAGEMENT_SEQUENCE_MASK);
    }

    /** The management tag for a user tag of MPI_Comm_create_group / MPI_Intercomm_create. */
    public static int ofUserTag(final int userTag)
    {
        return USER_GROUP_BASE - (userTag & (COLLECTIVE_BASE - 1));
    }

    /** Tag of a connect/accept rendezvous in the bridge context, from the seed both sides know. */
    public static int bridge(final int seed)
    {
        return BRIDGE_BASE - (seed & BRIDGE_SEED_MASK);
    }

    /** Tag of the answer to an origin's request number {@code sequence} (window point-to-point context). */
    public static int rmaReply(final int sequence)
    {
        return RMA_REPLY_BASE + (sequence & (RMA_REPLY_WINDOW - 1));
    }
}
