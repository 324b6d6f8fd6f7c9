package io.mpi4j.tcp;

import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.MemoryWindow;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import static io.mpi4j.tcp.FrameRecord.GOODBYE_MARK;
import static io.mpi4j.tcp.FrameRecord.HEADER_LENGTH;
import static io.mpi4j.tcp.FrameRecord.LENGTH_OFFSET;
import static io.mpi4j.tcp.FrameRecord.MARK;
import static io.mpi4j.tcp.FrameRecord.MARK_OFFSET;
import static io.mpi4j.tcp.FrameRecord.SWITCH_MARK;
import static io.mpi4j.tcp.FrameRecord.WIRE_ORDER;
import static io.mpi4j.tcp.FrameRecord.recordLength;

/**
 * Receiving side of one accepted connection. Until the client has answered the challenge it owns two small
 * fixed-size buffers and nothing else; once authenticated it gets a receive buffer (direct memory) that holds two
 * largest frames, reads the socket straight into it and hands the frames to the handler in place.
 * <p>
 * Small frames are read as many at a time as the buffer takes. A large record (half a largest one or more: rendezvous
 * data), once its header is in, is read up to its end and no further, so that the buffer is empty again once it is
 * delivered: the next large record starts at the front, and a stream of large frames is never moved inside the
 * buffer.
 * <p>
 * A large frame whose rest the handler can take in place ({@link FrameHandler#placement}: rendezvous data for a
 * posted receive into native memory) is not read into the buffer at all past its first bytes: the socket is read
 * straight into the user's memory, as Open MPI's TCP BTL reads into the user buffer, and the frame is delivered by
 * {@link FrameHandler#onPlacedFrame} once complete. Its padding is dropped from the stream afterwards.
 * <p>
 * The socket may carry this process's frames to the peer too ({@link #writer}): a connection {@link TcpConnection#over}
 * an accepted socket, or the connection this process opened, whose socket this reads. The socket closes once both
 * directions have ended: the peer's goodbye and end of stream here, this process's goodbye there. A socket that
 * carried nothing back still gets this process's goodbye before it closes, so that the peer's reader can tell a close
 * from a death.
 */
final class TcpInbound
{
    static final int AUTHENTICATING = 0;
    static final int OPEN = 1;
    static final int CLOSED = 2;

    private static final int PLACE_WAIT = -1;
    /** A frame's rest worth reading in place rather than into the buffer and copying. */
    private static final int MIN_PLACEMENT = 16 << 10;
    /** Below this much room at the end of the buffer, a partial record is moved to the front before reading. */
    private static final int MIN_READ_ROOM = 4096;

    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final long acceptedNs;
    private ByteBuffer challenge = ByteBuffer.allocate(TcpHandshake.CHALLENGE_LENGTH);
    private ByteBuffer response = ByteBuffer.allocate(TcpHandshake.RESPONSE_LENGTH);
    private String peerName;
    private String peerJobId;
    private int peerProcessIndex = -1;
    /** The sender closed in order: its goodbye record came, so the end of the stream is no loss. */
    private boolean goodbye;
    private int state = AUTHENTICATING;
    private ByteBuffer receiveBuffer;
    private UnsafeBuffer view;
    private int capacity;
    /**
     * Records from this length on (half a largest one) are read up to their end only (see the class comment); smaller
     * ones, eager messages, come many to a read, and moving the few bytes of one that straddles the end costs little.
     */
    private int largeRecord;
    private int readPosition;
    private int dataEnd;
    private boolean readable;
    /** The frame being placed: its index in the buffer, the bytes of it there, its length, the bytes received. */
    private boolean placing;
    private int placedIndex;
    private int placedAvailable;
    private int placedLength;
    private int placed;
    /** Bytes of the stream to drop before the next record: a placed frame's padding, a withdrawn frame's rest. */
    private int discard;
    private final MemoryWindow placement = new MemoryWindow();
    /** This process's frames to the peer over the same socket, or null. */
    private TcpConnection writer;
    private boolean saidGoodbye;
    /** A switch record came: the peer's frames here wait until its other socket to this process has ended. */
    private boolean switched;
    private long switchedNs;

