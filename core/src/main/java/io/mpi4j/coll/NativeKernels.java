package io.mpi4j.coll;

import io.mpi4j.transport.NativeLibrary;
import org.agrona.UnsafeApi;

/**
 * The common predefined reductions of long vectors in this module's JNI library ({@code src/main/native}, built
 * with the module): C loops that the compiler vectorises for AVX2 where the processor has it. HotSpot's C2 does not
 * vectorise loops over native memory, so {@link StagedKernels} copies both operands into arrays and back; a 4 MiB
 * byte SUM took 283 us that way on this project's test host, against 93 us here, a 1 MiB float SUM 84 against 22.
 * <p>
 * Results are those of {@link ReductionKernels}, element for element: integer sums and products wrap, floating-point
 * sums and products are the same IEEE operations. The floating-point MIN and MAX (Java's NaN and -0.0 rules) and
 * the pairs not listed in {@link #handles} stay in Java. Without the library (no C compiler at build time, another
 * OS) {@link #available} is false and every reduction runs in Java.
 */
final class NativeKernels
{
    /**
     * Below this many bytes a JNI call that pins a Java array costs more than the loop it saves: pinning both
     * operands costs ~47 ns on this project's test host, the call itself ~13 ns.
     */
    static final int MIN_BYTES = 2048;
    /**
     * Below this many bytes a JNI call over native memory only (direct buffers, shared segments, window memory)
     * costs more than the loop it saves, unless the vector has {@link #MIN_NATIVE_ITEMS}: Java's loops of narrow
     * elements are slow. Measured on the test host: a byte SUM of 32 B 29 ns in Java's loop, 13 ns here, of 128 B 93
     * against 15; a float SUM of 128 B 16 against 14 ns, of 256 B (staged) 37 against 16.
     */
    static final int MIN_NATIVE_BYTES = 128;
    /** See {@link #MIN_NATIVE_BYTES}. */
    static final int MIN_NATIVE_ITEMS = 32;
    /**
     * Bytes reduced per call: a Java array is pinned for the call, and the collector waits for it meanwhile (a few
     * tens of microseconds at most).
     */
    static final int CALL_BYTES = 256 << 10;

    private static final String UNAVAILABLE = NativeLibrary.load(NativeKernels.class, "mpi4jreduce");

    private NativeKernels()
    {
    }

    /** Whether the library is loaded. */
    static boolean available()
    {
        return null == UNAVAILABLE;
    }

    /** Why {@link #available} is false, else null. */
    static String unavailableReason()
    {
        return UNAVAILABLE;
    }

    /** Whether {@link #apply} handles {@code op} on {@code type} (the library being {@link #available}). */
    static boolean handles(final int op, final int type)
    {
        switch (type)
        {
            case ReductionType.BYTE:
            case ReductionType.SHORT:
            case ReductionType.INT:
            case ReductionType.LONG:
                return op == ReductionOp.SUM || op == ReductionOp.PROD || op == ReductionOp.MIN ||
                    op == ReductionOp.MAX || op == ReductionOp.BAND || op == ReductionOp.BOR || op == ReductionOp.BXOR;
            case ReductionType.FLOAT:
            case ReductionType.DOUBLE:
                return op == ReductionOp.SUM || op == ReductionOp.PROD;
            default:
                return false;
        }
    }

    /**
     * {@code inout[i] = in[i] op inout[i]} over {@code bytes} bytes of {@code type}, a pair this {@link #handles};
     * each operand a primitive array and an Unsafe offset into it, or null and a native address.
     */
    static void apply(final int op, final int type, final Object in, final long inAddress, final Object inout,
        final long inoutAddress, final long bytes)
    {
        // the library takes an array's offset from its first element
        final long inOffset = null == in ? inAddress : inAddress - UnsafeApi.arrayBaseOffset(in.getClass());
        final long inoutOffset =
            null == inout ? inoutAddress : inoutAddress - UnsafeApi.arrayBaseOffset(inout.getClass());
        for (long done = 0; done < bytes; done += CALL_BYTES)
        {
            final long chunk = Math.min(CALL_BYTES, bytes - done);
            if (!reduce(op, type, in, inOffset + done, inout, inoutOffset + done, chunk))
            {
                throw new IllegalStateException("libmpi4jreduce did not apply op " + op + " to type " + type +
                    " (pinning an array failed, or the pair is not in the library)");
            }
        }
    }

    private static native boolean reduce(int op, int type, Object inArray, long in, Object inoutArray, long inout,
        long bytes);
}
