package io.mpi4j.p2p;

import io.mpi4j.datatype.PackCursor;
import io.mpi4j.datatype.TypeMap;

/** A receive: posted in its context's queue until matched, then (rendezvous) filled chunk by chunk. */
final class RecvOperation extends Operation
{
    MessageEndpoint endpoint;
    int context;
    int source;
    int tag;
    Object base;
    long address;
    long capacity;
    /** Layout of a non-contiguous datatype that {@link #cursor} unpacks into, or null for plain bytes. */
    TypeMap layout;
    /** Made on the first non-contiguous use only: a contiguous send or receive allocates nothing for it. */
    PackCursor cursor;

    long cookie;
    long expected;
    long received;
    /** RTS_READ being read: the sender's cookie, for READ_DONE. */
    long senderCookie;

    boolean posted;
    RecvOperation prev;
    RecvOperation next;

    @Override
    void forgetUserMemory()
    {
        // the endpoint stays, as a send's peer and endpoint do (SendOperation#init)
        base = null;
        layout = null;
        if (null != cursor)
        {
            cursor.clear();
        }
    }

    void init(final MessageEndpoint endpoint, final int context, final int source, final int tag,
        final Object base, final long address, final long capacity, final TypeMap layout)
    {
        if (this.endpoint != endpoint)
        {
            this.endpoint = endpoint;
        }
        this.context = context;
        this.source = source;
        this.tag = tag;
        if (this.base != base)
        {
            this.base = base;
        }
        this.address = address;
        this.capacity = capacity;
        // an empty message moves nothing, whatever its layout
        final TypeMap items = 0 == capacity ? null : layout;
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
            cursor.reset(layout, capacity / layout.size(), base, address);
        }
        this.cookie = 0;
        this.expected = 0;
        this.received = 0;
        this.posted = false;
        this.prev = null;
        this.next = null;
        this.errorDetail = null;
        markIncomplete();
        status.clear();
    }

    boolean matches(final int msgSource, final int msgTag)
    {
        return (source == PointToPoint.ANY_SOURCE || source == msgSource) &&
            (tag == PointToPoint.ANY_TAG || tag == msgTag);
    }
}
