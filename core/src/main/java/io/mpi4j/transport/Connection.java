package io.mpi4j.transport;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Sending side of a connection to one peer: claim space, write the frame in place, commit. No copy happens
 * between the writer and the peer's receive queue, and nothing is allocated.
 * <pre>
 *   int index = connection.tryClaim(length);
 *   if (index &gt;= 0) { connection.buffer().putInt(index, ...); ...; connection.commit(index); }
 * </pre>
 */
public interface Connection
{
    /** Sentinel from {@link #tryClaim}: no room now; poll the transports (to let the peer drain) and try again. */
    int INSUFFICIENT_CAPACITY = -2;

    /**
     * Claim {@code length} bytes for one frame.
     *
     * @return index in {@link #buffer()} where the frame's bytes start, or {@link #INSUFFICIENT_CAPACITY}.
     * @throws IllegalArgumentException if {@code length > maxFrameLength()} of the transport.
     * @throws IllegalStateException    if the peer is known to be gone (the message says why).
     */
    int tryClaim(int length);

    /** Buffer that {@link #tryClaim} indices refer to. Stable for the connection's lifetime. */
    MutableDirectBuffer buffer();

    /** Publish the claimed frame to the peer. */
    void commit(int index);

    /**
     * Publish the claimed frame whose last {@code bytes} bytes, from {@code payloadIndex} to the frame's end, are not
     * written in {@link #buffer()} but lie in memory at ({@code base}, {@code address}): an array and an offset in
     * it, or null and a native address. The memory may be reused once this returns. A transport that can send them
     * from there (a gathering write of a socket) spares the copy into its buffer; by default they are copied.
     */
    default void commit(final int index, final int payloadIndex, final Object base, final long address,
        final int bytes)
    {
        final MutableDirectBuffer buffer = buffer();
        if (bytes > 0)
        {
            UnsafeApi.copyMemory(base, address, buffer.byteArray(), buffer.addressOffset() + payloadIndex, bytes);
        }
        commit(index);
    }

    /** Give back a claimed frame without sending it. */
    void abort(int index);

    /** Close the sending side. Idempotent. */
    void close();
}
