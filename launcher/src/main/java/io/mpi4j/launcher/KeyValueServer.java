package io.mpi4j.launcher;

import io.mpi4j.runtime.KeyValueProtocol;
import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's key-value service (PMI style), on an ephemeral port (loopback only unless the job has ranks on
 * other hosts), speaking {@link KeyValueProtocol}.
 * <p>
 * It serves any number of jobs at once ({@link #registerJob}), so that processes spawned later under a new job id
 * join the same service. Keys are global: the runtime puts the job id in its keys itself, which is what lets one
 * job read another's entries. Fences are per job. Each connection is read by its own thread; a fence completes on
 * the thread of the last rank to arrive, which replies to every waiting rank.
 * <p>
 * A connection whose first message is not a HELLO with a registered job, a rank of that job and the job's secret
 * is closed at once. Any local process can connect, so what a connection costs before it authenticates is
 * bounded: it must say HELLO within {@link #HELLO_DEADLINE_MS}, at most {@link #MAX_UNAUTHENTICATED} wait at once
 * (a newer one evicts the oldest, so idle connections cannot lock the ranks out), and it reads into a small
 * buffer with small string bounds. The accepting thread survives any failure of one accept.
 */
public final class KeyValueServer implements AutoCloseable
{
    /** A rank sends HELLO right after connecting; a connection silent this long is not a rank. */
    static final long HELLO_DEADLINE_MS = 5_000;
    /** Connections that have not authenticated yet, each holding a thread and a socket. */
    static final int MAX_UNAUTHENTICATED = 64;
    /** Bound of the secret (64 hex digits) and the job id in a HELLO. */
    private static final int MAX_HELLO_STRING_BYTES = 256;
    /** Input buffer of a connection: HELLO and the key-value traffic are small messages. */
    private static final int INPUT_BUFFER_BYTES = 1024;
    /** Pause after an accept failed (out of file descriptors, of memory), so the loop does not spin. */
    private static final long ACCEPT_FAILURE_PAUSE_MS = 50;

    private final ServerSocket serverSocket;
    private final Map<String, JobRecord> jobs = new ConcurrentHashMap<>();
    private final Map<String, String> entries = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final RefusalLog refusals = new RefusalLog(System.err);
    /** Oldest first; guarded by itself. */
    private final ArrayDeque<Session> unauthenticated = new ArrayDeque<>();
    /** TAKE requests waiting for a key; guarded by {@link #entries}'s monitor with every put and remove. */
    private final List<PendingTake> pendingTakes = new ArrayList<>();
    private final ScheduledExecutorService takeTimer = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "mpi4jrun-kvs-timer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile SpawnHandler spawnHandler;
    private volatile boolean closed;

    private KeyValueServer(final ServerSocket serverSocket)
    {
        this.serverSocket = serverSocket;
    }

    /** Bind 127.0.0.1 on an ephemeral port and start accepting connections on a daemon thread. */
    public static KeyValueServer start() throws IOException
    {
        return start(false);
    }

    /**
     * Bind an ephemeral port, on loopback only, or on every interface when ranks on other hosts must reach it
     * (multi-node jobs); either way only connections presenting a registered job's secret are served.
     */
    public static KeyValueServer start(final boolean reachableFromOtherHosts) throws IOException
    {
        final ServerSocket socket = new ServerSocket();
        socket.bind(reachableFromOtherHosts ? new InetSocketAddress(0) :
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        final KeyValueServer server = new KeyValueServer(socket);
        final Thread acceptor = new Thread(server::acceptConnections, "mpi4jrun-kvs-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    /** "127.0.0.1:port", the value of {@code MPI4J_KVS} on this host. */
    public String address()
    {
        final InetAddress bound = serverSocket.getInetAddress();
        return (bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound).getHostAddress() + ":" +
            serverSocket.getLocalPort();
    }

    /** The port, for the address ranks on other hosts use ({@code <this host's address>:port}). */
    public int port()
    {
        return serverSocket.getLocalPort();
    }

    /** Admit the {@code size} ranks of job {@code jobId}, which authenticate with {@code secret}. */
    public void registerJob(final String jobId, final int size, final String secret, final JobListener listener)
    {
        final JobRecord job = new JobRecord(jobId, size, secret.getBytes(StandardCharsets.UTF_8), listener);
        if (jobs.putIfAbsent(jobId, job) != null)
        {
            throw new IllegalStateException("job " + jobId + " is already registered");
        }
    }

    /** Forget job {@code jobId}: its connections are closed and new ones refused. Its keys stay. */
    public void unregisterJob(final String jobId)
    {
        final JobRecord job = jobs.remove(jobId);
        if (job != null)
        {
            for (final Session session : sessions)
            {
                if (session.job == job)
                {
                    session.close();
                }
            }
        }
    }

    /**
     * {@code --enable-recovery}: rank {@code rank} of job {@code jobId} died and the job goes on. Every other rank
     * connected is told (PROC_FAILED) before any agreement counts the failure, so a rank that gets an agreement's
     * answer already knows each failure it names; then agreements waiting only for it complete.
     */
    public void processFailed(final String jobId, final int rank)
    {
        final JobRecord job = jobs.get(jobId);
        if (job == null || rank < 0 || rank >= job.size)
        {
            return;
        }
        for (final Session session : job.sessions())
        {
            if (session.rank != rank)
            {
                session.notice(KeyValueProtocol.PROC_FAILED, rank);
            }
        }
        for (final Runnable reply : job.markFailed(rank))
        {
            reply.run();
        }
    }

    /** Who starts the processes of SPAWN requests; without one, SPAWN is refused with ERR_SPAWN. */
    public void spawnHandler(final SpawnHandler handler)
    {
        this.spawnHandler = handler;
    }

    /** Put an entry from the launcher side (failure markers of spawned jobs), waking TAKEs that wait for it. */
    public void put(final String key, final String value)
    {
        final List<Runnable> wakeups = new ArrayList<>();
        synchronized (entries)
        {
            entries.put(key, value);
            for (int i = pendingTakes.size() - 1; i >= 0; i--)
            {
                final PendingTake take = pendingTakes.get(i);
                if (key.startsWith(take.prefix))
                {
                    pendingTakes.remove(i);
                    entries.remove(key);
                    wakeups.add(() -> take.session.replyValue(value));
                    break;
                }
                if (key.equals(take.abortKey))
                {
                    pendingTakes.remove(i);
                    wakeups.add(() -> take.session.replyValue(null));
                }
            }
        }
        wakeups.forEach(Runnable::run);
    }

    private void remove(final String key)
    {
        synchronized (entries)
        {
            entries.remove(key);
        }
    }

    /** TAKE: reply now when an entry matches (or the abort key exists), else when one is put or on timeout. */
    private void take(final Session session, final String prefix, final String abortKey, final long timeoutMs)
    {
        String found = null;
        boolean aborted = false;
        final PendingTake pending = new PendingTake(session, prefix, abortKey.isEmpty() ? null : abortKey);
        synchronized (entries)
        {
            for (final Map.Entry<String, String> entry : entries.entrySet())
            {
                if (entry.getKey().startsWith(prefix))
                {
                    found = entry.getValue();
                    entries.remove(entry.getKey());
                    break;
                }
            }
            if (found == null)
            {
                aborted = pending.abortKey != null && entries.containsKey(pending.abortKey);
                if (!aborted)
                {
                    pendingTakes.add(pending);
                }
            }
        }
        if (found != null || aborted)
        {
            session.replyValue(found);
            return;
        }
        if (timeoutMs > 0)
        {
            takeTimer.schedule(() ->
            {
                final boolean expired;
                synchronized (entries)
                {
                    expired = pendingTakes.remove(pending);
                }
                if (expired)
                {
                    session.replyValue(null);
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    private void forgetTakes(final Session session)
    {
        synchronized (entries)
        {
            pendingTakes.removeIf(take -> take.session == session);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        takeTimer.shutdownNow();
        try
        {
            serverSocket.close();
        }
        catch (final IOException ignore)
        {
            // Closing anyway.
        }
        for (final Session session : sessions)
        {
            session.close();
        }
    }

    private void acceptConnections()
    {
        while (!closed && !serverSocket.isClosed())
        {
            Socket socket = null;
            try
            {
                socket = serverSocket.accept();
                admit(socket);
            }
            catch (final Throwable ex)
            {
                // Whatever one connection did (or the lack of descriptors, memory, threads), the next is served.
                if (closed || serverSocket.isClosed())
                {
                    return;
                }
                closeQuietly(socket);
                refusals.log("key-value service could not accept a connection: " + describe(ex));
                pause();
            }
        }
    }

    /** Start serving {@code socket} on a thread of its own, evicting the oldest unauthenticated connection. */
    private void admit(final Socket socket)
    {
        final Session session = new Session(socket);
        final Session evicted;
        synchronized (unauthenticated)
        {
            unauthenticated.addLast(session);
            evicted = unauthenticated.size() > MAX_UNAUTHENTICATED ? unauthenticated.pollFirst() : null;
        }
        if (evicted != null)
        {
            evicted.close();
            refusals.log("dropped a key-value connection from " + evicted.socket.getRemoteSocketAddress() +
                ": more than " + MAX_UNAUTHENTICATED + " connections waiting to authenticate");
        }
        sessions.add(session);
        try
        {
            takeTimer.schedule(() -> expireHello(session), HELLO_DEADLINE_MS, TimeUnit.MILLISECONDS);
            final Thread thread = new Thread(session::serve, "mpi4jrun-kvs-" + socket.getPort());
            thread.setDaemon(true);
            thread.start();
        }
        catch (final Throwable ex)
        {
            synchronized (unauthenticated)
            {
                unauthenticated.remove(session);
            }
            sessions.remove(session);
            throw ex;
        }
    }

    private void expireHello(final Session session)
    {
        final boolean expired;
        synchronized (unauthenticated)
        {
            expired = unauthenticated.remove(session);
        }
        if (expired)
        {
            session.close();
            refusals.log("closed a key-value connection from " + session.socket.getRemoteSocketAddress() +
                ": no HELLO within " + HELLO_DEADLINE_MS + " ms");
        }
    }

    /** True once {@code session} authenticated in time and was neither evicted nor expired. */
    private boolean authenticated(final Session session)
    {
        synchronized (unauthenticated)
        {
            return unauthenticated.remove(session);
        }
    }

    private static String describe(final Throwable ex)
    {
        return ex.getMessage() == null ? ex.getClass().getName() : ex.getClass().getName() + ": " + ex.getMessage();
    }

    private static void closeQuietly(final Socket socket)
    {
        if (socket != null)
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // Refused anyway.
            }
        }
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(ACCEPT_FAILURE_PAUSE_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private SpawnResult spawn(final String parentJobId, final SpawnRequest request)
    {
        final SpawnHandler handler = spawnHandler;
        if (handler == null)
        {
            return SpawnHandler.failure(request, io.mpi4j.errors.ErrorClass.ERR_SPAWN, "this launcher cannot spawn");
        }
        try
        {
            return handler.spawn(parentJobId, request);
        }
        catch (final RuntimeException ex)
        {
            return SpawnHandler.failure(request, io.mpi4j.errors.ErrorClass.ERR_SPAWN, "spawn failed: " + ex);
        }
    }

    private void logRefusal(final Socket socket, final String why)
    {
        refusals.log("refused a key-value connection from " + socket.getRemoteSocketAddress() + ": " + why);
    }

    private record PendingTake(Session session, String prefix, String abortKey)
    {
    }

    /** One fault-tolerant agreement: the ranks it is over, the AND so far, who arrived and waits for the answer. */
    private static final class Agreement
    {
        final int[] ranks;
        long value = -1L;
        final java.util.BitSet arrived = new java.util.BitSet();
        final List<Session> waiting = new ArrayList<>();

        Agreement(final int[] ranks)
        {
            this.ranks = ranks;
        }
    }

    private static final class JobRecord
    {
        final String jobId;
        final int size;
        final byte[] secret;
        final JobListener listener;
        final List<Session> fenceWaiters = new ArrayList<>();
        /** The connection of each rank, for notices; guarded by this. */
        private final Session[] sessionOfRank;
        /** Ranks that died in a job that goes on; guarded by this. */
        private final java.util.BitSet failed = new java.util.BitSet();
        /** Fault-tolerant agreements in progress, by (context, sequence, ranks); guarded by this. */
        private final Map<String, Agreement> agreements = new java.util.HashMap<>();

        JobRecord(final String jobId, final int size, final byte[] secret, final JobListener listener)
        {
            this.jobId = jobId;
            this.size = size;
            this.secret = secret;
            this.listener = listener;
            this.sessionOfRank = new Session[size];
        }

        synchronized void joined(final int rank, final Session session)
        {
            sessionOfRank[rank] = session;
        }

        synchronized List<Session> sessions()
        {
            final List<Session> all = new ArrayList<>();
            for (final Session session : sessionOfRank)
            {
                if (session != null)
                {
                    all.add(session);
                }
            }
            return all;
        }

        /** Records the failure; returns the replies of the agreements it completes, to send outside the lock. */
        synchronized List<Runnable> markFailed(final int rank)
        {
            failed.set(rank);
            final List<Runnable> replies = new ArrayList<>();
            agreements.values().removeIf(agreement -> completes(agreement, replies));
            for (final Session waiter : releaseFence())
            {
                replies.add(() -> waiter.reply(KeyValueProtocol.OK));
            }
            return replies;
        }

        /**
         * Session {@code from} (rank {@code rank}) joins agreement {@code key} over {@code ranks} with {@code value};
         * returns the replies to send if that completed it.
         */
        synchronized List<Runnable> agree(final String key, final int[] ranks, final int rank, final long value,
            final Session from)
        {
            final Agreement agreement = agreements.computeIfAbsent(key, k -> new Agreement(ranks));
            agreement.value &= value;
            agreement.arrived.set(rank);
            agreement.waiting.add(from);
            final List<Runnable> replies = new ArrayList<>();
            if (completes(agreement, replies))
            {
                agreements.remove(key);
            }
            return replies;
        }

        /** Every rank of the agreement arrived or failed: its answer, one for all, goes to every waiting rank. */
        private boolean completes(final Agreement agreement, final List<Runnable> replies)
        {
            int failedCount = 0;
            for (final int r : agreement.ranks)
            {
                if (failed.get(r))
                {
                    failedCount++;
                }
                else if (!agreement.arrived.get(r))
                {
                    return false;
                }
            }
            final int[] failedRanks = new int[failedCount];
            int i = 0;
            for (final int r : agreement.ranks)
            {
                if (failed.get(r))
                {
                    failedRanks[i++] = r;
                }
            }
            final long value = agreement.value;
            for (final Session session : agreement.waiting)
            {
                replies.add(() -> session.replyAgreed(value, failedRanks));
            }
            return true;
        }

        /** Add {@code session} to the current fence; returns the waiters to release when it was the last. */
        synchronized List<Session> arriveAtFence(final Session session)
        {
            fenceWaiters.add(session);
            return releaseFence();
        }

        /** The fence's waiters once every rank that has not died arrived; else nothing. */
        private List<Session> releaseFence()
        {
            if (fenceWaiters.isEmpty() || fenceWaiters.size() < size - failed.cardinality())
            {
                return List.of();
            }
            final List<Session> released = new ArrayList<>(fenceWaiters);
            fenceWaiters.clear();
            return released;
        }
    }

    private final class Session
    {
        final Socket socket;
        volatile JobRecord job;
        int rank = -1;
        DataOutputStream out;

        Session(final Socket socket)
        {
            this.socket = socket;
        }

        void serve()
        {
            try (socket)
            {
                socket.setTcpNoDelay(true);
                final DataInputStream in =
                    new DataInputStream(new BufferedInputStream(socket.getInputStream(), INPUT_BUFFER_BYTES));
                if (!hello(in))
                {
                    return;
                }
                while (!closed)
                {
                    final int type = KeyValueProtocol.readType(in);
                    switch (type)
                    {
                        case KeyValueProtocol.PUT ->
                        {
                            final String key = KeyValueProtocol.readString(in);
                            put(key, KeyValueProtocol.readString(in));
                        }
                        case KeyValueProtocol.REMOVE -> remove(KeyValueProtocol.readString(in))
                        ;
                        case KeyValueProtocol.TAKE ->
                        {
                            final String prefix = KeyValueProtocol.readString(in);
                            final String abortKey = KeyValueProtocol.readString(in);
                            take(this, prefix, abortKey, in.readLong());
                        }
                        case KeyValueProtocol.SPAWN -> replySpawned(spawn(job.jobId, SpawnRequest.read(in)));
                        case KeyValueProtocol.FENCE ->
                        {
                            for (final Session waiter : job.arriveAtFence(this))
                            {
                                waiter.reply(KeyValueProtocol.OK);
                            }
                        }
                        case KeyValueProtocol.GET -> replyValue(entries.get(KeyValueProtocol.readString(in)));
                        case KeyValueProtocol.ABORT ->
                        {
                            final int errorCode = in.readInt();
                            job.listener.onAbort(rank, errorCode, KeyValueProtocol.readString(in));
                            reply(KeyValueProtocol.OK);
                        }
                        case KeyValueProtocol.REVOKE ->
                        {
                            final int context = in.readInt();
                            revoke(context, KeyValueProtocol.readRanks(in));
                        }
                        case KeyValueProtocol.AGREE ->
                        {
                            final int context = in.readInt();
                            final int sequence = in.readInt();
                            final int[] ranks = KeyValueProtocol.readRanks(in);
                            final long value = in.readLong();
                            for (final Runnable reply : job.agree(context + "/" + sequence + "/" +
                                java.util.Arrays.toString(ranks), ranks, rank, value, this))
                            {
                                reply.run();
                            }
                        }
                        case KeyValueProtocol.FINALIZED ->
                        {
                            job.listener.onFinalized(rank);
                            reply(KeyValueProtocol.OK);
                        }
                        default ->
                        {
                            // -1 is a clean end of stream; anything else is a peer we do not understand.
                            return;
                        }
                    }
                }
            }
            catch (final IOException ignore)
            {
                // A rank that died or closed: the process manager learns about it from the process exit.
            }
            catch (final RuntimeException | Error ex)
            {
                if (!closed)
                {
                    refusals.log("key-value connection from " + socket.getRemoteSocketAddress() + " failed: " +
                        describe(ex));
                }
            }
            finally
            {
                synchronized (unauthenticated)
                {
                    unauthenticated.remove(this);
                }
                sessions.remove(this);
                forgetTakes(this);
            }
        }

        /** REVOKE: tell the other ranks of {@code ranks} that are connected; dead ones have nothing to revoke. */
        private void revoke(final int context, final int[] ranks)
        {
            final List<Session> all = job.sessions();
            for (final Session session : all)
            {
                if (session != this && contains(ranks, session.rank))
                {
                    session.notice(KeyValueProtocol.REVOKED, context);
                }
            }
        }

        private static boolean contains(final int[] ranks, final int rank)
        {
            for (final int r : ranks)
            {
                if (r == rank)
                {
                    return true;
                }
            }
            return false;
        }

        /** An unsolicited notice (PROC_FAILED, REVOKED): whole messages, never inside a reply. */
        void notice(final byte type, final int value)
        {
            synchronized (this)
            {
                if (out == null)
                {
                    return;
                }
                try
                {
                    out.writeByte(type);
                    out.writeInt(value);
                    out.flush();
                }
                catch (final IOException ex)
                {
                    close();
                }
            }
        }

        void replyAgreed(final long value, final int[] failedRanks)
        {
            synchronized (this)
            {
                try
                {
                    out.writeByte(KeyValueProtocol.AGREED);
                    out.writeLong(value);
                    KeyValueProtocol.writeRanks(out, failedRanks);
                    out.flush();
                }
                catch (final IOException ex)
                {
                    close();
                }
            }
        }

        private boolean hello(final DataInputStream in) throws IOException
        {
            if (KeyValueProtocol.readType(in) != KeyValueProtocol.HELLO)
            {
                logRefusal(socket, "no HELLO");
                return false;
            }
            final byte[] presented =
                KeyValueProtocol.readString(in, MAX_HELLO_STRING_BYTES).getBytes(StandardCharsets.UTF_8);
            final String jobId = KeyValueProtocol.readString(in, MAX_HELLO_STRING_BYTES);
            final int claimedRank = in.readInt();
            final JobRecord record = jobs.get(jobId);
            if (record == null)
            {
                logRefusal(socket, "unknown job " + jobId);
                return false;
            }
            // Constant time, so the secret cannot be guessed byte by byte from response times.
            if (!MessageDigest.isEqual(presented, record.secret))
            {
                logRefusal(socket, "wrong secret for job " + jobId);
                return false;
            }
            if (claimedRank < 0 || claimedRank >= record.size)
            {
                logRefusal(socket, "rank " + claimedRank + " is not in job " + jobId + " of size " + record.size);
                return false;
            }
            if (!authenticated(this))
            {
                // Too late: expired or evicted meanwhile, its socket is closed.
                return false;
            }
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            job = record;
            rank = claimedRank;
            record.joined(rank, this);
            record.listener.onHello(rank);
            reply(KeyValueProtocol.OK);
            return true;
        }

        void reply(final byte type)
        {
            synchronized (this)
            {
                try
                {
                    out.writeByte(type);
                    out.flush();
                }
                catch (final IOException ex)
                {
                    close();
                }
            }
        }

        void replyValue(final String value)
        {
            synchronized (this)
            {
                try
                {
                    out.writeByte(KeyValueProtocol.VALUE);
                    out.writeByte(value == null ? 0 : 1);
                    if (value != null)
                    {
                        KeyValueProtocol.writeString(out, value);
                    }
                    out.flush();
                }
                catch (final IOException ex)
                {
                    close();
                }
            }
        }

        void replySpawned(final SpawnResult result)
        {
            synchronized (this)
            {
                try
                {
                    out.writeByte(KeyValueProtocol.SPAWNED);
                    result.write(out);
                    out.flush();
                }
                catch (final IOException ex)
                {
                    close();
                }
            }
        }

        void close()
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // Already gone.
            }
        }
    }
}
