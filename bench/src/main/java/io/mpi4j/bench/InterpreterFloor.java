package io.mpi4j.bench;

import java.nio.ByteBuffer;

/**
 * What a Java program's OSU loop costs before the JIT compiles it, whatever MPI library it calls: OSU's one-sided
 * latency loop ({@code osu_put_latency}: {@code if (i == skip) start}, a put, a flush) in its shortest Java form, at
 * OSU's default counts (10,000 timed and 100 untimed iterations a size, sizes 1 B to 2 KiB), against a window whose
 * put and flush do nothing but keep their arguments. Their code is compiled before the loop starts (as MPI_Init's
 * rehearsal compiles the library's); the loop method itself is invoked once per size, as in OSU, so HotSpot runs it
 * interpreted until it compiles the loop on its stack (on-stack replacement, after ~60,000 back-edges by default).
 * No MPI, one process:
 * <pre>java -cp bench/target/classes io.mpi4j.bench.InterpreterFloor</pre>
 * Prints nanoseconds per iteration by size: the floor under any Java library's osu_put_latency at those sizes.
 */
public final class InterpreterFloor
{
    private static final int ITERATIONS = 10_000;
    private static final int SKIP = 100;
    private static final int WARM_UP_CALLS = 200_000;

    /** The two calls of the loop; an interface, as {@code mpi.Win}'s methods are reached from a program. */
    interface Window
    {
        void put(ByteBuffer origin, int count, Object type, int target, int displacement, int targetCount,
            Object targetType);

        void flush(int target);
    }

    /** Keeps what it is given, so that neither call is empty to the JIT. */
    static final class NoOpWindow implements Window
    {
        long kept;

        @Override
        public void put(final ByteBuffer origin, final int count, final Object type, final int target,
            final int displacement, final int targetCount, final Object targetType)
        {
            kept += count + target + displacement;
        }

        @Override
        public void flush(final int target)
        {
            kept ^= target;
        }
    }

    private InterpreterFloor()
    {
    }

    public static void main(final String[] args)
    {
        final NoOpWindow window = new NoOpWindow();
        final ByteBuffer origin = ByteBuffer.allocateDirect(4096);
        compileCallees(window, origin);
        System.out.println("# osu_put_latency's loop in Java, put and flush doing nothing (compiled beforehand),");
        System.out.println("# " + ITERATIONS + " timed + " + SKIP + " untimed iterations a size, as OSU's defaults");
        System.out.printf("%-10s%24s%n", "# Size", "ns per iteration");
        for (int size = 1; size <= 2048; size *= 2)
        {
            final long nanos = loop(window, origin, size);
            System.out.printf("%-10d%24.1f%n", size, (double)nanos / ITERATIONS);
        }
        System.out.println("# (kept " + window.kept + ")");
    }

    /** The library's side is compiled before the program's loop starts, from a caller of its own. */
    private static void compileCallees(final Window window, final ByteBuffer origin)
    {
        for (int i = 0; i < WARM_UP_CALLS; i++)
        {
            window.put(origin, i & 1023, null, 1, 0, i & 1023, null);
            window.flush(1);
        }
    }

    /** OSU's loop of one size, shortest form: nanoseconds of the timed iterations. */
    private static long loop(final Window window, final ByteBuffer origin, final int size)
    {
        long start = 0;
        for (int i = 0; i < ITERATIONS + SKIP; i++)
        {
            if (i == SKIP)
            {
                start = System.nanoTime();
            }
            window.put(origin, size, null, 1, 0, size, null);
            window.flush(1);
        }
        return System.nanoTime() - start;
    }
}
