package io.mpi4j.tcp;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.MemoryWindow;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static io.mpi4j.tcp.FrameRecord.GOODBYE_LENGTH;
import static io.mpi4j.tcp.FrameRecord.GOODBYE_MARK;
import static io.mpi4j.tcp.FrameRecord.HEADER_LENGTH;
import static io.mpi4j.tcp.FrameRecord.LENGTH_OFFSET;
import static io.mpi4j.tcp.FrameRecord.MARK;
import static io.mpi4j.tcp.FrameRecord.MARK_OFFSET;
import static io.mpi4j.tcp.FrameRecord.SWITCH_MARK;
import static io.mpi4j.tcp.FrameRecord.WIRE_ORDER;
import static io.mpi4j.tcp.FrameRecord.recordLength;

/**
 * Sending side of one connection: a non-blocking socket and a bounded send buffer (direct memory) that frames are
 * claimed in, written in place and committed. A commit writes at once what the socket takes, straight from the
 * buffer (no copy: it is direct memory); what it does not take waits for {@link TcpTransport#poll}, and once the
 * buffer cannot hold the next frame {@link #tryClaim} says "no capacity": that is the back-pressure.
 * <p>
 * The buffer is used as a ring of whole records: a record that does not fit behind the queued bytes starts again at
 * the front when the socket has taken that much, and the queue is then two runs, {@code [flushPosition, wrapLimit)}
 * and {@code [0, writePosition)}, written by one gathering write. A stream of large frames that outruns the socket
 * thus costs no copy inside the buffer.
 * <p>
 * A frame whose payload lies in native memory ({@link #commit(int, int, Object, long, int)}: rendezvous data from a
 * direct buffer) goes out from there when nothing is queued before it: one gathering write of the record's header
 * from the send buffer, the payload from the user's memory and the record's padding, as Open MPI's TCP BTL writes
 * from the user buffer. Only what the socket does not take is copied into the record's place in the send buffer.
 * <p>
 * The first {@link TcpHandshake#RESPONSE_LENGTH} bytes of the buffer are kept for the answer to the listener's
 * challenge: frames may be committed while connecting, and go out right behind the answer.
 * <p>
 * A connection carries frames both ways, as Open MPI's TCP BTL does: the peer sends its frames to this process over
 * the socket this process opened ({@link TcpTransport#connect} finds the authenticated {@link TcpInbound} and makes
 * a connection {@link #over} it) instead of opening a second one. With a socket per direction every frame cost its
 * receiver a bare acknowledgement packet, which the peer's next frame now carries: on a veth pair, 2.8-3.7 packets a
 * round trip of osu_latency against 1.03, and 10.3 us at 8 B against 6.2. What arrives here is read by this connection's
 * {@link #reader()}, made once the socket first becomes readable. Closing says goodbye and shuts the socket's
 * output only while the reader still expects the peer's frames; the reader closes the socket at the peer's end.
 * <p>
 * Two processes that connect to each other at once (their first frames cross) each open a socket. The socket that the
 * lower of the two (by job id, then process index) opened carries both ways from then on: the higher one
 * {@link #switchTo switches} once its own socket is set up and the lower one's is authenticated, leaving what it
 * queued on its own socket to a connection that sends it and the goodbye, and starting its frames on the other with
 * a switch record (see {@link FrameRecord}), behind which the receiver waits until the first socket has ended.
 */
final class TcpConnection implements Connection
{
    static final int CONNECTING = 0;
    static final int AWAITING_CHALLENGE = 1;
    static final int READY = 2;
    static final int FAILED = 3;
    static final int CLOSED = 4;

    private static final int NO_CLAIM = -1;
    private static final int NOT_WRAPPED = -1;

