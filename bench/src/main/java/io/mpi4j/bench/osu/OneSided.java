package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.Group;
import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * OSU's one-sided benchmarks over {@link Win}: {@code osu_put_latency}, {@code osu_get_latency},
 * {@code osu_acc_latency} (MPI_SUM on MPI_CHAR), {@code osu_put_bw}, {@code osu_get_bw}. Rank 0 is the origin,
 * rank 1 the target; a window is created ({@code -w allocate}, the default, or {@code create}) and freed for every
 * size, as OSU does. Synchronisation ({@code -s}, default flush): {@code flush} / {@code flush_local} (one shared
 * lock around the loop, a flush per operation or window), {@code lock} (lock and unlock per operation or window),
 * {@code lock_all}, {@code fence} and {@code pscw} (the latency benchmarks ping-pong: both ranks access the other's
 * window in turn, and the time is halved). The whole timed loop is timed; latency = time / iterations, bandwidth =
 * size / 10^6 * window * iterations / time.
 */
public final class OneSided
{
    /** One of OSU's one-sided benchmarks. */
    enum Operation
    {
        PUT_LATENCY("osu_put_latency", "OSU MPI_Put Latency Test", false),
        GET_LATENCY("osu_get_latency", "OSU MPI_Get latency Test", false),
        ACC_LATENCY("osu_acc_latency", "OSU MPI_Accumulate latency Test", false),
        PUT_BANDWIDTH("osu_put_bw", "OSU MPI_Put Bandwidth Test", true),
        GET_BANDWIDTH("osu_get_bw", "OSU MPI_Get Bandwidth Test", true);

        final String programName;
        final String title;
        final boolean bandwidth;

        Operation(final String programName, final String title, final boolean bandwidth)
        {
            this.programName = programName;
            this.title = title;
            this.bandwidth = bandwidth;
        }
    }

    private final Operation operation;
    private Win win;
    private Group peerGroup;

    private OneSided(final Operation operation)
    {
        this.operation = operation;
    }

    /** Runs one of the one-sided benchmarks. */
    static void run(final Operation operation, final String[] args) throws MPIException
    {
        OsuProgram.run(operation.programName, operation.bandwidth ? OsuOptions.Family.ONE_SIDED_BANDWIDTH
            : OsuOptions.Family.ONE_SIDED_LATENCY, args, 2, 2, new OneSided(operation)::run);
    }

    public static void main(final String[] args) throws MPIException
    {
        run(Operation.PUT_LATENCY, args);
    }

    private void run(final OsuOptions options, final int rank, final int ranks, final OsuReport report)
        throws MPIException
    {
        final int window = operation.bandwidth ? options.windowSize : 1;
        final long largest = (long)options.maxSize * window;
        final ByteBuffer origin = Buffers.filled(largest, 'a');
        final ByteBuffer createdMemory = options.windowCreation == OsuOptions.WindowCreation.CREATE
            ? Buffers.filled(largest, 'b') : null;
        final Group world = MPI.COMM_WORLD.getGroup();
        peerGroup = world.incl(new int[] {1 - rank});
        world.free();
        report.header(operation.title, false);
        report.line("# Window creation: " + options.windowCreation.mpiName);
        report.line("# Synchronization: " + options.synchronization.mpiName);
        report.datatype("MPI_CHAR");
        report.columns(operation.bandwidth ? "Bandwidth (MB/s)" : "Latency (us)");
        for (int size = Math.max(1, options.minSize); size <= options.maxSize; size *= 2)
        {
            final int iterations = options.iterationsFor(size);
            final int skip = options.skipFor(size);
            final ByteBuffer[] slices = new ByteBuffer[window];
            for (int j = 0; j < window; j++)
            {
                slices[j] = origin.slice(j * size, size);
            }
            win = createdMemory != null
                ? new Win(createdMemory, size * window, 1, MPI.INFO_NULL, MPI.COMM_WORLD)
                : new Win(size * window, 1, MPI.INFO_NULL, MPI.COMM_WORLD, MPI.newByteBuffer(1), Win.FLAVOR_PRIVATE);
            MPI.COMM_WORLD.barrier();
            final long nanos = loop(options.synchronization, rank, size, slices, iterations, skip);
            MPI.COMM_WORLD.barrier();
            win.free();
            final double seconds = nanos / 1e9;
            if (operation.bandwidth)
            {
                report.row(size, size / 1e6 * window * iterations / seconds);
            }
            else
            {
                final boolean pingPong = options.synchronization == OsuOptions.Synchronization.FENCE
                    || options.synchronization == OsuOptions.Synchronization.PSCW;
                report.row(size, seconds * 1e6 / iterations / (pingPong ? 2 : 1));
            }
        }
        peerGroup.free();
    }

