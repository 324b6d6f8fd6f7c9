package io.mpi4j.bench.osu;

import java.util.Locale;

/**
 * The command line of the OSU micro-benchmarks 7.x, with OSU's defaults per benchmark family: {@code -m [min:]max}
 * sizes, {@code -i} and {@code -x} timed and warm-up iterations (set for small and large messages alike, as OSU
 * does), {@code -W} window, {@code -f} full statistics, {@code -p} pairs, {@code -w}/{@code -s} window creation
 * and synchronisation, {@code -h} help. Which options a benchmark takes is its {@link Family}'s.
 */
final class OsuOptions
{
    /** OSU's boundary between small and large messages (iteration counts switch above it). */
    static final int LARGE_MESSAGE_SIZE = 8192;
    /** OSU's default largest message for point-to-point and one-sided benchmarks. */
    static final int MAX_MESSAGE_SIZE = 1 << 22;
    /** OSU's default largest message for collectives. */
    static final int MAX_MESSAGE_SIZE_COLLECTIVE = 1 << 20;
    static final int WINDOW_SIZE = 64;

    /** Benchmark families as OSU groups them: each has its own defaults and options. */
    enum Family
    {
        LATENCY("hm:x:i:", 0, MAX_MESSAGE_SIZE, 10_000, 100, 1_000, 10),
        BANDWIDTH("hm:x:i:W:", 1, MAX_MESSAGE_SIZE, 100, 10, 20, 2),
        MULTI_BANDWIDTH("hm:x:i:W:p:", 1, MAX_MESSAGE_SIZE, 100, 10, 20, 2),
        COLLECTIVE("hfm:x:i:", 1, MAX_MESSAGE_SIZE_COLLECTIVE, 1_000, 100, 100, 10),
        BARRIER("hfm:x:i:", 0, 0, 1_000, 100, 100, 10),
        ONE_SIDED_LATENCY("hm:x:i:w:s:", 1, MAX_MESSAGE_SIZE, 10_000, 100, 1_000, 10),
        ONE_SIDED_BANDWIDTH("hm:x:i:w:s:W:", 1, MAX_MESSAGE_SIZE, 100, 10, 20, 2);

        final String optionString;
        final int minSize;
        final int maxSize;
        final int iterations;
        final int skip;
        final int iterationsLarge;
        final int skipLarge;

        Family(final String optionString, final int minSize, final int maxSize, final int iterations, final int skip,
            final int iterationsLarge, final int skipLarge)
        {
            this.optionString = optionString;
            this.minSize = minSize;
            this.maxSize = maxSize;
            this.iterations = iterations;
            this.skip = skip;
            this.iterationsLarge = iterationsLarge;
            this.skipLarge = skipLarge;
        }

        boolean takes(final char option)
        {
            return optionString.indexOf(option) >= 0;
        }

        boolean takesArgument(final char option)
        {
            final int at = optionString.indexOf(option);
            return at >= 0 && at + 1 < optionString.length() && optionString.charAt(at + 1) == ':';
        }
    }

    /** One-sided window creation ({@code -w}). */
    enum WindowCreation
    {
        CREATE("MPI_Win_create"), ALLOCATE("MPI_Win_allocate");

        final String mpiName;

        WindowCreation(final String mpiName)
        {
            this.mpiName = mpiName;
        }
    }

    /** One-sided synchronisation ({@code -s}). */
    enum Synchronization
    {
        LOCK("MPI_Win_lock/unlock"), PSCW("MPI_Win_post/start/complete/wait"), FENCE("MPI_Win_fence"),
        FLUSH("MPI_Win_flush"), FLUSH_LOCAL("MPI_Win_flush_local"), LOCK_ALL("MPI_Win_lock_all/unlock_all");

        final String mpiName;

        Synchronization(final String mpiName)
        {
            this.mpiName = mpiName;
        }
    }

    final Family family;
    int minSize;
    int maxSize;
    int iterations;
    int skip;
    int iterationsLarge;
    int skipLarge;
    int windowSize = WINDOW_SIZE;
    int pairs = -1;
    boolean full;
    boolean help;
    WindowCreation windowCreation = WindowCreation.ALLOCATE;
    Synchronization synchronization = Synchronization.FLUSH;

    private OsuOptions(final Family family)
    {
        this.family = family;
        minSize = family.minSize;
        maxSize = family.maxSize;
        iterations = family.iterations;
        skip = family.skip;
        iterationsLarge = family.iterationsLarge;
        skipLarge = family.skipLarge;
    }

