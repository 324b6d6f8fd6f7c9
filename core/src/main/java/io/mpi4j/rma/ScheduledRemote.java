package io.mpi4j.rma;

import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.ScheduledOperation;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.RemoteMemory;

/**
 * One operation of a {@link RemoteWindow}, driven by the progress engine: posts its RDMA work when the transport
 * has room and completes once the transport reports it complete at the target. A transfer moves straight between
 * the origin buffer and the target's window when the origin is contiguous native memory inside a pinned range;
 * otherwise it takes a staging slot and moves through it one slot-sized chunk at a time (origin items with gaps are
 * packed into, or unpacked from, one slot whole). An atomic's old value lands in an 8-byte staging place and is
 * copied to the result buffer on completion.
 */
final class ScheduledRemote extends ScheduledOperation
{
    private static final int PUT = 0;
    private static final int GET = 1;
    private static final int FETCH_AND_ADD = 2;
    private static final int COMPARE_AND_SWAP = 3;
    /** The packed stream as bytes, for packing into and unpacking from a slot. */
    private static final TypeMap PACKED = TypeMap.basic(1, 1);

    private final RemoteWindow window;
    private final int kind;
    private final int target;
    private final RemoteMemory memory;
    private final Connection connection;
    private final int descriptorIndex;
    private final long targetOffset;
    private final long bytes;
    private final TypeMap originType;
    private final long originCount;
    private final Object base;
    private final long address;
    private final long operand;
    private final long swap;
    /** Contiguous native origin memory: try it in place first. */
    private boolean direct;
    private long slot;
    private long done;
    private long chunk;
    private long ticket;

    private ScheduledRemote(final RemoteWindow window, final int kind, final int target, final long targetOffset,
        final long bytes, final TypeMap originType, final long originCount, final Object base, final long address,
        final long operand, final long swap)
    {
        this.window = window;
        this.kind = kind;
        this.target = target;
        this.memory = window.memory(target);
        this.connection = window.connection(target);
        this.descriptorIndex = window.descriptorIndex(target);
        this.targetOffset = targetOffset;
        this.bytes = bytes;
        this.originType = originType;
        this.originCount = originCount;
        this.base = base;
        this.address = address;
        this.operand = operand;
        this.swap = swap;
        this.direct = null == base && null != originType && originType.isContiguous();
    }

    static ScheduledRemote transfer(final RemoteWindow window, final boolean put, final int target,
        final long targetOffset, final long bytes, final TypeMap originType, final long originCount,
        final Object base, final long address)
    {
        return new ScheduledRemote(window, put ? PUT : GET, target, targetOffset, bytes, originType, originCount,
            base, address, 0, 0);
    }

    static ScheduledRemote atomic(final RemoteWindow window, final boolean fetchAndAdd, final int target,
        final long targetOffset, final long operand, final long swap, final Object resultBase,
        final long resultAddress)
    {
        return new ScheduledRemote(window, fetchAndAdd ? FETCH_AND_ADD : COMPARE_AND_SWAP, target, targetOffset,
            Long.BYTES, null, 0, resultBase, resultAddress, operand, swap);
    }

    @Override
    protected boolean advance()
    {
        try
        {
            if (0 != ticket)
            {
                if (!memory.isComplete(connection, ticket))
                {
                    return false;
                }
                ticket = 0;
                arrived();
                if (done == bytes)
                {
                    releaseStaging();
                    finish(ErrorClass.SUCCESS, null);
                    return true;
                }
            }
            return post();
        }
        catch (final IllegalStateException | IllegalArgumentException ex)
        {
            releaseStaging();
            finish(ErrorClass.ERR_OTHER, "a one-sided operation to rank " + target + " over remote memory failed: " +
                ex.getMessage());
            return true;
        }
    }

    /** Posts the next chunk (or the atomic) if the transport has room; false: not finished. */
    private boolean post()
    {
        if (0 == bytes)
        {
            finish(ErrorClass.SUCCESS, null);
            return true;
        }
        if (kind >= FETCH_AND_ADD)
        {
            if (0 == slot && 0 == (slot = window.takeAtomicSlot()))
            {
                return false;
            }
            final long t = kind == FETCH_AND_ADD ?
                memory.fetchAndAdd(connection, window.descriptors, descriptorIndex, targetOffset, operand, slot) :
                memory.compareAndSwap(connection, window.descriptors, descriptorIndex, targetOffset, operand, swap,
                    slot);
            return posted(t, Long.BYTES);
        }
        final long remaining = bytes - done;
        if (direct)
        {
            final long local = address + originType.firstDisplacement() + done;
            final long t = kind == PUT ?
                memory.writeWindow(connection, window.descriptors, descriptorIndex, targetOffset + done, local,
                    remaining) :
                memory.readWindow(connection, window.descriptors, descriptorIndex, targetOffset + done, local,
                    remaining);
            if (t != RemoteMemory.UNSUPPORTED)
            {
                return posted(t, remaining);
            }
            direct = false; // not pinned: through the staging slots
        }
        if (0 == slot && 0 == (slot = window.takeSlot()))
        {
            return false;
        }
        final long length = Math.min(remaining, RemoteWindow.SLOT_BYTES);
        if (kind == PUT && 0 == chunk)
        {
            stageOut(length);
        }
        final long t = kind == PUT ?
            memory.writeWindow(connection, window.descriptors, descriptorIndex, targetOffset + done, slot, length) :
            memory.readWindow(connection, window.descriptors, descriptorIndex, targetOffset + done, slot, length);
        if (t == RemoteMemory.UNSUPPORTED)
        {
            throw new IllegalStateException("the staging memory is not registered");
        }
        return posted(t, length);
    }

    private boolean posted(final long t, final long length)
    {
        if (t == RemoteMemory.NO_CAPACITY)
        {
            // a staged put keeps its chunk in the slot (chunk != 0 says it is there) for the retry
            chunk = direct ? 0 : length;
            return false;
        }
        if (t < 0)
        {
            throw new IllegalStateException("the transport cannot do this operation");
        }
        ticket = t;
        chunk = length;
        return false;
    }

    /** Copies the next {@code length} bytes of the origin items into the slot (packs them whole when with gaps). */
    private void stageOut(final long length)
    {
        if (originType.isContiguous())
        {
            Memory.copy(base, address + originType.firstDisplacement() + done, null, slot, length);
        }
        else
        {
            Packer.copy(originType, originCount, base, address, PACKED, length, null, slot);
        }
    }

    /** The posted chunk is complete at the target: a get's data goes to the origin, an atomic's old value too. */
    private void arrived()
    {
        if (kind == GET && !direct)
        {
            if (originType.isContiguous())
            {
                Memory.copy(null, slot, base, address + originType.firstDisplacement() + done, chunk);
            }
            else
            {
                Packer.copy(PACKED, chunk, null, slot, originType, originCount, base, address);
            }
        }
        else if (kind >= FETCH_AND_ADD && (null != base || 0 != address))
        {
            Memory.copy(null, slot, base, address, Long.BYTES);
        }
        done += chunk;
        chunk = 0;
    }

    private void releaseStaging()
    {
        if (0 != slot)
        {
            if (kind >= FETCH_AND_ADD)
            {
                window.releaseAtomicSlot(slot);
            }
            else
            {
                window.releaseSlot(slot);
            }
            slot = 0;
        }
    }
}
