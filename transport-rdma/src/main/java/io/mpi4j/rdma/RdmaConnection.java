package io.mpi4j.rdma;

import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvQP;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.SVCPostSend;
import com.ibm.disni.verbs.impl.NatIbvQP;
import io.mpi4j.rdma.natives.VerbsExtensions;
import io.mpi4j.transport.Connection;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import static io.mpi4j.rdma.RdmaDescriptor.*;

/**
 * Sending side of one reliable-connected queue pair to a peer's {@link RdmaTransport}: frames are claimed in a
 * registered send ring and posted as SENDs into the receive buffers the peer keeps posted for this queue pair.
 * <p>
 * Flow control: the peer grants credits by RDMA WRITE of a limit into this connection's credit word (see
 * {@link RdmaDescriptor}); {@link #tryClaim} compares the number of frames sent with it, so a sender never posts a
 * SEND the receiver has no buffer for and never meets a receiver-not-ready retry. A ring slot, like a send queue
 * entry, is reused only once a later signaled completion has retired the SEND that used it ({@link SendQueue}).
 * Frames up to the inline limit go with {@code IBV_SEND_INLINE}, copied into the work request at post time.
 * <p>
 * Connection setup never blocks: the transport's {@code poll} drives rdma_cm (address, route, connect), and until
 * the peer's first grant arrives {@link #tryClaim} answers {@link #INSUFFICIENT_CAPACITY}. Any rdma_cm error, a
 * disconnect or an error completion fails the connection; {@link #tryClaim} then throws with the reason.
 * <p>
 * The same queue pair carries this process's RDMA READs of the peer's exposed memory
 * ({@link RdmaRemoteMemory#read}). Single-threaded like the transport; the hot path allocates nothing: the work
 * requests are DiSNI stateful verb calls built once and modified in place.
 */
final class RdmaConnection implements Connection
{
    static final int RESOLVING_ADDRESS = 0;
    static final int RESOLVING_ROUTE = 1;
    static final int CONNECTING = 2;
    static final int OPEN = 3;
    static final int CLOSING = 4;
    static final int CLOSED = 5;
    static final int FAILED = 6;

    /** RDMA READs one connection may have in flight; more wait in the caller (read returns false). */
    static final int MAX_READS = 16;
    private static final int NO_CLAIM = -1;
    private static final int CREDIT_WORD_LENGTH = 64;

    private final RdmaTransport transport;
    private final int endpoint;
    private final String peerAddress;
    private final InetSocketAddress peer;
    private final RdmaCmId id;
    private final int maxFrameLength;
    private final int slotLength;
    private final int inlineLimit;
    private final SendQueue sendQueue;
    private final ByteBuffer ringMemory;
    private final long ringAddress;
    private final UnsafeBuffer ring;
    private final ByteBuffer creditMemory;
    private final UnsafeBuffer creditWord;
    private final long startedNs;
    private IbvMr ringMr;
    private IbvMr creditMr;
    private IbvQP qp;
    private SVCPostSend sendCall;
    private SVCPostSend.SendWRMod sendWr;
    private SVCPostSend.SgeMod sendSge;
    private SVCPostSend helloCall;
    private SVCPostSend goodbyeCall;
    private SVCPostSend readCall;
    private SVCPostSend.SendWRMod readWr;
    private SVCPostSend.SgeMod readSge;
    private SVCPostSend.RdmaMod readRemote;
    private SVCPostSend writeCall;
    private SVCPostSend.SendWRMod writeWr;
    private SVCPostSend.SgeMod writeSge;
    private SVCPostSend.RdmaMod writeRemote;
    private SVCPostSend windowReadCall;
    private SVCPostSend.SendWRMod windowReadWr;
    private SVCPostSend.SgeMod windowReadSge;
    private SVCPostSend.RdmaMod windowReadRemote;
    /** Window operations posted and completed: tickets are 1, 2, ... and complete in order (one send queue). */
    private long oneSidedPosted;
    private long oneSidedCompleted;
    private final long[] readCookies = new long[MAX_READS];
    private final IbvMr[] readRegistrations = new IbvMr[MAX_READS];
    private int readsBusy;
    private int state = RESOLVING_ADDRESS;
    private String failure;
    private long framesSent;
    private int claimedIndex = NO_CLAIM;
    private int claimedLength;
    private boolean goodbyePosted;
    private boolean closeRequested;
    private int cqReservation;

