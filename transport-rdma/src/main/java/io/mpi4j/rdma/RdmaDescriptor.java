package io.mpi4j.rdma;

/**
 * Layouts of everything the RDMA transport puts on the wire or into a work request, as constants.
 * <p>
 * <b>Work request ids</b> (64 bits, returned in every completion, also in error completions where the queue pair
 * number is not): {@code endpoint index (16) | kind (4) | slot (12) | low 32 bits of the send-queue sequence}.
 * The endpoint index names an {@link RdmaConnection} or {@link RdmaInbound} in the transport's table (never reused,
 * so a late completion of a destroyed endpoint finds nothing); the slot is the receive buffer or the read.
 * <p>
 * <b>Handshake</b>: the first message on every queue pair is a SEND with immediate {@link #IMM_HELLO} from the
 * connecting side, carrying where the receiver grants credits:
 * <pre>
 *   0 magic int | 4 version int | 8 credit word address long | 16 credit word rkey int | 20 max frame length int
 * </pre>
 * The receiver answers by RDMA WRITE of its credit limit (a long: frames it consumed + buffers it keeps posted) into
 * that word, and again every time it has consumed a batch of frames. The sender may post data frame n (counted
 * from 0) once the word exceeds n. The last message is a SEND with immediate {@link #IMM_GOODBYE}: every frame
 * before it has been delivered, nothing follows. Data frames are plain SENDs, one frame per message.
 * <p>
 * <b>Region descriptor</b> ({@link io.mpi4j.transport.RemoteMemory#DESCRIPTOR_LENGTH} bytes):
 * <pre>
 *   0 address long | 8 rkey int | 12 length int
 * </pre>
 * <b>Window descriptor</b> ({@link io.mpi4j.transport.RemoteMemory#WINDOW_DESCRIPTOR_LENGTH} bytes), a region
 * registered for remote write, read and atomics for a window's life:
 * <pre>
 *   0 address long | 8 rkey int | 12 flags int ({@link #WINDOW_ATOMICS}) | 16 length long
 * </pre>
 */
final class RdmaDescriptor
{
    static final int ENDPOINT_SHIFT = 48;
    static final int KIND_SHIFT = 44;
    static final int SLOT_SHIFT = 32;
    static final long KIND_MASK = 0xF;
    static final long SLOT_MASK = 0xFFF;
    static final int MAX_ENDPOINTS = 1 << 16;

    /** Outgoing queue pair: a frame, the handshake or the goodbye. */
    static final int KIND_SEND = 1;
    /** Outgoing queue pair: an RDMA READ of a peer's exposed region. */
    static final int KIND_READ = 2;
    /** Incoming queue pair: a receive buffer was filled. */
    static final int KIND_RECV = 3;
    /** Incoming queue pair: a credit grant (RDMA WRITE). */
    static final int KIND_GRANT = 4;
    /** Outgoing queue pair: a window operation (RDMA WRITE, RDMA READ or atomic), always signaled. */
    static final int KIND_ONE_SIDED = 5;

    static final int IMM_HELLO = 0x4d50_4948;   // "MPIH"
    static final int IMM_GOODBYE = 0x4d50_4942; // "MPIB"

    static final int HELLO_MAGIC = 0x6d70_6934; // "mpi4"
    static final int HELLO_VERSION = 1;
    static final int HELLO_MAGIC_OFFSET = 0;
    static final int HELLO_VERSION_OFFSET = 4;
    static final int HELLO_CREDIT_ADDRESS_OFFSET = 8;
    static final int HELLO_CREDIT_RKEY_OFFSET = 16;
    static final int HELLO_MAX_FRAME_OFFSET = 20;
    static final int HELLO_LENGTH = 24;
    static final int GOODBYE_LENGTH = 8;

    static final int REGION_ADDRESS_OFFSET = 0;
    static final int REGION_RKEY_OFFSET = 8;
    static final int REGION_LENGTH_OFFSET = 12;