    private final TcpTransport transport;
    private final TcpAddress peer;
    private final String peerName;
    private SocketChannel channel;
    private final int maxFrameLength;
    private final ByteBuffer sendBuffer;
    /** The same memory as {@link #sendBuffer}: the second run of a wrapped queue, for the gathering write. */
    private final ByteBuffer[] runs = new ByteBuffer[2];
    private final UnsafeBuffer buffer;
    private final int capacity;
    /** The record header, payload and padding of a frame written from the user's memory. */
    private final ByteBuffer[] record = new ByteBuffer[3];
    private final MemoryWindow payload = new MemoryWindow();
    /** Receiving side of this socket: the peer's frames to this process, once any came; else null. */
    private TcpInbound reader;
    private SelectionKey key;
    private ByteBuffer challenge = ByteBuffer.allocate(TcpHandshake.CHALLENGE_LENGTH);
    private int state = CONNECTING;
    private int flushPosition;
    private int writePosition = TcpHandshake.RESPONSE_LENGTH;
    /** End of the first run while the queue wraps (its second run starts at 0), else {@link #NOT_WRAPPED}. */
    private int wrapLimit = NOT_WRAPPED;
    private int claimedIndex = NO_CLAIM;
    private int claimedRecordLength;
    /** The last write left bytes behind: the socket's buffer is full, a commit would most likely write nothing. */
    private boolean socketFull;
    private String failure;
    private boolean closeRequested;
    private long closeDeadlineNs;

    TcpConnection(final TcpTransport transport, final TcpAddress peer, final SocketChannel channel,
        final int maxFrameLength, final int bufferSize)
    {
        this.transport = transport;
        this.peer = peer;
        this.peerName = "tcp peer " + peer.describe();
        this.channel = channel;
        this.maxFrameLength = maxFrameLength;
        this.sendBuffer = ByteBuffer.allocateDirect(bufferSize);
        this.buffer = new UnsafeBuffer(sendBuffer);
        this.runs[0] = sendBuffer;
        this.runs[1] = sendBuffer.duplicate();
        this.capacity = bufferSize;
        this.record[0] = sendBuffer.duplicate();
        this.record[1] = payload.buffer();
        this.record[2] = sendBuffer.duplicate();
    }

    /**
     * A connection that sends on a socket the peer opened to this process and authenticated: ready at once, no
     * handshake answer in front of its frames; {@code inbound} reads the socket.
     */
    static TcpConnection over(final TcpTransport transport, final TcpAddress peer, final TcpInbound inbound,
        final int maxFrameLength, final int bufferSize)
    {
        final TcpConnection connection = new TcpConnection(transport, peer, inbound.channel(), maxFrameLength,
            bufferSize);
        connection.state = READY;
        connection.writePosition = 0;
        connection.reader = inbound;
        connection.challenge = null;
        return connection;
    }

    /**
     * Send on {@code inbound}'s socket from now on (opened by the peer and authenticated; the connection must be
     * {@link #READY} with no frame claimed). What is queued on this connection's own socket goes to the returned
     * connection, which sends it, then its goodbye, and closes that socket.
     */
    TcpConnection switchTo(final TcpInbound inbound)
    {
        final TcpConnection drainer = new TcpConnection(transport, peer, channel, maxFrameLength, capacity);
        int queued = 0;
        if (NOT_WRAPPED != wrapLimit)
        {
            queued = wrapLimit - flushPosition;
            drainer.buffer.putBytes(0, buffer, flushPosition, queued);
            drainer.buffer.putBytes(queued, buffer, 0, writePosition);
            queued += writePosition;
        }
        else
        {
            queued = writePosition - flushPosition;
            drainer.buffer.putBytes(0, buffer, flushPosition, queued);
        }
        drainer.state = READY;
        drainer.challenge = null;
        drainer.flushPosition = 0;
        drainer.writePosition = queued;
        drainer.socketFull = socketFull;
        drainer.key = key;
        drainer.reader = reader;
        if (null != key)
        {
            key.attach(drainer);
        }
        if (null != reader)
        {
            reader.writer(drainer);
        }
        drainer.close();

        channel = inbound.channel();
        key = null;
        reader = inbound;
        inbound.writer(this);
        flushPosition = 0;
        wrapLimit = NOT_WRAPPED;
        socketFull = false;
        buffer.putInt(LENGTH_OFFSET, 0, WIRE_ORDER);
        buffer.putInt(MARK_OFFSET, SWITCH_MARK, WIRE_ORDER);
        writePosition = HEADER_LENGTH;
        flush();
        return drainer;
    }

    /** Whether this connection opened its own socket (it was not made {@link #over} the peer's). */
    boolean ownsSocket()
    {
        return null != key;
    }

