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
 */
final class FrameRecord
{
    static final int LENGTH_OFFSET = 0;
    static final int MARK_OFFSET = LENGTH_OFFSET + Integer.BYTES;
    static final int HEADER_LENGTH = MARK_OFFSET + Integer.BYTES;
    static final int ALIGNMENT = 8;
    /** "M4JF". */
    static final int MARK = 0x464A344D;
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
