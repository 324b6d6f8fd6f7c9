package io.mpi4j.bench.jmh;

import io.mpi4j.runtime.CompilerHints;
import mpi.Comm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The software cost of one message, without a second process: a singleton sends to itself through its own
 * shared-memory ring and receives it (facade checks, matching, eager protocol, ring claim/commit/poll).
 * Run with {@code -prof gc} to see what a message allocates ({@code gc.alloc.rate.norm}, bytes per operation): a
 * blocking send and receive nothing (the JIT drops the returned {@code Status} the benchmark reads a field of), the
 * non-blocking calls nothing when the requests stay local to the method (the engine pools its operations, the JIT
 * drops the facade's {@code Request}), and only the {@code Request} objects themselves when the program keeps them
 * in an array, as {@link #nonBlockingWaitAll} does.
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -cp "bench/target/classes:$(cat bench/target/runtime.classpath)" \
 *     org.openjdk.jmh.Main SelfMessageBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// the inlining hints mpi4jrun gives every rank, so that allocation is measured as a program under mpi4jrun sees it
@Fork(value = 1, jvmArgsAppend = { "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", CompilerHints.QUIET,
    CompilerHints.SEND_OPERATION, CompilerHints.RECV_OPERATION, CompilerHints.RECEIVE, CompilerHints.AWAIT,
    CompilerHints.COMPLETED, CompilerHints.RETIRE })
public class SelfMessageBenchmark
{
    private static final int TAG = 7;
    private static final int WINDOW = 64;

    @Param({ "8", "1024" })
    int bytes;

    private Comm comm;
    private int self;
    private ByteBuffer sendBuffer;
    private ByteBuffer recvBuffer;
    private byte[] sendArray;
    private byte[] recvArray;
    private final Request[] requests = new Request[2];
    private final Request[] windowRecvs = new Request[WINDOW];
    private final Request[] windowSends = new Request[WINDOW];

    @Setup
    public void setUp() throws MPIException
    {
        MPI.Init(new String[0]);
        comm = MPI.COMM_WORLD;
        self = comm.getRank();
        sendBuffer = MPI.newByteBuffer(bytes);
        recvBuffer = MPI.newByteBuffer(bytes);
        sendArray = new byte[bytes];
        recvArray = new byte[bytes];
    }

    @TearDown
    public void tearDown() throws MPIException
    {
        MPI.Finalize();
    }

    /** MPI_Send then MPI_Recv of a direct buffer. */
    @Benchmark
    public int sendRecvDirect() throws MPIException
    {
        comm.send(sendBuffer, bytes, MPI.BYTE, self, TAG);
        return comm.recv(recvBuffer, bytes, MPI.BYTE, self, TAG).getTag();
    }

    /** MPI_Send then MPI_Recv of a Java array. */
    @Benchmark
    public int sendRecvArray() throws MPIException
    {
        comm.send(sendArray, bytes, MPI.BYTE, self, TAG);
        return comm.recv(recvArray, bytes, MPI.BYTE, self, TAG).getTag();
    }

    /** MPI_Irecv, MPI_Isend, MPI_Wait x2: the non-blocking path with its request objects. */
    @Benchmark
    public boolean nonBlocking() throws MPIException
    {
        final Request recv = comm.iRecv(recvArray, bytes, MPI.BYTE, self, TAG);
        final Request send = comm.iSend(sendArray, bytes, MPI.BYTE, self, TAG);
        send.waitFor();
        recv.waitFor();
        return recv.isNull();
    }

    /** MPI_Irecv, MPI_Isend, MPI_Wait then MPI_Recv's status: what a receive's waitStatus costs. */
    @Benchmark
    public int nonBlockingWaitStatus() throws MPIException
    {
        final Request recv = comm.iRecv(recvArray, bytes, MPI.BYTE, self, TAG);
        final Request send = comm.iSend(sendArray, bytes, MPI.BYTE, self, TAG);
        send.waitFor();
        return recv.waitStatus().getSource();
    }

    /** MPI_Irecv, MPI_Isend, MPI_Test until done on the receive, MPI_Wait on the send. */
    @Benchmark
    public boolean nonBlockingTest() throws MPIException
    {
        final Request recv = comm.iRecv(recvArray, bytes, MPI.BYTE, self, TAG);
        final Request send = comm.iSend(sendArray, bytes, MPI.BYTE, self, TAG);
        while (!recv.test())
        {
            Thread.onSpinWait();
        }
        send.waitFor();
        return recv.isNull();
    }

    /**
     * MPI_Irecv, MPI_Isend, MPI_Waitall over an array the program keeps: the two {@code Request} objects escape into
     * the array, so they are allocated (Open MPI's binding returns a new one per call); nothing else is.
     */
    @Benchmark
    public boolean nonBlockingWaitAll() throws MPIException
    {
        final Request[] pair = requests;
        pair[0] = comm.iRecv(recvArray, bytes, MPI.BYTE, self, TAG);
        pair[1] = comm.iSend(sendArray, bytes, MPI.BYTE, self, TAG);
        Request.waitAll(pair);
        return pair[0].isNull();
    }

    /**
     * osu_bw's window on one process: 64 MPI_Irecv posted, 64 MPI_Isend of direct buffers into them, MPI_Waitall on
     * each array. One operation is one message (both its sides).
     */
    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public boolean window() throws MPIException
    {
        for (int w = 0; w < WINDOW; w++)
        {
            windowRecvs[w] = comm.iRecv(recvBuffer, bytes, MPI.BYTE, self, TAG);
        }
        for (int w = 0; w < WINDOW; w++)
        {
            windowSends[w] = comm.iSend(sendBuffer, bytes, MPI.BYTE, self, TAG);
        }
        Request.waitAll(windowSends);
        Request.waitAll(windowRecvs);
        return windowRecvs[0].isNull();
    }
}
