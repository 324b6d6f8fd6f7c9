package io.mpi4j.p2p;

import io.mpi4j.datatype.PackCursor;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.progress.ProgressEngine;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.RemoteMemory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;

import static io.mpi4j.p2p.FrameDescriptor.*;

/**
 * The point-to-point protocols, both directions:
 * <ul>
 * <li>eager: the envelope and the payload travel in one frame; the receiver copies the payload straight from the
 * transport into the posted buffer, or keeps a copy if no receive is posted yet;</li>
 * <li>synchronous eager: as eager, and the receiver answers SYNC_ACK when the message is matched;</li>
 * <li>fragmented eager (above the peer's {@link Peer#fragmentLength}, or its {@link Peer#pipelineChunkLength} for a
 * packed message): as eager, in EAGER_FIRST and EAGER_MORE frames of that length, so the receiver copies out one
 * fragment while the sender writes the next; the send completes when its last fragment is written;</li>
 * <li>rendezvous (above the peer's eager limit): the sender sends RTS; the receiver, once matched, answers CTS
 * with the number of bytes its buffer takes; the sender streams DATA chunks that the receiver copies straight into
 * the user's buffer, so a message of any size needs neither a ring nor a buffer of its size;</li>
 * <li>rendezvous by remote read (both buffers in native memory and a transport with {@link RemoteMemory}): the
 * sender's RTS_READ carries a descriptor of its buffer; the matched receiver reads the data itself straight into its
 * buffer (RDMA READ) and answers READ_DONE. A receiver that cannot read (its buffer is a Java array) answers CTS
 * instead and the sender streams DATA as above, so both ends decide with what they know.</li>
 * </ul>
 * All methods run under the point-to-point layer's lock (or on the one MPI thread).
 */
final class MessageProtocol implements FrameHandler, ProgressEngine.DeferredWork
{
    private final MatchingEngine matching;
    private final PeerResolver resolver;
    private final Long2ObjectHashMap<SendOperation> sendsByCookie = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<RecvOperation> recvsByCookie = new Long2ObjectHashMap<>();
    /**
     * Fragmented eager messages whose further fragments are still to come, by {@link #fragmentKey}: the receive
     * they go to, or the unexpected message that keeps them until a receive takes it.
     */
    private final Long2ObjectHashMap<Object> fragmentedByKey = new Long2ObjectHashMap<>();
    private final ArrayList<Peer> backlog = new ArrayList<>();
    private final ArrayList<ScheduledOperation> scheduled = new ArrayList<>();
    private final UnexpectedMessagePool unexpectedPool = new UnexpectedMessagePool();
    /** Where {@link RemoteMemory#expose} writes a descriptor before it moves into the send's fields. */
    private final UnsafeBuffer descriptorScratch = new UnsafeBuffer(new byte[RemoteMemory.DESCRIPTOR_LENGTH]);
    /** Window over an unexpected RTS_READ's kept descriptor. */
    private final UnsafeBuffer descriptorView = new UnsafeBuffer(0, 0);
    private final BufferedSendSpace bufferedSends;
    final ProcessFailures failures = new ProcessFailures();
    private long nextCookie = 1;

    MessageProtocol(final MatchingEngine matching, final PeerResolver resolver, final BufferedSendSpace bufferedSends)
    {
        this.matching = matching;
        this.resolver = resolver;
        this.bufferedSends = bufferedSends;
    }

    Peer peer(final MessageEndpoint endpoint, final int rank)
    {
        return endpoint.peer(rank, resolver);
    }

    // ---------------------------------------------------------------------------------------------- sending side

    /** Fast path of a standard-mode eager send: written now, or false (outbox busy or ring full). */
    boolean trySendEagerNow(
        final Peer peer, final int context, final int sourceRank, final int tag,
        final Object base, final long address, final int bytes)
    {
        // (a message of more than one fragment needs an operation to follow it through its fragments)
        return peer.outbox.isEmpty() && !fragmented(peer, null, bytes) &&
            (!failures.active || !failures.isFailed(peer.processKey) && !failures.isRevoked(context)) &&
            writeMessageFrame(peer, EAGER, context, sourceRank, tag, bytes, 0, base, address, null, bytes);
    }

