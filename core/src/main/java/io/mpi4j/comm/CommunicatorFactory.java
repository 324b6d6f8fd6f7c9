package io.mpi4j.comm;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PointToPoint;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds and releases communicators: {@code MPI_Comm_dup}, {@code split}, {@code create}, {@code create_group},
 * {@code MPI_Intercomm_create}, {@code MPI_Intercomm_merge} and {@code MPI_Comm_free}. Every new communicator gets
 * a context-id slot agreed by its members ({@link ContextAgreement}); the exchanges run in the parent's collective
 * context under {@link TagSpace}, so they never meet user point-to-point traffic or user collectives.
 */
public final class CommunicatorFactory
{
    private static final String NO_NAME = "";

    private final PointToPoint p2p;
    private final ContextIdAllocator allocator;
    private final ProcessNames names;

    public CommunicatorFactory(final PointToPoint p2p, final ContextIdAllocator allocator, final ProcessNames names)
    {
        this.p2p = p2p;
        this.allocator = allocator;
        this.names = names;
    }

    public ContextIdAllocator allocator()
    {
        return allocator;
    }

    /** An agreement over {@code parent}'s members, to run or schedule; the caller builds the communicator. */
    public ContextAgreement dupAgreement(final Communicator parent)
    {
        return new ContextAgreement(p2p, allocator, parent, parent.collectiveContextId(),
            TagSpace.agree(parent.nextCollectiveSequence()), true);
    }

