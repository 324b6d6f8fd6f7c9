package io.mpi4j.bench;

/**
 * Command line shared by the OSU-method benchmarks, with the OSU defaults: {@code -m max_bytes},
 * {@code -i iterations} (small messages; large messages use a tenth, as OSU does), {@code -x warmup},
 * {@code -p} (latency: also print percentiles).
 */
final class OsuOptions
{
    /** OSU's boundary between "small" and "large" messages for iteration counts. */
    static final int LARGE_MESSAGE = 8192;

    int maxBytes = 4 << 20;
    int iterations;
    int warmup;
    boolean percentiles;
    /** Untimed JIT pass (-w rounds per size); off by default so that the counts are OSU's alone. */
    int jitRounds;

    OsuOptions(final int defaultIterations, final int defaultWarmup)
    {
        iterations = defaultIterations;
        warmup = defaultWarmup;
    }

    static OsuOptions parse(final String[] args, final int defaultIterations, final int defaultWarmup)
    {
        final OsuOptions o = new OsuOptions(defaultIterations, defaultWarmup);
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "-m":
                    o.maxBytes = Integer.parseInt(args[++i]);
                    break;
                case "-i":
                    o.iterations = Integer.parseInt(args[++i]);
                    break;
                case "-x":
                    o.warmup = Integer.parseInt(args[++i]);
                    break;
                case "-w":
                    o.jitRounds = Integer.parseInt(args[++i]);
                    break;
                case "-p":
                    o.percentiles = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use -m max_bytes, -i iterations, -x warmup, -w jit_rounds, -p)");
            }
        }
        return o;
    }

    /** Largest size of the JIT warm-up pass. */
    int jitMaxBytes()
    {
        return Math.min(maxBytes, 64 << 10);
    }

    int iterationsFor(final int bytes, final int largeDivisor)
    {
        return bytes > LARGE_MESSAGE ? Math.max(1, iterations / largeDivisor) : iterations;
    }

    int warmupFor(final int bytes, final int largeDivisor)
    {
        return bytes > LARGE_MESSAGE ? Math.max(1, warmup / largeDivisor) : warmup;
    }
}