    TcpInbound(final SocketChannel channel, final InetSocketAddress remote, final long acceptedNs)
    {
        this.channel = channel;
        this.remote = remote;
        this.acceptedNs = acceptedNs;
        this.peerName = "unauthenticated connection from " + TcpAddress.endpoint(remote);
    }

    /**
     * Send the challenge; a fresh socket's send buffer always takes these few bytes.
     *
     * @return null, or why the connection must be dropped.
     */
    String sendChallenge(final TcpHandshake handshake)
    {
        handshake.writeChallenge(challenge);
        try
        {
            channel.write(challenge);
        }
        catch (final IOException ex)
        {
            return "cannot send the challenge: " + ex.getMessage();
        }
        return challenge.hasRemaining() ? "the socket did not take the challenge" : null;
    }

    /**
     * Read the answer; once complete, check it.
     *
     * @return null while waiting or once authenticated; else why the connection is refused.
     */
    String authenticate(final TcpHandshake handshake, final int maxFrameLength)
    {
        try
        {
            if (channel.read(response) < 0)
            {
                return "it closed the connection before authenticating";
            }
        }
        catch (final IOException ex)
        {
            return "the connection broke before authenticating (" + ex.getMessage() + ")";
        }
        if (response.hasRemaining())
        {
            return null;
        }
        challenge.clear();
        final String problem = handshake.verify(challenge, response);
        if (null != problem)
        {
            return problem;
        }
        peerJobId = TcpHandshake.jobId(response);
        peerProcessIndex = TcpHandshake.processIndex(response);
        peerName = "rank " + peerProcessIndex + " of job " + peerJobId + " at " + TcpAddress.endpoint(remote);
        open(maxFrameLength);
        return null;
    }

    /**
     * The reading side of {@code connection}, the socket this process opened: the peer authenticated nothing here,
     * it answered on the socket this process connected to its published address.
     */
    static TcpInbound readerOf(final TcpConnection connection, final int maxFrameLength)
    {
        final TcpInbound reader = new TcpInbound(connection.channel(), connection.peer().socketAddress,
            System.nanoTime());
        reader.peerJobId = connection.peer().jobId;
        reader.peerProcessIndex = connection.peer().processIndex;
        reader.peerName = connection.peer().describe();
        reader.writer = connection;
        reader.open(maxFrameLength);
        return reader;
    }

    private void open(final int maxFrameLength)
    {
        challenge = null;
        response = null;
        capacity = Math.max(2 * recordLength(maxFrameLength), 64 << 10);
        largeRecord = capacity / 4;
        receiveBuffer = ByteBuffer.allocateDirect(capacity);
        view = new UnsafeBuffer(receiveBuffer);
        state = OPEN;
        // The client sends frames right behind its answer: they may be waiting already.
        readable = true;
    }