    /** The duplicate of intracommunicator {@code parent} once {@code slot} is agreed. */
    public static Communicator duplicateOn(final Communicator parent, final int slot)
    {
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), parent.rank(), parent.localMembers(), NO_NAME);
    }

    /** MPI_Comm_dup: same group(s), new context ids, no name. */
    public Communicator dup(final Communicator parent)
    {
        if (!parent.isInter())
        {
            return duplicateOn(parent, dupAgreement(parent).run());
        }
        final Communicator oldLocal = parent.localComm();
        final int slot = agreeAcross(oldLocal, 0, parent, parent.collectiveContextId(),
            TagSpace.leaders(parent.nextCollectiveSequence()), 0);
        final int localSlot;
        try
        {
            localSlot = dupAgreement(oldLocal).run();
        }
        catch (final MpiError ex)
        {
            allocator.release(slot);
            throw ex;
        }
        final Communicator local = duplicateOn(oldLocal, localSlot);
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), parent.rank(), parent.localMembers(),
            parent.remoteMembers(), local, NO_NAME);
    }

    /**
     * MPI_Comm_split: processes with the same {@code color} form a communicator ordered by (key, parent rank);
     * {@code undefined} as color gives null. All new communicators share one agreed slot: their groups are disjoint.
     */
    public Communicator split(final Communicator parent, final int color, final int key, final int undefined)
    {
        final byte[] mine = new byte[8];
        final UnsafeBuffer view = new UnsafeBuffer(mine);
        view.putInt(0, color);
        view.putInt(4, key);
        final int sequence = parent.nextCollectiveSequence();
        final byte[] all = GroupExchange.allgather(p2p, parent, parent.collectiveContextId(), TagSpace.split(sequence),
            mine);
        final boolean member = color != undefined;
        final int slot = new ContextAgreement(
            p2p, allocator, parent, parent.collectiveContextId(), TagSpace.agree(sequence), member).run();
        if (!member)
        {
            return null;
        }
        final UnsafeBuffer allView = new UnsafeBuffer(all);
        final int size = parent.size();
        final long[] order = new long[size];
        int count = 0;
        for (int r = 0; r < size; r++)
        {
            if (allView.getInt(r * 8) == color)
            {
                // key in the high half, parent rank in the low half: sorting gives MPI's order
                order[count++] = ((long)allView.getInt(r * 8 + 4) << 32) | r;
            }
        }
        Arrays.sort(order, 0, count);
        final long[] members = new long[count];
        int newRank = -1;
        for (int i = 0; i < count; i++)
        {
            final int r = (int)order[i];
            members[i] = parent.member(r);
            if (r == parent.rank())
            {
                newRank = i;
            }
        }
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), newRank, members, NO_NAME);
    }

    /**
     * MPI_Comm_create: collective over {@code parent}; members of {@code group} ({@code rank} >= 0) get the new
     * communicator, the others null.
     */
    public Communicator create(final Communicator parent, final long[] group, final int rank)
    {
        final boolean member = rank >= 0;
        final int slot = new ContextAgreement(p2p, allocator, parent, parent.collectiveContextId(),
            TagSpace.agree(parent.nextCollectiveSequence()), member).run();
        return member ? new Communicator(ContextIdAllocator.contextOfSlot(slot), rank, group, NO_NAME) : null;
    }

    /** MPI_Comm_create_group: collective over the members of {@code group} only; {@code rank} is this one's. */
    public Communicator createGroup(final Communicator parent, final long[] group, final int rank, final int tag)
    {
        final Communicator among = new Communicator(parent.contextId(), rank, group, NO_NAME);
        final int slot = new ContextAgreement(
            p2p, allocator, among, parent.collectiveContextId(), TagSpace.ofUserTag(tag), true).run();
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), rank, group, NO_NAME);
    }

    /**
     * MPI_Intercomm_create: the leaders exchange their groups through {@code peer} (where the remote leader is
     * {@code remoteLeader}), each leader broadcasts the remote group in its local communicator, then both groups
     * agree on the slot of the intercommunicator and each group on the slot of its local intracommunicator.
     */
    public Communicator createIntercomm(final Communicator local, final int localLeader, final Communicator peer,
        final int remoteLeader, final int tag)
    {
        final int peerTag = TagSpace.ofUserTag(tag);
        final int localContext = local.collectiveContextId();
        final boolean leader = local.rank() == localLeader;
        final int bcastTag = TagSpace.bcast(local.nextCollectiveSequence());
        // Groups travel as global names: the peer communicator may span jobs that each side indexes differently.
        final byte[] myGroup = leader ? namesToBytes(local.localMembers()) : null;
        final byte[] remoteLength = new byte[4];
        if (leader)
        {
            final byte[] myLength = new byte[4];
            new UnsafeBuffer(myLength).putInt(0, myGroup.length);
            GroupExchange.swap(p2p, peer, peer.collectiveContextId(), peerTag, remoteLeader, myLength, remoteLength);
        }
        GroupExchange.bcast(p2p, local, localContext, bcastTag, localLeader, remoteLength);
        final byte[] remoteGroup = new byte[new UnsafeBuffer(remoteLength).getInt(0)];
        if (leader)
        {
            GroupExchange.swap(p2p, peer, peer.collectiveContextId(), peerTag, remoteLeader, myGroup, remoteGroup);
        }
        GroupExchange.bcast(p2p, local, localContext, bcastTag, localLeader, remoteGroup);
        final long[] remote = bytesToKeys(remoteGroup);

        final int slot = agreeAcross(local, localLeader, peer, peer.collectiveContextId(), peerTag, remoteLeader);
        final int localSlot;
        try
        {
            localSlot = dupAgreement(local).run();
        }
        catch (final MpiError ex)
        {
            allocator.release(slot);
            throw ex;
        }
        final long[] localMembers = local.localMembers().clone();
        final Communicator localPart =
            new Communicator(ContextIdAllocator.contextOfSlot(localSlot), local.rank(), localMembers, NO_NAME);
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), local.rank(), localMembers, remote,
            localPart, NO_NAME);
    }

    /**
     * MPI_Intercomm_merge: the group that passed {@code high == false} comes first; if both passed the same, the
     * group whose leader has the smaller global name ("jobId:rank") does, which both groups see alike.
     */
    public Communicator merge(final Communicator inter, final boolean high)
    {
        final Communicator local = inter.localComm();
        final byte[] remoteHigh = new byte[1];
        final int leadersTag = TagSpace.leaders(inter.nextCollectiveSequence());
        if (local.rank() == 0)
        {
            GroupExchange.swap(p2p, inter, inter.collectiveContextId(), leadersTag, 0,
                new byte[]{ (byte)(high ? 1 : 0) }, remoteHigh);
        }
        GroupExchange.bcast(p2p, local, local.collectiveContextId(),
            TagSpace.bcast(local.nextCollectiveSequence()), 0, remoteHigh);
        final boolean otherHigh = remoteHigh[0] != 0;
        final long[] mine = inter.localMembers();
        final long[] theirs = inter.remoteMembers();
        final boolean localFirst =
            high != otherHigh ? !high : names.name(mine[0]).compareTo(names.name(theirs[0])) < 0;
        final int slot = agreeAcross(local, 0, inter, inter.collectiveContextId(),
            TagSpace.leaders(inter.nextCollectiveSequence()), 0);
        final long[] members = new long[mine.length + theirs.length];
        System.arraycopy(localFirst ? mine : theirs, 0, members, 0, localFirst ? mine.length : theirs.length);
        System.arraycopy(localFirst ? theirs : mine, 0, members, localFirst ? mine.length : theirs.length,
            localFirst ? theirs.length : mine.length);
        final int rank = (localFirst ? 0 : theirs.length) + inter.rank();
        return new Communicator(ContextIdAllocator.contextOfSlot(slot), rank, members, NO_NAME);
    }

    /**
     * Slot agreement spanning two groups: each pass, every group reduces its offers (allgather over its local
     * communicator), the leaders swap and combine the two reductions through {@code bridge}, and each leader
     * broadcasts the result in its group, so both groups decide the same way.
     */
    public int agreeAcross(final Communicator local, final int localLeader, final Communicator bridge,
        final int bridgeContext, final int bridgeTag, final int remoteLeader)
    {
        final long[] acc = new long[3];
        final byte[] value = new byte[24];
        final byte[] other = new byte[24];
        final UnsafeBuffer valueView = new UnsafeBuffer(value);
        final UnsafeBuffer otherView = new UnsafeBuffer(other);
        final int sequence = local.nextCollectiveSequence();
        final int agreeTag = TagSpace.agree(sequence);
        final int bcastTag = TagSpace.bcast(sequence);
        boolean firstPass = true;
        int window = 0;
        while (true)
        {
            window = firstPass ? allocator.lowestOpenWindow() : window;
            final long offered = allocator.offer(window);
            try
            {
                valueView.putLong(0, window);
                valueView.putLong(8, offered);
                valueView.putLong(16, 0);
                final byte[] all = GroupExchange.allgather(p2p, local, local.collectiveContextId(), agreeTag, value);
                final UnsafeBuffer allView = new UnsafeBuffer(all);
                acc[0] = window;
                acc[1] = offered;
                acc[2] = 0;
                for (int r = 0; r < local.size(); r++)
                {
                    combine(acc, allView.getLong(r * 24), allView.getLong(r * 24 + 8), allView.getLong(r * 24 + 16));
                }
                valueView.putLong(0, acc[0]);
                valueView.putLong(8, acc[1]);
                valueView.putLong(16, acc[2]);
                if (local.rank() == localLeader)
                {
                    GroupExchange.swap(p2p, bridge, bridgeContext, bridgeTag, remoteLeader, value, other);
                    combine(acc, otherView.getLong(0), otherView.getLong(8), otherView.getLong(16));
                    valueView.putLong(0, acc[0]);
                    valueView.putLong(8, acc[1]);
                    valueView.putLong(16, acc[2]);
                }
                GroupExchange.bcast(p2p, local, local.collectiveContextId(), bcastTag, localLeader, value);
                acc[0] = valueView.getLong(0);
                acc[1] = valueView.getLong(8);
                acc[2] = valueView.getLong(16);
            }
            catch (final MpiError ex)
            {
                allocator.settle(window, offered, -1);
                throw ex;
            }
            if (acc[2] == 0 && acc[1] != 0)
            {
                final int slot = (int)(acc[0] << 6) + Long.numberOfTrailingZeros(acc[1]);
                allocator.settle(window, offered, slot);
                return slot;
            }
            allocator.settle(window, offered, -1);
            window = firstPass && acc[2] != 0 ? (int)acc[0] : (int)acc[0] + 1;
            firstPass = false;
            if (window >= ContextIdAllocator.WINDOWS)
            {
                throw new MpiError(ErrorClass.ERR_INTERN, "no free context id: " + ContextIdAllocator.SLOTS +
                    " communicators are alive");
            }
        }
    }

    /** MPI_Comm_free: forget the matching state and give the slot(s) back. */
    public void free(final Communicator comm)
    {
        comm.markFreed();
        p2p.release(comm.contextId());
        p2p.release(comm.collectiveContextId());
        allocator.release(ContextIdAllocator.slotOfContext(comm.contextId()));
        final Communicator local = comm.localComm();
        if (null != local && !local.isFreed())
        {
            free(local);
        }
    }

    /** Gives back the slot of a communicator that was agreed but never handed out (a failed dup). */
    public void abandon(final Communicator comm)
    {
        free(comm);
    }

    static void combine(final long[] acc, final long w, final long mask, final long lower)
    {
        if (w == acc[0])
        {
            acc[1] &= mask;
            acc[2] |= lower;
        }
        else if (w > acc[0])
        {
            acc[0] = w;
            acc[1] = mask;
            acc[2] = 1;
        }
        else
        {
            acc[2] = 1;
        }
    }

    private byte[] namesToBytes(final long[] keys)
    {
        final StringBuilder joined = new StringBuilder();
        for (final long key : keys)
        {
            joined.append(joined.length() == 0 ? "" : ",").append(names.name(key));
        }
        return joined.toString().getBytes(StandardCharsets.UTF_8);
    }

    private long[] bytesToKeys(final byte[] bytes)
    {
        final String[] parts = new String(bytes, StandardCharsets.UTF_8).split(",");
        final long[] keys = new long[parts.length];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = names.key(parts[i]);
        }
        return keys;
    }
}
