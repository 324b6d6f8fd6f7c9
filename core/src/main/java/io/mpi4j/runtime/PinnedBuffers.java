package io.mpi4j.runtime;

import io.mpi4j.transport.RemoteMemory;
import io.mpi4j.transport.Transport;
import org.agrona.BufferUtil;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The registration cache's source: direct buffers allocated through {@code MPI.newByteBuffer} are pinned with every
 * transport that has {@link RemoteMemory}, so rendezvous transfers from or into them need no registration.
 * <p>
 * A pin must never outlive its memory (a transport would read stale pages). So the user gets a duplicate of the
 * buffer that owns the memory; when the duplicate becomes unreachable, a cleaner hands the owner (still strongly
 * held) to a queue, and the next allocation or MPI_Finalize unpins it, under the engine's lock, before dropping it.
 * Only then can the collector free the memory.
 */
final class PinnedBuffers
{
    /** Smaller buffers always travel eagerly, through frames: pinning them would only cost. */
    static final int MIN_PINNED_BYTES = 4096;

    private static final Cleaner CLEANER = Cleaner.create();

    private final RemoteMemory[] remoteMemories;
    private final ConcurrentLinkedQueue<Pin> unreachable = new ConcurrentLinkedQueue<>();

    PinnedBuffers(final Transport[] transports)
    {
        final List<RemoteMemory> list = new ArrayList<>();
        for (final Transport transport : transports)
        {
            if (transport.remoteMemory() != null)
            {
                list.add(transport.remoteMemory());
            }
        }
        this.remoteMemories = list.toArray(new RemoteMemory[0]);
    }

    /** A direct buffer of {@code capacity} bytes, pinned when a transport can use that. Call under the engine lock. */
    ByteBuffer allocate(final int capacity)
    {
        unpinUnreachable();
        final ByteBuffer owner = ByteBuffer.allocateDirect(capacity);
        if (remoteMemories.length == 0 || capacity < MIN_PINNED_BYTES)
        {
            return owner;
        }
        final long address = BufferUtil.address(owner);
        boolean pinned = false;
        for (final RemoteMemory remoteMemory : remoteMemories)
        {
            pinned |= remoteMemory.pin(address, capacity);
        }
        if (!pinned)
        {
            return owner;
        }
        final ByteBuffer view = owner.duplicate();
        CLEANER.register(view, new Pin(owner, address, capacity, unreachable));
        return view;
    }

    /** Unpin the buffers nobody can reach any more. Call under the engine lock. */
    void unpinUnreachable()
    {
        Pin pin;
        while ((pin = unreachable.poll()) != null)
        {
            for (final RemoteMemory remoteMemory : remoteMemories)
            {
                remoteMemory.unpin(pin.address, pin.length);
            }
        }
    }

    /** Cleaner action: must not reference the view, only the owner, which it keeps alive until unpinned. */
    private static final class Pin implements Runnable
    {
        private final ByteBuffer owner;
        private final long address;
        private final long length;
        private final ConcurrentLinkedQueue<Pin> queue;

        Pin(final ByteBuffer owner, final long address, final long length, final ConcurrentLinkedQueue<Pin> queue)
        {
            this.owner = owner;
            this.address = address;
            this.length = length;
            this.queue = queue;
        }

        @Override
        public void run()
        {
            queue.add(this);
        }
    }
}
