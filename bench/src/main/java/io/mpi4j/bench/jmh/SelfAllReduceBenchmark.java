package io.mpi4j.bench.jmh;

import mpi.Comm;
import mpi.MPI;
import mpi.MPIException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The software cost of a small collective on one process: MPI_Allreduce of one {@code long} (8 bytes, MPI_SUM) on
 * a singleton's COMM_WORLD and on COMM_SELF, with and without MPI_IN_PLACE. No message moves: what is measured is
 * the facade's checks, the dispatch to the blocking small-collective path and the local reduction step.
 * Run with {@code -prof gc} to see what one call allocates:
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
 *     org.openjdk.jmh.Main SelfAllReduceBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SelfAllReduceBenchmark
{
    private Comm world;
    private Comm self;
    private final long[] in = { 3 };
    private final long[] out = new long[1];

    @Setup
    public void setUp() throws MPIException
    {
        MPI.Init(new String[0]);
        world = MPI.COMM_WORLD;
        self = MPI.COMM_SELF;
    }

    @TearDown
    public void tearDown() throws MPIException
    {
        MPI.Finalize();
    }

    /** MPI_Allreduce(in, out, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD) of a 1-process job. */
    @Benchmark
    public long allReduceWorld() throws MPIException
    {
        world.allReduce(in, out, 1, MPI.LONG, MPI.SUM);
        return out[0];
    }

    /** MPI_Allreduce on MPI_COMM_SELF. */
    @Benchmark
    public long allReduceSelf() throws MPIException
    {
        self.allReduce(in, out, 1, MPI.LONG, MPI.SUM);
        return out[0];
    }

    /** MPI_Allreduce(MPI_IN_PLACE, ...) on MPI_COMM_WORLD. */
    @Benchmark
    public long allReduceInPlace() throws MPIException
    {
        world.allReduce(out, 1, MPI.LONG, MPI.SUM);
        return out[0];
    }
}
