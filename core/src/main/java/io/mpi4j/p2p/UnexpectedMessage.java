package io.mpi4j.p2p;

/**
 * A message envelope that arrived before a matching receive was posted. Eager messages keep a copy of their
 * payload; an RTS keeps only its envelope (the data stays with the sender until a receive matches).
 */
final class UnexpectedMessage
{
    int frameType;
    int source;
    int tag;
    long length;
    long senderCookie;
    byte[] payload;
    /**
     * Bytes of an eager payload arrived so far: {@code length}, but for a fragmented message whose further fragments
     * are still on their way (a receive that takes it takes over the rest).
     */
    long arrived;

    UnexpectedMessage prev;
    UnexpectedMessage next;

    boolean matches(final int wantSource, final int wantTag)
    {
        return (wantSource == PointToPoint.ANY_SOURCE || wantSource == source) &&
            (wantTag == PointToPoint.ANY_TAG || wantTag == tag);
    }
}
