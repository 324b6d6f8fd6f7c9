package io.mpi4j.runtime;

import io.mpi4j.coll.BlockingCollectives;
import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.comm.ProcessNames;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.progress.ProgressEngine;
import io.mpi4j.progress.WaitPolicy;
import io.mpi4j.runtime.pmi.DirectLaunch;
import io.mpi4j.runtime.pmi.PmiKeyValueStore;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;
import io.mpi4j.transport.TransportProvider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The process's MPI state between {@code MPI_Init} and {@code MPI_Finalize}: job identity, key-value exchange,
 * transports, progress engine, point-to-point layer and the predefined communicators.
 */
public final class MpiRuntime
{
    public static final int THREAD_SINGLE = 0;
    public static final int THREAD_FUNNELED = 1;
    public static final int THREAD_SERIALIZED = 2;
    public static final int THREAD_MULTIPLE = 3;

    /** Context ids of the predefined communicators; agreement for new ones starts above them. */
    public static final int WORLD_CONTEXT = 0;
    public static final int SELF_CONTEXT = 2;

    /** Environment variable naming the only transport to use ("shm"). */
    public static final String TRANSPORT_ENV = "MPI4J_TRANSPORT";

    /** Environment variable ({@code mpi4jrun --report-transports}): print which transport reaches each rank. */
    public static final String REPORT_TRANSPORTS_ENV = "MPI4J_REPORT_TRANSPORTS";

    /** Environment variable set by {@code mpi4jrun} when the job's hosts include another node than the launcher's. */
    public static final String MULTI_NODE_ENV = "MPI4J_MULTI_NODE";

    private static volatile MpiRuntime instance;
    private static volatile boolean finalized;

    private final JobEnvironment job;
    private final KeyValueStore keyValueStore;
    private final ProgressEngine engine;
    private final PointToPoint p2p;
    private final Communicator world;
    private final Communicator self;
    private final PeerDirectory peers;
    private final PinnedBuffers pinnedBuffers;
    private final int threadLevel;
    private final Thread mainThread;
    /** {@code mpi4jrun --enable-recovery}: a rank's death is reported to the others instead of ending the job. */
    private final boolean recovery;
    private final LauncherFailureCoordinator failureCoordinator;
    private final Transport[] transports;

    private MpiRuntime(final JobEnvironment job, final KeyValueStore keyValueStore, final Transport[] transports,
        final int threadLevel)
    {
        this.job = job;
        this.keyValueStore = keyValueStore;
        this.threadLevel = threadLevel;
        this.mainThread = Thread.currentThread();
        this.transports = transports;
        this.engine = new ProgressEngine(transports, oversubscribed(job));
        io.mpi4j.coll.NodeCollectives.identifyNode(nodeHash());
        io.mpi4j.coll.NodeCollectives.crowded(oversubscribed(job));
        this.peers = new PeerDirectory(keyValueStore, transports, job.jobId());
        this.pinnedBuffers = new PinnedBuffers(transports);
        this.p2p = new PointToPoint(engine, peers, threadLevel == THREAD_MULTIPLE);

        final long[] worldMembers = new long[job.size()];
        for (int rank = 0; rank < worldMembers.length; rank++)
        {
            worldMembers[rank] = ProcessKeys.key(0, rank);
        }
        this.world = new Communicator(WORLD_CONTEXT, job.rank(), worldMembers, "MPI_COMM_WORLD");
        this.self = new Communicator(SELF_CONTEXT, 0, new long[]{ ProcessKeys.key(0, job.rank()) }, "MPI_COMM_SELF");
        this.recovery = "1".equals(System.getenv(JobEnvironment.RECOVERY));
        this.failureCoordinator = new LauncherFailureCoordinator(keyValueStore, p2p);
        keyValueStore.failureListener(new FailureNotices(p2p));
        final PeerLoss peerLoss = new PeerLoss(job.jobId(), job.rank(),
            keyValueStore instanceof PmiKeyValueStore manager ? manager : null, recovery ? p2p : null);
        for (int i = 0; i < transports.length && peerLoss.acts(); i++)
        {
            transports[i].peerLossListener(peerLoss);
        }
    }

    /** The launcher's notices, handed to point-to-point (which applies them on its own thread). */
    private static final class FailureNotices implements KeyValueStore.FailureListener
    {
        private final PointToPoint p2p;

        FailureNotices(final PointToPoint p2p)
        {
            this.p2p = p2p;
        }