    /**
     * Parses OSU's options ({@code -x 10}, {@code -x10} and the long option names are accepted as OSU's getopt does
     * for the short ones).
     *
     * @throws IllegalArgumentException with the message OSU prints for bad usage
     */
    static OsuOptions parse(final Family family, final String[] args)
    {
        final OsuOptions options = new OsuOptions(family);
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (arg.length() < 2 || arg.charAt(0) != '-' || !family.takes(arg.charAt(1)) || arg.charAt(1) == ':')
            {
                throw new IllegalArgumentException("Invalid Option [" + arg + "]");
            }
            final char option = arg.charAt(1);
            String value = null;
            if (family.takesArgument(option))
            {
                if (arg.length() > 2)
                {
                    value = arg.substring(2);
                }
                else if (i + 1 < args.length)
                {
                    value = args[++i];
                }
                else
                {
                    throw new IllegalArgumentException("Option requires an argument [-" + option + "]");
                }
            }
            options.set(option, value);
        }
        return options;
    }

    private void set(final char option, final String value)
    {
        switch (option)
        {
            case 'h' -> help = true;
            case 'f' -> full = true;
            case 'm' -> sizes(value);
            case 'i' ->
            {
                iterations = positive(value, "Invalid Number of Iterations", 1);
                iterationsLarge = iterations;
            }
            case 'x' ->
            {
                skip = positive(value, "Invalid Number of Warmup Iterations", 0);
                skipLarge = skip;
            }
            case 'W' -> windowSize = positive(value, "Invalid Window Size", 1);
            case 'p' -> pairs = positive(value, "Invalid Number of Pairs", 1);
            case 'w' -> windowCreation = switch (value.toLowerCase(Locale.ROOT))
            {
                case "create" -> WindowCreation.CREATE;
                case "allocate" -> WindowCreation.ALLOCATE;
                default -> throw new IllegalArgumentException("Invalid Window Creation [-w " + value + "]");
            };
            case 's' -> synchronization = switch (value.toLowerCase(Locale.ROOT))
            {
                case "lock" -> Synchronization.LOCK;
                case "pscw" -> Synchronization.PSCW;
                case "fence" -> Synchronization.FENCE;
                case "flush" -> Synchronization.FLUSH;
                case "flush_local" -> Synchronization.FLUSH_LOCAL;
                case "lock_all" -> Synchronization.LOCK_ALL;
                default -> throw new IllegalArgumentException("Invalid Synchronization [-s " + value + "]");
            };
            default -> throw new IllegalArgumentException("Invalid Option [-" + option + "]");
        }
    }

    /** {@code -m max} or {@code -m min:max} (either side may be empty), as OSU's set_message_size. */
    private void sizes(final String value)
    {
        final int colon = value.indexOf(':');
        try
        {
            if (colon < 0)
            {
                maxSize = Integer.parseInt(value);
            }
            else
            {
                if (colon > 0)
                {
                    minSize = Integer.parseInt(value.substring(0, colon));
                }
                if (colon + 1 < value.length())
                {
                    maxSize = Integer.parseInt(value.substring(colon + 1));
                }
            }
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("Invalid Message Size [-m " + value + "]");
        }
        if (maxSize < 0 || minSize < 0 || (colon >= 0 && colon > 0 && minSize == 0) || minSize > maxSize)
        {
            throw new IllegalArgumentException("Invalid Message Size [-m " + value + "]");
        }
    }

    private static int positive(final String value, final String message, final int least)
    {
        try
        {
            final int v = Integer.parseInt(value.trim());
            if (v >= least)
            {
                return v;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with OSU's message
        }
        throw new IllegalArgumentException(message + " [" + value + "]");
    }

    /** Timed iterations for one message size. */
    int iterationsFor(final long size)
    {
        return size > LARGE_MESSAGE_SIZE ? iterationsLarge : iterations;
    }

    /** Warm-up iterations for one message size. */
    int skipFor(final long size)
    {
        return size > LARGE_MESSAGE_SIZE ? skipLarge : skip;
    }

    /** The next size of OSU's sweep: 0, 1, 2, 4 ... */
    static int nextSize(final int size)
    {
        return size == 0 ? 1 : size * 2;
    }

    /** Usage text in OSU's layout. */
    String usage(final String name)
    {
        final StringBuilder text = new StringBuilder("Usage: ").append(name).append(" [options]\nOptions:\n");
        line(text, 'h', "help", "print this help message");
        line(text, 'm', "message-size", "[MIN:]MAX - set the minimum and/or the maximum message size to MIN and/or"
            + " MAX bytes respectively (default " + family.maxSize + ")");
        line(text, 'x', "warmup", "ITER number of warmup iterations to skip before timing (default " + family.skip
            + ", " + family.skipLarge + " above " + LARGE_MESSAGE_SIZE + " bytes)");
        line(text, 'i', "iterations", "ITER number of iterations for timing (default " + family.iterations + ", "
            + family.iterationsLarge + " above " + LARGE_MESSAGE_SIZE + " bytes)");
        line(text, 'W', "window-size", "SIZE set number of messages to send before synchronization (default "
            + WINDOW_SIZE + ")");
        line(text, 'p', "pairs", "PAIRS number of pairs involved (default np / 2)");
        line(text, 'f', "full", "print full format listing (MIN/MAX latency and ITERATIONS displayed in addition"
            + " to AVERAGE latency)");
        line(text, 'w', "win-option", "<win_option> create | allocate (default allocate)");
        line(text, 's', "sync-option", "<sync_option> lock | pscw | fence | flush | flush_local | lock_all"
            + " (default flush)");
        return text.toString();
    }

    private void line(final StringBuilder text, final char option, final String name, final String help)
    {
        if (family.takes(option))
        {
            text.append(String.format("  -%c, --%-20s%s%n", option, name, help));
        }
    }
}
