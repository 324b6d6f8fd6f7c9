package io.mpi4j.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Optional capability of a {@link Transport}: one-sided reads of a peer's memory (RDMA READ; on one node
 * {@code process_vm_readv}). The rendezvous protocol uses it to move a large message straight from the sender's
 * buffer into the receiver's, without frames.
 * <p>
 * Memory is named by native addresses only: Java arrays can move during garbage collection and are never exposed;
 * callers fall back to copying through frames for them. A region is described to the peer by an opaque
 * {@link #DESCRIPTOR_LENGTH}-byte descriptor that travels inside a frame.
 * <p>
 * Windows ({@code MPI_Win_create}): a region {@link #exposeWindow exposed} for the window's life can be written,
 * read and updated by 8-byte atomics from peers without their CPU ({@link #writeWindow}, {@link #readWindow}, {@link #fetchAndAdd}, {@link #compareAndSwap}). Those calls name local
 * memory inside a {@link #pin pinned} range and return a ticket; {@link #isComplete} tells when the operation has
 * completed at the target (tickets of one connection complete in order). Transports without it keep the defaults.
 * <p>
 * Threading: as {@link Transport}, one caller at a time.
 */
public interface RemoteMemory
{
    /** Bytes {@link #expose} writes into a frame. */
    int DESCRIPTOR_LENGTH = 16;

    /** Sentinel from {@link #expose}: the region cannot be exposed now; send it through frames instead. */
    long NOT_EXPOSED = -1;

    /**
     * Let peers read {@code [address, address + length)} and describe it at {@code descriptor[index]}. Regions inside
     * a {@link #pin pinned} range reuse that range's registration; others are registered for this one transfer.
     *
     * @return token for {@link #release}, or {@link #NOT_EXPOSED}.
     */
    long expose(long address, long length, MutableDirectBuffer descriptor, int index);

    /**
     * Length from which a contiguous message in native memory is offered for reading even below the transport's
     * eager limit, because one read costs less than the copies through frames; the default, never, leaves reads to
     * messages above the eager limit.
     */
    default long readThreshold()
    {
        return Long.MAX_VALUE;
    }

    /** End an {@link #expose}: the peer has finished reading (or will never read). */
    void release(long token);

    /**
     * Keep {@code [address, address + length)} registered until {@link #unpin}: a registration cache for long-lived
     * buffers (those of {@code MPI.newByteBuffer}), so that sending or receiving them costs no registration.
     * The caller guarantees the memory stays mapped while pinned.
     *
     * @return false if the transport could not register it (transfers then register per use).
     */
    boolean pin(long address, long length);

    /** Drop a {@link #pin}. Idempotent. */
    void unpin(long address, long length);

    /**
     * Start reading the remote region described at {@code descriptor[index]} (received from the process at the other
     * end of {@code connection}) into local native memory. Completion is reported once, from {@link Transport#poll},
     * through {@link FrameHandler#onReadComplete} with {@code cookie}.
     *
     * @return true if started; false if the transport has no capacity now (poll, then try again).
     */
    boolean read(Connection connection, DirectBuffer descriptor, int index, long localAddress, long length, long cookie);

    /**
     * Copies {@code length} bytes at {@code remoteAddress} of the process at the other end of {@code connection} into
     * local native memory, now, where the transport can name a peer's memory by its own addresses (processes of one
     * node): the on-node collectives read each other's buffers with it. The caller learnt the address from that
     * process, which keeps the memory unchanged until told the copy is done.
     *
     * @return {@code length}, or {@link #UNSUPPORTED} when this transport cannot or may not (the kernel refused:
     *     copy through shared memory instead); nothing was copied then.
     * @throws IllegalStateException when the process is gone or the region is not mapped there (the message says
     *     which).
     */
    default long copyFrom(final Connection connection, final long remoteAddress, final long localAddress,
        final long length)
    {
        return UNSUPPORTED;
    }

    /**
     * Copies {@code length} bytes of local native memory at {@code localAddress} to {@code remoteAddress} of the
     * process at the other end of {@code connection}, now: {@link #copyFrom} the other way (a member of an on-node
     * reduction writes the part it folded into the root's result). The caller learnt the address from that process,
     * which leaves the region alone until told the copy is done.
     *
     * @return {@code length}, or {@link #UNSUPPORTED} as {@link #copyFrom}; nothing was copied then.
     * @throws IllegalStateException as {@link #copyFrom}
     */
    default long copyTo(final Connection connection, final long localAddress, final long remoteAddress,
        final long length)
    {
        return UNSUPPORTED;
    }

    /** Bytes {@link #exposeWindow} writes into a window's descriptor. */
    int WINDOW_DESCRIPTOR_LENGTH = 24;

    /** Ticket sentinel of the window operations: no capacity now (poll, then try again). */
    long NO_CAPACITY = 0;

    /** Ticket sentinel of the window operations: the local memory is not pinned, or the call is not supported. */
    long UNSUPPORTED = -1;

    /**
     * Whether this transport offers windows at all ({@link #exposeWindow} and the operations after it); one that only
     * reads for rendezvous says no, and windows reach its peers through their progress instead.
     */
    default boolean windows()
    {
        return false;
    }

    /**
     * Let peers write, read and update by atomics {@code [address, address + length)} until {@link #unexposeWindow},
     * and describe it in {@link #WINDOW_DESCRIPTOR_LENGTH} bytes at {@code descriptor[index]}.
     *
     * @return token for {@link #unexposeWindow}, or {@link #NOT_EXPOSED}.
     */
    default long exposeWindow(final long address, final long length, final MutableDirectBuffer descriptor,
        final int index)
    {
        return NOT_EXPOSED;
    }

    /** End an {@link #exposeWindow}: no peer accesses the region any more. */
    default void unexposeWindow(final long token)
    {
    }

    /**
     * Whether 8-byte atomics ({@link #fetchAndAdd}, {@link #compareAndSwap}) work from here on the window described
     * at {@code descriptor[index]}: both devices must do them.
     */
    default boolean atomics(final DirectBuffer descriptor, final int index)
    {
        return false;
    }

    /**
     * Start writing {@code length} bytes of pinned local memory at {@code localAddress} to {@code offset} in the
     * peer's window described at {@code descriptor[index]}.
     *
     * @return a ticket for {@link #isComplete}, {@link #NO_CAPACITY} or {@link #UNSUPPORTED}.
     * @throws IllegalStateException when the connection has failed (the message says why).
     */
    default long writeWindow(final Connection connection, final DirectBuffer descriptor, final int index, final long offset,
        final long localAddress, final long length)
    {
        return UNSUPPORTED;
    }

    /** Start reading {@code length} bytes at {@code offset} of the peer's window into pinned local memory; as {@link #writeWindow}. */
    default long readWindow(final Connection connection, final DirectBuffer descriptor, final int index, final long offset,
        final long localAddress, final long length)
    {
        return UNSUPPORTED;
    }

    /**
     * Start an atomic 8-byte fetch-and-add at {@code offset} (8-byte aligned) of the peer's window; the old value
     * lands at {@code resultAddress} (pinned, 8-byte aligned). As {@link #writeWindow}.
     */
    default long fetchAndAdd(final Connection connection, final DirectBuffer descriptor, final int index,
        final long offset, final long addend, final long resultAddress)
    {
        return UNSUPPORTED;
    }

    /** Start an atomic 8-byte compare-and-swap; the old value lands at {@code resultAddress}. As {@link #fetchAndAdd}. */
    default long compareAndSwap(final Connection connection, final DirectBuffer descriptor, final int index,
        final long offset, final long compare, final long swap, final long resultAddress)
    {
        return UNSUPPORTED;
    }

    /**
     * Whether the window operation with {@code ticket} on {@code connection} has completed at the target.
     *
     * @throws IllegalStateException when the connection failed before it completed (the message says why).
     */
    default boolean isComplete(final Connection connection, final long ticket)
    {
        return true;
    }
}
