package io.mpi4j.bench.jmh;

import mpi.MPI;
import mpi.MPIException;
import mpi.Win;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The software cost of one one-sided operation on a window in shared memory, as osu_put_latency and osu_put_bw
 * run it on one node: a singleton's {@code MPI_Win_allocate} window on {@code COMM_SELF} (mapped, so a put or a get
 * is the origin's own copy), held in a shared {@code MPI_Win_lock} epoch, with a direct origin buffer of
 * {@code bytes} bytes of {@code MPI.BYTE}. {@link #putFlush} is OSU's latency loop body, {@link #put} its bandwidth
 * loop's; with {@code -prof gc}, every benchmark allocates nothing.
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
 *     org.openjdk.jmh.Main SharedWindowBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SharedWindowBenchmark
{
    @Param({ "8" })
    int bytes;

    private Win win;
    private ByteBuffer origin;

    @Setup
    public void setUp() throws MPIException
    {
        MPI.Init(new String[0]);
        origin = MPI.newByteBuffer(bytes);
        win = new Win(bytes, 1, MPI.INFO_NULL, MPI.COMM_SELF, MPI.newByteBuffer(1), Win.FLAVOR_PRIVATE);
        win.lock(MPI.LOCK_SHARED, 0, 0);
    }

    @TearDown
    public void tearDown() throws MPIException
    {
        win.unlock(0);
        win.free();
        MPI.Finalize();
    }

    /** MPI_Put. */
    @Benchmark
    public void put() throws MPIException
    {
        win.put(origin, bytes, MPI.BYTE, 0, 0, bytes, MPI.BYTE);
    }

    /** MPI_Put, MPI_Win_flush. */
    @Benchmark
    public void putFlush() throws MPIException
    {
        win.put(origin, bytes, MPI.BYTE, 0, 0, bytes, MPI.BYTE);
        win.flush(0);
    }

    /** MPI_Get. */
    @Benchmark
    public void get() throws MPIException
    {
        win.get(origin, bytes, MPI.BYTE, 0, 0, bytes, MPI.BYTE);
    }

    /** MPI_Accumulate (MPI_SUM on bytes), MPI_Win_flush. */
    @Benchmark
    public void accumulateFlush() throws MPIException
    {
        win.accumulate(origin, bytes, MPI.BYTE, 0, 0, bytes, MPI.BYTE, MPI.SUM);
        win.flush(0);
    }
}
