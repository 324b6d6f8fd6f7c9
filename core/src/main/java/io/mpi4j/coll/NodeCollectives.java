package io.mpi4j.coll;

import io.mpi4j.comm.CollectiveState;
import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.Peer;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.transport.TransportSettings;
import org.agrona.UnsafeApi;

/**
 * The blocking collectives of an intracommunicator whose members share a node, through one {@link SharedSegment}
 * per communicator instead of messages (as Open MPI's coll/sm and xhc): each member has an arrival word and two
 * data slots in it. A collective is a sequence of steps numbered alike everywhere (members call collectives in the
 * same order); in step {@code s} a member writes what it contributes into its slot of parity {@code s & 1}, then
 * publishes {@code s} in its arrival word (release), and reads the others' slots of that parity once their words
 * say {@code s} (acquire). A member that publishes {@code s} has finished reading step {@code s - 1}, so writing a
 * slot in step {@code s} only needs every word at {@code s - 1} or beyond: two parities let a bcast root run one
 * step ahead, and most steps find that condition already true. A member that only contributes (reduce and gather
 * below the root) leaves once its part is published; gatherv and scatterv carry what only the root knows (the
 * number of steps, the lengths) in note words beside the arrival words.
 * <p>
 * Large blocks of bcast, gather, scatter, allgather and alltoall, and large vectors of reduce, between native
 * buffers are not copied through the slots but read by each member straight out of the others' buffers
 * ({@code process_vm_readv}, through the transport's {@link io.mpi4j.transport.RemoteMemory#copyFrom}): one copy
 * instead of two, and no lockstep over 64 KiB slots. A reduce's root reads and folds every vector (from
 * {@link #SPLIT_REDUCE_MIN} the others fold parts and write them into its buffer with {@code process_vm_writev},
 * {@link io.mpi4j.transport.RemoteMemory#copyTo}). Allreduce, from {@link #SINGLE_COPY_ALLREDUCE_MIN}, reads its
 * part of every vector, folds it, then writes it into every other member's receive buffer; once reads went a
 * megabyte at a time (they went a slot at a time, when allreduce measured slower this way: 210 against 128 us at 1
 * MiB, 2 ranks), it measured faster than the slots at 1 MiB in every alternating comparison (0.45-0.85x; 4 ranks on
 * 2 cores 0.63-0.69x at 1-4 MiB), on a host whose phases move both by up to 2x. A first step publishes each member's buffer address in its note ({@link #offer}; 0 for a Java
 * array, or a buffer the call itself overwrites, and then all use the slots), a last one says that all have read
 * and written ({@link #settle}); where the kernel refused a copy all use the slots too, and keep to them.
 * <p>
 * Reductions fold the contributions in rank order ({@code x0 op (x1 op (... op xp-1))}), so non-commutative and
 * user operators get MPI's order and every member computes bit-identical results. Large vectors go chunk by chunk,
 * each chunk reduced in parallel (member {@code r} reduces the {@code r}-th part of every chunk, then all gather
 * the parts: a reduce-scatter and an allgather through memory). Waits turn the progress engine and fail with
 * MPI_ERR_PROC_FAILED / MPI_ERR_REVOKED when a member died or the communicator was revoked; after any failure the
 * communicator's collectives go back to point-to-point, whose sequence numbers do not depend on this one.
 * <p>
 * The segment is made at the first blocking collective of the communicator that can use it ({@link #of}), by the
 * same exchange as a shared window: member 0 creates an owner-only file named after the job (so the job's shared
 * memory cleanup removes it after a crash), everyone maps it, member 0 removes the name once all tried. If a
 * member cannot map it (another node) the communicator keeps point-to-point collectives. The mapping goes with the
 * communicator ({@link Communicator#markFreed}) and with the process.
 */
public final class NodeCollectives implements PointToPoint.WaitCondition, CollectiveState
{
    /**
     * One member's arrival word, then its two note words (one per parity, as the slots), alone on a pair of cache
     * lines (adjacent-line prefetch). A note carries what a v-collective's members do not all know: a length, a
     * number of steps.
     */
    static final int ARRIVAL_STRIDE = 2 * SharedSegment.ALIGNMENT;
    private static final int NOTE_OFFSET = Long.BYTES;
    private static final int SECOND_NOTE_OFFSET = NOTE_OFFSET + 2 * Long.BYTES;
    /** One member's data slot of one parity: the largest step of any collective. */
    static final int SLOT_BYTES = 64 * 1024;
    /** From this many bytes a reduction step is split among the members, below it every member reduces it all. */
    static final int SPLIT_REDUCTION = 16 * 1024;
    private static final int PARITIES = 2;
    /**
     * From this many bytes per block the members read each other's buffers ({@link #offer}) instead of copying
     * through the slots, where the buffers are native memory; {@code MPI4J_COLL_SINGLE_COPY_MIN} (a size, or
     * {@code off}). Below it the copy in and out of the slots costs less than the two extra steps a single copy
     * takes (publishing the addresses, then waiting until all have read).
     */
    static final long SINGLE_COPY_MIN = singleCopyMin(System.getenv("MPI4J_COLL_SINGLE_COPY_MIN"));
    /**
     * The default threshold where the node has more ranks than cores: each of a single copy's two extra steps then
     * waits for every member to be scheduled (measured at 4 ranks on 2 cores: bcast, alltoall and allgather of
     * 64-128 KiB 2-9x slower than through the slots, 512 KiB and more faster).
     */
    static final long CROWDED_SINGLE_COPY_MIN = 512 * 1024;
    private static final boolean SINGLE_COPY_MIN_SET = null != System.getenv("MPI4J_COLL_SINGLE_COPY_MIN");
    /** Whether this process's job has more ranks than the node has cores; set once by the runtime. */
    private static volatile boolean crowded;
    /**
     * From this many bytes allreduce reads each other's buffers (when reductions do at all): at 128-256 KiB its two
     * extra steps cost more than the slots' copies (2 ranks, 6 alternating rounds: 1.24-1.34x the slots' time, 512
     * KiB equal, 1 MiB 0.85x); with the parts written rather than read back (two steps fewer), 256-512 KiB measured
     * within noise of the slots (0.83-1.13x), so the threshold stayed.
     */
    static final long SINGLE_COPY_ALLREDUCE_MIN = 1 << 20;
    /**
     * From this many bytes a single-copy reduce splits the folding among the members ({@link #readReduced}): below
     * it, two processes copying into each other's memory at once cost more than the root reading alone (2 ranks,
     * alternating rounds: 128-512 KiB 1.05-1.22x the root's time alone; 1-4 MiB 0.68-0.95x).
     */
    static final long SPLIT_REDUCE_MIN = 1 << 20;
    /**
     * From this many bytes a reduce reads the others' vectors (when reductions do at all, and unless
     * {@code MPI4J_COLL_SINGLE_COPY_MIN} says otherwise): at 128 KiB, 2 ranks, its two extra steps and the root's
     * read of the whole vector cost more than the slots' copies, which the other member makes while the root folds
     * (alternating rounds: 26-46 us against 18-22); from 256 KiB within noise of the slots, and less at 1 MiB.
     */
    static final long SINGLE_COPY_REDUCE_MIN = 256 << 10;
    /** The longest read made under one hold of the engine's lock, so that other threads' progress goes on. */
    private static final long SINGLE_COPY_PIECE = 1 << 20;

