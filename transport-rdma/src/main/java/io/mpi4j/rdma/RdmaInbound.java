package io.mpi4j.rdma;

import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvQP;
import com.ibm.disni.verbs.IbvRecvWR;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.SVCPostRecv;
import com.ibm.disni.verbs.SVCPostSend;
import io.mpi4j.transport.FrameHandler;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import static io.mpi4j.rdma.RdmaDescriptor.*;

/**
 * Receiving side of one queue pair a peer connected to this process's listening id: {@code credits + 1}
 * registered receive buffers, each posted by its own stateful verb call (DiSNI cannot change a posted receive's
 * address, so one call per buffer is what lets a buffer be reposted without allocation).
 * <p>
 * Completions arrive in the order the peer sent; they are queued here and delivered from {@link #deliver} in the same
 * order, interleaved fairly with other peers by the transport. After each delivery the buffer is reposted; once a
 * quarter of the credits has been consumed, the new limit is written into the sender's credit word by RDMA WRITE.
 * The extra buffer beyond the credits is for the goodbye, which needs no credit.
 */
final class RdmaInbound
{
    static final int ACCEPTING = 0;
    static final int OPEN = 1;
    static final int DRAINING = 2;
    static final int CLOSED = 3;

    private static final int GRANT_QUEUE_DEPTH = 8;

    private final RdmaTransport transport;
    private final int endpoint;
    private final RdmaCmId id;
    private final int maxFrameLength;
    private final int slotLength;
    private final int credits;
    private final int buffers;
    private final int grantBatch;
    private final boolean grantInline;
    private final ByteBuffer ringMemory;
    private final UnsafeBuffer ring;
    private final ByteBuffer grantMemory;
    private final UnsafeBuffer grantWord;
    private final SendQueue sendQueue = new SendQueue(GRANT_QUEUE_DEPTH, GRANT_QUEUE_DEPTH / 2);
    private final int[] arrivedSlots;
    private final int[] arrivedLengths;
    private IbvMr ringMr;
    private IbvMr grantMr;
    private IbvQP qp;
    private SVCPostRecv[] recvCalls;
    private SVCPostSend grantCall;
    private SVCPostSend.SendWRMod grantWr;
    private int arrivedHead;
    private int arrivedCount;
    private long consumed;
    private long grantedAt = -1;
    private boolean grantTargetKnown;
    private boolean refused;
    private int state = ACCEPTING;
    private boolean goodbyeReceived;
    private int cqReservation;

    RdmaInbound(final RdmaTransport transport, final int endpoint, final RdmaCmId id, final RdmaConfiguration configuration)
        throws IOException
    {
        this.transport = transport;
        this.endpoint = endpoint;
        this.id = id;
        this.maxFrameLength = configuration.maxFrameLength();
        this.slotLength = configuration.slotLength();
        this.credits = configuration.credits();
        this.buffers = credits + 1;
        this.grantBatch = Math.max(1, credits / 4);
        this.grantInline = configuration.inlineLimit() >= 8;
        this.ringMemory = BufferUtil.allocateDirectAligned(slotLength * buffers, 4096);
        this.ring = new UnsafeBuffer(ringMemory);
        this.grantMemory = BufferUtil.allocateDirectAligned(64, 64);
        this.grantWord = new UnsafeBuffer(grantMemory);
        this.arrivedSlots = new int[buffers];
        this.arrivedLengths = new int[buffers];
        this.ringMr = transport.register(ringMemory, IbvMr.IBV_ACCESS_LOCAL_WRITE);
        this.grantMr = transport.register(grantMemory, IbvMr.IBV_ACCESS_LOCAL_WRITE);
    }

    int endpoint()
    {
        return endpoint;
    }

    RdmaCmId id()
    {
        return id;
    }

    int state()
    {
        return state;
    }

    /** Completion-queue entries this endpoint may need at worst: every receive buffer and grant in flight. */
    int completionBudget()
    {
        return buffers + GRANT_QUEUE_DEPTH;
    }

    void cqReservation(final int entries)
    {
        cqReservation = entries;
    }

    int cqReservation()
    {
        return cqReservation;
    }