    static final int WINDOW_ADDRESS_OFFSET = 0;
    static final int WINDOW_RKEY_OFFSET = WINDOW_ADDRESS_OFFSET + Long.BYTES;
    static final int WINDOW_FLAGS_OFFSET = WINDOW_RKEY_OFFSET + Integer.BYTES;
    static final int WINDOW_LENGTH_OFFSET = WINDOW_FLAGS_OFFSET + Integer.BYTES;
    static final int WINDOW_DESCRIPTOR_LENGTH = WINDOW_LENGTH_OFFSET + Long.BYTES;
    /** Window flag: the exposing device does 8-byte atomics. */
    static final int WINDOW_ATOMICS = 1;

    /** ibv_wc_flags: the completion carries immediate data. */
    static final int IBV_WC_WITH_IMM = 1 << 1;
    static final int IBV_WC_SUCCESS = 0;
    static final int IBV_WC_WR_FLUSH_ERR = 5;

    /** rdma_cm event numbers (enum rdma_cm_event_type). */
    static final int CM_ADDR_RESOLVED = 0;
    static final int CM_ADDR_ERROR = 1;
    static final int CM_ROUTE_RESOLVED = 2;
    static final int CM_ROUTE_ERROR = 3;
    static final int CM_CONNECT_REQUEST = 4;
    static final int CM_CONNECT_RESPONSE = 5;
    static final int CM_CONNECT_ERROR = 6;
    static final int CM_UNREACHABLE = 7;
    static final int CM_REJECTED = 8;
    static final int CM_ESTABLISHED = 9;
    static final int CM_DISCONNECTED = 10;
    static final int CM_DEVICE_REMOVAL = 11;
    static final int CM_TIMEWAIT_EXIT = 15;

    /** RDMA_PS_TCP: reliable connected port space. */
    static final short RDMA_PS_TCP = 0x0106;

    private static final String[] CM_EVENT_NAMES = {
        "ADDR_RESOLVED", "ADDR_ERROR", "ROUTE_RESOLVED", "ROUTE_ERROR", "CONNECT_REQUEST", "CONNECT_RESPONSE",
        "CONNECT_ERROR", "UNREACHABLE", "REJECTED", "ESTABLISHED", "DISCONNECTED", "DEVICE_REMOVAL",
        "MULTICAST_JOIN", "MULTICAST_ERROR", "ADDR_CHANGE", "TIMEWAIT_EXIT"};

    private static final String[] WC_STATUS_NAMES = {
        "SUCCESS", "LOC_LEN_ERR", "LOC_QP_OP_ERR", "LOC_EEC_OP_ERR", "LOC_PROT_ERR", "WR_FLUSH_ERR", "MW_BIND_ERR",
        "BAD_RESP_ERR", "LOC_ACCESS_ERR", "REM_INV_REQ_ERR", "REM_ACCESS_ERR", "REM_OP_ERR", "RETRY_EXC_ERR",
        "RNR_RETRY_EXC_ERR", "LOC_RDD_VIOL_ERR", "REM_INV_RD_REQ_ERR", "REM_ABORT_ERR", "INV_EECN_ERR",
        "INV_EEC_STATE_ERR", "FATAL_ERR", "RESP_TIMEOUT_ERR", "GENERAL_ERR"};

    private RdmaDescriptor()
    {
    }

    static long workRequestId(final int endpoint, final int kind, final int slot, final long sequence)
    {
        return ((long)endpoint << ENDPOINT_SHIFT) | ((long)kind << KIND_SHIFT) | ((long)slot << SLOT_SHIFT) |
            (sequence & 0xFFFF_FFFFL);
    }

    static int endpoint(final long workRequestId)
    {
        return (int)(workRequestId >>> ENDPOINT_SHIFT);
    }

    static int kind(final long workRequestId)
    {
        return (int)((workRequestId >>> KIND_SHIFT) & KIND_MASK);
    }

    static int slot(final long workRequestId)
    {
        return (int)((workRequestId >>> SLOT_SHIFT) & SLOT_MASK);
    }

    static int sequenceLow(final long workRequestId)
    {
        return (int)workRequestId;
    }

    static String cmEventName(final int event)
    {
        return event >= 0 && event < CM_EVENT_NAMES.length ? CM_EVENT_NAMES[event] : "event " + event;
    }

    static String wcStatusName(final int status)
    {
        return status >= 0 && status < WC_STATUS_NAMES.length ? "IBV_WC_" + WC_STATUS_NAMES[status] :
            "wc status " + status;
    }
}
