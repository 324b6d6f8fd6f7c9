package io.mpi4j.tcp;

import java.nio.ByteOrder;

/**
 * Layout of a frame on the byte stream: an 8-byte record header (frame length, then a mark), the frame, and padding
 * to the next multiple of 8, so frames start 8-byte aligned in the receive buffer as they do in the shared-memory
 * rings. The mark makes a stream that lost its framing (a bug, a peer speaking something else) fail at the first
 * header instead of being read as frames.
 * <pre>
 *   0       4       8                    8 + length      recordLength(length)
 *   | length | MARK  | frame ...          | padding       |
 * </pre>
 * Integers are little-endian on the wire whatever the hosts' order.
 * <p>
 * A sender that closes its connection in order (finalize, disconnect) ends the stream with a goodbye record: a
 * header of length 0 and {@link #GOODBYE_MARK}. An end of the stream without it is a lost peer (a process that died,
 * a host that went away), whether or not it fell on a frame boundary.
 * <p>
 * A sender that moves its frames to the socket its peer opened (both connected at once, see {@link TcpConnection})
 * starts them there with a switch record: a header of length 0 and {@link #SWITCH_MARK}. Its earlier frames are on
 * the other socket, ended by its goodbye; the receiver reads those first.
 */
final class FrameRecord
{
    static final int LENGTH_OFFSET = 0;
    static final int MARK_OFFSET = LENGTH_OFFSET + Integer.BYTES;
    static final int HEADER_LENGTH = MARK_OFFSET + Integer.BYTES;
    static final int ALIGNMENT = 8;
    /** "M4JF". */
    static final int MARK = 0x464A344D;
    /** "M4JB": the last record of a connection closed in order. */
    static final int GOODBYE_MARK = 0x424A344D;
    static final int GOODBYE_LENGTH = HEADER_LENGTH;
    /** "M4JS": the sender's frames continue on this socket once its other socket to this process has ended. */
    static final int SWITCH_MARK = 0x534A344D;
    static final ByteOrder WIRE_ORDER = ByteOrder.LITTLE_ENDIAN;

    private FrameRecord()
    {
    }

    /** Bytes a frame of {@code frameLength} takes on the stream, header and padding included. */
    static int recordLength(final int frameLength)
    {
        return (HEADER_LENGTH + frameLength + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
