package io.mpi4j.runtime;

import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.p2p.SendMode;
import io.mpi4j.p2p.StatusRecord;
import io.mpi4j.progress.ProgressEngine;
import io.mpi4j.transport.Transport;
import io.mpi4j.transport.TransportContext;
import io.mpi4j.transport.TransportProvider;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * MPI_Init's rehearsal of the point-to-point hot paths, so that a program's first messages run compiled code
 * rather than the interpreter's (a cold 0-byte round trip costs ten times a warm one): a thread of its own drives
 * the very classes the program's messages go through (point-to-point, its matching and protocols, the progress
 * engine, the shared-memory transport, pack cursors) enough times for the JIT to compile them, while the main
 * thread waits for the key-value exchange.
 * <p>
 * It plays both ends of a private pair of processes inside this JVM: a job of its own (two inboxes, two
 * {@link PointToPoint} stacks, a key-value store of its own), driven from one thread by steps that never wait for
 * the other end (a blocking receive only once its message is in the ring; rendezvous and windows by alternating
 * tests). Nothing of it reaches the program's state: no message, matching entry or statistic of the real stack,
 * and its inbox files are removed when it ends (named after the job, so the launcher removes them too should this
 * process be killed meanwhile). It runs at most once per JVM (a spare JVM rehearses before it becomes a rank),
 * for at most {@link #BUDGET_NANOS}, and stops early when told; it runs only with {@code MPI4J_REHEARSAL=1},
 * never without the shared-memory transport nor where another transport is forced.
 * <p>
 * What makes a rehearsal pay (each measured with the JIT's compilation log of a 2-core host):
 * <ul>
 * <li>It must end with the compilations it caused. The rounds only make methods hot; the JIT's one C2 thread
 * compiles them later, queue after queue, each a tree of 150-190 inlined methods (the progress loop reaches every
 * frame handler). A rehearsal that stopped at its last round left that queue to be compiled during the program's
 * first messages, on the cores both ranks poll on. So after its rounds it waits until the JIT has been quiet for
 * {@link #QUIET_NANOS}.</li>
 * <li>Its profile must be the program's: its progress engine polls the same transports (in the same order) as the
 * job's, so the engine's call to {@code Transport.poll} is compiled for the classes the job has, not for shared
 * memory alone (a class check the first real turn would fail, throwing the compiled loop away).</li>
 * <li>Its budget is its own: counted from the end of its set-up (opening transports, class loading), which alone
 * took 170-300 ms on a loaded host, so that it runs its rounds at all.</li>
 * </ul>
 */
final class HotPathRehearsal implements Runnable
{
    /**
     * Environment variable: {@code 1} turns the rehearsal on.
     */
    static final String ENV = "MPI4J_REHEARSAL";

    /** Environment variable: when set, each rank says on stderr how long its rehearsal took and what it did. */
    static final String REPORT_ENV = "MPI4J_REHEARSAL_REPORT";

    /** Longest a rehearsal runs once set up (rounds and the wait for the JIT): bounds what it adds to MPI_Init. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

    /** How long the JIT must have finished no compilation before its queue counts as drained. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

    /**
     * Rounds (each a few dozen messages) that get the hot paths through the JIT's thresholds (some thousands of
     * calls to be profiled, ten thousand or so to be compiled optimised).
     */
    static final int ROUNDS = 4_000;

    /** Context id of the private pair's messages: they never meet the program's. */
    private static final int CONTEXT = 0;
    private static final int TAG = 7;
    private static final int WINDOW = 8;
    private static final int EAGER_SIZES = 15;
    private static final int RENDEZVOUS_BYTES = 128 << 10;
    private static final int LARGE_RENDEZVOUS_BYTES = 1 << 20;
    /** A vector of 8-byte items, one of every two: the halo-exchange shape. */
    private static final TypeMap COLUMN = TypeMap.vector(64, 1, 2, TypeMap.basic(Long.BYTES, Long.BYTES));

    private static final BooleanSupplier ALWAYS = () -> true;

    private static volatile boolean rehearsed;

    private final String jobId;
    private final BooleanSupplier running;
    private final long startNs = System.nanoTime();
    /** Until the set-up is done: the budget from the start, so that a stalled set-up cannot hold MPI_Init longer. */
    private volatile long deadline = startNs + BUDGET_NANOS;
    private volatile boolean stop;
    /** Rounds run; read by {@link #finish()} after the join. */
    private int rounds;
    /** Set-up, rounds and wait for the JIT, in ms: what {@link #report} says. */
    private long setUpMs;
    private long roundsMs;
    private long quietMs = -1;
    private Thread thread;

    private HotPathRehearsal(final String jobId, final BooleanSupplier running)
    {
        this.jobId = jobId;
        this.running = running;
    }

    /** Whether a rehearsal is due in this JVM: not done yet (a spare JVM did it ahead), not switched off. */
    private static synchronized boolean claim()
    {
        if (rehearsed || !"1".equals(System.getenv(ENV)))
        {
            return false;
        }
        final String forced = System.getenv(MpiRuntime.TRANSPORT_ENV);
        if (forced != null && !forced.isEmpty() && !"shm".equals(forced))
        {
            return false;
        }
        rehearsed = true;
        return true;
    }

    /**
     * Starts a rehearsal on a thread of its own, under job id {@code <ownJobId>_r<rank>} (so that the launcher's
     * removal of the job's files covers it); null when none is due (done already in this JVM, switched off, or
     * another transport forced).
     */
    static HotPathRehearsal start(final String ownJobId, final int rank)
    {
        // A spawned process started cold: the spawn's latency is its MPI_Init (spares rehearse ahead instead).
        if (System.getenv(JobEnvironment.PARENT_PORT) != null || !claim())
        {
            return null;
        }
        final HotPathRehearsal rehearsal = new HotPathRehearsal(ownJobId + "_r" + rank, ALWAYS);
        rehearsal.thread = new Thread(rehearsal, "mpi4j-init-rehearsal");
        rehearsal.thread.setDaemon(true);
        rehearsal.thread.start();
        return rehearsal;
    }

    /**
     * Rehearses on the calling thread (a spare JVM's preloader, ahead of its MPI_Init) until done, out of budget or
     * {@code running} says stop; MPI_Init in this JVM then rehearses no more.
     */
    static void runInPlace(final String jobId, final BooleanSupplier running)
    {
        if (claim())
        {
            new HotPathRehearsal(jobId, running).run();
        }
    }

    /** Stops the rehearsal (at its next round) and waits until its files are gone; returns the rounds it ran. */
    int finish()
    {
        stop = true;
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return rounds;
    }

    /** Waits until the rehearsal is done, at most until its budget ends; then as {@link #finish()}. */
    int awaitThenFinish()
    {
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && thread.isAlive())
        {
            try
            {
                // The deadline moves once the set-up is done: look again after at most the budget.
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        final int done = finish();
        if (System.getenv(REPORT_ENV) != null)
        {
            report();
        }
        return done;
    }

    private void report()
    {
        System.err.println("mpi4j: rehearsal of the hot paths: " + rounds + " rounds, set-up " + setUpMs +
            " ms, rounds " + roundsMs + " ms, " + (quietMs < 0 ? "JIT not quiet before the budget ran out" :
            "JIT quiet after " + quietMs + " ms") + ", MPI_Init held " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms from its start");
    }

    private boolean goOn()
    {
        return !stop && running.getAsBoolean() && System.nanoTime() - deadline < 0;
    }

    @Override
    public void run()
    {
        final List<Transport> opened = new ArrayList<>();
        try
        {
            final List<TransportProvider> providers = jobProviders();
            if (providers.isEmpty() || !"shm".equals(providers.get(0).name()))
            {
                return;
            }
            // Process indexes 1 and 2: index 0 would start the transport's once-per-job sweep of stale files.
            final Transport[] first = open(providers, 1, opened);
            final Transport[] second = open(providers, 2, opened);
            final LocalKeyValueStore addresses = new LocalKeyValueStore();
            // Only the shared-memory address is published: the others are there to be polled, as the job's are.
            addresses.put(PeerDirectory.addressKey(jobId, 1), first[0].address());
            addresses.put(PeerDirectory.addressKey(jobId, 2), second[0].address());
            final long[] members = { ProcessKeys.key(0, 1), ProcessKeys.key(0, 2) };
            final Side a = new Side(first, addresses, jobId, new MessageEndpoint(CONTEXT, 0, members));
            final Side b = new Side(second, addresses, jobId, new MessageEndpoint(CONTEXT, 1, members));
            final long setUp = System.nanoTime();
            setUpMs = TimeUnit.NANOSECONDS.toMillis(setUp - startNs);
            deadline = setUp + BUDGET_NANOS;
            while (rounds < ROUNDS && goOn())
            {
                round(a, b, rounds);
                rounds++;
            }
            final long roundsEnd = System.nanoTime();
            roundsMs = TimeUnit.NANOSECONDS.toMillis(roundsEnd - setUp);
            if (CompilerQuiet.await(QUIET_NANOS, this::goOn))
            {
                quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundsEnd);
            }
        }
        catch (final IOException | RuntimeException | LinkageError | AssertionError ignore)
        {
            // A warm-up only: the program meets the same error, if any, on its own stack.
        }
        finally
        {
            for (final Transport transport : opened)
            {
                close(transport);
            }
            ShmCleaner.removeJobFiles(jobId);
        }
    }

    /** One side's transports, the shared-memory one first; each opened one is added to {@code opened}. */
    private Transport[] open(final List<TransportProvider> providers, final int index, final List<Transport> opened)
        throws IOException
    {
        final TransportContext context = new TransportContext(jobId, index, MpiRuntime.nodeId(), "mpi4j-" + jobId);
        final List<Transport> side = new ArrayList<>();
        for (final TransportProvider provider : providers)
        {
            try
            {
                final Transport transport = provider.open(context);
                opened.add(transport);
                side.add(transport);
            }
            catch (final IOException | RuntimeException ex)
            {
                if (side.isEmpty())
                {
                    throw ex;
                }
                // The job skips a transport it cannot open too; a missing one only makes the profile differ.
            }
        }
        return side.toArray(new Transport[0]);
    }

    private static void close(final Transport transport)
    {
        try
        {
            transport.close();
        }
        catch (final RuntimeException ignore)
        {
            // Its files go with removeJobFiles.
        }
    }

    /** The providers MPI_Init opens for the job, in the order its progress engine polls them. */
    private static List<TransportProvider> jobProviders()
    {
        // claim() let only an unforced job or one forced to shared memory through
        final boolean onlyShm = null != System.getenv(MpiRuntime.TRANSPORT_ENV) &&
            !System.getenv(MpiRuntime.TRANSPORT_ENV).isEmpty();
        final List<TransportProvider> providers = new ArrayList<>();
        for (final TransportProvider provider :
            ServiceLoader.load(TransportProvider.class, HotPathRehearsal.class.getClassLoader()))
        {
            if ((!onlyShm || "shm".equals(provider.name())) && provider.unavailableReason() == null)
            {
                providers.add(provider);
            }
        }
        providers.sort(MpiRuntime.BY_PRIORITY_DESCENDING);
        return providers;
    }

    /** One end of the pair: its stack, endpoint and buffers (a direct one and an array, as programs use both). */
    private static final class Side
    {
        final PointToPoint p2p;
        final MessageEndpoint endpoint;
        final ByteBuffer direct = ByteBuffer.allocateDirect(LARGE_RENDEZVOUS_BYTES);
        final long directAddress = Memory.directAddress(direct);
        final byte[] array = new byte[RENDEZVOUS_BYTES];
        final long[] column = new long[(int)(COLUMN.extent() / Long.BYTES) + 1];
        final Operation[] window = new Operation[WINDOW];
        final StatusRecord status = new StatusRecord();

        Side(final Transport[] transports, final KeyValueStore addresses, final String jobId,
            final MessageEndpoint endpoint)
        {
            this.p2p = new PointToPoint(new ProgressEngine(transports, false),
                new PeerDirectory(addresses, transports, jobId), false);
            this.endpoint = endpoint;
        }
    }

    /**
     * One round: the shapes of message traffic programs and benchmarks start with. Only steps whose completion
     * needs nothing more of the other end wait; the others alternate tests of both ends.
     */
    private void round(final Side a, final Side b, final int round)
    {
        final int bytes = round % EAGER_SIZES == 0 ? 0 : 1 << (round % EAGER_SIZES - 1);

        // Blocking ping-pong (osu_latency), on direct buffers and on arrays.
        a.p2p.send(a.endpoint, null, a.directAddress, bytes, 1, TAG, SendMode.STANDARD);
        b.p2p.recv(b.endpoint, null, b.directAddress, bytes, 0, TAG, b.status);
        b.p2p.send(b.endpoint, null, b.directAddress, bytes, 0, TAG, SendMode.STANDARD);
        a.p2p.recv(a.endpoint, null, a.directAddress, bytes, 1, TAG, a.status);
        a.p2p.send(a.endpoint, a.array, Memory.BYTE_ARRAY_BASE, bytes, 1, TAG, SendMode.STANDARD);
        b.p2p.recv(b.endpoint, b.array, Memory.BYTE_ARRAY_BASE, bytes, PointToPoint.ANY_SOURCE,
            PointToPoint.ANY_TAG, b.status);

        // A window of non-blocking sends and receives (osu_bw), the receives posted first, then late.
        for (int i = 0; i < WINDOW; i++)
        {
            b.window[i] = b.p2p.irecv(b.endpoint, null, b.directAddress, bytes, 0, TAG);
        }
        for (int i = 0; i < WINDOW; i++)
        {
            a.window[i] = a.p2p.isend(a.endpoint, null, a.directAddress, bytes, 1, TAG, SendMode.STANDARD);
        }
        settle(a, b);
        for (int i = 0; i < WINDOW; i++)
        {
            a.window[i] = a.p2p.isend(a.endpoint, a.array, Memory.BYTE_ARRAY_BASE, bytes, 1, TAG + 1,
                SendMode.STANDARD);
        }
        b.p2p.completion().progress();
        for (int i = 0; i < WINDOW; i++)
        {
            b.window[i] = b.p2p.irecv(b.endpoint, b.array, Memory.BYTE_ARRAY_BASE, bytes, 0, TAG + 1);
        }
        settle(a, b);

        // Synchronous send, probe and matched probe.
        final Operation sync = a.p2p.isend(a.endpoint, null, a.directAddress, bytes, 1, TAG, SendMode.SYNCHRONOUS);
        b.p2p.probes().probe(b.endpoint, 0, TAG, b.status);
        b.p2p.recv(b.endpoint, null, b.directAddress, bytes, 0, TAG, b.status);
        a.p2p.completion().await(sync);
        b.p2p.send(b.endpoint, null, b.directAddress, bytes, 0, TAG, SendMode.STANDARD);
        a.p2p.probes().iprobe(a.endpoint, PointToPoint.ANY_SOURCE, PointToPoint.ANY_TAG, a.status);
        a.p2p.mrecv(a.p2p.probes().mprobe(a.endpoint, 1, TAG, a.status), null, a.directAddress, bytes, a.status);

        // A vector-typed message (a halo column), and MPI_Pack/MPI_Unpack of it.
        a.p2p.send(a.endpoint, a.column, Memory.LONG_ARRAY_BASE, COLUMN.size(), COLUMN, 1, TAG, SendMode.STANDARD);
        b.p2p.recv(b.endpoint, b.column, Memory.LONG_ARRAY_BASE, COLUMN.size(), COLUMN, 0, TAG, b.status);
        Packer.pack(COLUMN, 1, a.column, Memory.LONG_ARRAY_BASE, a.array, 0);
        Packer.unpack(a.array, 0, COLUMN, 1, b.column, Memory.LONG_ARRAY_BASE);

        // Rendezvous, now and then: a large message at every size step, a very large one more rarely.
        if (round % 8 == 0)
        {
            final int large = round % 64 == 0 ? LARGE_RENDEZVOUS_BYTES : RENDEZVOUS_BYTES;
            final Object base = large > RENDEZVOUS_BYTES || round % 16 == 0 ? null : a.array;
            final long sendAddress = base == null ? a.directAddress : Memory.BYTE_ARRAY_BASE;
            final long recvAddress = base == null ? b.directAddress : Memory.BYTE_ARRAY_BASE;
            b.window[0] = b.p2p.irecv(b.endpoint, base == null ? null : b.array, recvAddress, large, 0, TAG);
            a.window[0] = a.p2p.isend(a.endpoint, base, sendAddress, large, 1, TAG, SendMode.STANDARD);
            for (int i = 1; i < WINDOW; i++)
            {
                a.window[i] = null;
                b.window[i] = null;
            }
            settle(a, b);
        }
    }

    /** Turns both ends until every operation of both windows is complete (or the rehearsal must stop). */
    private void settle(final Side a, final Side b)
    {
        while (true)
        {
            boolean done = true;
            for (int i = 0; i < WINDOW; i++)
            {
                done &= isDone(a, a.window[i]) & isDone(b, b.window[i]);
            }
            if (done)
            {
                break;
            }
            if (!goOn())
            {
                throw new IllegalStateException("rehearsal stopped");
            }
        }
        a.p2p.completion().awaitAll(a.window);
        b.p2p.completion().awaitAll(b.window);
    }

    private static boolean isDone(final Side side, final Operation op)
    {
        return op == null || side.p2p.completion().test(op);
    }
}
