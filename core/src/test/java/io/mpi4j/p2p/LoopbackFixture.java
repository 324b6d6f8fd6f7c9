package io.mpi4j.p2p;

import io.mpi4j.comm.Communicator;
import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.progress.ProgressEngine;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.LoopbackNetwork;
import io.mpi4j.transport.LoopbackTransport;
import io.mpi4j.transport.Transport;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Several "processes" in one JVM, each with its own point-to-point stack (matching, protocol, progress engine) over
 * a {@link LoopbackTransport}, for unit tests of the point-to-point layer without launching JVMs.
 * <p>
 * This is the only test code that builds the stack: tests speak in ranks, tags and context ids through the helpers
 * here, so a change of how the stack is wired (what stands for a communicator, how peers are resolved) is absorbed
 * in this one class.
 * <p>
 * Two ways to drive it: single-threaded, with the non-blocking helpers and {@link #await} (which turns every
 * process's engine in turn, deterministically), or {@link #run} with one thread per process, for blocking calls.
 * A process's helpers must only be called by one thread at a time, as the stack runs below THREAD_MULTIPLE.
 */
final class LoopbackFixture implements AutoCloseable
{
    /** Frames of at most 256 bytes: DATA chunks of 192 bytes. */
    static final int MAX_FRAME_LENGTH = 256;
    /** Messages above 128 bytes go by rendezvous. */
    static final int EAGER_LIMIT = 128;
    /** A connection holds 1 KiB of unread frames, a handful of chunks: senders meet "no capacity" often. */
    static final int CONNECTION_CAPACITY = 1024;
    /** Bytes of one DATA chunk, as {@link Peer} derives it from the frame limit. */
    static final int CHUNK_LENGTH = (MAX_FRAME_LENGTH - FrameDescriptor.HEADER_LENGTH) & ~63;

    static final int ANY_SOURCE = PointToPoint.ANY_SOURCE;
    static final int ANY_TAG = PointToPoint.ANY_TAG;
    static final int PROC_NULL = PointToPoint.PROC_NULL;
    static final int WORLD = 0;

    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);

    private final LoopbackNetwork network;
    private final SimulatedProcess[] processes;
    private final long[] members;

    LoopbackFixture(final int size)
    {
        this(size, false);
    }

    /** {@code remoteMemory}: rendezvous between native buffers goes by one-sided read. */
    LoopbackFixture(final int size, final boolean remoteMemory)
    {
        this(size, remoteMemory, 0);
    }

    /** {@code pipelineChunkLength}: packed messages travel in fragments (eager) or DATA chunks of that length. */
    LoopbackFixture(final int size, final boolean remoteMemory, final int pipelineChunkLength)
    {
        this(size, remoteMemory, pipelineChunkLength, 0);
    }

    /** {@code fragmentLength}: contiguous messages travel in fragments (eager) or DATA chunks of that length. */
    LoopbackFixture(final int size, final boolean remoteMemory, final int pipelineChunkLength,
        final int fragmentLength)
    {
        network = new LoopbackNetwork(
            MAX_FRAME_LENGTH, EAGER_LIMIT, CONNECTION_CAPACITY, remoteMemory, pipelineChunkLength, fragmentLength);
        members = new long[size];
        for (int rank = 0; rank < size; rank++)
        {
            members[rank] = ProcessKeys.key(0, rank);
        }
        processes = new SimulatedProcess[size];
        for (int rank = 0; rank < size; rank++)
        {
            processes[rank] = new SimulatedProcess(rank, network.open());
        }
    }

    int size()
    {
        return processes.length;
    }

    LoopbackNetwork network()
    {
        return network;
    }

    LoopbackTransport transport(final int rank)
    {
        return processes[rank].transport;
    }

    /** How often {@code rank}'s connection to {@code dest} said "no capacity" so far. */
    long fullCount(final int rank, final int dest)
    {
        final Peer peer = processes[rank].peers.get(members[dest]);
        return peer == null ? 0 : processes[rank].transport.fullCount(peer.connection);
    }

    /** Frames {@code rank} sent of the given {@link FrameDescriptor} type. */
    long sentFrames(final int rank, final int frameType)
    {
        return processes[rank].transport.sentFrames(frameType);
    }

    // ------------------------------------------------------------------------------------------------- user memory

    /** A user buffer as the point-to-point layer takes it: a Java array or native memory, plus an offset. */
    record UserMemory(Object base, long address, long bytes, Object owner)
    {
        /** The whole array. */
        static UserMemory of(final byte[] array)
        {
            return of(array, 0, array.length);
        }

        /** {@code length} bytes of {@code array} from {@code offset}. */
        static UserMemory of(final byte[] array, final int offset, final int length)
        {
            return new UserMemory(array, Memory.BYTE_ARRAY_BASE + offset, length, array);
        }

        /** A direct buffer from its position to its limit. */
        static UserMemory of(final ByteBuffer direct)
        {
            if (!direct.isDirect())
            {
                throw new IllegalArgumentException("use of(byte[]) for heap memory");
            }
            return new UserMemory(null, BufferUtil.address(direct) + direct.position(), direct.remaining(), direct);
        }

        /** Copy of the bytes, to compare. */
        byte[] toArray()
        {
            final byte[] copy = new byte[(int)bytes];
            Memory.copy(base, address, copy, Memory.BYTE_ARRAY_BASE, bytes);
            return copy;
        }
    }

    /** {@code length} bytes with a pattern that differs per {@code seed} and per position. */
    static byte[] pattern(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 131 + i * 7 + (i >> 8));
        }
        return bytes;
    }

    /** A direct buffer holding {@code content}, positioned at 0. */
    static ByteBuffer direct(final byte[] content)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, content.length));
        buffer.put(content).flip();
        return buffer;
    }

    // -------------------------------------------------------------------------------------------------- operations

    Operation isend(final int rank, final int dest, final int tag, final byte[] data)
    {
        return isend(rank, dest, tag, WORLD, SendMode.STANDARD, UserMemory.of(data));
    }

    Operation issend(final int rank, final int dest, final int tag, final byte[] data)
    {
        return isend(rank, dest, tag, WORLD, SendMode.SYNCHRONOUS, UserMemory.of(data));
    }

    /** MPI_Isend / MPI_Issend / ... in {@link SendMode} {@code mode}, in the communicator of {@code context}. */
    Operation isend(final int rank, final int dest, final int tag, final int context, final int mode,
        final UserMemory data)
    {
        final SimulatedProcess process = processes[rank];
        return process.p2p.isend(process.comm(context).endpoint(), data.base, data.address, data.bytes, dest, tag, mode);
    }

    /** MPI_Isend of {@code bytes} packed bytes of items laid out as {@code layout} at {@code data}'s address. */
    Operation isend(final int rank, final int dest, final int tag, final int mode, final UserMemory data,
        final TypeMap layout, final long bytes)
    {
        final SimulatedProcess process = processes[rank];
        return process.p2p.isend(
            process.comm(WORLD).endpoint(), data.base, data.address, bytes, layout, dest, tag, mode);
    }

    /** MPI_Irecv into at most {@code capacity} packed bytes of items laid out as {@code layout}. */
    Operation irecv(final int rank, final int source, final int tag, final UserMemory buffer, final TypeMap layout,
        final long capacity)
    {
        final SimulatedProcess process = processes[rank];
        return process.p2p.irecv(
            process.comm(WORLD).endpoint(), buffer.base, buffer.address, capacity, layout, source, tag);
    }

    /** MPI_Imrecv into items laid out as {@code layout}. */
    Operation imrecv(final int rank, final MatchedMessage message, final UserMemory buffer, final TypeMap layout,
        final long capacity)
    {
        return processes[rank].p2p.imrecv(message, buffer.base, buffer.address, capacity, layout);
    }

    /** The attached buffer of {@code rank}'s buffered sends. */
    BufferedSendSpace bufferedSends(final int rank)
    {
        return processes[rank].p2p.bufferedSends();
    }

    /** Blocking MPI_Send (and modes). */
    void send(final int rank, final int dest, final int tag, final int context, final int mode, final UserMemory data)
    {
        final SimulatedProcess process = processes[rank];
        process.p2p.send(process.comm(context).endpoint(), data.base, data.address, data.bytes, dest, tag, mode);
    }

    void send(final int rank, final int dest, final int tag, final byte[] data)
    {
        send(rank, dest, tag, WORLD, SendMode.STANDARD, UserMemory.of(data));
    }

    Operation irecv(final int rank, final int source, final int tag, final byte[] buffer)
    {
        return irecv(rank, source, tag, WORLD, UserMemory.of(buffer));
    }

    Operation irecv(final int rank, final int source, final int tag, final int context, final UserMemory buffer)
    {
        final SimulatedProcess process = processes[rank];
        return process.p2p.irecv(process.comm(context).endpoint(), buffer.base, buffer.address, buffer.bytes, source, tag);
    }

    /** MPI_Send_init (and modes) on {@code rank}, in the communicator of {@code context}. */
    PersistentRequest sendInit(final int rank, final int dest, final int tag, final int context, final int mode,
        final UserMemory data)
    {
        final SimulatedProcess process = processes[rank];
        return PersistentRequest.send(process.comm(context).endpoint(), data.base, data.address, data.bytes, null,
            dest, tag, mode);
    }

    /** MPI_Recv_init on {@code rank}, in the communicator of {@code context}. */
    PersistentRequest recvInit(final int rank, final int source, final int tag, final int context,
        final UserMemory buffer)
    {
        final SimulatedProcess process = processes[rank];
        return PersistentRequest.receive(process.comm(context).endpoint(), buffer.base, buffer.address, buffer.bytes,
            null, source, tag);
    }

    /** MPI_Start on {@code rank}. */
    Operation start(final int rank, final PersistentRequest request)
    {
        return processes[rank].p2p.start(request);
    }

    /** MPI_Buffer_attach of {@code bytes} on {@code rank}. */
    void attachBuffer(final int rank, final long bytes)
    {
        processes[rank].p2p.bufferedSends().attach(bytes);
    }

    /** Blocking MPI_Recv: the status, or an {@code MpiError} (after the status was filled) on failure. */
    StatusRecord recv(final int rank, final int source, final int tag, final int context, final UserMemory buffer,
        final StatusRecord status)
    {
        final SimulatedProcess process = processes[rank];
        process.p2p.recv(process.comm(context).endpoint(), buffer.base, buffer.address, buffer.bytes, source, tag, status);
        return status;
    }

    StatusRecord recv(final int rank, final int source, final int tag, final byte[] buffer)
    {
        return recv(rank, source, tag, WORLD, UserMemory.of(buffer), new StatusRecord());
    }

    /** MPI_Iprobe: the status of a waiting message, or null. */
    StatusRecord iprobe(final int rank, final int source, final int tag, final int context)
    {
        final SimulatedProcess process = processes[rank];
        final StatusRecord status = new StatusRecord();
        return process.p2p.probes().iprobe(process.comm(context).endpoint(), source, tag, status) ? status : null;
    }

    /** MPI_Probe (blocking). */
    StatusRecord probe(final int rank, final int source, final int tag, final int context)
    {
        final SimulatedProcess process = processes[rank];
        final StatusRecord status = new StatusRecord();
        process.p2p.probes().probe(process.comm(context).endpoint(), source, tag, status);
        return status;
    }

    /** MPI_Improbe: the message, taken out of matching, or null; {@code status} filled when found. */
    MatchedMessage improbe(final int rank, final int source, final int tag, final int context,
        final StatusRecord status)
    {
        final SimulatedProcess process = processes[rank];
        return process.p2p.probes().improbe(process.comm(context).endpoint(), source, tag, status);
    }

    /** MPI_Mprobe (blocking). */
    MatchedMessage mprobe(final int rank, final int source, final int tag, final int context,
        final StatusRecord status)
    {
        final SimulatedProcess process = processes[rank];
        return process.p2p.probes().mprobe(process.comm(context).endpoint(), source, tag, status);
    }

    /** MPI_Imrecv. */
    Operation imrecv(final int rank, final MatchedMessage message, final UserMemory buffer)
    {
        return processes[rank].p2p.imrecv(message, buffer.base, buffer.address, buffer.bytes);
    }

    /** MPI_Mrecv (blocking); throws {@code MpiError} after filling {@code status} on failure. */
    void mrecv(final int rank, final MatchedMessage message, final UserMemory buffer, final StatusRecord status)
    {
        processes[rank].p2p.mrecv(message, buffer.base, buffer.address, buffer.bytes, status);
    }

    /** MPI_Cancel. */
    void cancel(final int rank, final Operation op)
    {
        processes[rank].p2p.completion().cancel(op);
    }

    /** MPI_Test. */
    boolean test(final int rank, final Operation op)
    {
        return processes[rank].p2p.completion().test(op);
    }

    /** MPI_Wait on {@code rank}'s own thread (with {@link #run}). */
    void await(final int rank, final Operation op)
    {
        processes[rank].p2p.completion().await(op);
    }

    /** One progress turn of {@code rank}. */
    int progress(final int rank)
    {
        return processes[rank].p2p.completion().progress();
    }

    /** One progress turn of every process, in rank order; the work done. */
    int progressAll()
    {
        int work = 0;
        for (final SimulatedProcess process : processes)
        {
            work += process.p2p.completion().progress();
        }
        return work;
    }

    /** Turn every engine until the system is idle (no frame or deferred item left anywhere). */
    void settle()
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        int idleTurns = 0;
        while (idleTurns < 3)
        {
            idleTurns = progressAll() == 0 ? idleTurns + 1 : 0;
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("still busy after " + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + " s");
            }
        }
    }

    /** Single-threaded wait: turn every engine until all {@code ops} are complete. */
    void await(final Operation... ops)
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (!Arrays.stream(ops).allMatch(Operation::isComplete))
        {
            progressAll();
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("operations still pending: " + Arrays.stream(ops)
                    .map(op -> op.isComplete() ? "done" : "pending").toList());
            }
        }
    }

    /**
     * Run {@code body} for every rank at once, each on its own thread (as processes would), and return the results
     * by rank. A failure or a hang of any rank fails the call.
     */
    <T> List<T> run(final IntFunction<T> body)
    {
        final int size = processes.length;
        final List<T> results = new ArrayList<>();
        final Object[] values = new Object[size];
        final Throwable[] failures = new Throwable[size];
        final Thread[] threads = new Thread[size];
        for (int rank = 0; rank < size; rank++)
        {
            final int r = rank;
            threads[rank] = new Thread(() ->
            {
                try
                {
                    values[r] = body.apply(r);
                }
                catch (final Throwable ex)
                {
                    failures[r] = ex;
                }
            }, "loopback-rank-" + rank);
            threads[rank].setDaemon(true);
            threads[rank].start();
        }
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        for (int rank = 0; rank < size; rank++)
        {
            try
            {
                threads[rank].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
            if (threads[rank].isAlive())
            {
                throw new AssertionError("rank " + rank + " hangs");
            }
        }
        for (int rank = 0; rank < size; rank++)
        {
            if (failures[rank] != null)
            {
                throw new AssertionError("rank " + rank + " failed: " + failures[rank], failures[rank]);
            }
        }
        for (final Object value : values)
        {
            @SuppressWarnings("unchecked") final T result = (T)value;
            results.add(result);
        }
        return results;
    }

    @Override
    public void close()
    {
        for (final SimulatedProcess process : processes)
        {
            process.engine.close();
        }
    }

    /** The point-to-point layer of process {@code rank}, for calls without a helper here (failure notices). */
    PointToPoint p2p(final int rank)
    {
        return processes[rank].p2p;
    }

    /** Process {@code rank}'s view of the communicator of {@code context}. */
    MessageEndpoint endpoint(final int rank, final int context)
    {
        return processes[rank].comm(context).endpoint();
    }

    /** One process's stack. */
    private final class SimulatedProcess
    {
        final int rank;
        final LoopbackTransport transport;
        final ProgressEngine engine;
        final PointToPoint p2p;
        final Map<Integer, Communicator> comms = new ConcurrentHashMap<>();
        final Map<Long, Peer> peers = new ConcurrentHashMap<>();

        SimulatedProcess(final int rank, final LoopbackTransport transport)
        {
            this.rank = rank;
            this.transport = transport;
            this.engine = new ProgressEngine(new Transport[]{transport}, false);
            this.p2p = new PointToPoint(engine, this::peer, false);
        }

        /** The communicator over all processes that uses {@code context} for point-to-point. */
        Communicator comm(final int context)
        {
            return comms.computeIfAbsent(context, c -> new Communicator(c, rank, members, "context " + c));
        }

        /** One peer (one connection, one outbox) per process pair, whatever the communicator, as in the runtime. */
        Peer peer(final long processKey)
        {
            return peers.computeIfAbsent(processKey, key ->
            {
                final LoopbackTransport target = processes[ProcessKeys.rank(key)].transport;
                final Connection connection = transport.connect(target.address());
                return new Peer(key, connection, transport.name(), transport.eagerLimit(), transport.maxFrameLength(),
                    transport.remoteMemory(), transport.pipelineChunkLength(), transport.fragmentLength());
            });
        }
    }
}
