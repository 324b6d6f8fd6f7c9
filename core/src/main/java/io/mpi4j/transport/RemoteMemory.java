package io.mpi4j.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Optional capability of a {@link Transport}: one-sided reads of a peer's memory (RDMA READ). The rendezvous
 * protocol uses it to move a large message straight from the sender's buffer into the receiver's, without frames.
 * <p>
 * Memory is named by native addresses only: Java arrays can move during garbage collection and are never exposed;
 * callers fall back to copying through frames for them. A region is described to the peer by an opaque
 * {@link #DESCRIPTOR_LENGTH}-byte descriptor that travels inside a frame.
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
}