    /** Choose the protocol for {@code op} and write its envelope now or queue it. */
    void start(final SendOperation op, final boolean synchronous)
    {
        final Peer peer = op.peer;
        if (failures.active && refused(op))
        {
            return;
        }
        if (peer.eager(op.bytes, op.base, op.layout))
        {
            op.frameType = synchronous ? EAGER_SYNC : fragmented(peer, op.layout, op.bytes) ? EAGER_FIRST : EAGER;
        }
        else
        {
            op.frameType = exposeForRead(peer, op) ? RTS_READ : RTS;
        }
        if (op.frameType != EAGER && op.frameType != EAGER_FIRST)
        {
            // only these are answered (SYNC_ACK, CTS, READ_DONE), and only an answer takes the entry out again
            op.cookie = nextCookie++;
            sendsByCookie.put(op.cookie, op);
        }
        if (peer.outbox.isEmpty() && writeEnvelope(op))
        {
            if (op.frameType != EAGER_FIRST)
            {
                afterEnvelope(op);
            }
            else if (stream(beginFragments(op)))
            {
                completeSend(op);
            }
            else
            {
                enqueue(peer, op);
            }
        }
        else
        {
            enqueue(peer, op);
        }
    }

    /** A message of more than one fragment is sent in fragments, so the two sides' copies (or packs) overlap. */
    private static boolean fragmented(final Peer peer, final TypeMap layout, final long bytes)
    {
        final int fragment = fragmentLength(peer, layout);
        return 0 != fragment && bytes > fragment;
    }

    /** Fragment (and rendezvous chunk) length of a message laid out as {@code layout} (null: contiguous). */
    private static int fragmentLength(final Peer peer, final TypeMap layout)
    {
        return null == layout ? peer.fragmentLength : peer.pipelineChunkLength;
    }

    /** After an EAGER_FIRST: the rest of the message goes as EAGER_MORE frames, streamed as rendezvous DATA is. */
    private static SendOperation beginFragments(final SendOperation op)
    {
        op.phase = SendOperation.STREAM;
        op.bytesToSend = op.bytes;
        op.bytesSent = fragmentLength(op.peer, op.layout);
        return op;
    }

    /** Native send buffers of a transport with one-sided reads are offered to the receiver to read itself. */
    private boolean exposeForRead(final Peer peer, final SendOperation op)
    {
        final RemoteMemory remoteMemory = peer.remoteMemory;
        // a non-contiguous layout is streamed packed: the receiver cannot read it as one region
        if (remoteMemory == null || op.base != null || op.layout != null)
        {
            return false;
        }
        final long token = remoteMemory.expose(op.address, op.bytes, descriptorScratch, 0);
        if (token == RemoteMemory.NOT_EXPOSED)
        {
            return false;
        }
        op.exposeToken = token;
        op.descriptorLow = descriptorScratch.getLong(0);
        op.descriptorHigh = descriptorScratch.getLong(Long.BYTES);
        return true;
    }

    private static void releaseExposed(final SendOperation op)
    {
        if (op.frameType == RTS_READ && op.exposeToken != RemoteMemory.NOT_EXPOSED)
        {
            op.peer.remoteMemory.release(op.exposeToken);
            op.exposeToken = RemoteMemory.NOT_EXPOSED;
        }
    }

    private boolean writeEnvelope(final SendOperation op)
    {
        if (op.frameType == RTS_READ)
        {
            return writeReadRequest(op);
        }
        final int payload = op.frameType == RTS ? 0 :
            op.frameType == EAGER_FIRST ? fragmentLength(op.peer, op.layout) : (int)op.bytes;
        return writeMessageFrame(
            op.peer, op.frameType, op.context, op.sourceRank, op.tag, op.bytes,
            op.frameType == EAGER_FIRST ? payload : op.cookie, op.base, op.address,
            null == op.layout ? null : op.cursor, payload);
    }

    private void afterEnvelope(final SendOperation op)
    {
        switch (op.frameType)
        {
            case EAGER:
                completeSend(op);
                break;
            case EAGER_SYNC:
                op.phase = SendOperation.AWAIT_ACK;
                break;
            default:
                op.phase = SendOperation.AWAIT_CTS;
                break;
        }
    }

    private void completeSend(final SendOperation op)
    {
        if (op.bufferedBytes > 0)
        {
            bufferedSends.release(op.bufferedBytes);
            op.bufferedBytes = 0;
        }
        op.base = null;
        if (null != op.layout)
        {
            op.cursor.clear();
        }
        op.markComplete();
    }

