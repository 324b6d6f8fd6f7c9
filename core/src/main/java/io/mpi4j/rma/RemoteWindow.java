package io.mpi4j.rma;

import io.mpi4j.p2p.Peer;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.RemoteMemory;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A window's path around the target's CPU: where a member is reached through a transport with {@link RemoteMemory}
 * (RDMA) and exposed its window there, puts and gets become RDMA WRITE and READ, and (with hardware atomics, see
 * {@link #hardwareAtomics}) 8-byte fetch-and-add and compare-and-swap become verbs atomics. Everything else keeps the
 * active-message path of {@link RmaOperations}.
 * <p>
 * Creation (collective): every member registers its window memory for remote access, and the members exchange the
 * descriptors ({@link RemoteMemory#WINDOW_DESCRIPTOR_LENGTH} bytes each; a member whose window cannot be exposed
 * sends zeros). Local memory must be registered too: a contiguous origin buffer inside a pinned range (those of
 * {@code MPI.newByteBuffer}) is used in place, anything else moves through this window's staging memory, one
 * pinned area split into {@link #SLOTS} slots of {@link #SLOT_BYTES} (an operation holds one slot and moves through
 * it chunk by chunk), and {@link #ATOMIC_SLOTS} 8-byte landing places for atomics' old values.
 * <p>
 * Each operation is a {@link ScheduledRemote} operation: the progress engine posts it (under the engine's lock, as
 * transports require) and watches its completion, so the window's epochs wait for it as for any tracked request,
 * and a completion means the data is at the target.
 */
final class RemoteWindow
{
    static final int SLOT_BYTES = 32 << 10;
    static final int SLOTS = 16;
    static final int ATOMIC_SLOTS = 64;
    static final int ATOMIC_AREA = ATOMIC_SLOTS * Long.BYTES;
    static final int STAGING_BYTES = SLOTS * SLOT_BYTES + ATOMIC_AREA;
    private static final int DESCRIPTOR = RemoteMemory.WINDOW_DESCRIPTOR_LENGTH;

    private final RemoteMemory[] memories;
    private final Connection[] connections;
    private final boolean[] atomics;
    final UnsafeBuffer descriptors;
    private final RemoteMemory exposedWith;
    private final long exposure;
    private final ByteBuffer staging;
    private final long stagingAddress;
    private final RemoteMemory[] pinnedWith;
    private int freeSlots = (int)((1L << SLOTS) - 1);
    private long freeAtomicSlots = -1L;
    private long puts;
    private long gets;
    private long atomicOps;

    private RemoteWindow(final RemoteMemory[] memories, final Connection[] connections, final boolean[] atomics,
        final UnsafeBuffer descriptors, final RemoteMemory exposedWith, final long exposure, final ByteBuffer staging,
        final RemoteMemory[] pinnedWith)
    {
        this.memories = memories;
        this.connections = connections;
        this.atomics = atomics;
        this.descriptors = descriptors;
        this.exposedWith = exposedWith;
        this.exposure = exposure;
        this.staging = staging;
        this.stagingAddress = BufferUtil.address(staging);
        this.pinnedWith = pinnedWith;
    }

    /**
     * Collective over the window's members: exposes this member's memory and learns everyone's. Returns null (on
     * every member alike, so none expects RDMA traffic that never comes) when no member pair can use it.
     *
     * @param exposable        the window is a fixed region of native memory (not dynamic, not shared)
     * @param hardwareAtomics  the window's info allows verbs atomics (see {@link #hardwareAtomics})
     */
    static RemoteWindow create(final Window w, final boolean exposable, final boolean hardwareAtomics)
    {
        final int size = w.comm.size();
        final Peer[] peers = new Peer[size];
        RemoteMemory local = null;
        for (int r = 0; r < size; r++)
        {
            peers[r] = w.p2p.peer(w.endpoint, r);
            if (null == local && windows(peers[r]))
            {
                local = peers[r].remoteMemory();
            }
        }
        final byte[] mine = new byte[DESCRIPTOR];
        long exposure = RemoteMemory.NOT_EXPOSED;
        if (exposable && null != local && w.memory.base() != 0 && w.memory.size() > 0)
        {
            final RemoteMemory memory = local;
            final long[] token = {RemoteMemory.NOT_EXPOSED};
            w.p2p.locked(() -> token[0] = memory.exposeWindow(w.memory.base(), w.memory.size(),
                new UnsafeBuffer(mine), 0));
            exposure = token[0];
        }
        final byte[][] all = Window.allGather(w.p2p, w.comm, mine);
        final UnsafeBuffer descriptors = new UnsafeBuffer(new byte[size * DESCRIPTOR]);
        final RemoteMemory[] memories = new RemoteMemory[size];
        final Connection[] connections = new Connection[size];
        final boolean[] atomics = new boolean[size];
        int reachable = 0;
        for (int r = 0; r < size; r++)
        {
            descriptors.putBytes(r * DESCRIPTOR, all[r]);
            final boolean exposed = descriptors.getLong(r * DESCRIPTOR) != 0;
            if (exposed && windows(peers[r]))
            {
                memories[r] = peers[r].remoteMemory();
                connections[r] = peers[r].connection();
                atomics[r] = hardwareAtomics && memories[r].atomics(descriptors, r * DESCRIPTOR);
                reachable++;
            }
        }
        // staging memory, pinned with every transport a target is reached through
        final ByteBuffer staging = reachable > 0 ? BufferUtil.allocateDirectAligned(STAGING_BYTES, 4096) : null;
        final RemoteMemory[] pinnedWith = reachable > 0 ? pinStaging(w.p2p, memories, staging) : null;
        if (null == pinnedWith)
        {
            java.util.Arrays.fill(memories, null);
            reachable = 0;
        }
        if (reachable == 0 && exposure == RemoteMemory.NOT_EXPOSED)
        {
            return null;
        }
        return new RemoteWindow(memories, connections, atomics, descriptors, local, exposure, staging, pinnedWith);
    }

    /** The member is reached through a transport that offers windows (not one that only reads for rendezvous). */
    private static boolean windows(final Peer peer)
    {
        return null != peer.remoteMemory() && peer.remoteMemory().windows();
    }

    private static RemoteMemory[] pinStaging(final PointToPoint p2p, final RemoteMemory[] memories,
        final ByteBuffer staging)
    {
        final java.util.ArrayList<RemoteMemory> pinned = new java.util.ArrayList<>();
        for (final RemoteMemory memory : memories)
        {
            if (null != memory && !pinned.contains(memory))
            {
                final boolean[] ok = {false};
                p2p.locked(() -> ok[0] = memory.pin(BufferUtil.address(staging), staging.capacity()));
                if (!ok[0])
                {
                    for (final RemoteMemory done : pinned)
                    {
                        p2p.locked(() -> done.unpin(BufferUtil.address(staging), staging.capacity()));
                    }
                    return null;
                }
                pinned.add(memory);
            }
        }
        return pinned.toArray(new RemoteMemory[0]);
    }

    /** Whether puts and gets to {@code target} go over RDMA. */
    boolean reaches(final int target)
    {
        return null != memories[target];
    }

    /**
     * Whether 8-byte fetch-and-add and compare-and-swap to {@code target} are verbs atomics. Only on windows whose
     * info says {@code acc_single_intrinsic=true} (Open MPI's osc/rdma key): the program promises its accumulates
     * are single intrinsic elements, so the NIC's atomics never meet a target-side accumulate of the same location
     * (the two are not atomic with respect to each other). Elsewhere every accumulate goes through the target.
     */
    boolean hardwareAtomics(final int target)
    {
        return atomics[target];
    }

    /** Whether {@code offset} in {@code target}'s window is 8-byte aligned in memory, as verbs atomics need. */
    boolean aligned(final int target, final long offset)
    {
        return ((descriptors.getLong(target * DESCRIPTOR) + offset) & (Long.BYTES - 1)) == 0;
    }

    RemoteMemory memory(final int target)
    {
        return memories[target];
    }

    Connection connection(final int target)
    {
        return connections[target];
    }

    int descriptorIndex(final int target)
    {
        return target * DESCRIPTOR;
    }

    /** A put of {@code bytes} packed bytes of the origin items to {@code targetOffset} (the items' first byte). */
    ScheduledRemote put(final Window w, final io.mpi4j.datatype.TypeMap originType, final long originCount,
        final Object base, final long address, final int target, final long targetOffset, final long bytes)
    {
        if (!originType.isContiguous() && bytes > SLOT_BYTES)
        {
            return null;
        }
        puts++;
        return ScheduledRemote.transfer(this, true, target, targetOffset, bytes, originType, originCount, base,
            address);
    }

    /** A get of {@code bytes} packed bytes at {@code targetOffset} into the origin items. */
    ScheduledRemote get(final Window w, final io.mpi4j.datatype.TypeMap originType, final long originCount,
        final Object base, final long address, final int target, final long targetOffset, final long bytes)
    {
        if (!originType.isContiguous() && bytes > SLOT_BYTES)
        {
            return null;
        }
        gets++;
        return ScheduledRemote.transfer(this, false, target, targetOffset, bytes, originType, originCount, base,
            address);
    }

    /** A verbs atomic: fetch-and-add ({@code swap} ignored) or compare-and-swap; old value to the result (or none). */
    ScheduledRemote atomic(final boolean fetchAndAdd, final int target, final long targetOffset, final long operand,
        final long swap, final Object resultBase, final long resultAddress)
    {
        atomicOps++;
        return ScheduledRemote.atomic(this, fetchAndAdd, target, targetOffset, operand, swap, resultBase,
            resultAddress);
    }

    // ------------------------------------------------------------------------------------------------- staging

    /** A free slot's address, or 0 when all are taken (the operation retries on the next progress turn). */
    synchronized long takeSlot()
    {
        if (0 == freeSlots)
        {
            return 0;
        }
        final int slot = Integer.numberOfTrailingZeros(freeSlots);
        freeSlots &= ~(1 << slot);
        return stagingAddress + (long)slot * SLOT_BYTES;
    }

    synchronized void releaseSlot(final long slotAddress)
    {
        freeSlots |= 1 << (int)((slotAddress - stagingAddress) / SLOT_BYTES);
    }

    /** A free 8-byte landing place for an atomic's old value, or 0. */
    synchronized long takeAtomicSlot()
    {
        if (0 == freeAtomicSlots)
        {
            return 0;
        }
        final int slot = Long.numberOfTrailingZeros(freeAtomicSlots);
        freeAtomicSlots &= ~(1L << slot);
        return stagingAddress + (long)SLOTS * SLOT_BYTES + (long)slot * Long.BYTES;
    }

    synchronized void releaseAtomicSlot(final long slotAddress)
    {
        freeAtomicSlots |= 1L << (int)((slotAddress - stagingAddress - (long)SLOTS * SLOT_BYTES) / Long.BYTES);
    }

    /** One line for --report-transports: how many operations took this path. */
    String report()
    {
        return puts + " puts, " + gets + " gets, " + atomicOps + " atomics over remote memory";
    }

    /** After every member stopped accessing (MPI_Win_free's barrier): withdraw the exposure, unpin the staging. */
    void close(final PointToPoint p2p)
    {
        p2p.locked(() ->
        {
            if (exposure != RemoteMemory.NOT_EXPOSED)
            {
                exposedWith.unexposeWindow(exposure);
            }
            if (null != pinnedWith)
            {
                for (final RemoteMemory memory : pinnedWith)
                {
                    memory.unpin(stagingAddress, staging.capacity());
                }
            }
        });
    }
}