    RdmaConnection(
        final RdmaTransport transport,
        final int endpoint,
        final String peerAddress,
        final InetSocketAddress peer,
        final RdmaCmId id,
        final RdmaConfiguration configuration) throws IOException
    {
        this.transport = transport;
        this.endpoint = endpoint;
        this.peerAddress = peerAddress;
        this.peer = peer;
        this.id = id;
        this.maxFrameLength = configuration.maxFrameLength();
        this.slotLength = configuration.slotLength();
        this.inlineLimit = configuration.inlineLimit();
        // Signal every quarter of the ring: few completions to poll, yet slots come back long before the ring is full.
        this.sendQueue = new SendQueue(configuration.credits(), Math.max(1, configuration.credits() / 4));
        this.ringMemory = BufferUtil.allocateDirectAligned(slotLength * configuration.credits(), 4096);
        this.ringAddress = BufferUtil.address(ringMemory);
        this.ring = new UnsafeBuffer(ringMemory);
        this.creditMemory = BufferUtil.allocateDirectAligned(CREDIT_WORD_LENGTH, CREDIT_WORD_LENGTH);
        this.creditWord = new UnsafeBuffer(creditMemory);
        this.creditWord.putLongVolatile(0, 0L);
        this.startedNs = System.nanoTime();
        this.ringMr = transport.register(ringMemory, IbvMr.IBV_ACCESS_LOCAL_WRITE);
        this.creditMr = transport.register(creditMemory, IbvMr.IBV_ACCESS_LOCAL_WRITE | IbvMr.IBV_ACCESS_REMOTE_WRITE);
    }

    int endpoint()
    {
        return endpoint;
    }

    RdmaCmId id()
    {
        return id;
    }

    String peerAddress()
    {
        return peerAddress;
    }

    InetSocketAddress peer()
    {
        return peer;
    }

    int state()
    {
        return state;
    }

    long startedNs()
    {
        return startedNs;
    }

    boolean isConnecting()
    {
        return state < OPEN;
    }

    boolean isFinished()
    {
        return state == CLOSED || state == FAILED;
    }

    /** Completion-queue entries this connection may need at worst: one per send-queue entry. */
    int completionBudget()
    {
        return sendQueue.depth();
    }

    void cqReservation(final int entries)
    {
        cqReservation = entries;
    }

    int cqReservation()
    {
        return cqReservation;
    }

    void onAddressResolved()
    {
        state = RESOLVING_ROUTE;
    }

    /**
     * Route known: create the queue pair and its stateful verb calls, then ask rdma_cm to connect. Responder
     * resources and initiator depth for RDMA READ are chosen by the native layer from the device's limits.
     */
    void onRouteResolved(final IbvQP qp) throws IOException
    {
        this.qp = qp;
        final int lkey = ringMr.getLkey();
        sendCall = qp.postSend(workRequest(IbvSendWR.IBV_WR_SEND, ringAddress, 0, lkey, 0), null);
        sendWr = sendCall.getWrMod(0);
        sendSge = sendWr.getSgeMod(0);
        helloCall = qp.postSend(workRequest(IbvSendWR.IBV_WR_SEND_WITH_IMM, ringAddress, HELLO_LENGTH, lkey,
            IMM_HELLO), null);
        goodbyeCall = qp.postSend(workRequest(IbvSendWR.IBV_WR_SEND_WITH_IMM, ringAddress, GOODBYE_LENGTH, lkey,
            IMM_GOODBYE), null);
        readCall = qp.postSend(workRequest(IbvSendWR.IBV_WR_RDMA_READ, ringAddress, 0, lkey, 0), null);
        readWr = readCall.getWrMod(0);
        readSge = readWr.getSgeMod(0);
        readRemote = readWr.getRdmaMod();
        writeCall = qp.postSend(workRequest(IbvSendWR.IBV_WR_RDMA_WRITE, ringAddress, 0, lkey, 0), null);
        writeWr = writeCall.getWrMod(0);
        writeSge = writeWr.getSgeMod(0);
        writeRemote = writeWr.getRdmaMod();
        windowReadCall = qp.postSend(workRequest(IbvSendWR.IBV_WR_RDMA_READ, ringAddress, 0, lkey, 0), null);
        windowReadWr = windowReadCall.getWrMod(0);
        windowReadSge = windowReadWr.getSgeMod(0);
        windowReadRemote = windowReadWr.getRdmaMod();
        state = CONNECTING;
    }