    private boolean writeMessageFrame(
        final Peer peer, final int type, final int context, final int sourceRank, final int tag, final long length,
        final long cookie, final Object base, final long address, final PackCursor packer, final int payloadLength)
    {
        final Connection connection = peer.connection;
        final int index = claim(connection, PAYLOAD_OFFSET + payloadLength);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = connection.buffer();
        putEnvelope(buffer, index, type, context, sourceRank, tag, length, cookie);
        if (null == packer)
        {
            Memory.toBuffer(base, address, buffer, index + PAYLOAD_OFFSET, payloadLength);
        }
        else
        {
            packer.seek(0);
            packer.pack(buffer, index + PAYLOAD_OFFSET, payloadLength);
        }
        connection.commit(index);
        return true;
    }

    private static boolean writeReadRequest(final SendOperation op)
    {
        final Connection connection = op.peer.connection;
        final int index = claim(connection, RTS_READ_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = connection.buffer();
        putEnvelope(buffer, index, RTS_READ, op.context, op.sourceRank, op.tag, op.bytes, op.cookie);
        buffer.putLong(index + RTS_READ_DESCRIPTOR_OFFSET, op.descriptorLow);
        buffer.putLong(index + RTS_READ_DESCRIPTOR_OFFSET + Long.BYTES, op.descriptorHigh);
        connection.commit(index);
        return true;
    }

    private static void putEnvelope(
        final MutableDirectBuffer buffer, final int index, final int type, final int context, final int sourceRank,
        final int tag, final long length, final long cookie)
    {
        buffer.putInt(index + TYPE_OFFSET, type);
        buffer.putInt(index + CONTEXT_OFFSET, context);
        buffer.putInt(index + SOURCE_OFFSET, sourceRank);
        buffer.putInt(index + TAG_OFFSET, tag);
        buffer.putLong(index + LENGTH_OFFSET, length);
        buffer.putLong(index + SENDER_COOKIE_OFFSET, cookie);
    }

    /**
     * Write as many DATA chunks of a rendezvous send (EAGER_MORE fragments of a fragmented eager one) as fit; true
     * when all are written.
     */
    private static boolean stream(final SendOperation op)
    {
        final boolean fragments = op.frameType == EAGER_FIRST;
        final int payload = fragments ? MORE_PAYLOAD_OFFSET : DATA_PAYLOAD_OFFSET;
        final Connection connection = op.peer.connection;
        final int fragment = fragmentLength(op.peer, op.layout);
        final int chunkLength = 0 == fragment ? op.peer.chunkLength : fragment;
        while (op.bytesSent < op.bytesToSend)
        {
            final int chunk = (int)Math.min(chunkLength, op.bytesToSend - op.bytesSent);
            final int index = claim(connection, payload + chunk);
            if (index < 0)
            {
                return false;
            }
            final MutableDirectBuffer buffer = connection.buffer();
            if (fragments)
            {
                buffer.putInt(index + TYPE_OFFSET, EAGER_MORE);
                buffer.putInt(index + MORE_CONTEXT_OFFSET, op.context);
                buffer.putInt(index + MORE_SOURCE_OFFSET, op.sourceRank);
                buffer.putInt(index + MORE_LENGTH_OFFSET, chunk);
                buffer.putLong(index + MORE_OFFSET_OFFSET, op.bytesSent);
            }
            else
            {
                buffer.putInt(index + TYPE_OFFSET, DATA);
                buffer.putLong(index + DATA_RECEIVER_COOKIE_OFFSET, op.receiverCookie);
                buffer.putLong(index + DATA_OFFSET_OFFSET, op.bytesSent);
                buffer.putInt(index + DATA_LENGTH_OFFSET, chunk);
            }
            if (null == op.layout)
            {
                // The transport copies the chunk, or writes it from the user's memory where it can (TCP).
                connection.commit(index, index + payload, op.base, op.address + op.bytesSent, chunk);
            }
            else
            {
                positioned(op.cursor, op.bytesSent).pack(buffer, index + payload, chunk);
                connection.commit(index);
            }
            op.bytesSent += chunk;
        }
        return true;
    }

    private void sendControl(
        final Peer peer, final int type, final long senderCookie, final long receiverCookie, final long bytes)
    {
        if (!peer.outbox.isEmpty() || !writeControl(peer, type, senderCookie, receiverCookie, bytes))
        {
            enqueue(peer, new Peer.ControlFrame(type, senderCookie, receiverCookie, bytes));
        }
    }

    private boolean writeControl(
        final Peer peer, final int type, final long senderCookie, final long receiverCookie, final long bytes)
    {
        final Connection connection = peer.connection;
        final int index = claim(connection, CONTROL_FRAME_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = connection.buffer();
        buffer.putInt(index + TYPE_OFFSET, type);
        if (type == CTS)
        {
            buffer.putLong(index + CTS_SENDER_COOKIE_OFFSET, senderCookie);
            buffer.putLong(index + CTS_RECEIVER_COOKIE_OFFSET, receiverCookie);
            buffer.putLong(index + CTS_BYTES_OFFSET, bytes);
        }
        else
        {
            buffer.putLong(index + ACK_SENDER_COOKIE_OFFSET, senderCookie);
        }
        connection.commit(index);
        return true;
    }

    private static int claim(final Connection connection, final int length)
    {
        try
        {
            return connection.tryClaim(length);
        }
        catch (final IllegalStateException ex)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, "peer process is gone: " + ex.getMessage(), ex);
        }
    }