    /**
     * What a reduce's root offers for its send vector when the others cannot read it (a Java array): it folds the
     * whole vector itself. Never a native address.
     */
    private static final long FOLDED_BY_OWNER = -1;

    /** Set {@code MPI4J_COLL_SHM=off} to keep every collective on point-to-point. */
    private static final boolean ENABLED = !"off".equalsIgnoreCase(System.getenv("MPI4J_COLL_SHM"));
    /**
     * A digest of this process's node identity (the transports' notion of a node), set once by the runtime; 0 while
     * unknown. Being able to map a segment is not enough to share one: the nodes that network namespaces or
     * containers make of one machine may see one /dev/shm while their processes talk over the network.
     */
    private static volatile long thisNode;

    /** {@link Communicator#collectiveState} of a communicator that has no segment: decided, never retried. */
    private static final Object NONE = new Object();

    /** Says which node this process runs on: members with another digest never share a segment with it. */
    public static void identifyNode(final long nodeDigest)
    {
        thisNode = nodeDigest;
    }

    static long thisNode()
    {
        return thisNode;
    }

    /** Says whether this process's job has more ranks than the node has cores (single copies from larger blocks). */
    public static void crowded(final boolean oversubscribed)
    {
        crowded = oversubscribed;
    }

    private final PointToPoint p2p;
    private final Communicator comm;
    private final int size;
    private final int rank;
    private final long arrivals;
    private final long slots;
    @SuppressWarnings("unused")
    private final SharedSegment segment;
    private long sequence;
    private boolean broken;
    /** False once some member could not read another's memory: decided alike everywhere, never retried. */
    private boolean singleCopy;
    /** The smallest block read in one copy: member 0's choice when the segment was made, alike everywhere. */
    private final long singleCopyMin;
    /** The members' peers, made on the first single copy that reads from them. */
    private Peer[] peers;
    /** Whether member 0's node had more ranks than cores when the segment was made: alike everywhere. */
    private final boolean crowdedNode;
    /** Native memory of this member's own for the parts of reductions it folds for another ({@link #scratch}). */
    private long scratch;
    private long scratchBytes;

    // the wait in progress: every member's arrival word at waitStep or beyond, checked from waitNext on
    private long waitStep;
    private int waitNext;
    private int waitLast;

    private NodeCollectives(final PointToPoint p2p, final Communicator comm, final SharedSegment segment,
        final long singleCopyMin, final boolean crowdedNode)
    {
        this.singleCopyMin = singleCopyMin;
        this.crowdedNode = crowdedNode;
        this.singleCopy = singleCopyMin != Long.MAX_VALUE;
        this.p2p = p2p;
        this.comm = comm;
        this.size = comm.size();
        this.rank = comm.rank();
        this.segment = segment;
        this.arrivals = segment.address(0);
        this.slots = arrivals + arrivalBytes(size);
    }

    static long arrivalBytes(final int size)
    {
        return (long)size * ARRIVAL_STRIDE;
    }

    /**
     * The communicator is freed: this process's mapping goes now rather than when the collector finds it, so that a
     * program making and freeing communicators does not pile up mappings (each member unmaps only its own; the
     * file went once all had mapped it).
     */
    @Override
    public void release()
    {
        segment.unmap();
        if (0 != scratch)
        {
            UnsafeApi.freeMemory(scratch);
            scratch = 0;
            scratchBytes = 0;
        }
    }

    /** Bytes of the segment of a communicator of {@code size} members. */
    static long segmentBytes(final int size)
    {
        return arrivalBytes(size) + (long)PARITIES * size * SLOT_BYTES;
    }

    /**
     * The on-node collectives of intracommunicator {@code c}, made on its first call (collective: every member of
     * {@code c} must be calling the same blocking collective); null when its members do not share a node or it has
     * one member, decided once.
     *
     * @param jobId the job id, in the file name so that the job's shared-memory cleanup finds it
     */
    public static NodeCollectives of(final PointToPoint p2p, final Communicator c, final String jobId)
    {
        final Object state = c.collectiveState();
        if (state instanceof NodeCollectives)
        {
            final NodeCollectives n = (NodeCollectives)state;
            return n.broken ? null : n;
        }
        if (null != state || c.isInter())
        {
            return null;
        }
        if (!ENABLED || c.size() < 2 || null == jobId)
        {
            c.collectiveState(NONE);
            return null;
        }
        // decided before the exchange: a failure in it must not make the next call try again alone
        c.collectiveState(NONE);
        // members of one communicator may belong to different jobs (spawn): member 0's threshold and its node's
        // crowding are everyone's, one long: the threshold (at most Long.MAX_VALUE, off), negated minus one if crowded
        final long threshold = crowded && !SINGLE_COPY_MIN_SET ? CROWDED_SINGLE_COPY_MIN : SINGLE_COPY_MIN;
        final long[] agreed = {crowded ? -threshold - 1 : threshold};
        final SharedSegment segment = NodeSegments.open(p2p, c, segmentBytes(c.size()),
            "mpi4j-" + jobId + "-coll-" + c.contextId() + "-" + ProcessHandle.current().pid(), agreed);
        if (null == segment)
        {
            c.collectiveState(NONE);
            return null;
        }
        final boolean crowdedNode = agreed[0] < 0;
        final NodeCollectives n =
            new NodeCollectives(p2p, c, segment, crowdedNode ? -agreed[0] - 1 : agreed[0], crowdedNode);
        c.collectiveState(n);
        return n;
    }

