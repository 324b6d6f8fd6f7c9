package io.mpi4j.p2p;

/**
 * Layout of the point-to-point layer's frames inside a transport frame. All frames start with a 32-byte header
 * whose first int is the frame type; payload, where there is one, follows the header.
 * <pre>
 * Message frames (EAGER, EAGER_SYNC, RTS): start a message and take part in matching.
 *   0 type | 4 context id | 8 source rank | 12 tag | 16 message length (long) | 24 sender cookie (long) | 32 payload
 * CTS (receiver matched an RTS; send me that many bytes):
 *   0 type | 8 sender cookie | 16 receiver cookie | 24 bytes to send
 * DATA (one chunk of a rendezvous message):
 *   0 type | 8 receiver cookie | 16 offset in message (long) | 24 chunk length (int) | 32 payload
 * SYNC_ACK (receiver matched an EAGER_SYNC):
 *   0 type | 8 sender cookie
 * RTS_READ (an RTS whose data the receiver may read itself, through the transport's RemoteMemory):
 *   as RTS | 32 region descriptor (RemoteMemory.DESCRIPTOR_LENGTH bytes)
 * READ_DONE (receiver has read an RTS_READ's data; the sender's buffer is free again):
 *   0 type | 8 sender cookie
 * </pre>
 * Native byte order: both ends of a frame run on machines of the same endianness.
 */
public final class FrameDescriptor
{
    public static final int EAGER = 1;
    public static final int EAGER_SYNC = 2;
    public static final int RTS = 3;
    public static final int CTS = 4;
    public static final int DATA = 5;
    public static final int SYNC_ACK = 6;
    public static final int RTS_READ = 7;
    public static final int READ_DONE = 8;

    public static final int TYPE_OFFSET = 0;
    public static final int CONTEXT_OFFSET = 4;
    public static final int SOURCE_OFFSET = 8;
    public static final int TAG_OFFSET = 12;
    public static final int LENGTH_OFFSET = 16;
    public static final int SENDER_COOKIE_OFFSET = 24;

    public static final int CTS_SENDER_COOKIE_OFFSET = 8;
    public static final int CTS_RECEIVER_COOKIE_OFFSET = 16;
    public static final int CTS_BYTES_OFFSET = 24;

    public static final int DATA_RECEIVER_COOKIE_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 16;
    public static final int DATA_LENGTH_OFFSET = 24;

    public static final int ACK_SENDER_COOKIE_OFFSET = 8;

    public static final int HEADER_LENGTH = 32;

    /** Frame types that start a rendezvous (the data follows after a match). */
    public static boolean isRendezvous(final int type)
    {
        return type == RTS || type == RTS_READ;
    }

    private FrameDescriptor()
    {
    }
}