    private void enqueue(final Peer peer, final Object item)
    {
        peer.outbox.addLast(item);
        if (!peer.inBacklog)
        {
            peer.inBacklog = true;
            backlog.add(peer);
        }
    }

    void release(final int context)
    {
        matching.release(context);
    }

    void schedule(final ScheduledOperation op)
    {
        scheduled.add(op);
    }

    /** Deferred work of a progress turn: write what waits in the outboxes, in order; advance scheduled operations. */
    @Override
    public int doWork()
    {
        int work = failures.hasNotices() ? failures.apply(this) : 0;
        if (!scheduled.isEmpty())
        {
            work += advanceScheduled();
        }
        if (backlog.isEmpty())
        {
            return work;
        }
        for (int i = backlog.size() - 1; i >= 0; i--)
        {
            final Peer peer = backlog.get(i);
            work += flush(peer);
            if (peer.outbox.isEmpty())
            {
                peer.inBacklog = false;
                final int last = backlog.size() - 1;
                backlog.set(i, backlog.get(last));
                backlog.remove(last);
            }
        }
        return work;
    }

    private int advanceScheduled()
    {
        int work = 0;
        for (int i = scheduled.size() - 1; i >= 0; i--)
        {
            final ScheduledOperation op = scheduled.get(i);
            if (op.advance())
            {
                work++;
                final int last = scheduled.size() - 1;
                scheduled.set(i, scheduled.get(last));
                scheduled.remove(last);
            }
        }
        return work;
    }

    private int flush(final Peer peer)
    {
        int work = 0;
        Object item;
        while ((item = peer.outbox.peekFirst()) != null)
        {
            if (item instanceof SendOperation)
            {
                final SendOperation op = (SendOperation)item;
                if (op.phase == SendOperation.WRITE_ENVELOPE)
                {
                    if (!writeEnvelope(op))
                    {
                        break;
                    }
                    if (op.frameType == EAGER_FIRST)
                    {
                        // stays at the head of the outbox: its fragments go before any other frame to this peer
                        beginFragments(op);
                        work++;
                        continue;
                    }
                    peer.outbox.pollFirst();
                    afterEnvelope(op);
                }
                else
                {
                    final long before = op.bytesSent;
                    final boolean done = stream(op);
                    work += op.bytesSent != before ? 1 : 0;
                    if (!done)
                    {
                        break;
                    }
                    peer.outbox.pollFirst();
                    completeSend(op);
                }
            }
            else
            {
                final Peer.ControlFrame frame = (Peer.ControlFrame)item;
                if (!writeControl(peer, frame.type, frame.senderCookie, frame.receiverCookie, frame.bytes))
                {
                    break;
                }
                peer.outbox.pollFirst();
            }
            work++;
        }
        return work;
    }

    // -------------------------------------------------------------------------------------------- receiving side

    /** Match a new receive against the messages already arrived, or post it. */
    void post(final RecvOperation op)
    {
        final MatchQueues queues = matching.queues(op.context);
        final UnexpectedMessage message = queues.takeUnexpected(op.source, op.tag);
        if (message != null)
        {
            deliver(op, message);
            if (failures.active && !op.complete && failures.isFailed(op.endpoint.processKey(op.status.source)))
            {
                // A rendezvous (or the rest of a fragmented message) from a process that died before sending its data.
                fragmentedByKey.remove(fragmentKey(op.context, op.status.source));
                op.fail(ErrorClass.ERR_PROC_FAILED, "rank " + op.status.source + " failed while sending this message");
            }
        }
        else if (!failures.active || !refused(op))
        {
            queues.appendPosted(op);
        }
    }

