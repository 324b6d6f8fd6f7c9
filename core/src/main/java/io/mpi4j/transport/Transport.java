package io.mpi4j.transport;

import java.io.IOException;

/**
 * One process's endpoint of a transport: it receives frames from any peer that connected to it and opens
 * {@link Connection}s to peers. Frames are opaque byte records of at most {@link #maxFrameLength()} bytes; a transport
 * delivers the frames of one connection in the order they were committed and never loses or duplicates one.
 * <p>
 * Threading: every method is called by one thread at a time (the progress engine serialises callers).
 */
public interface Transport extends AutoCloseable
{
    /** Provider name ("shm"). */
    String name();

    /**
     * Address peers use to {@link #connect} to this endpoint, published in the job's key-value exchange.
     * Must start with {@code name() + ":"} and contain no whitespace or commas.
     */
    String address();

    /** Whether {@code peerAddress} (published by a peer's transport of the same name) is reachable from here. */
    boolean reaches(String peerAddress);

    /**
     * {@code peerAddress} as it may appear in an error message or a log: without anything that would let a reader
     * connect as a member of the job (an authentication key). The default prints the address as it is.
     */
    default String printable(final String peerAddress)
    {
        return peerAddress;
    }

    /**
     * Open a connection to the endpoint at {@code peerAddress}. Connecting to one's own address is allowed
     * (a process sending to itself).
     *
     * @throws IOException when the peer cannot be reached; the message says why.
     */
    Connection connect(String peerAddress) throws IOException;

    /**
     * Deliver up to {@code frameLimit} received frames to {@code handler}, from all incoming connections, fairly
     * (a busy peer cannot starve the others). The frame's bytes are valid only during the callback.
     *
     * @return number of frames delivered; 0 when there was nothing to do.
     */
    int poll(FrameHandler handler, int frameLimit);

    /**
     * Where to report a peer lost without an orderly close ({@link PeerLossListener}). The default ignores it: a
     * transport that cannot tell a dead peer from one that finished says nothing.
     */
    default void peerLossListener(final PeerLossListener listener)
    {
    }

    /** Largest frame {@link Connection#tryClaim} accepts. */
    int maxFrameLength();

    /**
     * Largest payload the point-to-point layer should send eagerly (inside one frame) through this transport;
     * larger messages use rendezvous.
     */
    int eagerLimit();

    /**
     * Fragment length for a message the sender packs and the receiver unpacks (a non-contiguous datatype): sent in
     * fragments of this many bytes, the receiver unpacks one while the sender packs the next, which pays where the
     * receiver reads a frame as soon as it is written (shared memory). 0, the default, sends such a message as one
     * frame: where each frame costs a system call or a network round of its own, fragments cost more than they save.
     */
    default int pipelineChunkLength()
    {
        return 0;
    }

    /**
     * Fragment length for a contiguous message too large to copy in one piece: an eager message above it travels in
     * fragments of this many bytes, and rendezvous data in chunks of it, so the receiver copies one out while the
     * sender copies the next in (two copies overlapped rather than one after the other). 0, the default, sends an
     * eager message as one frame and rendezvous data in chunks of the largest frame.
     */
    default int fragmentLength()
    {
        return 0;
    }

    /** One-sided access to peers' memory, or null when this transport has none (then rendezvous streams frames). */
    default RemoteMemory remoteMemory()
    {
        return null;
    }

    /** Release everything: mappings, files, sockets. Idempotent. Connections obtained from it become unusable. */
    @Override
    void close();
}
