package io.mpi4j.runtime;

import java.io.File;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The end of a rehearsal of hot paths: waiting, parked so that the compiler threads have the core, until the JIT has
 * compiled what the rehearsal made hot. Making methods hot only queues them; HotSpot's one C2 thread of a small host
 * compiles the queue later, one tree of inlined methods after another, and a rehearsal that stopped at its last
 * call would leave that work to run beside the program's first messages, taking a core from one rank while the
 * other waits for it.
 * <p>
 * Quiet means the compiler threads used no CPU for a while, read from {@code /proc/self/task/<tid>/schedstat} (their
 * run time in nanoseconds; the threads are named {@code C1 CompilerThre...} and {@code C2 CompilerThre...}). The
 * JVM's compilation-time counter is not enough: it moves only when a compilation ends, and one C2 compilation of a
 * progress loop takes 50-100 ms on a loaded 2-core host, which looked quiet while the queue behind it still held
 * the rehearsal's work. Where {@code /proc} cannot be read, that counter is the fallback.
 */
public final class CompilerQuiet
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final File TASKS = new File("/proc/self/task");
    private static final String COMPILER_THREAD = "CompilerThre";

    private CompilerQuiet()
    {
    }

    /**
     * Parks until the compiler threads have been idle for {@code quietNanos}; false when {@code goOn} said stop
     * first, or the JVM's compilation cannot be observed.
     */
    public static boolean await(final long quietNanos, final BooleanSupplier goOn)
    {
        final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        final boolean counted = null != compiler && compiler.isCompilationTimeMonitoringSupported();
        long work = compilerWork(compiler, counted);
        if (work < 0)
        {
            return false;
        }
        long quietSince = System.nanoTime();
        while (goOn.getAsBoolean())
        {
            LockSupport.parkNanos(POLL_NANOS);
            final long now = System.nanoTime();
            final long total = compilerWork(compiler, counted);
            if (total != work)
            {
                work = total;
                quietSince = now;
            }
            else if (now - quietSince >= quietNanos)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A measure of the compilers' work so far that grows while they work: their threads' run time in ns, else the
     * JVM's compilation time in ms; -1 if neither can be read.
     */
    private static long compilerWork(final CompilationMXBean compiler, final boolean counted)
    {
        final long runTime = compilerThreadsRunTime();
        if (runTime >= 0)
        {
            return runTime;
        }
        return counted ? compiler.getTotalCompilationTime() : -1;
    }

    /** Sum of the compiler threads' run times in ns, or -1 if none can be read. */
    static long compilerThreadsRunTime()
    {
        final File[] tasks = TASKS.listFiles();
        if (null == tasks)
        {
            return -1;
        }
        long sum = 0;
        boolean found = false;
        for (final File task : tasks)
        {
            try
            {
                final String name = Files.readString(task.toPath().resolve("comm"), StandardCharsets.US_ASCII);
                if (!name.contains(COMPILER_THREAD))
                {
                    continue;
                }
                final String stat = Files.readString(task.toPath().resolve("schedstat"), StandardCharsets.US_ASCII);
                final int end = stat.indexOf(' ');
                sum += Long.parseLong(end < 0 ? stat.trim() : stat.substring(0, end));
                found = true;
            }
            catch (final IOException | RuntimeException ignore)
            {
                // a thread that ended meanwhile (the JVM retires idle compiler threads): it works no more
            }
        }
        return found ? sum : -1;
    }
}