        @Override
        public void processFailed(final int rank)
        {
            p2p.noticeProcessFailure(ProcessKeys.key(0, rank));
        }

        @Override
        public void revoked(final int contextId)
        {
            p2p.noticeRevoke(contextId);
        }
    }

    /** Revoke and agreement for ULFM's calls: through the launcher that runs this job. */
    public io.mpi4j.comm.FailureCoordinator failureCoordinator()
    {
        return failureCoordinator;
    }

    /** True in a job started with {@code mpi4jrun --enable-recovery}. */
    public boolean recoveryEnabled()
    {
        return recovery;
    }

    /** MPI_Init_thread: set up the process; returns the thread level provided (all levels are provided). */
    public static synchronized int init(final String[] args, final int required)
    {
        if (instance != null)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, "MPI_Init: MPI is already initialized");
        }
        if (finalized)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, "MPI_Init: MPI has been finalized and cannot be initialized again");
        }
        final int provided = Math.max(THREAD_SINGLE, Math.min(required, THREAD_MULTIPLE));

        JobEnvironment job = JobEnvironment.fromEnvironment(System.getenv());
        // Started by a process manager itself (srun --mpi=pmi2): identity and exchange come from PMI-2, and before
        // the transports open, which must know whether the job spans nodes.
        DirectLaunch.Started direct = null;
        if (job == null && DirectLaunch.isDirectLaunch(System.getenv()))
        {
            try
            {
                direct = DirectLaunch.start(System.getenv());
            }
            catch (final IOException ex)
            {
                throw new MpiError(ErrorClass.ERR_OTHER, "MPI_Init: direct launch through PMI-2 failed: " +
                    ErrorText.of(ex), ex);
            }
            job = direct.job();
            // No launcher removes the files of a rank that died: a rank of a failing job (one that ends without
            // MPI_Finalize, killed by the manager or halting) removes its job's files on its node.
            final Runnable cleanup = new FailedJobCleanup(job.jobId());
            Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "mpi4j-failed-job-cleanup"));
            HaltCleanup.add(cleanup);
        }
        if (job == null)
        {
            job = JobEnvironment.singleton();
        }
        KeyValueStore keyValueStore = null;
        Transport[] transports = new Transport[0];
        // Compiles the hot paths of point-to-point on a private pair of processes while this thread waits for the
        // transports and the key-value exchange, so the program's first messages run at full speed. Not with more
        // ranks than cores: there every rank's rehearsal (and its compilations) would take a core from another's.
        final HotPathRehearsal rehearsal = oversubscribed(job) ? null : HotPathRehearsal.start(job.jobId(), job.rank());
        try
        {
            // Opening the transports (class loading, inbox file) overlaps the key-value connect (socket round
            // trip, the launcher's session thread): both are start-up latency of every process, spawned ones above all.
            final JobEnvironment joining = job;
            final FutureTask<Transport[]> opening = new FutureTask<>(new TransportOpening(joining));
            final Thread opener = new Thread(opening, "mpi4j-init-transports");
            opener.setDaemon(true);
            opener.start();
            try
            {
                keyValueStore = direct != null ? direct.keyValueStore() : job.isSingleton() ?
                    new LocalKeyValueStore(job.jobId(), job.universeSize()) : KeyValueClient.connect(job);
            }
            catch (final IOException | RuntimeException ex)
            {
                try
                {
                    transports = awaitTransports(opening);
                }
                catch (final IOException | RuntimeException ignored)
                {
                    // The key-value failure is the one to report.
                }
                throw ex;
            }
            transports = awaitTransports(opening);
            final StringBuilder addresses = new StringBuilder();
            for (final Transport transport : transports)
            {
                addresses.append(addresses.length() == 0 ? "" : ",").append(transport.address());
            }
            keyValueStore.put(PeerDirectory.addressKey(job.jobId(), job.rank()), addresses.toString());
            keyValueStore.fence();
            if (rehearsal != null)
            {
                rehearsal.awaitThenFinish();
            }
            instance = new MpiRuntime(job, keyValueStore, transports, provided);
            if (System.getenv(REPORT_TRANSPORTS_ENV) != null)
            {
                instance.reportTransports();
            }
            return provided;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (rehearsal != null)
            {
                rehearsal.finish();
            }
            for (final Transport transport : transports)
            {
                transport.close();
            }
            if (keyValueStore != null)
            {
                keyValueStore.close();
            }
            if (ex instanceof MpiError)
            {
                throw (MpiError)ex;
            }
            throw new MpiError(ErrorClass.ERR_OTHER, "MPI_Init failed: " + ErrorText.of(ex), ex);
        }
    }

    /** How the waits of this process idle. */
    public WaitPolicy waitPolicy()
    {
        return engine.waitPolicy();
    }

    /** Whether this job has more ranks than this node has cores: its waits yield at once. */
    public boolean oversubscribed()
    {
        return moreRanksPerCoreThan(1);
    }

    /** Whether this job has more than {@code ranksPerCore} ranks per core of this node (its ranks on this node). */
    public boolean moreRanksPerCoreThan(final int ranksPerCore)
    {
        return null != job && moreRanksPerCoreThan(job, ranksPerCore);
    }

    /** Whether the job has more ranks on this node than the node has cores. */
    private static boolean oversubscribed(final JobEnvironment job)
    {
        return moreRanksPerCoreThan(job, 1);
    }

    private static boolean moreRanksPerCoreThan(final JobEnvironment job, final int ranksPerCore)
    {
        return job.localSize() > (long)ranksPerCore * Runtime.getRuntime().availableProcessors();
    }

    /** The transports {@code opening} opened; its failure rethrown as is (IOException, MpiError, other). */
    private static Transport[] awaitTransports(final FutureTask<Transport[]> opening) throws IOException
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return opening.get();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
                catch (final ExecutionException ex)
                {
                    final Throwable cause = ex.getCause();
                    if (cause instanceof IOException io)
                    {
                        throw io;
                    }
                    if (cause instanceof RuntimeException runtime)
                    {
                        throw runtime;
                    }
                    if (cause instanceof Error error)
                    {
                        throw error;
                    }
                    throw new IOException(String.valueOf(cause), cause);
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One line on stderr: the transport this rank uses to reach each rank of its world (and itself). */
    private void reportTransports()
    {
        final StringBuilder line = new StringBuilder("mpi4j: rank ").append(job.rank()).append(" on ")
            .append(nodeId()).append(" reaches");
        for (int rank = 0; rank < job.size(); rank++)
        {
            line.append(rank == 0 ? " " : ", ").append(rank).append(':').append(peers.transportTo(job.jobId(), rank));
        }
        System.err.println(line);
        // A second line, so the first keeps its shape for whoever parses it.
        final StringBuilder reads = new StringBuilder();
        for (final Transport transport : transports)
        {
            if (null != transport.remoteMemory())
            {
                reads.append(reads.length() == 0 ? "" : ", ").append(transport.name());
            }
        }
        if (reads.length() > 0)
        {
            System.err.println("mpi4j: rank " + job.rank() + " single-copy reads through " + reads +
                " (rendezvous messages from native memory)");
        }
        System.err.println("mpi4j: rank " + job.rank() + " is " + job.localRank() + " of " + job.localSize() +
            " ranks on " + Runtime.getRuntime().availableProcessors() + " cores here; waits " + waitPolicy());
    }

    /*
     * MPI_Init's path is written without lambdas, or with lambdas made when the class is initialised (which a spare
     * JVM does ahead of time): a lambda's first call links it, milliseconds in the new JVM of a spawned process.
     */
    static final Comparator<TransportProvider> BY_PRIORITY_DESCENDING =
        Comparator.comparingInt(TransportProvider::priority).reversed();

    /** Opens the transports on a thread of its own while MPI_Init connects to the key-value service. */
    private static final class TransportOpening implements java.util.concurrent.Callable<Transport[]>
    {
        private final JobEnvironment job;

        TransportOpening(final JobEnvironment job)
        {
            this.job = job;
        }

        @Override
        public Transport[] call() throws IOException
        {
            return openTransports(job);
        }
    }

    private static Transport[] openTransports(final JobEnvironment job) throws IOException
    {
        final String forced = System.getenv(TRANSPORT_ENV);
        final TransportContext context = new TransportContext(job.jobId(), job.rank(), nodeId(), "mpi4j-" + job.jobId());
        final List<TransportProvider> providers = new ArrayList<>();
        for (final TransportProvider provider : ServiceLoader.load(TransportProvider.class, MpiRuntime.class.getClassLoader()))
        {
            providers.add(provider);
        }
        providers.sort(BY_PRIORITY_DESCENDING);

        final List<Transport> opened = new ArrayList<>();
        final StringBuilder reasons = new StringBuilder();
        for (final TransportProvider provider : providers)
        {
            if (forced != null && !forced.isEmpty() && !forced.equals(provider.name()))
            {
                continue;
            }
            final String reason = provider.unavailableReason();
            if (reason != null)
            {
                reasons.append("; ").append(provider.name()).append(": ").append(reason);
                // Said only when it matters: the transport was asked for, the transports are being reported, or
                // the job spans nodes (where RDMA joins them); a job on one node has shared memory and no use for
                // RDMA. One line per launch, not one per rank or per spawned job: every rank of a node would say
                // the same, and a spawn loop would repeat it once per child.
                final boolean matters = forced != null && !forced.isEmpty() ||
                    System.getenv(REPORT_TRANSPORTS_ENV) != null || spansNodes();
                if (matters && job.rank() == 0 && System.getenv(JobEnvironment.PARENT_PORT) == null)
                {
                    System.err.println("mpi4j: transport " + provider.name() + " unavailable: " + reason);
                }
                continue;
            }
            if (forced != null && !forced.isEmpty())
            {
                opened.add(provider.open(context));
                continue;
            }
            try
            {
                opened.add(provider.open(context));
            }
            catch (final IOException | RuntimeException ex)
            {
                // A transport nobody asked for that cannot open here (an address that does not resolve, a port
                // refused) must not fail MPI_Init: the others may reach every peer, and a peer that only it could
                // reach fails at its first message with "cannot reach rank N", as any unreachable peer does.
                final String failure = "cannot open: " + ErrorText.of(ex);
                reasons.append("; ").append(provider.name()).append(": ").append(failure);
                if (job.rank() == 0 && System.getenv(JobEnvironment.PARENT_PORT) == null &&
                    (System.getenv(REPORT_TRANSPORTS_ENV) != null || spansNodes()))
                {
                    System.err.println("mpi4j: transport " + provider.name() + " unavailable: " + failure);
                }
            }
        }
        if (opened.isEmpty())
        {
            throw new MpiError(ErrorClass.ERR_OTHER, (forced != null
                ? "transport '" + forced + "' (from " + TRANSPORT_ENV + ") is not usable"
                : "no usable transport (is mpi4j-transport-shm on the class path?)") + reasons);
        }
        return opened.toArray(new Transport[0]);
    }

    /** Whether the job spans nodes: set by mpi4jrun in the environment, by a PMI-2 direct launch as a property. */
    private static boolean spansNodes()
    {
        return System.getenv(MULTI_NODE_ENV) != null || System.getProperty(MULTI_NODE_ENV) != null;
    }

    /**
     * Identity of this node: two processes with the same node id share memory. Host name and boot id tell machines
     * apart; the network namespace tells apart the nodes that containers and network namespaces make of one machine
     * (their processes may see one /dev/shm, but they are different hosts to the launcher and to TCP).
     */
    public static String nodeId()
    {
        return hostAndBoot() + networkNamespace();
    }

    /**
     * A 64-bit digest (FNV-1a) of {@link #nodeId()}: what processes exchange in one collective to tell whether, or
     * with whom, they share a node.
     */
    public static long nodeHash()
    {
        final String node = nodeId();
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < node.length(); i++)
        {
            hash = (hash ^ node.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    /** "-net" and the inode of this process's network namespace, or "" where there is none to read (not Linux). */
    private static String networkNamespace()
    {
        try
        {
            // "net:[4026531840]": only the digits, the rest would be noise in every shm and tcp address.
            return "-net" + Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().replaceAll("\\D", "");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return "";
        }
    }

    private static String hostAndBoot()
    {
        String host;
        try
        {
            // The kernel's host name is what getLocalHost().getHostName() starts from, without its name lookup.
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        }
        catch (final IOException ex)
        {
            host = "";
        }
        if (host.isEmpty())
        {
            try
            {
                host = InetAddress.getLocalHost().getHostName();
            }
            catch (final IOException ex)
            {
                host = "localhost";
            }
        }
        try
        {
            return host + "-" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        }
        catch (final IOException ex)
        {
            return host;
        }
    }

    /** MPI_Finalize: synchronise the world, tell the launcher, release transports. */
    public static synchronized void shutdown()
    {
        final MpiRuntime runtime = get();
        try
        {
            if (runtime.recovery)
            {
                // A barrier over the world would fail on a dead rank; the launcher's agreement waits only for the
                // live ones, and every survivor finalizes the same way.
                runtime.failureCoordinator.agree(runtime.world, runtime.world.nextAgreementSequence(), 0);
            }
            else
            {
                BlockingCollectives.barrier(runtime.p2p, runtime.world);
            }
            runtime.keyValueStore.finalized();
        }
        catch (final IOException ex)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, "MPI_Finalize: key-value exchange failed: " + ErrorText.of(ex), ex);
        }
        finally
        {
            runtime.engine.close();
            runtime.keyValueStore.close();
            finalized = true;
            instance = null;
        }
    }

    /**
     * Memory for {@code MPI.newByteBuffer}: a direct buffer, registered once with the transports that read peers'
     * memory (RDMA) while MPI is initialized, so large transfers from or into it skip registration.
     */
    public static ByteBuffer newDirectBuffer(final int capacity)
    {
        final MpiRuntime runtime = instance;
        if (runtime == null)
        {
            return ByteBuffer.allocateDirect(capacity);
        }
        final ByteBuffer[] buffer = new ByteBuffer[1];
        runtime.p2p.withLock(() -> buffer[0] = runtime.pinnedBuffers.allocate(capacity));
        return buffer[0];
    }

    public static boolean isInitialized()
    {
        return instance != null || finalized;
    }

    public static boolean isFinalized()
    {
        return finalized;
    }

    /** The runtime, or MpiError(ERR_OTHER) saying MPI is not initialized / already finalized. */
    public static MpiRuntime get()
    {
        final MpiRuntime runtime = instance;
        if (runtime == null)
        {
            throw new MpiError(ErrorClass.ERR_OTHER, finalized
                ? "MPI has been finalized: no MPI call is allowed after MPI.Finalize"
                : "MPI is not initialized: call MPI.Init first");
        }
        return runtime;
    }

    public Communicator world()
    {
        return world;
    }

    public Communicator self()
    {
        return self;
    }

    public PointToPoint p2p()
    {
        return p2p;
    }

    public int threadLevel()
    {
        return threadLevel;
    }

    /** MPI_Is_thread_main. */
    public boolean isMainThread()
    {
        return Thread.currentThread() == mainThread;
    }

    public JobEnvironment job()
    {
        return job;
    }

    /** The key-value exchange (dynamic processes: ports, names, spawn). */
    public KeyValueStore keyValueStore()
    {
        return keyValueStore;
    }

    /** Process key of rank {@code rank} of job {@code jobId}, registering the job on first sight. */
    public synchronized long processKey(final String jobId, final int rank)
    {
        return ProcessKeys.key(peers.jobIndex(jobId), rank);
    }

    /** Key/name translation for the communicator layer (groups crossing between jobs). */
    public ProcessNames processNames()
    {
        return new ProcessNames()
        {
            @Override
            public String name(final long processKey)
            {
                return processName(processKey);
            }

            @Override
            public long key(final String name)
            {
                final int colon = name.lastIndexOf(':');
                return processKey(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1)));
            }
        };
    }

    /** Global name "jobId:rank" of a process key: what two jobs exchange to name processes. */
    public synchronized String processName(final long processKey)
    {
        return peers.jobId(ProcessKeys.jobIndex(processKey)) + ":" + ProcessKeys.rank(processKey);
    }

    /**
     * Close the connections to processes of job {@code jobId} (after MPI_Comm_disconnect from it), so that a
     * program spawning again and again keeps no mappings of jobs that are gone. Call with no traffic in flight.
     */
    public void forgetJob(final String jobId)
    {
        p2p.withLock(() -> peers.forgetJob(jobId));
    }

    /** MPI_Abort: kill the whole job with {@code errorCode}; never returns. */
    public void abort(final int errorCode, final String message)
    {
        System.out.flush();
        System.err.println("mpi4j: rank " + job.rank() + " called MPI_Abort(" + errorCode + ")" +
            (message == null || message.isEmpty() ? "" : ": " + message));
        System.err.flush();
        keyValueStore.abort(errorCode, message == null ? "" : message);
        engine.close();
        HaltCleanup.runAll();
        Runtime.getRuntime().halt(errorCode == 0 ? 1 : errorCode & 0xff);
    }

    /** MPI_Get_processor_name. */
    public String processorName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return "localhost";
        }
    }
}
