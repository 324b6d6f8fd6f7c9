package io.mpi4j.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CompilerQuietTest
{
    @Test
    void compilerThreadsAreFoundAndTheirWorkGrows()
    {
        final long before = CompilerQuiet.compilerThreadsRunTime();
        assertTrue(before > 0, "no compiler thread found under /proc/self/task");
        // make something hot enough to be compiled
        long sink = 0;
        for (int i = 0; i < 200_000; i++)
        {
            sink += Long.toString(i).hashCode();
        }
        assertTrue(CompilerQuiet.compilerThreadsRunTime() > before, "sink " + sink);
    }

    @Test
    void awaitEndsQuietOrWhenToldToStop()
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        assertTrue(CompilerQuiet.await(TimeUnit.MILLISECONDS.toNanos(30), () -> System.nanoTime() < deadline));
        assertFalse(CompilerQuiet.await(TimeUnit.SECONDS.toNanos(10), () -> false));
    }
}
