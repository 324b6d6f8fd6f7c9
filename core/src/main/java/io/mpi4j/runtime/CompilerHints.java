package io.mpi4j.runtime;

import java.util.List;

/**
 * JVM options that keep the JIT from inlining the bulk of the point-to-point calls into their entry points, so that
 * the entry points stay small enough to be inlined into a program's own methods, and a {@code mpi.Request} or
 * {@code mpi.Status} that a program does not keep is never allocated.
 * <p>
 * {@code Comm.iSend}, {@code Comm.iRecv}, {@code Request.waitFor} and {@code Request.test} pass the request's
 * fields, never the request, to static helpers, and {@code Comm.recv} makes its status from what its helper
 * returns. HotSpot compiled each entry point with those helpers and all
 * below them inlined (the rehearsal in {@code MPI_Init} compiles them before a program's first call), then refused
 * to inline that large code into the program's method ("already compiled into a big method"), so the request
 * escaped into the call and was allocated: 48 bytes a send and receive pair (JMH
 * {@code SelfMessageBenchmark.nonBlocking -prof gc}), and a receive's status 40. With the helpers below left out of
 * line, those benchmarks allocate nothing, at the cost of one call each.
 * <p>
 * These options name only mpi4j's own methods; the launcher gives them to every JVM it starts
 * ({@code RuntimeJvmFlags}). A JVM started without them runs the same, allocating the requests.
 */
public final class CompilerHints
{
    private static final String DONT_INLINE = "-XX:CompileCommand=dontinline,";

    /** Silences HotSpot's line for each of the others at start-up. */
    public static final String QUIET = "-XX:CompileCommand=quiet";
    public static final String SEND_OPERATION = DONT_INLINE + "mpi.PointToPointCalls::sendOperation";
    public static final String RECV_OPERATION = DONT_INLINE + "mpi.PointToPointCalls::recvOperation";
    public static final String RECEIVE = DONT_INLINE + "mpi.PointToPointCalls::receive";
    public static final String AWAIT = DONT_INLINE + "mpi.Request::await";
    public static final String COMPLETED = DONT_INLINE + "mpi.Request::completed";
    public static final String RETIRE = DONT_INLINE + "mpi.Request::retire";

    /**
     * The options, each a compile-time constant of its own (so that a benchmark's {@code @Fork} can name them): the
     * quiet one first.
     */
    public static final List<String> JVM_OPTIONS = List.of(QUIET, SEND_OPERATION, RECV_OPERATION, RECEIVE, AWAIT,
        COMPLETED, RETIRE);

    private CompilerHints()
    {
    }

    /** The method pattern ({@code class::method}) an option after {@link #QUIET} keeps out of line. */
    static String outOfLine(final String option)
    {
        return option.substring(DONT_INLINE.length());
    }
}