    /** Cancel a receive that is still posted; false if it was already matched. */
    boolean cancel(final RecvOperation op)
    {
        if (matching.queues(op.context).removePosted(op))
        {
            op.status.source = op.source;
            op.status.tag = op.tag;
            op.status.cancelled = true;
            op.markComplete();
            return true;
        }
        return false;
    }

    /** Receive {@code message} (taken out of matching by a receive or an mprobe) into {@code op}. */
    void deliver(final RecvOperation op, final UnexpectedMessage message)
    {
        op.status.source = message.source;
        op.status.tag = message.tag;
        if (isRendezvous(message.frameType))
        {
            final DirectBuffer descriptor = message.frameType == RTS_READ ? descriptorView : null;
            if (descriptor != null)
            {
                descriptorView.wrap(message.payload, 0, RemoteMemory.DESCRIPTOR_LENGTH);
            }
            startRendezvousReceive(op, message.source, message.length, message.senderCookie, descriptor, 0);
        }
        else
        {
            final long copied = Math.min(message.arrived, op.capacity);
            if (null == op.layout)
            {
                Memory.copy(message.payload, Memory.BYTE_ARRAY_BASE, op.base, op.address, copied);
            }
            else
            {
                op.cursor.unpack(message.payload, 0, (int)copied);
            }
            if (message.frameType == EAGER_SYNC)
            {
                sendControl(peer(op.endpoint, message.source), SYNC_ACK, message.senderCookie, 0, 0);
            }
            if (message.arrived < message.length)
            {
                // its further fragments now go straight to this receive
                awaitFragments(op, fragmentKey(op.context, message.source), message.length, message.arrived);
            }
            else
            {
                finishReceive(op, message.length, copied);
            }
        }
        unexpectedPool.release(message);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int index, final int length)
    {
        switch (buffer.getInt(index + TYPE_OFFSET))
        {
            case EAGER:
            case EAGER_SYNC:
            case RTS:
            case RTS_READ:
                onMessage(buffer, index);
                break;
            case EAGER_FIRST:
                onFirstFragment(buffer, index);
                break;
            case EAGER_MORE:
                onMoreFragment(buffer, index);
                break;
            case READ_DONE:
                onReadDone(buffer, index);
                break;
            case DATA:
                onData(buffer, index, Integer.MAX_VALUE);
                break;
            case CTS:
                onClearToSend(buffer, index);
                break;
            case SYNC_ACK:
                onSyncAck(buffer, index);
                break;
            default:
                throw new MpiError(ErrorClass.ERR_INTERN,
                    "corrupt frame of type " + buffer.getInt(index + TYPE_OFFSET) + " and length " + length);
        }
    }

    private void onMessage(final DirectBuffer buffer, final int index)
    {
        final int type = buffer.getInt(index + TYPE_OFFSET);
        final int context = buffer.getInt(index + CONTEXT_OFFSET);
        final int source = buffer.getInt(index + SOURCE_OFFSET);
        final int tag = buffer.getInt(index + TAG_OFFSET);
        final long length = buffer.getLong(index + LENGTH_OFFSET);
        final long senderCookie = buffer.getLong(index + SENDER_COOKIE_OFFSET);

        final MatchQueues queues = matching.queues(context);
        final RecvOperation op = queues.takePosted(source, tag);
        if (op == null)
        {
            queues.appendUnexpected(unexpected(type, source, tag, length, senderCookie, buffer, index, length));
            return;
        }

        op.status.source = source;
        op.status.tag = tag;
        if (isRendezvous(type))
        {
            startRendezvousReceive(
                op, source, length, senderCookie, type == RTS_READ ? buffer : null, index + RTS_READ_DESCRIPTOR_OFFSET);
            return;
        }
        final long copied = Math.min(length, op.capacity);
        if (null == op.layout)
        {
            Memory.fromBuffer(buffer, index + PAYLOAD_OFFSET, op.base, op.address, (int)copied);
        }
        else
        {
            op.cursor.unpack(buffer, index + PAYLOAD_OFFSET, (int)copied);
        }
        if (type == EAGER_SYNC)
        {
            sendControl(peer(op.endpoint, source), SYNC_ACK, senderCookie, 0, 0);
        }
        finishReceive(op, length, copied);
    }

