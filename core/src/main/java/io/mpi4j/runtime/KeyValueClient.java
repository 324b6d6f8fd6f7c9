package io.mpi4j.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The key-value exchange of a process started by {@code mpi4jrun}: one loopback TCP connection to the launcher's
 * key-value server, speaking {@link KeyValueProtocol}.
 * <p>
 * A daemon thread is the only reader of the socket; it hands each reply to the one caller waiting for it (callers
 * take turns under a lock, so at most one request is outstanding). Being the only reader also makes it the one that
 * sees the launcher disappear: at end of stream, unless {@link #close()} was called, it prints one line and halts
 * the process, so that ranks of a dead launcher never linger.
 */
public final class KeyValueClient implements KeyValueStore
{
    /** Exit status of a rank whose launcher disappeared. */
    public static final int LAUNCHER_LOST_STATUS = 1;

    private static final long CONNECT_TIMEOUT_MS = 10_000;
    private static final long ABORT_REPLY_TIMEOUT_MS = 2_000;
    private static final Reply LOST = new Reply((byte)-1, null);

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ReentrantLock requestLock = new ReentrantLock();
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final Runnable onLauncherLost;
    private final String address;
    private volatile boolean closing;
    private volatile boolean lost;

    /** Notices of the launcher that came before a listener was set; guarded by itself. */
    private final java.util.ArrayList<long[]> earlyNotices = new java.util.ArrayList<>();
    private volatile FailureListener failureListener;

    private record Reply(byte type, String value, SpawnResult spawned, Agreement agreement)
    {
        Reply(final byte type, final String value)
        {
            this(type, value, null, null);
        }

        Reply(final byte type, final String value, final SpawnResult spawned)
        {
            this(type, value, spawned, null);
        }
    }

    /** Made when the class is initialised (a spare JVM does that ahead of MPI_Init), not linked on first use. */
    private static final Runnable HALT_ON_LAUNCHER_LOST = KeyValueClient::haltOnLauncherLost;

    /**
     * Connect to the key-value server of {@code job} ({@code MPI4J_KVS}) and present {@code MPI4J_SECRET};
     * the process halts if the launcher disappears later.
     */
    public static KeyValueClient connect(final JobEnvironment job) throws IOException
    {
        return new KeyValueClient(job.kvsAddress(), job.secret(), job.jobId(), job.rank(), HALT_ON_LAUNCHER_LOST);
    }

    /**
     * Connect and say HELLO; returns once the server accepted it.
     *
     * @param address        "host:port" of the server
     * @param onLauncherLost run by the reader thread when the connection ends without {@link #close()}
     * @throws IOException if the server cannot be reached or refuses the secret
     */
    public KeyValueClient(
        final String address, final String secret, final String jobId, final int rank, final Runnable onLauncherLost)
        throws IOException
    {
        this.address = address;
        this.onLauncherLost = onLauncherLost;
        final int colon = address.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IOException("malformed key-value service address '" + address + "'");
        }
        socket = new Socket();
        try
        {
            socket.setTcpNoDelay(true);
            try
            {
                socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), (int)CONNECT_TIMEOUT_MS);
            }
            catch (final IOException ex)
            {
                // On another node this is a network problem between the nodes: say which address was tried.
                throw new IOException("cannot reach mpi4jrun's key-value service at " + address + ": " +
                    ErrorText.of(ex), ex);
            }
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));

            out.writeByte(KeyValueProtocol.HELLO);
            KeyValueProtocol.writeString(out, secret == null ? "" : secret);
            KeyValueProtocol.writeString(out, jobId);
            out.writeInt(rank);
            out.flush();
            // The reader thread is not running yet, so reading the HELLO reply here cannot race it. A failure notice
            // may come first (a rank died as this one joined): kept for the listener.
            int type;
            while ((type = KeyValueProtocol.readType(in)) == KeyValueProtocol.PROC_FAILED ||
                type == KeyValueProtocol.REVOKED)
            {
                earlyNotices.add(new long[]{ type, in.readInt() });
            }
            if (type != KeyValueProtocol.OK)
            {
                throw new IOException("key-value service at " + address + " refused job " + jobId + " rank " + rank);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly();
            throw ex instanceof IOException io ? io : new IOException(ErrorText.of(ex), ex);
        }

        final Thread reader = new Thread(new ReplyReader(this), "mpi4j-kvs-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@inheritDoc} Binds the put of the job's key-value exchange; sent without waiting for a reply. */
    @Override
    public void put(final String key, final String value) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.PUT);
            KeyValueProtocol.writeString(out, key);
            KeyValueProtocol.writeString(out, value);
            // Not flushed: the next FENCE or GET flushes, and the server applies messages in order.
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public void fence() throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.FENCE);
            out.flush();
            expect(KeyValueProtocol.OK, awaitReply(0));
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public String get(final String key) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.GET);
            KeyValueProtocol.writeString(out, key);
            out.flush();
            final Reply reply = awaitReply(0);
            expect(KeyValueProtocol.VALUE, reply);
            return reply.value();
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public void remove(final String key) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.REMOVE);
            KeyValueProtocol.writeString(out, key);
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public String take(final String prefix, final String abortKey, final long timeoutMs) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.TAKE);
            KeyValueProtocol.writeString(out, prefix);
            KeyValueProtocol.writeString(out, abortKey == null ? "" : abortKey);
            out.writeLong(timeoutMs);
            out.flush();
            final Reply reply = awaitReply(0);
            expect(KeyValueProtocol.VALUE, reply);
            return reply.value();
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public SpawnResult spawn(final SpawnRequest request) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.SPAWN);
            request.write(out);
            out.flush();
            final Reply reply = awaitReply(0);
            expect(KeyValueProtocol.SPAWNED, reply);
            return reply.spawned();
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public void revoke(final int contextId, final int[] ranks) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.REVOKE);
            out.writeInt(contextId);
            KeyValueProtocol.writeRanks(out, ranks);
            out.flush();
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public Agreement agree(final int contextId, final int sequence, final int[] ranks, final long value,
        final Runnable whileWaiting) throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.AGREE);
            out.writeInt(contextId);
            out.writeInt(sequence);
            KeyValueProtocol.writeRanks(out, ranks);
            out.writeLong(value);
            out.flush();
            Reply reply;
            // Keep this process's messages moving while the others reach the agreement.
            while ((reply = pollReply()) == null)
            {
                whileWaiting.run();
            }
            expect(KeyValueProtocol.AGREED, reply);
            return reply.agreement();
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public void failureListener(final FailureListener listener)
    {
        synchronized (earlyNotices)
        {
            failureListener = listener;
            for (final long[] notice : earlyNotices)
            {
                dispatch(listener, (byte)notice[0], (int)notice[1]);
            }
            earlyNotices.clear();
        }
    }

    private void notice(final byte type, final int value)
    {
        FailureListener listener = failureListener;
        if (listener == null)
        {
            synchronized (earlyNotices)
            {
                listener = failureListener;
                if (listener == null)
                {
                    earlyNotices.add(new long[]{ type, value });
                    return;
                }
            }
        }
        dispatch(listener, type, value);
    }

    private static void dispatch(final FailureListener listener, final byte type, final int value)
    {
        if (type == KeyValueProtocol.PROC_FAILED)
        {
            listener.processFailed(value);
        }
        else
        {
            listener.revoked(value);
        }
    }

    /** {@inheritDoc} Waits at most a few seconds for the launcher to record it; failures are ignored. */
    @Override
    public void abort(final int errorCode, final String message)
    {
        try
        {
            if (!requestLock.tryLock(ABORT_REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                return;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.ABORT);
            out.writeInt(errorCode);
            KeyValueProtocol.writeString(out, message == null ? "" : message);
            out.flush();
            awaitReply(ABORT_REPLY_TIMEOUT_MS);
        }
        catch (final IOException ignore)
        {
            // The caller halts its process next; a launcher that is gone sees it exit anyway.
        }
        finally
        {
            requestLock.unlock();
        }
    }

    @Override
    public void finalized() throws IOException
    {
        requestLock.lock();
        try
        {
            ensureOpen();
            out.writeByte(KeyValueProtocol.FINALIZED);
            out.flush();
            expect(KeyValueProtocol.OK, awaitReply(0));
        }
        finally
        {
            requestLock.unlock();
        }
    }

    /** Close the connection; unlike the launcher going away, this does not halt the process. */
    @Override
    public void close()
    {
        closing = true;
        closeQuietly();
    }

    /** The reader thread's task: a class, not a method reference, whose first use would be linked in MPI_Init. */
    private static final class ReplyReader implements Runnable
    {
        private final KeyValueClient client;

        ReplyReader(final KeyValueClient client)
        {
            this.client = client;
        }

        @Override
        public void run()
        {
            client.readReplies();
        }
    }

    private void readReplies()
    {
        try
        {
            while (true)
            {
                final int type = KeyValueProtocol.readType(in);
                if (type == KeyValueProtocol.OK)
                {
                    replies.add(new Reply(KeyValueProtocol.OK, null));
                }
                else if (type == KeyValueProtocol.VALUE)
                {
                    final boolean present = in.readByte() != 0;
                    replies.add(new Reply(KeyValueProtocol.VALUE, present ? KeyValueProtocol.readString(in) : null));
                }
                else if (type == KeyValueProtocol.SPAWNED)
                {
                    replies.add(new Reply(KeyValueProtocol.SPAWNED, null, SpawnResult.read(in)));
                }
                else if (type == KeyValueProtocol.AGREED)
                {
                    final long value = in.readLong();
                    replies.add(new Reply(KeyValueProtocol.AGREED, null, null,
                        new Agreement(value, KeyValueProtocol.readRanks(in))));
                }
                else if (type == KeyValueProtocol.PROC_FAILED || type == KeyValueProtocol.REVOKED)
                {
                    notice((byte)type, in.readInt());
                }
                else
                {
                    break;
                }
            }
        }
        catch (final IOException ignore)
        {
            // Same as end of stream: the connection is unusable.
        }
        lost = true;
        replies.add(LOST);
        if (!closing)
        {
            onLauncherLost.run();
        }
    }

    private Reply awaitReply(final long timeoutMs) throws IOException
    {
        final Reply reply;
        try
        {
            reply = timeoutMs > 0 ? replies.poll(timeoutMs, TimeUnit.MILLISECONDS) : replies.take();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the key-value service", ex);
        }
        if (reply == null)
        {
            throw new IOException("no reply from the key-value service at " + address);
        }
        if (reply == LOST)
        {
            replies.add(LOST);
            throw new IOException("connection to the key-value service at " + address + " was lost");
        }
        return reply;
    }

    /** The reply if one came within a millisecond, else null. */
    private Reply pollReply() throws IOException
    {
        final Reply reply;
        try
        {
            reply = replies.poll(1, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the key-value service", ex);
        }
        if (reply == LOST)
        {
            replies.add(LOST);
            throw new IOException("connection to the key-value service at " + address + " was lost");
        }
        return reply;
    }

    private static void expect(final byte type, final Reply reply) throws IOException
    {
        if (reply.type() != type)
        {
            throw new IOException("key-value protocol error: expected reply " + type + ", got " + reply.type());
        }
    }

    private void ensureOpen() throws IOException
    {
        if (closing || lost)
        {
            throw new IOException("connection to the key-value service at " + address + " is closed");
        }
    }

    private void closeQuietly()
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // Nothing left to release.
        }
    }

    private static void haltOnLauncherLost()
    {
        System.err.println("mpi4j: lost the connection to mpi4jrun (launcher gone); exiting");
        System.err.flush();
        // Nobody removes this process's files after it: the launcher that would is gone.
        HaltCleanup.runAll();
        Runtime.getRuntime().halt(LAUNCHER_LOST_STATUS);
    }
}
