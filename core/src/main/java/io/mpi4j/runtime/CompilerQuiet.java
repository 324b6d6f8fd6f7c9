package io.mpi4j.runtime;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The end of a rehearsal of hot paths: waiting, parked so that the compiler threads have the core, until the JIT has
 * compiled what the rehearsal made hot. Making methods hot only queues them; HotSpot's one C2 thread of a small host
 * compiles the queue later, one tree of inlined methods after another, and a rehearsal that stopped at its last
 * call would leave that work to run beside the program's first messages.
 */
public final class CompilerQuiet
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private CompilerQuiet()
    {
    }

    /**
     * Parks until no compilation has finished for {@code quietNanos}; false when {@code goOn} said stop first, or
     * the JVM does not account compilation time.
     */
    public static boolean await(final long quietNanos, final BooleanSupplier goOn)
    {
        final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported())
        {
            return false;
        }
        long compiled = compiler.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (goOn.getAsBoolean())
        {
            LockSupport.parkNanos(POLL_NANOS);
            final long now = System.nanoTime();
            final long total = compiler.getTotalCompilationTime();
            if (total != compiled)
            {
                compiled = total;
                quietSince = now;
            }
            else if (now - quietSince >= quietNanos)
            {
                return true;
            }
        }
        return false;
    }
}
