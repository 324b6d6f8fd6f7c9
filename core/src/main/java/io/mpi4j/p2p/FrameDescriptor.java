package io.mpi4j.p2p;

import io.mpi4j.transport.RemoteMemory;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.align;

/**
 * Layout of the point-to-point layer's frames inside a transport frame. Every frame starts with its type (an int);
 * every frame's fixed part is {@link #HEADER_LENGTH} bytes, and payload, where there is one, follows it.
 * <pre>
 * Message frames (EAGER, EAGER_SYNC, RTS): start a message and take part in matching.
 *   0 type | 4 context id | 8 source rank | 12 tag | 16 message length (long) | 24 sender cookie (long) | 32 payload
 * RTS_READ (an RTS whose data the receiver may read itself, through the transport's RemoteMemory):
 *   as RTS | 32 region descriptor (RemoteMemory.DESCRIPTOR_LENGTH bytes)
 * EAGER_FIRST (an eager message sent in fragments, so the receiver unpacks one while the sender packs the next):
 *   as EAGER, with the first fragment's length where the sender cookie is | 32 first fragment
 * EAGER_MORE (each further fragment of an EAGER_FIRST message, routed by the first's context and source rank):
 *   0 type | 4 context id | 8 source rank | 12 fragment length | 16 offset in message (long) | 32 fragment
 * Replies, routed by cookie rather than by envelope (their first field sits on the first 8-byte boundary):
 *   CTS       (receiver matched an RTS; send me that many bytes):
 *     0 type | 8 sender cookie | 16 receiver cookie | 24 bytes to send (long)
 *   DATA      (one chunk of a rendezvous message):
 *     0 type | 8 receiver cookie | 16 offset in message (long) | 24 chunk length (int) | 32 payload
 *   SYNC_ACK  (receiver matched an EAGER_SYNC), READ_DONE (receiver has read an RTS_READ's data):
 *     0 type | 8 sender cookie
 * </pre>
 * Beyond the type, the frame types are a union: the bytes of a message's source rank and tag hold a reply's first
 * cookie, and so on. Each offset is derived from the field before it in its own frame type; where one frame type
 * deliberately places a field where another type has one, the constant is defined from the other type's, with why.
 * <p>
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
    public static final int EAGER_FIRST = 9;
    public static final int EAGER_MORE = 10;

    /** Shared by every frame type: the receiver dispatches on it before it knows the layout of the rest. */
    public static final int TYPE_OFFSET = 0;

    // Message frames: the envelope MPI matches on, then what the receiver needs to take the message.
    public static final int CONTEXT_OFFSET = TYPE_OFFSET + SIZE_OF_INT;
    public static final int SOURCE_OFFSET = CONTEXT_OFFSET + SIZE_OF_INT;
    public static final int TAG_OFFSET = SOURCE_OFFSET + SIZE_OF_INT;
    public static final int LENGTH_OFFSET = TAG_OFFSET + SIZE_OF_INT;
    public static final int SENDER_COOKIE_OFFSET = LENGTH_OFFSET + SIZE_OF_LONG;

    /** Fixed part of every frame type: a message frame's envelope, the longest of them. */
    public static final int HEADER_LENGTH = SENDER_COOKIE_OFFSET + SIZE_OF_LONG;

    /** Where an EAGER or EAGER_SYNC frame's payload starts. */
    public static final int PAYLOAD_OFFSET = HEADER_LENGTH;

    /**
     * Where an RTS_READ carries its region descriptor: in the payload's place, so RTS_READ shares the envelope (and
     * the matching code) of the other message frames.
     */
    public static final int RTS_READ_DESCRIPTOR_OFFSET = PAYLOAD_OFFSET;
    public static final int RTS_READ_LENGTH = RTS_READ_DESCRIPTOR_OFFSET + RemoteMemory.DESCRIPTOR_LENGTH;

    /**
     * First field of every reply (CTS, DATA, SYNC_ACK, READ_DONE). Replies carry no envelope: the int after the type is
     * padding so that their longs stay 8-byte aligned, and their fields take the bytes of a message's source rank, tag
     * and so on.
     */
    public static final int REPLY_BODY_OFFSET = align(TYPE_OFFSET + SIZE_OF_INT, SIZE_OF_LONG);

    public static final int CTS_SENDER_COOKIE_OFFSET = REPLY_BODY_OFFSET;
    public static final int CTS_RECEIVER_COOKIE_OFFSET = CTS_SENDER_COOKIE_OFFSET + SIZE_OF_LONG;
    public static final int CTS_BYTES_OFFSET = CTS_RECEIVER_COOKIE_OFFSET + SIZE_OF_LONG;
    public static final int CTS_LENGTH = CTS_BYTES_OFFSET + SIZE_OF_LONG;

    /**
     * SYNC_ACK's and READ_DONE's only field, at the same place as a CTS's sender cookie: all three answer a send
     * and are looked up by the same cookie, and one writer fills all three.
     */
    public static final int ACK_SENDER_COOKIE_OFFSET = CTS_SENDER_COOKIE_OFFSET;

    /**
     * Length every reply without payload is sent with (CTS, SYNC_ACK, READ_DONE): the longest of them, so one claim
     * size serves all.
     */
    public static final int CONTROL_FRAME_LENGTH = CTS_LENGTH;

    public static final int DATA_RECEIVER_COOKIE_OFFSET = REPLY_BODY_OFFSET;
    public static final int DATA_OFFSET_OFFSET = DATA_RECEIVER_COOKIE_OFFSET + SIZE_OF_LONG;
    public static final int DATA_LENGTH_OFFSET = DATA_OFFSET_OFFSET + SIZE_OF_LONG;

    /**
     * Where a DATA chunk's bytes start: at a message frame's payload offset, past the int of the chunk length and
     * the padding that keeps the payload 8-byte aligned, so a chunk holds as much as an eager frame
     * ({@code maxFrameLength - HEADER_LENGTH}).
     */
    public static final int DATA_PAYLOAD_OFFSET = PAYLOAD_OFFSET;

    /**
     * Where an EAGER_FIRST frame says how long its fragment is: in the sender cookie's place, because nothing
     * answers a fragmented eager message (its further fragments are routed by context and source rank instead).
     */
    public static final int FIRST_FRAGMENT_LENGTH_OFFSET = SENDER_COOKIE_OFFSET;

    /**
     * An EAGER_MORE frame's routing fields sit where a message frame has them: the fragment belongs to the message
     * from that source in that context whose fragments are still arriving (a sender writes all fragments of one
     * message before any other frame to the same process, so there is at most one such message per source).
     */
    public static final int MORE_CONTEXT_OFFSET = CONTEXT_OFFSET;
    public static final int MORE_SOURCE_OFFSET = SOURCE_OFFSET;
    public static final int MORE_LENGTH_OFFSET = MORE_SOURCE_OFFSET + SIZE_OF_INT;
    public static final int MORE_OFFSET_OFFSET = MORE_LENGTH_OFFSET + SIZE_OF_INT;
    /** A further fragment's bytes: at the payload offset of a message frame, so a fragment holds as much. */
    public static final int MORE_PAYLOAD_OFFSET = PAYLOAD_OFFSET;

    /** Frame types that start a rendezvous (the data follows after a match). */
    public static boolean isRendezvous(final int type)
    {
        return type == RTS || type == RTS_READ;
    }

    private FrameDescriptor()
    {
    }
}