    private long slot(final long step, final int member)
    {
        return slots + ((step & 1) * size + member) * (long)SLOT_BYTES;
    }

    private long arrival(final int member)
    {
        return arrivals + (long)member * ARRIVAL_STRIDE;
    }

    /** Member {@code member}'s note of the parity of {@code step}, written before that step is published. */
    private long note(final long step, final int member)
    {
        return arrival(member) + NOTE_OFFSET + (step & 1) * Long.BYTES;
    }

    /** Member {@code member}'s second note of the parity of {@code step}: a second address of {@link #offer}. */
    private long secondNote(final long step, final int member)
    {
        return arrival(member) + SECOND_NOTE_OFFSET + (step & 1) * Long.BYTES;
    }

    private void publish(final long step)
    {
        UnsafeApi.putLongRelease(null, arrival(rank), step);
    }

    @Override
    public boolean satisfied()
    {
        while (waitNext <= waitLast)
        {
            if (UnsafeApi.getLongVolatile(null, arrival(waitNext)) < waitStep)
            {
                return false;
            }
            waitNext++;
        }
        return true;
    }

    /** Waits until members {@code first..last} published {@code step} or later. */
    private void await(final int first, final int last, final long step)
    {
        waitStep = step;
        waitNext = first;
        waitLast = last;
        if (!satisfied())
        {
            try
            {
                p2p.awaitCondition(comm.endpoint(), this);
            }
            catch (final MpiError ex)
            {
                broken = true;
                throw ex;
            }
        }
    }

    private void awaitAll(final long step)
    {
        await(0, size - 1, step);
    }

    /** Starts a step in which this member writes its slot: every member is done with the slot's last use. */
    private long writeStep()
    {
        final long step = ++sequence;
        awaitAll(step - 1);
        return step;
    }

    /** {@link #SINGLE_COPY_MIN} from its setting: a size ("64k"), {@code off}, or unset (64 KiB). */
    static long singleCopyMin(final String setting)
    {
        final long byDefault = 64 * 1024;
        if (null == setting || setting.isBlank())
        {
            return byDefault;
        }
        if ("off".equalsIgnoreCase(setting.trim()))
        {
            return Long.MAX_VALUE;
        }
        try
        {
            return Math.max(1, TransportSettings.parseSize(setting));
        }
        catch (final NumberFormatException ex)
        {
            System.err.println("mpi4j: MPI4J_COLL_SINGLE_COPY_MIN must be a size (such as 64k) or off, got '" +
                setting.trim() + "': using 64k");
            return byDefault;
        }
    }

    /** Whether a collective moving {@code bytes} per block tries a single copy; alike at every member. */
    private boolean triesSingleCopy(final long bytes)
    {
        return singleCopy && bytes >= singleCopyMin;
    }

    /**
     * Whether a reduction of a {@code bytes} vector tries a single copy: from twice the threshold, since a reduction's
     * fold costs as much either way and its slot path already splits the work (64 KiB: 20-30% slower read).
     */
    private boolean triesSingleCopyReduction(final long bytes)
    {
        return singleCopy && bytes / 2 >= singleCopyMin;
    }

    /**
     * Whether a reduce of a {@code bytes} vector tries a single copy: as a reduction, and from
     * {@link #SINGLE_COPY_REDUCE_MIN} unless the threshold was set or the node is crowded (its own, higher one).
     */
    private boolean triesSingleCopyReduce(final long bytes)
    {
        return triesSingleCopyReduction(bytes) &&
            (SINGLE_COPY_MIN_SET || crowdedNode || bytes >= SINGLE_COPY_REDUCE_MIN);
    }

    /**
     * The first step of a single copy, in which each member publishes, in its note, the address of its own buffer
     * that the others read (or, for a member nobody reads, the one it reads into), 0 when it cannot take part (a Java
     * array, which the collector moves; a buffer the collective overwrites while others read it). The step number
     * when every member can, which {@link #settle} must end; else 0, and all go through the slots, having seen the
     * same notes. Reading another member's note after its step is published is safe: it writes that parity's note
     * again only in a step for which this member must have published the one in between.
     */
    private long offer(final long address)
    {
        return offer(address, 0);
    }

    /** {@link #offer(long)}, publishing {@code second} as well (in the second note, read by {@link #offeredSecond}). */
    private long offer(final long address, final long second)
    {
        final long step = writeStep();
        UnsafeApi.putLong(null, note(step, rank), address);
        UnsafeApi.putLong(null, secondNote(step, rank), second);
        publish(step);
        awaitAll(step);
        for (int m = 0; m < size; m++)
        {
            if (0 == UnsafeApi.getLong(null, note(step, m)))
            {
                return 0;
            }
        }
        return step;
    }

    /** Where member {@code member} said, in step {@code step} of {@link #offer}, its buffer lies in its process. */
    private long offered(final long step, final int member)
    {
        return UnsafeApi.getLong(null, note(step, member));
    }

    /** The second address member {@code member} published in step {@code step} of {@link #offer(long, long)}. */
    private long offeredSecond(final long step, final int member)
    {
        return UnsafeApi.getLong(null, secondNote(step, member));
    }

    /**
     * The last step of a single copy: every member says whether it read all it had to, and none leaves before all
     * have read (their buffers are being read until then). True when all did; else every member goes through the
     * slots as well (those that read get the same bytes again) and never tries again on this communicator.
     */
    private boolean settle(final boolean read)
    {
        final long step = writeStep();
        UnsafeApi.putLong(null, note(step, rank), read ? 1 : 2);
        publish(step);
        awaitAll(step);
        for (int m = 0; m < size; m++)
        {
            if (1 != UnsafeApi.getLong(null, note(step, m)))
            {
                singleCopy = false;
                return false;
            }
        }
        return true;
    }

    /**
     * Copies {@code length} bytes at {@code remote} in member {@code member}'s process to {@code local} (native);
     * false, having perhaps copied a part, where this process may not read there or the read failed. A member that
     * died is not reported here: {@link #settle} turns to the slots, whose wait finds it dead and says so.
     */
    private boolean readFrom(final int member, final long remote, final long local, final long length)
    {
        return copy(member, false, local, remote, length);
    }