    /** Queue pair created: build the verb calls and post every receive buffer, before accepting the connection. */
    void onQueuePair(final IbvQP qp) throws IOException
    {
        this.qp = qp;
        final long ringAddress = BufferUtil.address(ringMemory);
        final int lkey = ringMr.getLkey();
        recvCalls = new SVCPostRecv[buffers];
        for (int slot = 0; slot < buffers; slot++)
        {
            final IbvSge sge = new IbvSge();
            sge.setAddr(ringAddress + (long)slot * slotLength);
            sge.setLength(maxFrameLength);
            sge.setLkey(lkey);
            final LinkedList<IbvSge> sges = new LinkedList<>();
            sges.add(sge);
            final IbvRecvWR wr = new IbvRecvWR();
            wr.setWr_id(workRequestId(endpoint, KIND_RECV, slot, 0));
            wr.setSg_list(sges);
            wr.setNum_sge(1);
            final List<IbvRecvWR> list = new ArrayList<>(1);
            list.add(wr);
            recvCalls[slot] = qp.postRecv(list, null);
            recvCalls[slot].execute();
        }

        final IbvSge sge = new IbvSge();
        sge.setAddr(BufferUtil.address(grantMemory));
        sge.setLength(8);
        sge.setLkey(grantMr.getLkey());
        final LinkedList<IbvSge> sges = new LinkedList<>();
        sges.add(sge);
        final IbvSendWR wr = new IbvSendWR();
        wr.setSg_list(sges);
        wr.setNum_sge(1);
        wr.setOpcode(IbvSendWR.IBV_WR_RDMA_WRITE);
        wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
        final List<IbvSendWR> list = new ArrayList<>(1);
        list.add(wr);
        grantCall = qp.postSend(list, null);
        grantWr = grantCall.getWrMod(0);
    }

    void onEstablished()
    {
        if (state == ACCEPTING)
        {
            state = OPEN;
        }
    }

    /**
     * A receive completed. The handshake and the goodbye are handled here; frames are queued for {@link #deliver}.
     */
    void onReceive(final int slot, final int status, final int byteLength, final int flags, final int immediate)
    {
        if (status != IBV_WC_SUCCESS)
        {
            // Flushed by a disconnect, or the queue pair broke: nothing more arrives on it.
            if (state < DRAINING)
            {
                state = DRAINING;
            }
            return;
        }
        if ((flags & IBV_WC_WITH_IMM) != 0)
        {
            if (immediate == IMM_HELLO)
            {
                onHello(slot, byteLength);
                return;
            }
            if (immediate == IMM_GOODBYE)
            {
                goodbyeReceived = true;
                if (state < DRAINING)
                {
                    state = DRAINING;
                }
                return;
            }
        }
        final int tail = arrivedHead + arrivedCount < buffers ? arrivedHead + arrivedCount :
            arrivedHead + arrivedCount - buffers;
        arrivedSlots[tail] = slot;
        arrivedLengths[tail] = byteLength;
        arrivedCount++;
    }

    private void onHello(final int slot, final int byteLength)
    {
        final int offset = slot * slotLength;
        if (byteLength < HELLO_LENGTH || ring.getInt(offset + HELLO_MAGIC_OFFSET) != HELLO_MAGIC ||
            ring.getInt(offset + HELLO_VERSION_OFFSET) != HELLO_VERSION)
        {
            transport.warn("ignoring an rdma connection with a malformed handshake (not mpi4j, or another version)");
            refused = true;
            state = DRAINING;
            return;
        }
        final long creditAddress = ring.getLong(offset + HELLO_CREDIT_ADDRESS_OFFSET);
        final int creditRkey = ring.getInt(offset + HELLO_CREDIT_RKEY_OFFSET);
        final int senderFrame = ring.getInt(offset + HELLO_MAX_FRAME_OFFSET);
        final SVCPostSend.RdmaMod remote = grantWr.getRdmaMod();
        remote.setRemote_addr(creditAddress);
        remote.setRkey(creditRkey);
        grantTargetKnown = true;
        repost(slot);
        if (senderFrame > maxFrameLength)
        {
            // Tell the sender why in its credit word (a negative limit), then stop receiving from it.
            refused = true;
            writeGrant(-maxFrameLength);
            return;
        }
        grant();
    }

