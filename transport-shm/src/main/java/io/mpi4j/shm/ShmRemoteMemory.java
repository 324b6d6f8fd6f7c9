package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.ReadCompletions;
import io.mpi4j.transport.RemoteMemory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongHashSet;

/**
 * Single-copy rendezvous on one node: a large message from native memory (a direct buffer) is read by its receiver
 * straight out of the sender's memory ({@link CrossMemoryAttach}, {@code process_vm_readv}), one copy made by the
 * kernel instead of two through the ring, as Open MPI's CMA single copy.
 * Point-to-point offers it as it offers RDMA READ (an RTS_READ frame with this descriptor, READ_DONE once read).
 * <p>
 * Descriptor ({@link RemoteMemory#DESCRIPTOR_LENGTH} bytes): the region's address, then its length. The process to
 * read is the one the connection writes to (the sender of the RTS_READ), never a pid a frame names. Nothing is
 * registered, so exposing and pinning cost nothing; windows are not offered (on-node windows share memory already).
 * <p>
 * A receiver that may not read the sender's memory (a ptrace policy) declines the read, and point-to-point asks the
 * sender to stream the message through the ring instead.
 */
final class ShmRemoteMemory implements RemoteMemory
{
    private static final int ADDRESS_OFFSET = 0;
    private static final int LENGTH_OFFSET = ADDRESS_OFFSET + Long.BYTES;
    /** What {@link #copy} says when the kernel refused: compared by identity. */
    private static final String DENIED = new String("denied");

    /** Processes whose memory this one may not read (a ptrace policy): asked once each. */
    private final LongHashSet denied = new LongHashSet();
    /** Reads done inside {@link #read} and not yet reported: reported from the next poll. */
    private final ReadCompletions done = new ReadCompletions();
    private final long readThreshold;

    ShmRemoteMemory(final long readThreshold)
    {
        this.readThreshold = readThreshold;
    }

    /**
     * {@inheritDoc} From about a hundred KiB one kernel copy beats two through the ring (on this project's 2-core
     * host: 256 KiB 16 vs 21 us, 128 KiB even, 64 KiB 9.0 vs 5.3 us for the ring; see {@link ShmConfiguration}).
     */
    @Override
    public long readThreshold()
    {
        return readThreshold;
    }

    /** {@inheritDoc} Describes the region only: the kernel checks access when the peer reads. */
    public long expose(final long address, final long length, final MutableDirectBuffer descriptor, final int index)
    {
        descriptor.putLong(index + ADDRESS_OFFSET, address);
        descriptor.putLong(index + LENGTH_OFFSET, length);
        return address;
    }

    /** {@inheritDoc} Nothing was registered. */
    public void release(final long token)
    {
    }

    /** {@inheritDoc} Nothing to register: every transfer reads the memory as it is. */
    public boolean pin(final long address, final long length)
    {
        return false;
    }

    /** {@inheritDoc} */
    public void unpin(final long address, final long length)
    {
    }

    /**
     * {@inheritDoc} Reads at once (the copy is this call's cost) and reports completion from the next poll.
     *
     * @return false when this process may not read the sender's memory: nothing was read, the data must be streamed.
     */
    public boolean read(final Connection connection, final DirectBuffer descriptor, final int index,
        final long localAddress, final long length, final long cookie)
    {
        final long pid = ((ShmConnection)connection).ownerPid();
        if (denied.contains(pid))
        {
            return false;
        }
        final long exposed = descriptor.getLong(index + LENGTH_OFFSET);
        final long remoteAddress = descriptor.getLong(index + ADDRESS_OFFSET);
        final String failure = length < 0 || length > exposed ?
            "a read of " + length + " bytes from a region of " + exposed + " bytes exposed by process " + pid :
            copy(pid, false, remoteAddress, localAddress, length);
        if (DENIED == failure)
        {
            return false;
        }
        done.add(cookie, failure);
        return true;
    }

    /** {@inheritDoc} One {@code process_vm_readv} of the process the connection writes to. */
    @Override
    public long copyFrom(final Connection connection, final long remoteAddress, final long localAddress,
        final long length)
    {
        return copyNow(connection, false, remoteAddress, localAddress, length);
    }

    /** {@inheritDoc} One {@code process_vm_writev} into the process the connection writes to. */
    @Override
    public long copyTo(final Connection connection, final long localAddress, final long remoteAddress,
        final long length)
    {
        return copyNow(connection, true, remoteAddress, localAddress, length);
    }

    private long copyNow(final Connection connection, final boolean write, final long remoteAddress,
        final long localAddress, final long length)
    {
        final long pid = ((ShmConnection)connection).ownerPid();
        if (denied.contains(pid))
        {
            return UNSUPPORTED;
        }
        final String failure = copy(pid, write, remoteAddress, localAddress, length);
        if (DENIED == failure)
        {
            return UNSUPPORTED;
        }
        if (null != failure)
        {
            throw new IllegalStateException(failure);
        }
        return length;
    }

    /**
     * Copies {@code length} bytes between {@code remoteAddress} of process {@code pid} and here, into this process
     * unless {@code write}: null when all were copied, {@link #DENIED} when the kernel refused (remembered: it
     * checks the same permission both ways), else why the copy failed.
     */
    private String copy(final long pid, final boolean write, final long remoteAddress, final long localAddress,
        final long length)
    {
        final long copied = write ? CrossMemoryAttach.write(pid, remoteAddress, localAddress, length) :
            CrossMemoryAttach.read(pid, remoteAddress, localAddress, length);
        if (-CrossMemoryAttach.EPERM == copied)
        {
            denied.add(pid);
            return DENIED;
        }
        if (copied == length)
        {
            return null;
        }
        return copied == -CrossMemoryAttach.ESRCH ? "process " + pid + " is gone" :
            (write ? "writing " : "reading ") + length + " bytes at 0x" + Long.toHexString(remoteAddress) +
            " of process " + pid + (copied < 0 ? " failed (errno " + -copied + ")" : " stopped after " + copied);
    }

    /** Report the reads done since the last poll; returns how many. */
    int reportCompletions(final FrameHandler handler)
    {
        return done.deliver(handler);
    }

    /** The process with {@code pid} is gone: a later process with its pid is asked afresh. */
    void forget(final long pid)
    {
        denied.remove(pid);
    }
}
