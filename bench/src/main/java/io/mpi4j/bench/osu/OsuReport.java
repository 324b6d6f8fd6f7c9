package io.mpi4j.bench.osu;

import java.io.PrintStream;

import mpi.MPI;
import mpi.MPIException;

/**
 * Everything an OSU benchmark prints, in OSU micro-benchmarks 7.x's layout so that existing parsers read it: the
 * {@code # OSU MPI ... Test v7.x} header, column titles ({@code %-10s%20s}), rows ({@code %-10d%20.2f}), and the
 * collective statistics (average over ranks; minimum, maximum and iterations with {@code -f}). Only rank 0 prints.
 */
final class OsuReport
{
    /** The OSU micro-benchmarks release whose output these programs reproduce. */
    static final String OSU_VERSION = "7.4";
    private static final int FIELD_WIDTH = 20;

    private final PrintStream out = System.out;
    private final boolean printer;
    private final double[] local = new double[1];
    private final double[] min = new double[1];
    private final double[] max = new double[1];
    private final double[] sum = new double[1];

    OsuReport(final int rank)
    {
        this.printer = rank == 0;
    }

    /** {@code # <title> v7.4}; point-to-point and collective benchmarks start with an empty line, as OSU's preamble. */
    void header(final String title, final boolean preamble)
    {
        if (printer)
        {
            if (preamble)
            {
                out.println();
            }
            out.println("# " + title + " v" + OSU_VERSION);
        }
    }

    void line(final String text)
    {
        if (printer)
        {
            out.println(text);
        }
    }

    void datatype(final String mpiName)
    {
        line("# Datatype: " + mpiName + ".");
    }

    /** {@code # Size} and one column title per value. */
    void columns(final String... titles)
    {
        if (printer)
        {
            final StringBuilder row = new StringBuilder(String.format("%-10s", "# Size"));
            for (final String title : titles)
            {
                row.append(String.format("%" + FIELD_WIDTH + "s", title));
            }
            out.println(row);
            out.flush();
        }
    }

    /** The collective columns: average, and with {@code full} minimum, maximum and iterations. */
    void collectiveColumns(final boolean showSize, final boolean full)
    {
        if (!printer)
        {
            return;
        }
        final StringBuilder row = new StringBuilder(showSize
            ? String.format("%-10s%" + FIELD_WIDTH + "s", "# Size", "Avg Latency(us)") : "# Avg Latency(us)");
        if (full)
        {
            row.append(String.format("%" + FIELD_WIDTH + "s%" + FIELD_WIDTH + "s%12s", "Min Latency(us)",
                "Max Latency(us)", "Iterations"));
        }
        out.println(row);
        out.flush();
    }

    /** One row: size and values with two decimals. */
    void row(final long size, final double... values)
    {
        if (printer)
        {
            final StringBuilder row = new StringBuilder(String.format("%-10d", size));
            for (final double value : values)
            {
                row.append(String.format("%" + FIELD_WIDTH + ".2f", value));
            }
            out.println(row);
            out.flush();
        }
    }

    /**
     * Collective statistics of one size: each rank's mean time per call ({@code micros}) is reduced to rank 0 as
     * minimum, maximum and average over ranks, and printed (size omitted when {@code size < 0}).
     */
    void collectiveRow(final long size, final double micros, final boolean full, final int iterations)
        throws MPIException
    {
        local[0] = micros;
        MPI.COMM_WORLD.reduce(local, min, 1, MPI.DOUBLE, MPI.MIN, 0);
        MPI.COMM_WORLD.reduce(local, max, 1, MPI.DOUBLE, MPI.MAX, 0);
        MPI.COMM_WORLD.reduce(local, sum, 1, MPI.DOUBLE, MPI.SUM, 0);
        if (!printer)
        {
            return;
        }
        final double average = sum[0] / MPI.COMM_WORLD.getSize();
        final StringBuilder row = new StringBuilder(size >= 0
            ? String.format("%-10d%" + FIELD_WIDTH + ".2f", size, average) : String.format("%17.2f", average));
        if (full)
        {
            row.append(String.format("%" + FIELD_WIDTH + ".2f%" + FIELD_WIDTH + ".2f%12d", min[0], max[0], iterations));
        }
        out.println(row);
        out.flush();
    }
}
