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
 * without the shared-memory transport, and where another transport is forced.
 */
final class HotPathRehearsal implements Runnable
{
    /**
     * Environment variable: {@code 1} turns the rehearsal on. Off by default: on a two-core host, interleaved OSU
     * runs with it were slower, not faster (its profiles differ from a real peer's, so the first real exchanges
     * recompile what it compiled, while both ranks hold the cores).
     */
    static final String ENV = "MPI4J_REHEARSAL";

    /** Longest a rehearsal runs: bounds what it adds to MPI_Init on a loaded machine. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

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
    private final long deadline;
    private volatile boolean stop;
    /** Rounds run; read by {@link #finish()} after the join. */
    private int rounds;
    private Thread thread;

    private HotPathRehearsal(final String jobId, final BooleanSupplier running)
    {
        this.jobId = jobId;
        this.running = running;
        this.deadline = System.nanoTime() + BUDGET_NANOS;
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
        final long left = deadline - System.nanoTime();
        if (left > 0)
        {
            try
            {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return finish();
    }

    private boolean goOn()
    {
        return !stop && running.getAsBoolean() && System.nanoTime() - deadline < 0;
    }

    @Override
    public void run()
    {
        Transport first = null;
        Transport second = null;
        try
        {
            final TransportProvider shm = sharedMemoryProvider();
            if (shm == null)
            {
                return;
            }
            final String node = MpiRuntime.nodeId();
            // Process indexes 1 and 2: index 0 would start the transport's once-per-job sweep of stale files.
            first = shm.open(new TransportContext(jobId, 1, node, "mpi4j-" + jobId));
            second = shm.open(new TransportContext(jobId, 2, node, "mpi4j-" + jobId));
            final LocalKeyValueStore addresses = new LocalKeyValueStore();
            addresses.put(PeerDirectory.addressKey(jobId, 1), first.address());
            addresses.put(PeerDirectory.addressKey(jobId, 2), second.address());
            final long[] members = { ProcessKeys.key(0, 1), ProcessKeys.key(0, 2) };
            final Side a = new Side(first, addresses, jobId, new MessageEndpoint(CONTEXT, 0, members));
            final Side b = new Side(second, addresses, jobId, new MessageEndpoint(CONTEXT, 1, members));
            while (rounds < ROUNDS && goOn())
            {
                round(a, b, rounds);
                rounds++;
            }
        }
        catch (final IOException | RuntimeException | LinkageError | AssertionError ignore)
        {
            // A warm-up only: the program meets the same error, if any, on its own stack.
        }
        finally
        {
            close(first);
            close(second);
            ShmCleaner.removeJobFiles(jobId);
        }
    }

    private static void close(final Transport transport)
    {
        if (transport != null)
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
    }

    private static TransportProvider sharedMemoryProvider()
    {
        for (final TransportProvider provider :
            ServiceLoader.load(TransportProvider.class, HotPathRehearsal.class.getClassLoader()))
        {
            if ("shm".equals(provider.name()) && provider.unavailableReason() == null)
            {
                return provider;
            }
        }
        return null;
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

        Side(final Transport transport, final KeyValueStore addresses, final String jobId,
            final MessageEndpoint endpoint)
        {
            final Transport[] transports = { transport };
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
