package io.mpi4j.transport;

import org.agrona.DirectBuffer;

/** Receives frames from {@link Transport#poll}. */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * One received frame. {@code buffer} is valid only until this method returns.
     * The handler must not call {@link Transport#poll} again from here; it may claim and commit on connections.
     */
    void onFrame(DirectBuffer buffer, int index, int length);

    /**
     * Where the rest of a frame may be received directly, for a transport that reads a byte stream: asked with the
     * frame's first {@code available} bytes (in {@code buffer} at {@code index}) of {@code length}. Returns the
     * native address where byte {@code available} of the frame belongs (the rest following in order), or 0 to have
     * the frame delivered whole by {@link #onFrame}. The transport asks again before each read of the rest; once the
     * answer is 0 it drops the rest of the frame, else it delivers the frame by {@link #onPlacedFrame}.
     */
    default long placement(final DirectBuffer buffer, final int index, final int available, final int length)
    {
        return 0;
    }

    /**
     * A frame whose bytes from {@code available} to {@code length} were received where {@link #placement} said;
     * its first {@code available} bytes are in {@code buffer} at {@code index}, valid until this method returns.
     */
    default void onPlacedFrame(final DirectBuffer buffer, final int index, final int available, final int length)
    {
        throw new IllegalStateException("a frame was placed by a handler that places none");
    }

    /**
     * A {@link RemoteMemory#read} finished: {@code failure} is null on success, else why the data could not be read
     * (the peer is gone, the region was invalid).
     */
    default void onReadComplete(final long cookie, final String failure)
    {
    }
}