    /**
     * Deliver up to {@code frameLimit} frames: those buffered, then what one read of the socket brings while it is
     * readable.
     *
     * @return frames delivered; on a malformed stream or an end in the middle of a frame the connection is closed
     *         and {@link #failure} says why.
     */
    int deliver(final FrameHandler handler, final int frameLimit, final int maxFrameLength, final TcpTransport owner)
    {
        int delivered = 0;
        if (switched)
        {
            if (owner.drainingFrom(peerJobId, peerProcessIndex, switchedNs))
            {
                return 0;
            }
            switched = false;
        }
        while (OPEN == state && delivered < frameLimit)
        {
            if (placing)
            {
                final int placedFrame = place(handler, owner);
                if (PLACE_WAIT == placedFrame)
                {
                    break;
                }
                delivered += placedFrame;
                continue;
            }
            final int available = dataEnd - readPosition;
            if (discard > 0 && available > 0)
            {
                final int dropped = Math.min(discard, available);
                readPosition += dropped;
                discard -= dropped;
                continue;
            }
            int needed = HEADER_LENGTH;
            if (available >= HEADER_LENGTH)
            {
                final int length = view.getInt(readPosition + LENGTH_OFFSET, WIRE_ORDER);
                final int mark = view.getInt(readPosition + MARK_OFFSET, WIRE_ORDER);
                if (GOODBYE_MARK == mark && 0 == length)
                {
                    goodbye = true;
                    readPosition += HEADER_LENGTH;
                    continue;
                }
                if (SWITCH_MARK == mark && 0 == length)
                {
                    readPosition += HEADER_LENGTH;
                    switchedNs = System.nanoTime();
                    if (owner.drainingFrom(peerJobId, peerProcessIndex, switchedNs))
                    {
                        switched = true;
                        return delivered;
                    }
                    continue;
                }
                if (MARK != mark || length < 0 || length > maxFrameLength)
                {
                    owner.inboundFailed(this, "it sent a malformed frame record (length " + length + ", mark 0x" +
                        Integer.toHexString(mark) + ", largest frame " + maxFrameLength + "): not an mpi4j stream, " +
                        "or " + TcpConfiguration.FRAME_SIZE + " differs between the processes");
                    return delivered;
                }
                needed = recordLength(length);
                if (available >= needed)
                {
                    handler.onFrame(view, readPosition + HEADER_LENGTH, length);
                    readPosition += needed;
                    delivered++;
                    continue;
                }
                if (needed - available >= MIN_PLACEMENT && 0 == discard &&
                    0 != handler.placement(view, readPosition + HEADER_LENGTH, available - HEADER_LENGTH, length))
                {
                    // Everything buffered belongs to this record: the buffer keeps its first bytes until delivery.
                    placing = true;
                    placedIndex = readPosition + HEADER_LENGTH;
                    placedAvailable = available - HEADER_LENGTH;
                    placedLength = length;
                    placed = placedAvailable;
                    continue;
                }
            }
            if (!readable || !read(needed, owner))
            {
                break;
            }
        }
        return delivered;
    }

    /**
     * Read the placed frame's rest where the handler says, and deliver the frame once complete.
     *
     * @return 1 when it was delivered, 0 when placement ended otherwise (withdrawn: the rest is dropped), or
     *         {@link #PLACE_WAIT} when the socket has no more now or the connection ended.
     */
    private int place(final FrameHandler handler, final TcpTransport owner)
    {
        if (placed < placedLength)
        {
            if (!readable)
            {
                return PLACE_WAIT;
            }
            final long address = handler.placement(view, placedIndex, placedAvailable, placedLength);
            if (0 == address)
            {
                // The receive went away (its sender failed): nothing may be written to its memory any more.
                discard = placedLength - placed + recordLength(placedLength) - HEADER_LENGTH - placedLength;
                endPlacement();
                return 0;
            }
            final int wanted = placedLength - placed;
            final int read;
            try
            {
                read = channel.read(placement.open(address + (placed - placedAvailable), wanted));
            }
            catch (final IOException ex)
            {
                owner.inboundLost(this, "the connection broke (" + ex.getMessage() + ")" + partialFrame());
                return PLACE_WAIT;
            }
            finally
            {
                placement.close();
            }
            if (read < 0)
            {
                owner.inboundLost(this, "it closed the connection" + partialFrame() + " without its goodbye: " +
                    "the process died or its host went away");
                return PLACE_WAIT;
            }
            placed += read;
            if (read < wanted)
            {
                readable = false;
                return PLACE_WAIT;
            }
        }
        handler.onPlacedFrame(view, placedIndex, placedAvailable, placedLength);
        discard = recordLength(placedLength) - HEADER_LENGTH - placedLength;
        endPlacement();
        return 1;
    }

    private void endPlacement()
    {
        placing = false;
        readPosition = 0;
        dataEnd = 0;
    }

