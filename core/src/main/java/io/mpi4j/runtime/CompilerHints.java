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
    /** The helpers, as {@code -XX:CompileCommand} patterns. */
    static final List<String> OUT_OF_LINE = List.of(
        "mpi.PointToPointCalls::sendOperation",
        "mpi.PointToPointCalls::recvOperation",
        "mpi.PointToPointCalls::receive",
        "mpi.Request::await",
        "mpi.Request::completed",
        "mpi.Request::retire");

    /** {@code -XX:CompileCommand} options (the first one silences HotSpot's line for each at start-up). */
    public static final List<String> JVM_OPTIONS = options();

    private CompilerHints()
    {
    }

    private static List<String> options()
    {
        final String[] options = new String[OUT_OF_LINE.size() + 1];
        options[0] = "-XX:CompileCommand=quiet";
        for (int i = 0; i < OUT_OF_LINE.size(); i++)
        {
            options[i + 1] = "-XX:CompileCommand=dontinline," + OUT_OF_LINE.get(i);
        }
        return List.of(options);
    }
}