    /**
     * Copies {@code length} bytes of native memory at {@code local} to {@code remote} in member {@code member}'s
     * process, as {@link #readFrom} the other way.
     */
    private boolean writeTo(final int member, final long local, final long remote, final long length)
    {
        return copy(member, true, local, remote, length);
    }

    /** {@link #readFrom}, or {@link #writeTo} when {@code write}: a read's longest at a time. */
    private boolean copy(final int member, final boolean write, final long local, final long remote,
        final long length)
    {
        try
        {
            for (long done = 0; done < length; done += SINGLE_COPY_PIECE)
            {
                final long piece = Math.min(SINGLE_COPY_PIECE, length - done);
                if (write ? !p2p.copyTo(peer(member), local + done, remote + done, piece) :
                    !p2p.copyFrom(peer(member), remote + done, local + done, piece))
                {
                    return false;
                }
            }
            return true;
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    private Peer peer(final int member)
    {
        if (null == peers)
        {
            peers = new Peer[size];
        }
        if (null == peers[member])
        {
            peers[member] = p2p.peer(comm.endpoint(), member);
        }
        return peers[member];
    }

    /**
     * Reads {@code block} bytes from every other member, at {@code skip} past the address it offered in step
     * {@code step}, into block {@code m} of the receive buffer at {@code into}; false at the first read refused.
     */
    private boolean readFromEach(final long step, final long skip, final long into, final long block)
    {
        for (int m = 0; m < size; m++)
        {
            if (m != rank && !readFrom(m, offered(step, m) + skip, into + m * block, block))
            {
                return false;
            }
        }
        return true;
    }

    // -------------------------------------------------------------------------------------------- collectives

    /**
     * MPI_Barrier: every member publishes one step and waits for all. On a node with more ranks than cores, member 0
     * publishes only once all others have and they wait for its word alone (a fan-in and fan-out): member 0 leaves
     * first and the others wait for one word, where each waiting for every word would keep handing cores to
     * members that are themselves only waiting; and a collective rooted at member 0 right after (osu_bcast's loop)
     * has its data out before the others look for it.
     */
    public void barrier()
    {
        final long step = ++sequence;
        if (!crowdedNode)
        {
            publish(step);
            awaitAll(step);
        }
        else if (0 == rank)
        {
            await(1, size - 1, step);
            publish(step);
        }
        else
        {
            publish(step);
            await(0, 0, step);
        }
    }

    /**
     * MPI_Bcast of {@code bytes} at (base, address) from {@code root}. Only the root writes in a bcast step, so a
     * step carries every slot of its parity (they are adjacent): fewer steps, fewer flag round trips, and the two
     * parities still let the root fill one while the others copy out of the other.
     */
    public void bcast(final Object base, final long address, final long bytes, final int root)
    {
        if (triesSingleCopy(bytes))
        {
            final long step = offer(null == base ? address : 0);
            if (0 != step && settle(rank == root || readFrom(root, offered(step, root), address, bytes)))
            {
                return;
            }
        }
        final long chunkBytes = parityBytes();
        long done = 0;
        do
        {
            final long chunk = Math.min(chunkBytes, bytes - done);
            if (rank == root)
            {
                final long step = writeStep();
                Memory.copy(base, address + done, null, slot(step, 0), chunk);
                publish(step);
            }
            else
            {
                final long step = readStep();
                await(root, root, step);
                Memory.copy(null, slot(step, 0), base, address + done, chunk);
            }
            done += chunk;
        }
        while (done < bytes);
    }

    /** Bytes of all the slots of one parity, adjacent from member 0's. */
    private long parityBytes()
    {
        return (long)size * SLOT_BYTES;
    }

    /** Starts a step in which this member writes nothing: it only says it is done with the step before. */
    private long readStep()
    {
        final long step = ++sequence;
        publish(step);
        return step;
    }

    /**
     * MPI_Reduce of {@code count} items of {@code itemBytes} to {@code root}, folded in rank order as
     * {@link #allReduce}; {@code recvBase/recvAddress} are used at the root only (in place there when they are the
     * send location). A member other than the root leaves as soon as its part is in the segment: it waits for
     * nobody unless the vector is large enough to be reduced in parts and there are more than two members. False,
     * having done nothing, for items larger than a slot.
     */
    public boolean reduce(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final int count, final int itemBytes, final Reduction op, final int root)
    {
        if (itemBytes > SLOT_BYTES || itemBytes <= 0)
        {
            return false;
        }
        final int chunkItems = SLOT_BYTES / itemBytes;
        if (triesSingleCopyReduce((long)count * itemBytes) &&
            readReduced(sendBase, sendAddress, recvBase, recvAddress, count, itemBytes, op, root))
        {
            return true;
        }
        // a root folding alone reads its own items where they are, unless they are where the result goes
        final boolean rootInPlace = sendBase == recvBase && sendAddress == recvAddress;
        int done = 0;
        do
        {
            final int items = Math.min(chunkItems, count - done);
            final long offset = (long)done * itemBytes;
            // Two members gain little from splitting (half a fold each) and the other member would wait for the
            // root: measured at 2 ranks, 512 KiB-1 MiB reduce 20-30% faster folded by the root alone.
            final boolean rootAlone = (long)items * itemBytes < SPLIT_REDUCTION || items < size || size == 2;
            final long step = writeStep();
            if (rank != root || !rootAlone || rootInPlace)
            {
                Memory.copy(sendBase, sendAddress + offset, null, slot(step, rank), (long)items * itemBytes);
            }
            publish(step);
            if (rootAlone)
            {
                if (rank == root)
                {
                    awaitAll(step);
                    if (rootInPlace)
                    {
                        fold(step, 0, items, itemBytes, recvBase, recvAddress + offset, op);
                    }
                    else
                    {
                        foldWithOwn(step, items, itemBytes, sendBase, sendAddress + offset, recvBase,
                            recvAddress + offset, op);
                    }
                }
            }
            else
            {
                // every member folds its part (the root straight into its receive buffer), the root collects them
                awaitAll(step);
                final int first = part(items, rank);
                final int end = part(items, rank + 1);
                final long skip = (long)first * itemBytes;
                final long share = ++sequence;
                if (rank == root)
                {
                    fold(step, first, end - first, itemBytes, recvBase, recvAddress + offset + skip, op);
                    publish(share);
                    awaitAll(share);
                    for (int m = 0; m < size; m++)
                    {
                        if (m != rank)
                        {
                            final int from = part(items, m);
                            Memory.copy(null, slot(share, m) + (long)from * itemBytes, recvBase,
                                recvAddress + offset + (long)from * itemBytes,
                                (long)(part(items, m + 1) - from) * itemBytes);
                        }
                    }
                }
                else
                {
                    // all published step = share - 1: this member's slot of the share's parity is free
                    fold(step, first, end - first, itemBytes, null, slot(share, rank) + skip, op);
                    publish(share);
                }
            }
            done += items;
        }
        while (done < count);
        return true;
    }

    /**
     * MPI_Reduce by single copy, a reduce-scatter through each other's buffers whose parts end in the root's: each
     * member folds its part of every member's send vector in rank order ({@link #foldRead}), the root into its
     * receive buffer, the others a piece at a time into memory of their own, which they then write into the root's
     * receive buffer ({@link #writeTo}); {@link #settle} tells the root that all parts are there. A member other than
     * the root moves each byte of its part twice (read, then write), so the root takes the larger part
     * ({@link #reducePart}); below {@link #SPLIT_REDUCE_MIN}, where the node has more ranks than cores, or where the
     * root's send vector is a Java array, the root folds it all (the others' parts would cost more than they save,
     * wait for a core, or could not read the root's vector). False, having done nothing that counts, when some
     * member cannot take part (a Java array; the root in place) or a copy was refused: the slots then.
     */
    private boolean readReduced(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final int count, final int itemBytes, final Reduction op, final int root)
    {
        final long mine;
        if (rank == root)
        {
            final boolean takesPart = null == recvBase && !(null == sendBase && sendAddress == recvAddress);
            mine = takesPart ? (null == sendBase ? sendAddress : FOLDED_BY_OWNER) : 0;
        }
        else
        {
            mine = null == sendBase ? sendAddress : 0;
        }
        final long step = offer(mine, rank == root ? recvAddress : 0);
        if (0 == step)
        {
            return false;
        }
        final boolean split = !crowdedNode && (long)count * itemBytes >= SPLIT_REDUCE_MIN &&
            FOLDED_BY_OWNER != offered(step, root);
        final int first = reducePart(count, rank, root, split);
        final int items = reducePart(count, rank + 1, root, split) - first;
        final long skip = (long)first * itemBytes;
        if (rank == root)
        {
            return settle(foldRead(step, sendBase, sendAddress + skip, skip, recvAddress + skip, items, itemBytes, op));
        }
        return settle(writeFolded(step, root, sendAddress, skip, items, itemBytes, op));
    }

    /**
     * Folds {@code items} items at byte {@code skip} of every member's vector (this member's own at
     * {@code own + skip}) as {@link #foldRead}, a read's longest at a time, into this member's own native memory,
     * and writes each piece to the same place in the root's receive buffer, published in step {@code step}.
     */
    private boolean writeFolded(final long step, final int root, final long own, final long skip, final int items,
        final int itemBytes, final Reduction op)
    {
        final int pieceItems = (int)(SINGLE_COPY_PIECE / itemBytes);
        final long pieceBytes = (long)Math.min(pieceItems, items) * itemBytes;
        if (0 == items)
        {
            return true;
        }
        final long folded = scratch(2 * pieceBytes);
        final long target = offeredSecond(step, root);
        boolean copied = true;
        for (int done = 0; done < items && copied; done += pieceItems)
        {
            final int n = Math.min(pieceItems, items - done);
            final long at = skip + (long)done * itemBytes;
            copied = foldRead(step, null, own + at, at, folded, n, itemBytes, op, folded + pieceBytes, pieceBytes) &&
                writeTo(root, folded, target + at, (long)n * itemBytes);
        }
        return copied;
    }

    /**
     * The first item of member {@code member}'s part of a reduction of {@code count} items to {@code root}
     * ({@code member == size}: {@code count}). Split, the root's part is to another's as {@code 4(p-1)+3} to
     * {@code 4(p-1)}: another member also writes its part to the root, about three quarters of its cost per byte
     * with {@code p - 1} vectors to read and fold at a read's speed and a fold's (13 and 45 GB/s here); unsplit,
     * the root's part is all of it.
     */
    private int reducePart(final int count, final int member, final int root, final boolean split)
    {
        final long other = split ? 4L * (size - 1) : 0;
        final long own = split ? other + 3 : 1;
        final long before = member * other + (member > root ? own - other : 0);
        return (int)(count * before / (own + (size - 1) * other));
    }

    /**
     * At least {@code bytes} of native memory of this member's own, kept for the communicator's next reductions and
     * freed with it.
     */
    private long scratch(final long bytes)
    {
        if (scratchBytes < bytes)
        {
            if (0 != scratch)
            {
                UnsafeApi.freeMemory(scratch);
                scratch = 0;
                scratchBytes = 0;
            }
            scratch = UnsafeApi.allocateMemory(bytes);
            scratchBytes = bytes;
        }
        return scratch;
    }

    /**
     * MPI_Gather of {@code block} bytes per member to {@code root}: every member writes a slot-sized piece of its
     * block per step and leaves when its last piece is in the segment; the root copies the pieces out. At the root
     * the send location may be its block of the receive buffer (in place).
     */
    public void gather(final Object sendBase, final long sendAddress, final Object recvBase, final long recvAddress,
        final long block, final int root)
    {
        if (rank == root)
        {
            copyUnlessSame(sendBase, sendAddress, recvBase, recvAddress + root * block, block);
        }
        if (triesSingleCopy(block))
        {
            final long step = offer(rank == root ? (null == recvBase ? recvAddress : 0) :
                (null == sendBase ? sendAddress : 0));
            if (0 != step && settle(rank != root || readFromEach(step, 0, recvAddress, block)))
            {
                return;
            }
        }
        long done = 0;
        while (done < block)
        {
            final long chunk = Math.min(SLOT_BYTES, block - done);
            if (rank == root)
            {
                final long step = readStep();
                awaitAll(step);
                for (int m = 0; m < size; m++)
                {
                    if (m != root)
                    {
                        Memory.copy(null, slot(step, m), recvBase, recvAddress + m * block + done, chunk);
                    }
                }
            }
            else
            {
                final long step = writeStep();
                Memory.copy(sendBase, sendAddress + done, null, slot(step, rank), chunk);
                publish(step);
            }
            done += chunk;
        }
    }

    /**
     * MPI_Scatter of {@code block} bytes per member from {@code root}: the root alone writes, so in each step it
     * fills every member's slot with that member's next piece. At the root the receive location may be its block of
     * the send buffer (in place).
     */
    public void scatter(final Object sendBase, final long sendAddress, final Object recvBase, final long recvAddress,
        final long block, final int root)
    {
        if (rank == root)
        {
            copyUnlessSame(sendBase, sendAddress + root * block, recvBase, recvAddress, block);
        }
        if (triesSingleCopy(block))
        {
            final long step = offer(rank == root ? (null == sendBase ? sendAddress : 0) :
                (null == recvBase ? recvAddress : 0));
            if (0 != step && settle(rank == root ||
                readFrom(root, offered(step, root) + rank * block, recvAddress, block)))
            {
                return;
            }
        }
        long done = 0;
        while (done < block)
        {
            final long chunk = Math.min(SLOT_BYTES, block - done);
            if (rank == root)
            {
                final long step = writeStep();
                for (int m = 0; m < size; m++)
                {
                    if (m != root)
                    {
                        Memory.copy(sendBase, sendAddress + m * block + done, null, slot(step, m), chunk);
                    }
                }
                publish(step);
            }
            else
            {
                final long step = readStep();
                await(root, root, step);
                Memory.copy(null, slot(step, rank), recvBase, recvAddress + done, chunk);
            }
            done += chunk;
        }
    }

    /**
     * MPI_Allgather of {@code block} bytes per member into blocks at {@code m * block} of the receive buffer; the
     * send location may be this member's block (in place).
     */
    public void allGather(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final long block)
    {
        copyUnlessSame(sendBase, sendAddress, recvBase, recvAddress + rank * block, block);
        if (triesSingleCopy(block))
        {
            // each member's block is read from its send buffer, which it does not write (a block it has just
            // copied would come out of its core's cache line by line), or in place from its receive buffer
            final long step =
                offer(null != recvBase ? 0 : null == sendBase ? sendAddress : recvAddress + rank * block);
            if (0 != step && settle(readFromEach(step, 0, recvAddress, block)))
            {
                return;
            }
        }
        long done = 0;
        while (done < block)
        {
            final long chunk = Math.min(SLOT_BYTES, block - done);
            final long step = writeStep();
            Memory.copy(sendBase, sendAddress + done, null, slot(step, rank), chunk);
            publish(step);
            awaitAll(step);
            for (int m = 0; m < size; m++)
            {
                if (m != rank)
                {
                    Memory.copy(null, slot(step, m), recvBase, recvAddress + m * block + done, chunk);
                }
            }
            done += chunk;
        }
    }

    /**
     * MPI_Allgatherv: member {@code m}'s {@code lengths[m]} bytes go to {@code offsets[m]} of the receive buffer
     * (bytes); every member knows every length, so all take the same number of steps (the longest block's).
     */
    public void allGatherv(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final long[] offsets, final long[] lengths)
    {
        copyUnlessSame(sendBase, sendAddress, recvBase, recvAddress + offsets[rank], lengths[rank]);
        long longest = 0;
        for (int m = 0; m < size; m++)
        {
            longest = Math.max(longest, lengths[m]);
        }
        long done = 0;
        while (done < longest)
        {
            final long step = writeStep();
            Memory.copy(sendBase, sendAddress + done, null, slot(step, rank), piece(lengths[rank], done));
            publish(step);
            awaitAll(step);
            for (int m = 0; m < size; m++)
            {
                if (m != rank)
                {
                    Memory.copy(null, slot(step, m), recvBase, recvAddress + offsets[m] + done,
                        piece(lengths[m], done));
                }
            }
            done += SLOT_BYTES;
        }
    }

    /**
     * MPI_Gatherv to {@code root}: this member's {@code sendBytes} (at the root: {@code lengths[m]} bytes to
     * {@code offsets[m]} of the receive buffer). Only the root knows every length, so it notes the number of steps
     * in the first step and the others read it there, and each member notes its length so that the root reports a
     * block longer than it expects (MPI_ERR_TRUNCATE) once every step is done. The root trims {@code lengths} to
     * what each member sent.
     */
    public void gatherv(final Object sendBase, final long sendAddress, final long sendBytes, final Object recvBase,
        final long recvAddress, final long[] offsets, final long[] lengths, final int root)
    {
        final long first = writeStep();
        final long steps;
        if (rank == root)
        {
            copyUnlessSame(sendBase, sendAddress, recvBase, recvAddress + offsets[root], lengths[root]);
            steps = steps(lengths, root);
            UnsafeApi.putLong(null, note(first, root), steps);
            publish(first);
        }
        else
        {
            Memory.copy(sendBase, sendAddress, null, slot(first, rank), piece(sendBytes, 0));
            UnsafeApi.putLong(null, note(first, rank), sendBytes);
            publish(first);
            await(root, root, first);
            steps = UnsafeApi.getLong(null, note(first, root));
        }
        int longer = -1;
        long step = first;
        for (long done = 0, k = 0; k < steps; k++, done += SLOT_BYTES)
        {
            if (rank == root)
            {
                if (k > 0)
                {
                    step = readStep();
                }
                awaitAll(step);
                for (int m = 0; m < size; m++)
                {
                    if (m != root)
                    {
                        if (k == 0)
                        {
                            final long sent = UnsafeApi.getLong(null, note(first, m));
                            if (sent > lengths[m])
                            {
                                longer = m;
                            }
                            // a shorter block leaves the rest of the member's receive space alone
                            lengths[m] = Math.min(lengths[m], sent);
                        }
                        Memory.copy(null, slot(step, m), recvBase, recvAddress + offsets[m] + done,
                            piece(lengths[m], done));
                    }
                }
            }
            else if (k > 0)
            {
                step = writeStep();
                Memory.copy(sendBase, sendAddress + done, null, slot(step, rank), piece(sendBytes, done));
                publish(step);
            }
        }
        if (longer >= 0)
        {
            throw new MpiError(ErrorClass.ERR_TRUNCATE, "MPI_Gatherv: rank " + longer + " sends more than the " +
                lengths[longer] + " bytes the root receives from it");
        }
    }

    /**
     * MPI_Scatterv from {@code root}: {@code lengths[m]} bytes at {@code offsets[m]} of the root's send buffer to
     * member {@code m}, which receives up to {@code recvBytes}. The root notes the number of steps in the first step
     * and, in each member's note of that step, the member's length, since a member knows only its own count: one
     * that receives less than it is sent reports MPI_ERR_TRUNCATE once every step is done.
     */
    public void scatterv(final Object sendBase, final long sendAddress, final long[] offsets, final long[] lengths,
        final Object recvBase, final long recvAddress, final long recvBytes, final int root)
    {
        long steps = 1;
        long sent = recvBytes;
        if (rank == root)
        {
            copyUnlessSame(sendBase, sendAddress + offsets[root], recvBase, recvAddress, lengths[root]);
            steps = steps(lengths, root);
        }
        for (long done = 0, k = 0; k < steps; k++, done += SLOT_BYTES)
        {
            if (rank == root)
            {
                final long step = writeStep();
                for (int m = 0; m < size; m++)
                {
                    if (m != root)
                    {
                        Memory.copy(sendBase, sendAddress + offsets[m] + done, null, slot(step, m),
                            piece(lengths[m], done));
                        if (k == 0)
                        {
                            // the member writes no note in a scatterv: its note of this parity is free
                            UnsafeApi.putLong(null, note(step, m), lengths[m]);
                        }
                    }
                }
                if (k == 0)
                {
                    UnsafeApi.putLong(null, note(step, root), steps);
                }
                publish(step);
            }
            else
            {
                final long step = readStep();
                await(root, root, step);
                if (k == 0)
                {
                    steps = UnsafeApi.getLong(null, note(step, root));
                    sent = UnsafeApi.getLong(null, note(step, rank));
                }
                Memory.copy(null, slot(step, rank), recvBase, recvAddress + done,
                    piece(Math.min(sent, recvBytes), done));
            }
        }
        if (sent > recvBytes)
        {
            throw new MpiError(ErrorClass.ERR_TRUNCATE, "MPI_Scatterv: the root sends " + sent +
                " bytes to rank " + rank + ", which receives " + recvBytes);
        }
    }

    /** Steps of a v-collective whose members other than {@code root} move {@code lengths}: at least one. */
    private int steps(final long[] lengths, final int root)
    {
        long longest = 0;
        for (int m = 0; m < size; m++)
        {
            if (m != root)
            {
                longest = Math.max(longest, lengths[m]);
            }
        }
        return (int)Math.max(1, (longest + SLOT_BYTES - 1) / SLOT_BYTES);
    }

    /** The bytes of a block of {@code length} that a step starting at {@code done} carries (none once it is past). */
    private static long piece(final long length, final long done)
    {
        return Math.max(0, Math.min(SLOT_BYTES, length - done));
    }

    private static void copyUnlessSame(final Object srcBase, final long srcAddress, final Object dstBase,
        final long dstAddress, final long bytes)
    {
        if (srcBase != dstBase || srcAddress != dstAddress)
        {
            Memory.copy(srcBase, srcAddress, dstBase, dstAddress, bytes);
        }
    }

    /**
     * MPI_Allreduce of {@code count} items of {@code itemBytes}; in place when send and receive are one location.
     * False, having done nothing, for items larger than a slot.
     */
    public boolean allReduce(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final int count, final int itemBytes, final Reduction op)
    {
        if (itemBytes > SLOT_BYTES || itemBytes <= 0)
        {
            return false;
        }
        final int chunkItems = SLOT_BYTES / itemBytes;
        if (count >= size && (long)count * itemBytes >= SINGLE_COPY_ALLREDUCE_MIN &&
            triesSingleCopyReduction((long)count * itemBytes) &&
            singleCopyAllReduce(sendBase, sendAddress, recvBase, recvAddress, count, itemBytes, op))
        {
            return true;
        }
        int done = 0;
        do
        {
            final int items = Math.min(chunkItems, count - done);
            final long offset = (long)done * itemBytes;
            final long bytes = (long)items * itemBytes;
            final long step = writeStep();
            Memory.copy(sendBase, sendAddress + offset, null, slot(step, rank), bytes);
            publish(step);
            awaitAll(step);
            if (bytes < SPLIT_REDUCTION || items < size)
            {
                fold(step, 0, items, itemBytes, recvBase, recvAddress + offset, op);
            }
            else
            {
                // reduce-scatter: this member folds its part into its receive buffer, then shares it
                final int first = part(items, rank);
                final int end = part(items, rank + 1);
                final long at = offset + (long)first * itemBytes;
                fold(step, first, end - first, itemBytes, recvBase, recvAddress + at, op);
                final long share = ++sequence;
                Memory.copy(recvBase, recvAddress + at, null, slot(share, rank) + (long)first * itemBytes,
                    (long)(end - first) * itemBytes);
                publish(share);
                awaitAll(share);
                for (int m = 0; m < size; m++)
                {
                    if (m != rank)
                    {
                        final int from = part(items, m);
                        Memory.copy(null, slot(share, m) + (long)from * itemBytes, recvBase,
                            recvAddress + offset + (long)from * itemBytes, (long)(part(items, m + 1) - from) * itemBytes);
                    }
                }
            }
            done += items;
        }
        while (done < count);
        return true;
    }

    /**
     * MPI_Allreduce by single copy, a reduce-scatter and an allgather through each other's buffers: each member
     * reads its part of every other member's send vector and folds it, in rank order as {@link #fold}, into that part
     * of its receive buffer (the last member's piece read straight into place, the others' through its slot, its own
     * folded in from its send buffer), then writes that part into every other member's receive buffer
     * ({@link #writeTo}); the closing step says all parts are everywhere. Both phases move each byte once, and
     * writing rather than reading the parts saves the two steps a member would wait in until the others' parts are
     * folded. False, having done nothing that counts, when some member cannot take part (a Java
     * array, in place) or a read was refused: the slots then.
     */
    private boolean singleCopyAllReduce(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final int count, final int itemBytes, final Reduction op)
    {
        final boolean takesPart = null == sendBase && null == recvBase && sendAddress != recvAddress;
        final long step = offer(takesPart ? sendAddress : 0, recvAddress);
        if (0 == step)
        {
            return false;
        }
        final int first = part(count, rank);
        final int items = part(count, rank + 1) - first;
        final long skip = (long)first * itemBytes;
        final long bytes = (long)items * itemBytes;
        boolean copied = foldRead(step, null, sendAddress + skip, skip, recvAddress + skip, items, itemBytes, op);
        // the next member first, so that the members do not all write into member 0 at once
        for (int i = 1; i < size && copied; i++)
        {
            final int m = (rank + i) % size;
            copied = writeTo(m, recvAddress + skip, offeredSecond(step, m) + skip, bytes);
        }
        return settle(copied);
    }

    /**
     * Folds {@code items} items at byte {@code skip} of every member's offered vector (step {@code step}; this
     * member's own at {@code own}) into native memory at {@code into}, in rank order as {@link #fold}: the last
     * member's piece is read straight into place, a read's longest at a time (2 ranks, a 4 MiB reduce: 457 us against
     * 1,035 in slot-sized pieces), and this member's own folded in from ({@code ownBase}, {@code own}); the others'
     * pieces go through this member's slot of the step, a slot at a time. False at the first read refused.
     */
    private boolean foldRead(final long step, final Object ownBase, final long own, final long skip, final long into,
        final int items, final int itemBytes, final Reduction op)
    {
        return foldRead(step, ownBase, own, skip, into, items, itemBytes, op, slot(step, rank), SLOT_BYTES);
    }

    /** {@link #foldRead} with the others' pieces read into {@code scratchBytes} of native memory at {@code scratch}. */
    private boolean foldRead(final long step, final Object ownBase, final long own, final long skip, final long into,
        final int items, final int itemBytes, final Reduction op, final long scratch, final long scratchBytes)
    {
        final int pieceItems = (int)(SINGLE_COPY_PIECE / itemBytes);
        final int slotItems = (int)(scratchBytes / itemBytes);
        final int last = size - 1;
        boolean read = true;
        for (int done = 0; done < items && read; done += pieceItems)
        {
            final int n = Math.min(pieceItems, items - done);
            final long offset = (long)done * itemBytes;
            if (last == rank)
            {
                Memory.copy(ownBase, own + offset, null, into + offset, (long)n * itemBytes);
            }
            else
            {
                read = readFrom(last, offered(step, last) + skip + offset, into + offset, (long)n * itemBytes);
            }
            for (int m = size - 2; m >= 0 && read; m--)
            {
                if (m == rank)
                {
                    op.apply(ownBase, own + offset, null, into + offset, n);
                    continue;
                }
                for (int sub = 0; sub < n && read; sub += slotItems)
                {
                    final int subItems = Math.min(slotItems, n - sub);
                    final long at = offset + (long)sub * itemBytes;
                    if (read = readFrom(m, offered(step, m) + skip + at, scratch, (long)subItems * itemBytes))
                    {
                        op.apply(null, scratch, null, into + at, subItems);
                    }
                }
            }
        }
        return read;
    }

    private int part(final int items, final int member)
    {
        return (int)((long)items * member / size);
    }

    /**
     * The first {@code items} of step {@code step}'s slots folded in rank order into (base, address) as
     * {@link #fold}, this member's own items read from (ownBase, own) rather than from its slot, which it then need
     * not fill (one copy fewer at a root that reduces alone). {@code own} must not be the destination.
     */
    private void foldWithOwn(final long step, final int items, final int itemBytes, final Object ownBase,
        final long own, final Object base, final long address, final Reduction op)
    {
        final int last = size - 1;
        Memory.copy(last == rank ? ownBase : null, last == rank ? own : slot(step, last), base, address,
            (long)items * itemBytes);
        for (int m = size - 2; m >= 0; m--)
        {
            if (m == rank)
            {
                op.apply(ownBase, own, base, address, items);
            }
            else
            {
                op.apply(null, slot(step, m), base, address, items);
            }
        }
    }

    /** Items {@code [first, first + items)} of step {@code step}'s slots folded in rank order into (base, address). */
    private void fold(final long step, final int first, final int items, final int itemBytes, final Object base,
        final long address, final Reduction op)
    {
        final long skip = (long)first * itemBytes;
        Memory.copy(null, slot(step, size - 1) + skip, base, address, (long)items * itemBytes);
        for (int m = size - 2; m >= 0; m--)
        {
            op.apply(null, slot(step, m) + skip, base, address, items);
        }
    }

    /**
     * MPI_Alltoall of {@code block} bytes per member: this member's own block is copied directly, and each step
     * carries the same slice of every other block, so a step holds {@code size - 1} slices in one slot (the slice
     * for member {@code m} at index {@link #slice}).
     */
    public void allToAll(final Object sendBase, final long sendAddress, final Object recvBase,
        final long recvAddress, final long block)
    {
        copyUnlessSame(sendBase, sendAddress + rank * block, recvBase, recvAddress + rank * block, block);
        if (triesSingleCopy(block))
        {
            // in place, the receive buffer being written is the one others would read: slots then
            final long step = offer(null == sendBase && null == recvBase && sendAddress != recvAddress ?
                sendAddress : 0);
            if (0 != step && settle(readFromEach(step, rank * block, recvAddress, block)))
            {
                return;
            }
        }
        final long slice = SLOT_BYTES / (size - 1);
        long done = 0;
        while (done < block)
        {
            final long bytes = Math.min(slice, block - done);
            final long step = writeStep();
            final long mine = slot(step, rank);
            for (int m = 0; m < size; m++)
            {
                if (m != rank)
                {
                    Memory.copy(sendBase, sendAddress + m * block + done, null, mine + slice(rank, m) * bytes,
                        bytes);
                }
            }
            publish(step);
            awaitAll(step);
            for (int m = 0; m < size; m++)
            {
                if (m != rank)
                {
                    Memory.copy(null, slot(step, m) + slice(m, rank) * bytes, recvBase,
                        recvAddress + m * block + done, bytes);
                }
            }
            done += bytes;
        }
    }

    /** Where in member {@code writer}'s slot the slice for member {@code reader} sits: the writer keeps none. */
    private static int slice(final int writer, final int reader)
    {
        return reader < writer ? reader : reader - 1;
    }
}
