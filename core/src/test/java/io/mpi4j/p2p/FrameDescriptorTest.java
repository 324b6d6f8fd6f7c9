package io.mpi4j.p2p;

import org.junit.jupiter.api.Test;

import static io.mpi4j.p2p.FrameDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the wire layout, so that an edit of the derived offsets cannot move a field unnoticed. */
class FrameDescriptorTest
{
    @Test
    void frameTypesKeepTheirNumbers()
    {
        assertEquals(1, EAGER);
        assertEquals(2, EAGER_SYNC);
        assertEquals(3, RTS);
        assertEquals(4, CTS);
        assertEquals(5, DATA);
        assertEquals(6, SYNC_ACK);
        assertEquals(7, RTS_READ);
        assertEquals(8, READ_DONE);
    }

    @Test
    void messageEnvelopeOffsets()
    {
        assertEquals(0, TYPE_OFFSET);
        assertEquals(4, CONTEXT_OFFSET);
        assertEquals(8, SOURCE_OFFSET);
        assertEquals(12, TAG_OFFSET);
        assertEquals(16, LENGTH_OFFSET);
        assertEquals(24, SENDER_COOKIE_OFFSET);
        assertEquals(32, HEADER_LENGTH);
        assertEquals(32, PAYLOAD_OFFSET);
        assertEquals(32, RTS_READ_DESCRIPTOR_OFFSET);
        assertEquals(48, RTS_READ_LENGTH);
    }

    @Test
    void replyOffsets()
    {
        assertEquals(8, REPLY_BODY_OFFSET);
        assertEquals(8, CTS_SENDER_COOKIE_OFFSET);
        assertEquals(16, CTS_RECEIVER_COOKIE_OFFSET);
        assertEquals(24, CTS_BYTES_OFFSET);
        assertEquals(32, CTS_LENGTH);
        assertEquals(8, ACK_SENDER_COOKIE_OFFSET);
        assertEquals(32, CONTROL_FRAME_LENGTH);
        assertEquals(8, DATA_RECEIVER_COOKIE_OFFSET);
        assertEquals(16, DATA_OFFSET_OFFSET);
        assertEquals(24, DATA_LENGTH_OFFSET);
        assertEquals(32, DATA_PAYLOAD_OFFSET);
    }

    @Test
    void everyFixedPartFitsTheCommonHeader()
    {
        assertTrue(CTS_LENGTH <= HEADER_LENGTH);
        assertTrue(DATA_LENGTH_OFFSET + Integer.BYTES <= DATA_PAYLOAD_OFFSET);
        assertEquals(0, PAYLOAD_OFFSET % Long.BYTES, "payload 8-byte aligned");
        assertEquals(0, DATA_PAYLOAD_OFFSET % Long.BYTES, "chunk 8-byte aligned");
    }

    @Test
    void onlyRequestsToSendStartARendezvous()
    {
        assertTrue(isRendezvous(RTS));
        assertTrue(isRendezvous(RTS_READ));
        for (final int type : new int[]{EAGER, EAGER_SYNC, CTS, DATA, SYNC_ACK, READ_DONE})
        {
            assertFalse(isRendezvous(type), "type " + type);
        }
    }
}