    /** Called once by the transport after registering the channel: connected at once (loopback) or pending. */
    void registered(final SelectionKey key, final boolean connected)
    {
        this.key = key;
        if (connected)
        {
            state = AWAITING_CHALLENGE;
        }
    }

    /** {@inheritDoc} */
    public int tryClaim(final int length)
    {
        if (null != failure)
        {
            throw new IllegalStateException(failure);
        }
        if (CLOSED == state || closeRequested)
        {
            throw new IllegalStateException("tcp connection to " + peer.describe() + " is closed");
        }
        if (length < 0 || length > maxFrameLength)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes exceeds maxFrameLength " + maxFrameLength);
        }
        final int recordLength = recordLength(length);
        final int index = reserve(recordLength);
        if (NO_CLAIM == index)
        {
            if (null != failure)
            {
                throw new IllegalStateException(failure);
            }
            return INSUFFICIENT_CAPACITY;
        }
        buffer.putInt(index + LENGTH_OFFSET, length, WIRE_ORDER);
        buffer.putInt(index + MARK_OFFSET, MARK, WIRE_ORDER);
        claimedIndex = index;
        claimedRecordLength = recordLength;
        return index + HEADER_LENGTH;
    }

    /**
     * Where a record of {@code recordLength} goes: behind the queued bytes, else (the socket having taken enough) at
     * the front, which wraps the queue. Slow path: when neither has room, write what the socket takes and look again.
     *
     * @return the record's index, or {@link #NO_CLAIM} when there is no room.
     */
    private int reserve(final int recordLength)
    {
        int index = placeRecord(recordLength);
        if (NO_CLAIM == index && READY == state)
        {
            flush();
            if (READY == state)
            {
                index = placeRecord(recordLength);
            }
        }
        return index;
    }

    private int placeRecord(final int recordLength)
    {
        if (NOT_WRAPPED != wrapLimit)
        {
            return flushPosition - writePosition >= recordLength ? writePosition : NO_CLAIM;
        }
        if (capacity - writePosition >= recordLength)
        {
            return writePosition;
        }
        // Until the handshake answer is out, the front is the answer's: no wrapping before READY.
        if (READY == state && flushPosition >= recordLength)
        {
            wrapLimit = writePosition;
            writePosition = 0;
            return 0;
        }
        return NO_CLAIM;
    }

    /** {@inheritDoc} */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * {@inheritDoc} Writes to the socket now, so a frame never waits for the next poll when the socket has room. When
     * the last write found the socket full, the frame waits for the poll instead, which writes everything queued in
     * one call: a stream that outruns the socket costs a write per poll, not a failing write per frame.
     */
    public void commit(final int index)
    {
        if (index - HEADER_LENGTH != claimedIndex)
        {
            throw new IllegalStateException("commit of index " + index + ", not the claimed frame");
        }
        writePosition = claimedIndex + claimedRecordLength;
        claimedIndex = NO_CLAIM;
        if (!socketFull)
        {
            flush();
        }
    }

    /**
     * {@inheritDoc} A payload in native memory goes out from there when the frame is the only thing queued and the
     * socket was not full (see the class comment); otherwise, and for arrays (which the JDK would copy into a direct
     * buffer of its own anyway), it is copied into the frame.
     */
    public void commit(final int index, final int payloadIndex, final Object base, final long address,
        final int bytes)
    {
        final int recordStart = index - HEADER_LENGTH;
        if (recordStart != claimedIndex)
        {
            throw new IllegalStateException("commit of index " + index + ", not the claimed frame");
        }
        final int recordEnd = recordStart + claimedRecordLength;
        final int payloadEnd = payloadIndex + bytes;
        if (null != base || bytes <= 0 || socketFull || READY != state || NOT_WRAPPED != wrapLimit ||
            flushPosition != recordStart || payloadIndex < index || payloadEnd > recordEnd)
        {
            Connection.super.commit(index, payloadIndex, base, address, bytes);
            return;
        }
        writePosition = recordEnd;
        claimedIndex = NO_CLAIM;
        final int headLength = payloadIndex - recordStart;
        record[0].limit(payloadIndex).position(recordStart);
        payload.open(address, bytes);
        record[2].limit(recordEnd).position(payloadEnd);
        long written;
        try
        {
            written = channel.write(record, 0, payloadEnd == recordEnd ? 2 : 3);
        }
        catch (final IOException ex)
        {
            written = -1;
            fail(peerName + " is gone: the connection broke (" + ex.getMessage() + ")");
        }
        finally
        {
            // Nothing may reach the user's memory through this buffer once the call returns.
            payload.close();
        }
        if (written < 0)
        {
            return;
        }
        // What the socket left of the payload goes to its place in the record, behind what was written.
        final int payloadWritten = (int)Math.max(0, Math.min(bytes, written - headLength));
        if (payloadWritten < bytes)
        {
            UnsafeApi.copyMemory(null, address + payloadWritten, null,
                buffer.addressOffset() + payloadIndex + payloadWritten, bytes - payloadWritten);
        }
        socketFull = written < recordEnd - recordStart;
        advance((int)written);
    }

    /** {@inheritDoc} */
    public void abort(final int index)
    {
        if (index - HEADER_LENGTH == claimedIndex)
        {
            claimedIndex = NO_CLAIM;
        }
    }

    /**
     * {@inheritDoc} Committed frames still go out, then the goodbye record: the transport's poll writes them, then
     * closes the socket.
     */
    public void close()
    {
        if (closeRequested || CLOSED == state)
        {
            return;
        }
        claimedIndex = NO_CLAIM;
        queueGoodbye();
        closeRequested = true;
        closeDeadlineNs = System.nanoTime() + TcpTransport.LINGER_NS;
        if (FAILED == state || !hasFramesPending())
        {
            closeNow();
        }
    }

    /**
     * Put the goodbye record behind the committed frames, so the receiver can tell this close from a death. A
     * connection the receiver never authenticated carries no frames and needs none; without room for it (a receiver
     * that stopped reading) the receiver will report a lost peer, which is what the frames stuck here amount to.
     */
    private void queueGoodbye()
    {
        if (FAILED == state || (READY != state && !hasFramesPending()))
        {
            return;
        }
        final int index = reserve(GOODBYE_LENGTH);
        if (NO_CLAIM == index)
        {
            return;
        }
        buffer.putInt(index + LENGTH_OFFSET, 0, WIRE_ORDER);
        buffer.putInt(index + MARK_OFFSET, GOODBYE_MARK, WIRE_ORDER);
        writePosition = index + GOODBYE_LENGTH;
        flush();
    }

    /** Bytes committed and not yet taken by the socket (frames only: a handshake answer alone is nothing to send). */
    boolean hasFramesPending()
    {
        return READY == state ? NOT_WRAPPED != wrapLimit || writePosition > flushPosition :
            writePosition > TcpHandshake.RESPONSE_LENGTH;
    }

    /** Write what the socket takes now (both runs of a wrapped queue in one gathering write); returns the bytes. */
    int flush()
    {
        if (READY != state || (NOT_WRAPPED == wrapLimit && writePosition == flushPosition))
        {
            return 0;
        }
        final long written;
        final int offered;
        try
        {
            if (NOT_WRAPPED == wrapLimit)
            {
                offered = writePosition - flushPosition;
                sendBuffer.limit(writePosition).position(flushPosition);
                written = channel.write(sendBuffer);
            }
            else
            {
                offered = wrapLimit - flushPosition + writePosition;
                sendBuffer.limit(wrapLimit).position(flushPosition);
                runs[1].limit(writePosition).position(0);
                written = 0 == writePosition ? channel.write(sendBuffer) : channel.write(runs, 0, 2);
            }
        }
        catch (final IOException ex)
        {
            fail(peerName + " is gone: the connection broke (" + ex.getMessage() + ")");
            return 0;
        }
        socketFull = written < offered;
        advance((int)written);
        return (int)written;
    }

    private void advance(final int written)
    {
        int remaining = written;
        if (NOT_WRAPPED != wrapLimit)
        {
            final int firstRun = wrapLimit - flushPosition;
            if (remaining < firstRun)
            {
                flushPosition += remaining;
                return;
            }
            remaining -= firstRun;
            wrapLimit = NOT_WRAPPED;
            flushPosition = 0;
        }
        flushPosition += remaining;
        if (flushPosition == writePosition && NO_CLAIM == claimedIndex)
        {
            flushPosition = 0;
            writePosition = 0;
        }
    }

    /** The selector says the socket is connectable or readable. */
    void onReady(final int readyOps)
    {
        try
        {
            if (CONNECTING == state && 0 != (readyOps & SelectionKey.OP_CONNECT))
            {
                if (!channel.finishConnect())
                {
                    return;
                }
                state = AWAITING_CHALLENGE;
                key.interestOps(SelectionKey.OP_READ);
            }
            if (0 != (readyOps & SelectionKey.OP_READ) || AWAITING_CHALLENGE == state)
            {
                onReadable();
            }
        }
        catch (final IOException ex)
        {
            fail(CONNECTING == state
                ? "cannot connect to " + peerName + ": " + ex.getMessage() + " (it finalized, died, or is not " +
                    "reachable from here)"
                : peerName + " is gone: the connection broke (" + ex.getMessage() + ")");
        }
    }

    private void onReadable() throws IOException
    {
        if (AWAITING_CHALLENGE == state)
        {
            if (channel.read(challenge) < 0)
            {
                fail(peerName + " closed the connection before it was set up (it finalized, died, or refused " +
                    "this process's credentials)");
                return;
            }
            if (challenge.hasRemaining())
            {
                return;
            }
            final String problem = transport.handshake().writeResponse(challenge, peer.key,
                transport.context().jobId(), transport.context().processIndex(), sendBuffer, 0);
            if (null != problem)
            {
                fail("cannot connect to " + peerName + ": " + problem);
                return;
            }
            challenge = null;
            state = READY;
            flush();
            transport.connectionReady(this);
            return;
        }
        if (READY == state || CLOSED == state)
        {
            // The peer's frames, its goodbye or its end: the reader takes them (made on first use).
            transport.readerOf(this).markReadable();
        }
    }

    /**
     * The peer ended its side of the socket in order (its goodbye, then the end of the stream): it finalized or
     * disconnected. Say goodbye back behind what is queued, as far as the socket takes it now, and stop: every later
     * claim says why.
     */
    void peerEnded()
    {
        if (FAILED == state || CLOSED == state)
        {
            return;
        }
        claimedIndex = NO_CLAIM;
        if (READY == state)
        {
            queueGoodbye();
        }
        fail(peerName + " closed the connection (it finalized or died)");
    }

    /** The peer cannot be reached any more: every later claim says why. */
    void fail(final String reason)
    {
        if (FAILED == state || CLOSED == state)
        {
            return;
        }
        failure = reason;
        state = FAILED;
        closeChannel();
    }

    void closeNow()
    {
        if (CLOSED == state)
        {
            return;
        }
        if (FAILED != state)
        {
            state = CLOSED;
        }
        closeRequested = true;
        if (FAILED != state && null != reader && reader.isOpen())
        {
            // The peer may still send: its frames and its goodbye come to the reader, which closes the socket.
            try
            {
                channel.shutdownOutput();
            }
            catch (final IOException ex)
            {
                closeChannel();
            }
            return;
        }
        closeChannel();
    }

    private void closeChannel()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing releases the descriptor whatever close(2) reports.
        }
    }

    int state()
    {
        return state;
    }

    /** No frame is claimed and not yet committed. */
    boolean idle()
    {
        return NO_CLAIM == claimedIndex;
    }

    boolean closeRequested()
    {
        return closeRequested;
    }

    long closeDeadlineNs()
    {
        return closeDeadlineNs;
    }

    /** Gone for good: failed or closed (the transport stops tracking it). */
    boolean isFinished()
    {
        return FAILED == state || CLOSED == state;
    }

    String failure()
    {
        return failure;
    }

    String peerName()
    {
        return peerName;
    }

    TcpAddress peer()
    {
        return peer;
    }

    SocketChannel channel()
    {
        return channel;
    }

    TcpInbound reader()
    {
        return reader;
    }

    void reader(final TcpInbound inbound)
    {
        this.reader = inbound;
    }
}