    private static List<IbvSendWR> workRequest(
        final int opcode, final long address, final int length, final int lkey, final int immediate)
    {
        final IbvSge sge = new IbvSge();
        sge.setAddr(address);
        sge.setLength(length);
        sge.setLkey(lkey);
        final LinkedList<IbvSge> sges = new LinkedList<>();
        sges.add(sge);
        final IbvSendWR wr = new IbvSendWR();
        wr.setSg_list(sges);
        wr.setNum_sge(1);
        wr.setOpcode(opcode);
        wr.setImm_data(immediate);
        wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
        final List<IbvSendWR> list = new ArrayList<>(1);
        list.add(wr);
        return list;
    }

    /**
     * rdma_cm says ESTABLISHED: send the handshake from the ring's first slot. Sequence 0 is always the handshake,
     * so no frame can be claimed in that slot before it is retired.
     */
    void onEstablished()
    {
        if (state != CONNECTING)
        {
            return;
        }
        ring.putInt(HELLO_MAGIC_OFFSET, HELLO_MAGIC);
        ring.putInt(HELLO_VERSION_OFFSET, HELLO_VERSION);
        ring.putLong(HELLO_CREDIT_ADDRESS_OFFSET, BufferUtil.address(creditMemory));
        ring.putInt(HELLO_CREDIT_RKEY_OFFSET, creditMr.getRkey());
        ring.putInt(HELLO_MAX_FRAME_OFFSET, maxFrameLength);
        try
        {
            final SVCPostSend.SendWRMod wr = helloCall.getWrMod(0);
            wr.setWr_id(workRequestId(endpoint, KIND_SEND, 0, sendQueue.nextSequence()));
            wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
            helloCall.execute();
            sendQueue.onPosted(true);
            state = OPEN;
            if (closeRequested)
            {
                startClosing();
            }
        }
        catch (final IOException ex)
        {
            fail("cannot post the handshake to " + peerAddress + ": " + ex.getMessage());
        }
    }

