package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/**
 * OSU's blocking collective latency benchmarks ({@code osu_allreduce}, {@code osu_bcast}, {@code osu_barrier},
 * {@code osu_alltoall}, {@code osu_allgather}, {@code osu_reduce}): for each size (1 B ... 1 MiB of MPI_CHAR,
 * {@code MPI.BYTE} here) every rank times each call on its own, with OSU's barrier around the calls (after each
 * call; before it for reduce; none for barrier); each rank's mean per call is reduced to an average over ranks, and
 * with {@code -f} minimum and maximum too. Reductions use {@code MPI_SUM}, roots are rank 0.
 */
public final class Collectives
{
    /** Which MPI call an {@link Operation} makes, as constants for the timed loop's switch. */
    private static final int CALL_ALLREDUCE = 0;
    private static final int CALL_BCAST = 1;
    private static final int CALL_BARRIER = 2;
    private static final int CALL_ALLTOALL = 3;
    private static final int CALL_ALLGATHER = 4;
    private static final int CALL_REDUCE = 5;

    /** One of OSU's collectives, with its output title and how it calls MPI. */
    enum Operation
    {
        ALLREDUCE("osu_allreduce", "OSU MPI Allreduce Latency Test", 1, 1, CALL_ALLREDUCE),
        BCAST("osu_bcast", "OSU MPI Broadcast Latency Test", 1, 1, CALL_BCAST),
        BARRIER("osu_barrier", "OSU MPI Barrier Latency Test", 0, 0, CALL_BARRIER),
        ALLTOALL("osu_alltoall", "OSU MPI All-to-All Personalized Exchange Latency Test", -1, -1, CALL_ALLTOALL),
        ALLGATHER("osu_allgather", "OSU MPI Allgather Latency Test", 1, -1, CALL_ALLGATHER),
        REDUCE("osu_reduce", "OSU MPI Reduce Latency Test", 1, 1, CALL_REDUCE);

        final String programName;
        final String title;
        /** Send buffer in messages: 1, or -1 for one per rank. */
        final int sendMessages;
        /** Receive buffer in messages: 1, or -1 for one per rank. */
        final int recvMessages;
        final int call;

        Operation(final String programName, final String title, final int sendMessages, final int recvMessages,
            final int call)
        {
            this.call = call;
            this.programName = programName;
            this.title = title;
            this.sendMessages = sendMessages;
            this.recvMessages = recvMessages;
        }
    }

    private final Operation operation;

    private Collectives(final Operation operation)
    {
        this.operation = operation;
    }

    /** Runs one of the collective benchmarks. */
    static void run(final Operation operation, final String[] args) throws MPIException
    {
        OsuProgram.run(operation.programName, operation == Operation.BARRIER ? OsuOptions.Family.BARRIER
            : OsuOptions.Family.COLLECTIVE, args, 2, Integer.MAX_VALUE, new Collectives(operation)::run);
    }

    public static void main(final String[] args) throws MPIException
    {
        run(Operation.ALLREDUCE, args);
    }

    private void run(final OsuOptions options, final int rank, final int ranks, final OsuReport report)
        throws MPIException
    {
        report.header(operation.title, true);
        if (operation == Operation.BARRIER)
        {
            report.collectiveColumns(false, options.full);
            final int iterations = options.iterations;
            final double micros = time(0, iterations, options.skip, null, null) / 1e3 / iterations;
            MPI.COMM_WORLD.barrier();
            report.collectiveRow(-1, micros, options.full, iterations);
            return;
        }
        final ByteBuffer send = Buffers.filled(bytes(operation.sendMessages, options.maxSize, ranks), 'a');
        final ByteBuffer recv = Buffers.filled(bytes(operation.recvMessages, options.maxSize, ranks), 'b');
        report.datatype("MPI_CHAR");
        report.collectiveColumns(true, options.full);
        for (int size = Math.max(1, options.minSize); size <= options.maxSize; size *= 2)
        {
            final int iterations = options.iterationsFor(size);
            final int skip = options.skipFor(size);
            MPI.COMM_WORLD.barrier();
            final double micros = time(size, iterations, skip, send, recv) / 1e3 / iterations;
            report.collectiveRow(size, micros, options.full, iterations);
            MPI.COMM_WORLD.barrier();
        }
    }

    private static long bytes(final int messages, final int size, final int ranks)
    {
        return messages < 0 ? (long)size * ranks : (long)size * messages;
    }

    /**
     * Total nanoseconds of the timed calls of one size. The MPI call is made from the loop itself, as in OSU's C
     * programs: a method of this class called once an iteration (as {@code call} was) reaches HotSpot's C2 threshold
     * (5,000 calls) at the fifth size, and its compilation took a rank's core in the middle of that size's
     * measurement (osu_allreduce 16 B: 1.21 us against 0.25 at 8 and 32 B). The operation is switched on as an int
     * there: this method is interpreted all along (OSU's counts never reach on-stack replacement), and an enum switch
     * costs the interpreter a call of its own.
     */
    private long time(final int size, final int iterations, final int skip, final ByteBuffer send,
        final ByteBuffer recv) throws MPIException
    {
        final Intracomm world = MPI.COMM_WORLD;
        final int call = operation.call;
        final boolean barrierBefore = operation == Operation.REDUCE;
        final boolean barrierAfter = operation != Operation.REDUCE && operation != Operation.BARRIER;
        long total = 0;
        for (int i = 0; i < iterations + skip; i++)
        {
            if (barrierBefore)
            {
                world.barrier();
            }
            final long start = System.nanoTime();
            switch (call)
            {
                case CALL_ALLREDUCE -> world.allReduce(send, recv, size, MPI.BYTE, MPI.SUM);
                case CALL_BCAST -> world.bcast(send, size, MPI.BYTE, 0);
                case CALL_BARRIER -> world.barrier();
                case CALL_ALLTOALL -> world.allToAll(send, size, MPI.BYTE, recv, size, MPI.BYTE);
                case CALL_ALLGATHER -> world.allGather(send, size, MPI.BYTE, recv, size, MPI.BYTE);
                default -> world.reduce(send, recv, size, MPI.BYTE, MPI.SUM, 0);
            }
            final long elapsed = System.nanoTime() - start;
            if (barrierAfter)
            {
                world.barrier();
            }
            if (i >= skip)
            {
                total += elapsed;
            }
        }
        return total;
    }
}