    /** One read into the buffer; false when nothing came (or the connection ended). */
    private boolean read(final int needed, final TcpTransport owner)
    {
        if (readPosition == dataEnd)
        {
            readPosition = 0;
            dataEnd = 0;
        }
        else if (capacity - readPosition < needed || (needed < largeRecord && capacity - dataEnd < MIN_READ_ROOM))
        {
            final int pending = dataEnd - readPosition;
            view.putBytes(0, view, readPosition, pending);
            readPosition = 0;
            dataEnd = pending;
        }
        final int limit = needed >= largeRecord ? readPosition + needed : capacity;
        receiveBuffer.limit(limit).position(dataEnd);
        final int read;
        try
        {
            read = channel.read(receiveBuffer);
        }
        catch (final IOException ex)
        {
            if (goodbye && readPosition == dataEnd)
            {
                owner.inboundClosed(this);
            }
            else
            {
                owner.inboundLost(this, "the connection broke (" + ex.getMessage() + ")" + partialFrame());
            }
            return false;
        }
        if (read < 0)
        {
            if (goodbye && readPosition == dataEnd)
            {
                // The peer finalized or disconnected from this job, and said so.
                owner.inboundClosed(this);
            }
            else
            {
                owner.inboundLost(this, "it closed the connection" + partialFrame() + " without its goodbye: " +
                    "the process died or its host went away");
            }
            return false;
        }
        if (0 == read)
        {
            readable = false;
            return false;
        }
        dataEnd += read;
        // A read that did not fill what it was offered most likely drained the socket: the next poll (or the
        // selector) says when to read again, which spares a read that would find nothing.
        if (dataEnd < limit)
        {
            readable = false;
        }
        return true;
    }

    private String partialFrame()
    {
        if (placing)
        {
            return " in the middle of a frame (" + placed + " of " + placedLength + " bytes received)";
        }
        final int available = dataEnd - readPosition;
        if (0 == available)
        {
            return "";
        }
        if (available < HEADER_LENGTH)
        {
            return " in the middle of a frame header (" + available + " of " + HEADER_LENGTH + " bytes)";
        }
        final int length = view.getInt(readPosition + LENGTH_OFFSET, WIRE_ORDER);
        return " in the middle of a frame (" + (available - HEADER_LENGTH) + " of " + length + " bytes received)";
    }

    /** Bytes of an incomplete record are buffered: an end of the stream now cuts a frame. */
    boolean midFrame()
    {
        return placing || discard > 0 || dataEnd > readPosition;
    }

    String peerJobId()
    {
        return peerJobId;
    }

    int peerProcessIndex()
    {
        return peerProcessIndex;
    }

    String peerEndpoint()
    {
        return TcpAddress.endpoint(remote);
    }

    void markReadable()
    {
        readable = true;
    }

    /** This process's frames to the peer go over this socket through {@code connection}. */
    void writer(final TcpConnection connection)
    {
        this.writer = connection;
    }

    TcpConnection writer()
    {
        return writer;
    }

    boolean isOpen()
    {
        return OPEN == state;
    }

    /**
     * Tell the peer, whose reader may be watching this socket, that this process closes it in order: the goodbye
     * record, written now if the socket takes it (a socket that carried nothing back always has the room).
     */
    void sayGoodbye()
    {
        if (saidGoodbye || null == receiveBuffer)
        {
            return;
        }
        saidGoodbye = true;
        final ByteBuffer record = ByteBuffer.allocate(FrameRecord.GOODBYE_LENGTH).order(WIRE_ORDER);
        record.putInt(LENGTH_OFFSET, 0).putInt(MARK_OFFSET, GOODBYE_MARK);
        try
        {
            channel.write(record);
        }
        catch (final IOException ignore)
        {
            // The peer is gone already: nobody reads the goodbye.
        }
    }

    void close()
    {
        state = CLOSED;
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // The descriptor is released whatever close(2) reports.
        }
    }

    int state()
    {
        return state;
    }

    long acceptedNs()
    {
        return acceptedNs;
    }

    String peerName()
    {
        return peerName;
    }

    SocketChannel channel()
    {
        return channel;
    }
}
