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
     * A {@link RemoteMemory#read} finished: {@code failure} is null on success, else why the data could not be read
     * (the peer is gone, the region was invalid).
     */
    default void onReadComplete(final long cookie, final String failure)
    {
    }
}