    /** Frames queued and not yet delivered. */
    int pendingFrames()
    {
        return arrivedCount;
    }

    /**
     * Deliver up to {@code limit} queued frames in arrival order, reposting each buffer after its callback returned.
     *
     * @return frames delivered.
     */
    int deliver(final FrameHandler handler, final int limit)
    {
        int delivered = 0;
        while (arrivedCount > 0 && delivered < limit)
        {
            final int slot = arrivedSlots[arrivedHead];
            final int length = arrivedLengths[arrivedHead];
            arrivedHead = arrivedHead + 1 == buffers ? 0 : arrivedHead + 1;
            arrivedCount--;
            delivered++;
            try
            {
                handler.onFrame(ring, slot * slotLength, length);
            }
            finally
            {
                repost(slot);
                consumed++;
            }
        }
        if (delivered > 0 && consumed - grantedAt >= grantBatch)
        {
            grant();
        }
        return delivered;
    }

    private void repost(final int slot)
    {
        if (state >= DRAINING && !refused)
        {
            return;
        }
        try
        {
            recvCalls[slot].execute();
        }
        catch (final IOException ex)
        {
            state = DRAINING;
        }
    }

    /** Grant the sender {@code credits} frames beyond those consumed; retried from the transport's poll if the queue is full. */
    void grant()
    {
        if (!grantTargetKnown || refused || state >= DRAINING)
        {
            return;
        }
        if (writeGrant(consumed + credits))
        {
            grantedAt = consumed;
        }
    }

    /** Whether a grant is owed but could not be posted yet. */
    boolean grantPending()
    {
        return grantTargetKnown && !refused && state < DRAINING && consumed - grantedAt >= grantBatch;
    }

    private boolean writeGrant(final long limit)
    {
        if (!sendQueue.hasRoom())
        {
            return false;
        }
        // Inline copies the value at post time; without inline the word may change before the NIC reads it, which
        // only ever grants a newer (larger) limit.
        grantWord.putLong(0, limit);
        final boolean signaled = sendQueue.shouldSignalNext();
        grantWr.setWr_id(workRequestId(endpoint, KIND_GRANT, 0, sendQueue.nextSequence()));
        grantWr.setSend_flags((signaled ? IbvSendWR.IBV_SEND_SIGNALED : 0) | (grantInline ? IbvSendWR.IBV_SEND_INLINE : 0));
        try
        {
            grantCall.execute();
        }
        catch (final IOException ex)
        {
            state = DRAINING;
            return false;
        }
        sendQueue.onPosted(signaled);
        return true;
    }

    void onGrantCompletion(final long workRequestId, final int status)
    {
        sendQueue.onCompleted(sequenceLow(workRequestId));
        if (status != IBV_WC_SUCCESS && state < DRAINING)
        {
            state = DRAINING;
        }
    }

    /** The peer said goodbye or disconnected and every frame that arrived has been delivered. */
    boolean isFinished()
    {
        return state == DRAINING && arrivedCount == 0;
    }

    boolean goodbyeReceived()
    {
        return goodbyeReceived;
    }

    void onDisconnected()
    {
        if (state < DRAINING)
        {
            state = DRAINING;
        }
    }

    /** Free the queue pair, the verb calls and the registrations. Idempotent. */
    void destroy()
    {
        if (state == CLOSED)
        {
            return;
        }
        state = CLOSED;
        if (null != qp)
        {
            RdmaTransport.quietly(id::disconnect);
            RdmaTransport.quietly(id::destroyQP);
            qp = null;
        }
        RdmaTransport.quietly(id::destroyId);
        if (null != recvCalls)
        {
            for (final SVCPostRecv call : recvCalls)
            {
                if (null != call)
                {
                    call.free();
                }
            }
            recvCalls = null;
        }
        if (null != grantCall)
        {
            grantCall.free();
            grantCall = null;
        }
        ringMr = transport.deregister(ringMr);
        grantMr = transport.deregister(grantMr);
    }

    public String toString()
    {
        return "RdmaInbound{endpoint=" + endpoint + ", state=" + state + ", consumed=" + consumed + ", queued=" +
            arrivedCount + '}';
    }
}
