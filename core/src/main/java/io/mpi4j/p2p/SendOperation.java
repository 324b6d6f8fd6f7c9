package io.mpi4j.p2p;

import io.mpi4j.datatype.PackCursor;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.transport.RemoteMemory;

/** A send in flight: its envelope, the user's memory and where its protocol stands. */
final class SendOperation extends Operation
{
    /** Envelope frame (EAGER, EAGER_SYNC or RTS) not yet written: the peer's ring was full. */
    static final int WRITE_ENVELOPE = 0;
    /** Rendezvous: waiting for the receiver's CTS. */
    static final int AWAIT_CTS = 1;
    /** Rendezvous: streaming DATA chunks. */
    static final int STREAM = 2;
    /** Synchronous eager: waiting for the receiver's SYNC_ACK. */
    static final int AWAIT_ACK = 3;

    Peer peer;
    MessageEndpoint endpoint;
    int context;
    int sourceRank;
    int tag;
    int frameType;
    Object base;
    long address;
    long bytes;
    /**
     * Layout of a non-contiguous datatype, or null when the message is {@code bytes} bytes at {@code address}: then
     * frames are filled by plain copies, else {@link #cursor} packs the user's items straight into them.
     */
    TypeMap layout;
    /** Made on the first non-contiguous use only: a contiguous send or receive allocates nothing for it. */
    PackCursor cursor;
    long cookie;
    int phase;

    long receiverCookie;
    long bytesToSend;
    long bytesSent;

    /** RTS_READ: the exposed region's descriptor (two longs) and the transport's token for releasing it. */
    long descriptorLow;
    long descriptorHigh;
    long exposeToken;

    /** Bytes this send holds in the buffered-send space (MPI_Bsend); released on completion. */
    long bufferedBytes;

    @Override
    void forgetUserMemory()
    {
        // The peer and endpoint stay: runtime objects, not the user's, and the next message most often goes to
        // the same ones (see init).
        base = null;
        layout = null;
        if (null != cursor)
        {
            cursor.clear();
        }
    }

    void init(
        final Peer peer, final MessageEndpoint endpoint, final int context, final int tag,
        final Object base, final long address, final long bytes, final TypeMap layout)
    {
        // A pooled operation outlives young collections: with G1, every store of a reference into it from another
        // heap region takes a StoreLoad fence (the card-marking barrier), which waits for this message's ring
        // stores to reach the receiver's core. The same peer and endpoint as last time are not stored again.
        if (this.peer != peer)
        {
            this.peer = peer;
        }
        if (this.endpoint != endpoint)
        {
            this.endpoint = endpoint;
        }
        this.context = context;
        this.sourceRank = endpoint.rank();
        this.tag = tag;
        if (this.base != base)
        {
            this.base = base;
        }
        this.address = address;
        this.bytes = bytes;
        // an empty message moves nothing, whatever its layout
        final TypeMap items = 0 == bytes ? null : layout;
        if (this.layout != items)
        {
            this.layout = items;
        }
        if (null != this.layout)
        {
            if (null == cursor)
            {
                cursor = new PackCursor();
            }
            cursor.reset(layout, bytes / layout.size(), base, address);
        }
        this.phase = WRITE_ENVELOPE;
        this.cookie = 0;
        this.bytesSent = 0;
        this.bufferedBytes = 0;
        this.exposeToken = RemoteMemory.NOT_EXPOSED;
        this.errorDetail = null;
        markIncomplete();
        status.clear();
    }
}