    /** {@inheritDoc} */
    public int tryClaim(final int length)
    {
        if (state != OPEN)
        {
            return notOpen();
        }
        if (length > maxFrameLength || length < 0)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes exceeds maxFrameLength " + maxFrameLength);
        }
        if (claimedIndex != NO_CLAIM)
        {
            throw new IllegalStateException("a frame is already claimed on rdma connection to " + peerAddress);
        }
        final long limit = creditWord.getLongVolatile(0);
        if (framesSent >= limit)
        {
            if (limit < 0)
            {
                fail("peer " + peerAddress + " refused the connection: its receive buffers hold " + (-limit) +
                    " bytes, less than our frames of " + maxFrameLength + " (set " + RdmaConfiguration.FRAME +
                    " alike for the whole job)");
                return notOpen();
            }
            return INSUFFICIENT_CAPACITY;
        }
        if (!sendQueue.hasRoom())
        {
            return INSUFFICIENT_CAPACITY;
        }
        final int index = (int)(sendQueue.nextSequence() % sendQueue.depth()) * slotLength;
        claimedIndex = index;
        claimedLength = length;
        return index;
    }

    private int notOpen()
    {
        if (state == FAILED)
        {
            throw new IllegalStateException(failure);
        }
        if (state >= CLOSING || closeRequested)
        {
            throw new IllegalStateException("rdma connection to " + peerAddress + " is closed");
        }
        return INSUFFICIENT_CAPACITY;
    }

    /** {@inheritDoc} */
    public MutableDirectBuffer buffer()
    {
        return ring;
    }

    /** {@inheritDoc} */
    public void commit(final int index)
    {
        if (index != claimedIndex || claimedIndex == NO_CLAIM)
        {
            throw new IllegalStateException("commit of index " + index + " that was not claimed");
        }
        claimedIndex = NO_CLAIM;
        final long sequence = sendQueue.nextSequence();
        final boolean signaled = sendQueue.shouldSignalNext();
        int flags = signaled ? IbvSendWR.IBV_SEND_SIGNALED : 0;
        if (claimedLength <= inlineLimit)
        {
            flags |= IbvSendWR.IBV_SEND_INLINE;
        }
        sendWr.setWr_id(workRequestId(endpoint, KIND_SEND, 0, sequence));
        sendWr.setSend_flags(flags);
        sendSge.setAddr(ringAddress + index);
        sendSge.setLength(claimedLength);
        try
        {
            sendCall.execute();
        }
        catch (final IOException ex)
        {
            fail("posting a frame to " + peerAddress + " failed: " + ex.getMessage());
            throw new IllegalStateException(failure, ex);
        }
        sendQueue.onPosted(signaled);
        framesSent++;
    }

    /** {@inheritDoc} */
    public void abort(final int index)
    {
        if (index == claimedIndex)
        {
            claimedIndex = NO_CLAIM;
        }
    }

    /**
     * Start an RDMA READ of {@code length} bytes at the peer's {@code remoteAddress} into {@code localAddress}.
     *
     * @param localRegistration a registration made for this read alone, deregistered when it completes; null when the
     *                          local memory is pinned.
     * @return false when the connection is not open yet or has no room (the caller polls and retries).
     */
    boolean read(
        final long remoteAddress,
        final int rkey,
        final long localAddress,
        final int lkey,
        final int length,
        final long cookie,
        final IbvMr localRegistration) throws IOException
    {
        if (state != OPEN || !sendQueue.hasRoom() || readsBusy == (1 << MAX_READS) - 1)
        {
            return false;
        }
        final int slot = Integer.numberOfTrailingZeros(~readsBusy);
        readWr.setWr_id(workRequestId(endpoint, KIND_READ, slot, sendQueue.nextSequence()));
        readWr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
        readSge.setAddr(localAddress);
        readSge.setLength(length);
        readSge.setLkey(lkey);
        readRemote.setRemote_addr(remoteAddress);
        readRemote.setRkey(rkey);
        readCall.execute();
        sendQueue.onPosted(true);
        readsBusy |= 1 << slot;
        readCookies[slot] = cookie;
        readRegistrations[slot] = localRegistration;
        return true;
    }

    /** Whether a window operation can be posted now: open, with a free send-queue entry. */
    boolean canPostOneSided()
    {
        return state == OPEN && sendQueue.hasRoom();
    }

    /**
     * Post a window operation: an RDMA WRITE ({@code write}) or READ of {@code length} bytes between pinned local
     * memory and the peer's window. Call after {@link #canPostOneSided}.
     *
     * @return its ticket ({@link #isOneSidedComplete}).
     */
    long postTransfer(final boolean write, final long remoteAddress, final int rkey, final long localAddress,
        final int lkey, final int length) throws IOException
    {
        final SVCPostSend call = write ? writeCall : windowReadCall;
        final SVCPostSend.SendWRMod wr = write ? writeWr : windowReadWr;
        final SVCPostSend.SgeMod sge = write ? writeSge : windowReadSge;
        final SVCPostSend.RdmaMod remote = write ? writeRemote : windowReadRemote;
        wr.setWr_id(workRequestId(endpoint, KIND_ONE_SIDED, 0, sendQueue.nextSequence()));
        wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
        sge.setAddr(localAddress);
        sge.setLength(length);
        sge.setLkey(lkey);
        remote.setRemote_addr(remoteAddress);
        remote.setRkey(rkey);
        call.execute();
        sendQueue.onPosted(true);
        return ++oneSidedPosted;
    }

    /**
     * Post an 8-byte atomic (fetch-and-add or compare-and-swap) through our native extension: DiSNI cannot lay out
     * the atomic fields of a work request. Call after {@link #canPostOneSided}.
     */
    long postAtomic(final int opcode, final long remoteAddress, final int rkey, final long resultAddress,
        final int lkey, final long compareAdd, final long swap) throws IOException
    {
        VerbsExtensions.postAtomic(((NatIbvQP)qp).getObjId(),
            workRequestId(endpoint, KIND_ONE_SIDED, 0, sendQueue.nextSequence()), opcode, resultAddress, lkey,
            remoteAddress, rkey, compareAdd, swap);
        sendQueue.onPosted(true);
        return ++oneSidedPosted;
    }

    /**
     * Whether the window operation {@code ticket} completed.
     *
     * @throws IllegalStateException when the connection failed or closed first.
     */
    boolean isOneSidedComplete(final long ticket)
    {
        if (oneSidedCompleted >= ticket && state != FAILED)
        {
            return true;
        }
        if (state == FAILED)
        {
            throw new IllegalStateException(failure);
        }
        if (state == CLOSED)
        {
            throw new IllegalStateException("rdma connection to " + peerAddress + " closed before a window " +
                "operation completed");
        }
        return false;
    }

    boolean isReadable()
    {
        return state == OPEN;
    }

    /**
     * A signaled SEND or READ completed: retire the send queue up to it, and for a read hand back its cookie.
     *
     * @return the read slot that finished, or -1 for a send.
     */
    int onSendCompletion(final long workRequestId, final int status)
    {
        sendQueue.onCompleted(sequenceLow(workRequestId));
        if (status != IBV_WC_SUCCESS && state != CLOSED)
        {
            fail("rdma connection to " + peerAddress + " broke: " + wcStatusName(status) +
                (status == 12 ? " (the peer stopped answering: dead process or node?)" : ""));
        }
        final int kind = kind(workRequestId);
        if (kind == KIND_READ)
        {
            return slot(workRequestId);
        }
        if (kind == KIND_ONE_SIDED)
        {
            oneSidedCompleted++;
        }
        return -1;
    }

    long readCookie(final int slot)
    {
        return readCookies[slot];
    }

    /** Free a finished read's slot; returns its one-off local registration (to deregister) or null. */
    IbvMr finishRead(final int slot)
    {
        readsBusy &= ~(1 << slot);
        final IbvMr registration = readRegistrations[slot];
        readRegistrations[slot] = null;
        return registration;
    }

    int readsBusy()
    {
        return readsBusy;
    }

    String failure()
    {
        return failure;
    }

    /** Mark the connection unusable: every later {@link #tryClaim} throws with {@code reason}. First reason wins. */
    void fail(final String reason)
    {
        if (state == FAILED || state == CLOSED)
        {
            return;
        }
        failure = reason;
        state = FAILED;
    }

    /** {@inheritDoc} Frames committed before still reach the peer: the queue pair lingers until they are acknowledged. */
    public void close()
    {
        if (closeRequested)
        {
            return;
        }
        closeRequested = true;
        claimedIndex = NO_CLAIM;
        if (state == OPEN)
        {
            startClosing();
        }
        else
        {
            // Not connected yet, or failed: nothing is in flight that the peer could still receive.
            transport.onConnectionClosed(this);
        }
    }

    boolean closeRequested()
    {
        return closeRequested;
    }

    /** Post the goodbye if the send queue has room; the transport's poll retries until it has. */
    void startClosing()
    {
        state = CLOSING;
        tryPostGoodbye();
    }

    /** @return true once the goodbye is posted. */
    boolean tryPostGoodbye()
    {
        if (goodbyePosted)
        {
            return true;
        }
        if (!sendQueue.hasRoom())
        {
            return false;
        }
        final int index = (int)(sendQueue.nextSequence() % sendQueue.depth()) * slotLength;
        ring.putLong(index, framesSent);
        try
        {
            final SVCPostSend.SendWRMod wr = goodbyeCall.getWrMod(0);
            wr.setWr_id(workRequestId(endpoint, KIND_SEND, 0, sendQueue.nextSequence()));
            wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
            wr.getSgeMod(0).setAddr(ringAddress + index);
            goodbyeCall.execute();
            sendQueue.onPosted(true);
            goodbyePosted = true;
        }
        catch (final IOException ex)
        {
            // The queue pair is broken: nothing more will be delivered; close without the goodbye.
            goodbyePosted = true;
            sendQueue.onCompleted((int)(sendQueue.posted() - 1));
        }
        return true;
    }

    /** Closing and every posted request is retired (the goodbye included): the queue pair can go. */
    boolean isDrained()
    {
        return goodbyePosted && sendQueue.isDrained();
    }

    boolean isSendQueueDrained()
    {
        return sendQueue.isDrained();
    }

    /** Disconnect and free the queue pair, the verb calls and the registrations. Idempotent. */
    void destroy()
    {
        if (state != FAILED)
        {
            state = CLOSED;
        }
        if (null != qp)
        {
            RdmaTransport.quietly(id::disconnect);
            RdmaTransport.quietly(id::destroyQP);
            qp = null;
        }
        RdmaTransport.quietly(id::destroyId);
        freeCalls();
        for (int slot = 0; slot < MAX_READS; slot++)
        {
            transport.deregister(finishRead(slot));
        }
        ringMr = transport.deregister(ringMr);
        creditMr = transport.deregister(creditMr);
    }

    private void freeCalls()
    {
        if (null != sendCall)
        {
            sendCall.free();
            helloCall.free();
            goodbyeCall.free();
            readCall.free();
            writeCall.free();
            windowReadCall.free();
            writeCall = null;
            windowReadCall = null;
            sendCall = null;
            helloCall = null;
            goodbyeCall = null;
            readCall = null;
        }
    }

    public String toString()
    {
        return "RdmaConnection{" + peerAddress + ", state=" + state + ", sent=" + framesSent + ", limit=" +
            creditWord.getLongVolatile(0) + (null != failure ? ", failure=" + failure : "") + '}';
    }
}
