package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

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
    /** One of OSU's collectives, with its output title and how it calls MPI. */
    enum Operation
    {
        ALLREDUCE("osu_allreduce", "OSU MPI Allreduce Latency Test", 1, 1),
        BCAST("osu_bcast", "OSU MPI Broadcast Latency Test", 1, 1),
        BARRIER("osu_barrier", "OSU MPI Barrier Latency Test", 0, 0),
        ALLTOALL("osu_alltoall", "OSU MPI All-to-All Personalized Exchange Latency Test", -1, -1),
        ALLGATHER("osu_allgather", "OSU MPI Allgather Latency Test", 1, -1),
        REDUCE("osu_reduce", "OSU MPI Reduce Latency Test", 1, 1);

        final String programName;
        final String title;
        /** Send buffer in messages: 1, or -1 for one per rank. */
        final int sendMessages;
        /** Receive buffer in messages: 1, or -1 for one per rank. */
        final int recvMessages;

        Operation(final String programName, final String title, final int sendMessages, final int recvMessages)
        {
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

    /** Total nanoseconds of the timed calls of one size. */
    private long time(final int size, final int iterations, final int skip, final ByteBuffer send,
        final ByteBuffer recv) throws MPIException
    {
        long total = 0;
        for (int i = 0; i < iterations + skip; i++)
        {
            if (operation == Operation.REDUCE)
            {
                MPI.COMM_WORLD.barrier();
            }
            final long start = System.nanoTime();
            call(size, send, recv);
            final long elapsed = System.nanoTime() - start;
            if (operation != Operation.REDUCE && operation != Operation.BARRIER)
            {
                MPI.COMM_WORLD.barrier();
            }
            if (i >= skip)
            {
                total += elapsed;
            }
        }
        return total;
    }

    private void call(final int size, final ByteBuffer send, final ByteBuffer recv) throws MPIException
    {
        switch (operation)
        {
            case ALLREDUCE -> MPI.COMM_WORLD.allReduce(send, recv, size, MPI.BYTE, MPI.SUM);
            case BCAST -> MPI.COMM_WORLD.bcast(send, size, MPI.BYTE, 0);
            case BARRIER -> MPI.COMM_WORLD.barrier();
            case ALLTOALL -> MPI.COMM_WORLD.allToAll(send, size, MPI.BYTE, recv, size, MPI.BYTE);
            case ALLGATHER -> MPI.COMM_WORLD.allGather(send, size, MPI.BYTE, recv, size, MPI.BYTE);
            case REDUCE -> MPI.COMM_WORLD.reduce(send, recv, size, MPI.BYTE, MPI.SUM, 0);
            default -> throw new IllegalStateException(operation.name());
        }
    }
}
