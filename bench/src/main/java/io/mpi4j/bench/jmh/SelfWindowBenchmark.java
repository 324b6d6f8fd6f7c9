package io.mpi4j.bench.jmh;

import mpi.Datatype;
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
import java.nio.LongBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The software cost of one one-sided operation through messages, without a second process: a singleton's
 * {@code MPI_Win_create} window (its memory a direct buffer, as the binding requires) on {@code COMM_WORLD}, held in
 * a {@code lockAll} epoch, with origin and result buffers on Java arrays. A singleton reaches itself through its own
 * shared-memory ring, and the shm transport exposes no window memory, so every operation takes the active-message
 * path a peer without RDMA gets: the origin sends a request header (and data), the target side serves it inside the
 * progress engine. Each operation is followed by {@code MPI_Win_flush} of the target (a FLUSH round trip after a
 * put or accumulate, only the local wait after a get), so every iteration is served whole.
 * <p>
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is what one operation and its flush allocate: nothing for
 * the blocking calls, the facade's {@code Request} (24 bytes) for rPut and rAccumulate, and for rGet also the
 * receive of its answer, which the program's request holds and the window therefore cannot reuse. With
 * {@code bytes} above the inline limit (1 KiB) the data travels in a second message; {@link #putStrided} packs a
 * strided origin first.
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
 *     org.openjdk.jmh.Main SelfWindowBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SelfWindowBenchmark
{
    @Param({ "64", "4096" })
    int bytes;

    private int self;
    private int longs;
    private Win win;
    private LongBuffer origin;
    private LongBuffer strided;
    private LongBuffer result;
    private LongBuffer one;
    private LongBuffer compare;
    private LongBuffer oneResult;
    private Datatype everyOther;

    @Setup
    public void setUp() throws MPIException
    {
        MPI.Init(new String[0]);
        self = MPI.COMM_WORLD.getRank();
        longs = bytes / Long.BYTES;
        final ByteBuffer memory = MPI.newByteBuffer(bytes);
        win = new Win(memory, bytes, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        origin = LongBuffer.wrap(new long[longs]);
        strided = LongBuffer.wrap(new long[2 * longs]);
        result = LongBuffer.wrap(new long[longs]);
        one = LongBuffer.wrap(new long[] {1});
        compare = LongBuffer.wrap(new long[1]);
        oneResult = LongBuffer.wrap(new long[1]);
        everyOther = Datatype.createVector(longs, 1, 2, MPI.LONG);
        everyOther.commit();
        win.lockAll(0);
    }

    @TearDown
    public void tearDown() throws MPIException
    {
        win.unlockAll();
        win.free();
        everyOther.free();
        MPI.Finalize();
    }

    /** MPI_Put, MPI_Win_flush. */
    @Benchmark
    public void put() throws MPIException
    {
        win.put(origin, longs, MPI.LONG, self, 0, longs, MPI.LONG);
        win.flush(self);
    }

    /** MPI_Put of a strided origin (packed before sending), MPI_Win_flush. */
    @Benchmark
    public void putStrided() throws MPIException
    {
        win.put(strided, 1, everyOther, self, 0, longs, MPI.LONG);
        win.flush(self);
    }

    /** MPI_Rput, MPI_Wait, MPI_Win_flush. */
    @Benchmark
    public void rPut() throws MPIException
    {
        win.rPut(origin, longs, MPI.LONG, self, 0, longs, MPI.LONG).waitFor();
        win.flush(self);
    }

    /** MPI_Get, MPI_Win_flush. */
    @Benchmark
    public void get() throws MPIException
    {
        win.get(result, longs, MPI.LONG, self, 0, longs, MPI.LONG);
        win.flush(self);
    }

    /** MPI_Rget, MPI_Wait. */
    @Benchmark
    public void rGet() throws MPIException
    {
        win.rGet(result, longs, MPI.LONG, self, 0, longs, MPI.LONG).waitFor();
    }

    /** MPI_Accumulate (MPI_SUM), MPI_Win_flush. */
    @Benchmark
    public void accumulate() throws MPIException
    {
        win.accumulate(origin, longs, MPI.LONG, self, 0, longs, MPI.LONG, MPI.SUM);
        win.flush(self);
    }

    /** MPI_Raccumulate (MPI_SUM), MPI_Wait, MPI_Win_flush. */
    @Benchmark
    public void rAccumulate() throws MPIException
    {
        win.rAccumulate(origin, longs, MPI.LONG, self, 0, longs, MPI.LONG, MPI.SUM).waitFor();
        win.flush(self);
    }

    /** MPI_Get_accumulate (MPI_SUM), MPI_Win_flush. */
    @Benchmark
    public void getAccumulate() throws MPIException
    {
        win.getAccumulate(origin, longs, MPI.LONG, result, longs, MPI.LONG, self, 0, longs, MPI.LONG, MPI.SUM);
        win.flush(self);
    }

    /** MPI_Fetch_and_op of one long (MPI_SUM), MPI_Win_flush. */
    @Benchmark
    public void fetchAndOp() throws MPIException
    {
        win.fetchAndOp(one, oneResult, MPI.LONG, self, 0, MPI.SUM);
        win.flush(self);
    }

    /** MPI_Compare_and_swap of one long, MPI_Win_flush. */
    @Benchmark
    public void compareAndSwap() throws MPIException
    {
        win.compareAndSwap(one, compare, oneResult, MPI.LONG, self, 0);
        win.flush(self);
    }
}
