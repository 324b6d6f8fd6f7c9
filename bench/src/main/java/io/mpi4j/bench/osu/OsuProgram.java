package io.mpi4j.bench.osu;

import mpi.MPI;
import mpi.MPIException;

/**
 * What every OSU program shares: MPI start and end, option parsing with OSU's help and bad-usage behaviour (rank 0
 * prints, every rank exits), and the process-count check.
 */
final class OsuProgram
{
    /** One benchmark body, run between {@code MPI.Init} and {@code MPI.Finalize} with parsed options. */
    @FunctionalInterface
    interface Body
    {
        void run(OsuOptions options, int rank, int size, OsuReport report) throws MPIException;
    }

    private OsuProgram()
    {
    }

    /**
     * Runs {@code body} as the OSU program {@code name}.
     *
     * @param minRanks fewest processes it runs with
     * @param maxRanks most processes it runs with ({@code Integer.MAX_VALUE}: no limit)
     */
    static void run(final String name, final OsuOptions.Family family, final String[] args, final int minRanks,
        final int maxRanks, final Body body) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final OsuOptions options;
        try
        {
            options = OsuOptions.parse(family, args);
        }
        catch (final IllegalArgumentException e)
        {
            if (rank == 0)
            {
                System.err.println(e.getMessage());
                System.err.println();
                System.out.print(usageOf(name, family));
            }
            exit(1);
            return;
        }
        if (options.help)
        {
            if (rank == 0)
            {
                System.out.print(options.usage(name));
                System.out.flush();
            }
            exit(0);
            return;
        }
        if (size < minRanks || size > maxRanks)
        {
            if (rank == 0)
            {
                System.err.println(minRanks == maxRanks ? "This test requires exactly " + words(minRanks)
                    + " processes" : "This test requires at least " + words(minRanks) + " processes");
            }
            exit(1);
            return;
        }
        try
        {
            body.run(options, rank, size, new OsuReport(rank));
        }
        catch (final IllegalArgumentException e)
        {
            // options that only the body can judge (pairs against the process count, buffer sizes)
            if (rank == 0)
            {
                System.err.println(e.getMessage());
            }
            exit(1);
            return;
        }
        MPI.Finalize();
    }

    private static String usageOf(final String name, final OsuOptions.Family family)
    {
        return OsuOptions.parse(family, new String[0]).usage(name);
    }

    private static String words(final int n)
    {
        return n == 2 ? "two" : Integer.toString(n);
    }

    private static void exit(final int status) throws MPIException
    {
        System.out.flush();
        MPI.Finalize();
        System.exit(status);
    }
}