    /** The timed loop of one size: nanoseconds from the first timed iteration to the end (rank 0's). */
    private long loop(final OsuOptions.Synchronization sync, final int rank, final int size,
        final ByteBuffer[] slices, final int iterations, final int skip) throws MPIException
    {
        long start = System.nanoTime();
        switch (sync)
        {
            case FLUSH, FLUSH_LOCAL, LOCK, LOCK_ALL ->
            {
                if (rank != 0)
                {
                    return 0;
                }
                if (sync == OsuOptions.Synchronization.FLUSH || sync == OsuOptions.Synchronization.FLUSH_LOCAL)
                {
                    win.lock(MPI.LOCK_SHARED, 1, 0);
                }
                for (int i = 0; i < iterations + skip; i++)
                {
                    if (i == skip)
                    {
                        start = System.nanoTime();
                    }
                    switch (sync)
                    {
                        case LOCK -> win.lock(MPI.LOCK_SHARED, 1, 0);
                        case LOCK_ALL -> win.lockAll(0);
                        default ->
                        {
                        }
                    }
                    transfer(size, slices, 1);
                    switch (sync)
                    {
                        case FLUSH -> win.flush(1);
                        case FLUSH_LOCAL -> win.flushLocal(1);
                        case LOCK -> win.unlock(1);
                        default -> win.unlockAll();
                    }
                }
                final long end = System.nanoTime();
                if (sync == OsuOptions.Synchronization.FLUSH || sync == OsuOptions.Synchronization.FLUSH_LOCAL)
                {
                    win.unlock(1);
                }
                return end - start;
            }
            case FENCE ->
            {
                win.fence(0);
                for (int i = 0; i < iterations + skip; i++)
                {
                    if (i == skip)
                    {
                        start = System.nanoTime();
                    }
                    if (operation.bandwidth)
                    {
                        if (rank == 0)
                        {
                            transfer(size, slices, 1);
                        }
                        win.fence(0);
                    }
                    else
                    {
                        // ping-pong: rank 0 accesses rank 1's window, then rank 1 rank 0's
                        if (rank == 0)
                        {
                            transfer(size, slices, 1);
                        }
                        win.fence(0);
                        if (rank == 1)
                        {
                            transfer(size, slices, 0);
                        }
                        win.fence(0);
                    }
                }
                return System.nanoTime() - start;
            }
            case PSCW ->
            {
                for (int i = 0; i < iterations + skip; i++)
                {
                    if (i == skip)
                    {
                        start = System.nanoTime();
                    }
                    if (rank == 0)
                    {
                        win.start(peerGroup, 0);
                        transfer(size, slices, 1);
                        win.complete();
                        if (!operation.bandwidth)
                        {
                            win.post(peerGroup, 0);
                            win.waitFor();
                        }
                    }
                    else
                    {
                        win.post(peerGroup, 0);
                        win.waitFor();
                        if (!operation.bandwidth)
                        {
                            win.start(peerGroup, 0);
                            transfer(size, slices, 0);
                            win.complete();
                        }
                    }
                }
                return System.nanoTime() - start;
            }
            default -> throw new IllegalStateException(sync.name());
        }
    }

    /** The operations of one iteration towards {@code target}: one, or a window of them at consecutive offsets. */
    private void transfer(final int size, final ByteBuffer[] slices, final int target) throws MPIException
    {
        for (int j = 0; j < slices.length; j++)
        {
            final int displacement = j * size;
            switch (operation)
            {
                case PUT_LATENCY, PUT_BANDWIDTH ->
                    win.put(slices[j], size, MPI.BYTE, target, displacement, size, MPI.BYTE);
                case GET_LATENCY, GET_BANDWIDTH ->
                    win.get(slices[j], size, MPI.BYTE, target, displacement, size, MPI.BYTE);
                case ACC_LATENCY ->
                    win.accumulate(slices[j], size, MPI.BYTE, target, displacement, size, MPI.BYTE, MPI.SUM);
                default -> throw new IllegalStateException(operation.name());
            }
        }
    }
}