    private void onFirstFragment(final DirectBuffer buffer, final int index)
    {
        final int context = buffer.getInt(index + CONTEXT_OFFSET);
        final int source = buffer.getInt(index + SOURCE_OFFSET);
        final int tag = buffer.getInt(index + TAG_OFFSET);
        final long length = buffer.getLong(index + LENGTH_OFFSET);
        final int fragment = (int)buffer.getLong(index + FIRST_FRAGMENT_LENGTH_OFFSET);
        checkFragment(0, fragment, length, source);
        final long key = fragmentKey(context, source);
        final MatchQueues queues = matching.queues(context);
        final RecvOperation op = queues.takePosted(source, tag);
        if (op == null)
        {
            final UnexpectedMessage message = unexpected(EAGER, source, tag, length, 0, buffer, index, fragment);
            fragmentedByKey.put(key, message);
            queues.appendUnexpected(message);
            return;
        }
        op.status.source = source;
        op.status.tag = tag;
        place(op, buffer, index + PAYLOAD_OFFSET, 0, (int)Math.min(fragment, op.capacity));
        awaitFragments(op, key, length, fragment);
    }

    /** {@code op} has the first {@code arrived} bytes of a fragmented message; the rest will come to it. */
    private void awaitFragments(final RecvOperation op, final long key, final long length, final long arrived)
    {
        op.expected = Math.min(length, op.capacity);
        op.received = arrived;
        op.status.byteCount = length;
        fragmentedByKey.put(key, op);
    }

    private void onMoreFragment(final DirectBuffer buffer, final int index)
    {
        final int context = buffer.getInt(index + MORE_CONTEXT_OFFSET);
        final int source = buffer.getInt(index + MORE_SOURCE_OFFSET);
        final int fragment = buffer.getInt(index + MORE_LENGTH_OFFSET);
        final long offset = buffer.getLong(index + MORE_OFFSET_OFFSET);
        final long key = fragmentKey(context, source);
        final Object target = fragmentedByKey.get(key);
        if (target instanceof RecvOperation)
        {
            final RecvOperation op = (RecvOperation)target;
            checkFragment(offset, fragment, op.status.byteCount, source);
            if (offset < op.expected)
            {
                place(op, buffer, index + MORE_PAYLOAD_OFFSET, offset, (int)Math.min(fragment, op.expected - offset));
            }
            op.received = offset + fragment;
            if (op.received == op.status.byteCount)
            {
                fragmentedByKey.remove(key);
                finishReceive(op, op.status.byteCount, op.expected);
            }
        }
        else if (target instanceof UnexpectedMessage)
        {
            final UnexpectedMessage message = (UnexpectedMessage)target;
            checkFragment(offset, fragment, message.length, source);
            buffer.getBytes(index + MORE_PAYLOAD_OFFSET, message.payload, (int)offset, fragment);
            message.arrived = offset + fragment;
            if (message.arrived == message.length)
            {
                fragmentedByKey.remove(key);
            }
        }
        else if (!failures.active)
        {
            // (with process failures, the rest of a message whose receive failed is dropped)
            throw new MpiError(ErrorClass.ERR_INTERN,
                "fragment of no message in flight from rank " + source + " (context " + context + ")");
        }
    }

