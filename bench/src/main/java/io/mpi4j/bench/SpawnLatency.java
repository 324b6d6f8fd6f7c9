package io.mpi4j.bench;

import mpi.Intercomm;
import mpi.MPI;
import mpi.MPIException;

import java.util.Arrays;

/**
 * Time from {@code MPI_Comm_spawn} to the first message answered by every child, the same loop as
 * {@code bench/c/spawn_latency.c}: for 1 and 2 children, {@code iterations} rounds of spawn, one int to each child
 * and its answer back, then disconnect; prints the median, the maximum and the first spawn's time in milliseconds.
 * The children are this class again. They run on the launcher's spare JVMs when one is ready
 * ({@code MPI4J_SPAWN_SPARES}, default 2; 0 makes every spawn start its JVM cold). Since this program calls spawn,
 * the launcher starts spares with the job, so even the first spawn, right after {@code MPI_Init}, finds one
 * (still warming up).
 * {@code -g ms} is the pause after each spawn (default 100, as in the C program), during which the children exit
 * and the launcher starts new spares.
 * <pre>bin/mpi4jrun -n 1 --universe-size 4 java -cp bench/target/classes io.mpi4j.bench.SpawnLatency [-i n] [-g ms]</pre>
 */
public final class SpawnLatency
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final Intercomm parent = Intercomm.getParent();
        if (!parent.isNull())
        {
            final int[] value = new int[1];
            parent.recv(value, 1, MPI.INT, 0, 1);
            parent.send(value, 1, MPI.INT, 0, 2);
            parent.disconnect();
            MPI.Finalize();
            return;
        }
        int iterations = 20;
        long gapMs = 100;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            if ("-i".equals(args[i]))
            {
                iterations = Integer.parseInt(args[i + 1]);
            }
            else if ("-g".equals(args[i]))
            {
                gapMs = Long.parseLong(args[i + 1]);
            }
        }
        System.out.println("# mpi4j MPI_Comm_spawn to first answer of every child, " + iterations + " spawns each, " +
            gapMs + " ms apart");
        System.out.println("# children median_ms max_ms first_ms");
        for (int children = 1; children <= 2; children++)
        {
            final double[] ms = new double[iterations];
            for (int i = 0; i < iterations; i++)
            {
                ms[i] = spawnOnce(children);
                // Let the children exit: the universe counts running processes.
                Thread.sleep(gapMs);
            }
            final double first = ms[0];
            Arrays.sort(ms);
            System.out.printf("%d %.1f %.1f %.1f%n", children, ms[iterations / 2], ms[iterations - 1], first);
        }
        MPI.Finalize();
    }

    private static double spawnOnce(final int children) throws MPIException
    {
        final long start = System.nanoTime();
        final Intercomm inter = MPI.COMM_SELF.spawn("java", new String[]{ SpawnLatency.class.getName() }, children,
            MPI.INFO_NULL, 0, null);
        final int[] value = { 42 };
        for (int c = 0; c < children; c++)
        {
            inter.send(value, 1, MPI.INT, c, 1);
        }
        for (int c = 0; c < children; c++)
        {
            inter.recv(value, 1, MPI.INT, c, 2);
        }
        final double elapsed = (System.nanoTime() - start) / 1e6;
        inter.disconnect();
        return elapsed;
    }
}