    private static void checkFragment(final long offset, final int fragment, final long length, final int source)
    {
        if (fragment <= 0 || offset < 0 || offset + fragment > length)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "corrupt fragment from rank " + source + ": " + fragment +
                " bytes at " + offset + " of a message of " + length);
        }
    }

    /** Identifies the one fragmented message a source may have in flight in a context. */
    private static long fragmentKey(final int context, final int source)
    {
        return ((long)context << 32) | (source & 0xFFFF_FFFFL);
    }

    /** An unexpected message whose frame carries its first {@code arrived} bytes (all of them but when fragmented). */
    private UnexpectedMessage unexpected(
        final int type, final int source, final int tag, final long length, final long senderCookie,
        final DirectBuffer buffer, final int index, final long arrived)
    {
        final UnexpectedMessage message = unexpectedPool.acquire();
        message.frameType = type;
        message.source = source;
        message.tag = tag;
        message.length = length;
        message.senderCookie = senderCookie;
        if (type == RTS_READ)
        {
            message.payload = unexpectedPool.payload(RemoteMemory.DESCRIPTOR_LENGTH);
            buffer.getBytes(index + RTS_READ_DESCRIPTOR_OFFSET, message.payload, 0, RemoteMemory.DESCRIPTOR_LENGTH);
        }
        else if (type != RTS)
        {
            message.payload = unexpectedPool.payload((int)length);
            buffer.getBytes(index + PAYLOAD_OFFSET, message.payload, 0, (int)arrived);
            message.arrived = arrived;
        }
        return message;
    }

    /**
     * A matched RTS or RTS_READ ({@code descriptor} non-null): read the data ourselves when we can, else ask the sender
     * to stream it.
     */
    private void startRendezvousReceive(
        final RecvOperation op, final int source, final long length, final long senderCookie,
        final DirectBuffer descriptor, final int descriptorIndex)
    {
        final long accepted = Math.min(length, op.capacity);
        op.expected = accepted;
        op.received = 0;
        op.status.byteCount = length;
        op.cookie = nextCookie++;
        final Peer peer = peer(op.endpoint, source);
        if (accepted > 0)
        {
            recvsByCookie.put(op.cookie, op);
            if (descriptor != null && op.base == null && op.layout == null && peer.remoteMemory != null)
            {
                op.senderCookie = senderCookie;
                if (peer.remoteMemory.read(
                    peer.connection, descriptor, descriptorIndex, op.address, accepted, op.cookie))
                {
                    return;
                }
            }
        }
        sendControl(peer, CTS, senderCookie, op.cookie, accepted);
        if (accepted == 0)
        {
            finishReceive(op, length, 0);
        }
    }

    /**
     * {@inheritDoc} A DATA chunk for a receive into contiguous native memory goes straight there: the transport reads
     * it from its socket into the user's buffer instead of into its own and then being copied.
     */
    @Override
    public long placement(final DirectBuffer buffer, final int index, final int available, final int length)
    {
        if (available < DATA_PAYLOAD_OFFSET || DATA != buffer.getInt(index + TYPE_OFFSET))
        {
            return 0;
        }
        final RecvOperation op = recvsByCookie.get(buffer.getLong(index + DATA_RECEIVER_COOKIE_OFFSET));
        final long offset = buffer.getLong(index + DATA_OFFSET_OFFSET);
        final int chunk = buffer.getInt(index + DATA_LENGTH_OFFSET);
        if (null == op || op.isComplete() || null != op.layout || null != op.base ||
            chunk != length - DATA_PAYLOAD_OFFSET || offset < 0 || offset + chunk > op.expected)
        {
            return 0;
        }
        return op.address + offset + (available - DATA_PAYLOAD_OFFSET);
    }

    @Override
    public void onPlacedFrame(final DirectBuffer buffer, final int index, final int available, final int length)
    {
        onData(buffer, index, available - DATA_PAYLOAD_OFFSET);
    }

    /** A DATA chunk of which the first {@code inBuffer} bytes are in the frame, the rest placed already. */
    private void onData(final DirectBuffer buffer, final int index, final int inBuffer)
    {
        final long cookie = buffer.getLong(index + DATA_RECEIVER_COOKIE_OFFSET);
        final long offset = buffer.getLong(index + DATA_OFFSET_OFFSET);
        final int chunk = buffer.getInt(index + DATA_LENGTH_OFFSET);
        final RecvOperation op = recvsByCookie.get(cookie);
        if (op == null)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "DATA frame for unknown receive " + cookie);
        }
        // (only a contiguous receive is placed, so a layout's chunk is always all in the buffer)
        place(op, buffer, index + DATA_PAYLOAD_OFFSET, offset, Math.min(chunk, inBuffer));
        op.received += chunk;
        if (op.received == op.expected)
        {
            recvsByCookie.remove(cookie);
            finishReceive(op, op.status.byteCount, op.received);
        }
    }

    /** {@code bytes} of the message at stream position {@code offset}, from the frame, into {@code op}'s buffer. */
    private static void place(final RecvOperation op, final DirectBuffer buffer, final int payloadIndex,
        final long offset, final int bytes)
    {
        if (null == op.layout)
        {
            Memory.fromBuffer(buffer, payloadIndex, op.base, op.address + offset, bytes);
        }
        else
        {
            positioned(op.cursor, offset).unpack(buffer, payloadIndex, bytes);
        }
    }

    /** The cursor at stream position {@code offset}: chunks arrive in order, so this seeks only on a resend. */
    private static PackCursor positioned(final PackCursor cursor, final long offset)
    {
        if (cursor.position() != offset)
        {
            cursor.seek(offset);
        }
        return cursor;
    }

    private void finishReceive(final RecvOperation op, final long length, final long copied)
    {
        op.status.byteCount = copied;
        op.base = null;
        if (null != op.layout)
        {
            op.cursor.clear();
        }
        if (length > copied)
        {
            op.fail(ErrorClass.ERR_TRUNCATE, "message truncated: " + length + " bytes arrived from rank " +
                op.status.source + " (tag " + op.status.tag + ") for a receive buffer of " + op.capacity + " bytes");
        }
        else
        {
            op.markComplete();
        }
    }

    @Override
    public void onReadComplete(final long cookie, final String failure)
    {
        final RecvOperation op = recvsByCookie.remove(cookie);
        if (op == null)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "read completion for unknown receive " + cookie);
        }
        if (failure != null)
        {
            op.base = null;
            op.fail(ErrorClass.ERR_OTHER, "reading a message of rank " + op.status.source + " failed: " + failure);
            return;
        }
        sendControl(peer(op.endpoint, op.status.source), READ_DONE, op.senderCookie, 0, 0);
        op.received = op.expected;
        finishReceive(op, op.status.byteCount, op.expected);
    }

    private void onReadDone(final DirectBuffer buffer, final int index)
    {
        final SendOperation op = sendsByCookie.remove(buffer.getLong(index + ACK_SENDER_COOKIE_OFFSET));
        if (op == null)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "READ_DONE for unknown send");
        }
        releaseExposed(op);
        completeSend(op);
    }

    private void onClearToSend(final DirectBuffer buffer, final int index)
    {
        final SendOperation op = sendsByCookie.remove(buffer.getLong(index + CTS_SENDER_COOKIE_OFFSET));
        if (op == null)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "CTS for unknown send");
        }
        releaseExposed(op);
        op.receiverCookie = buffer.getLong(index + CTS_RECEIVER_COOKIE_OFFSET);
        op.bytesToSend = buffer.getLong(index + CTS_BYTES_OFFSET);
        op.bytesSent = 0;
        op.phase = SendOperation.STREAM;
        final Peer peer = op.peer;
        if (peer.outbox.isEmpty() && stream(op))
        {
            completeSend(op);
        }
        else
        {
            enqueue(peer, op);
        }
    }

    private void onSyncAck(final DirectBuffer buffer, final int index)
    {
        final SendOperation op = sendsByCookie.remove(buffer.getLong(index + ACK_SENDER_COOKIE_OFFSET));
        if (op == null)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "SYNC_ACK for unknown send");
        }
        completeSend(op);
    }

    /** First unexpected message matching, left in place (probe). */
    UnexpectedMessage peek(final int context, final int source, final int tag)
    {
        return matching.queues(context).findUnexpected(source, tag);
    }

    /** First unexpected message matching, taken out of matching (mprobe). */
    UnexpectedMessage take(final int context, final int source, final int tag)
    {
        return matching.queues(context).takeUnexpected(source, tag);
    }

    // ------------------------------------------------------------------------- process failures (ULFM sweeps)

    private boolean refused(final SendOperation op)
    {
        final int error = failures.refuseSend(op);
        if (error != 0)
        {
            op.fail(error, ProcessFailures.describe(error, op));
        }
        return error != 0;
    }

    private boolean refused(final RecvOperation op)
    {
        final int error = failures.refuseReceive(op);
        if (error != 0)
        {
            op.fail(error, ProcessFailures.describe(error, op));
        }
        return error != 0;
    }

    MatchingEngine matching()
    {
        return matching;
    }

    Long2ObjectHashMap<RecvOperation> receivesInFlight()
    {
        return recvsByCookie;
    }

    /** Receives (and unexpected messages) of fragmented eager messages whose further fragments are to come. */
    Long2ObjectHashMap<Object> fragmentedInFlight()
    {
        return fragmentedByKey;
    }

    Long2ObjectHashMap<SendOperation> sendsAwaitingReply()
    {
        return sendsByCookie;
    }

    ArrayList<Peer> peersWithBacklog()
    {
        return backlog;
    }

    /** A failed buffered send gives its space back (a completed one does in {@link #completeSend}). */
    void releaseBuffered(final SendOperation op)
    {
        if (op.bufferedBytes > 0)
        {
            bufferedSends.release(op.bufferedBytes);
            op.bufferedBytes = 0;
        }
    }
}
