package io.mpi4j.rma;

import io.mpi4j.coll.Reduction;
import io.mpi4j.p2p.Memory;

/**
 * How a target combines an accumulate's data into its memory: a predefined reduction ({@code coll.ReductionOp}
 * codes), {@code MPI_REPLACE} (a copy) or {@code MPI_NO_OP} (nothing: a get through the accumulate path). The
 * target applies one request at a time inside its progress engine, so each element is updated atomically with
 * respect to every other one-sided request.
 */
public final class Accumulation
{
    /** {@code MPI_REPLACE}: after the predefined reductions' codes. */
    public static final int REPLACE = 13;
    /** {@code MPI_NO_OP}. */
    public static final int NO_OP = 14;

    private Accumulation()
    {
    }

    /** Whether operator {@code op} is defined on {@code items} items of reduction type {@code type}. */
    public static boolean isDefined(final int op, final int type, final int items)
    {
        return op == REPLACE || op == NO_OP || (type > 0 && null != Reduction.predefined(op, type, items));
    }

    /**
     * {@code target = in op target} for {@code bytes} bytes of elements of {@code elementBytes} bytes.
     *
     * @param target native address in the window
     */
    static void apply(final int op, final int type, final int items, final int elementBytes, final Object inBase,
        final long inAddress, final long target, final long bytes)
    {
        if (op == NO_OP)
        {
            return;
        }
        if (op == REPLACE)
        {
            Memory.copy(inBase, inAddress, null, target, bytes);
            return;
        }
        final Reduction reduction = Reduction.predefined(op, type, items);
        reduction.apply(inBase, inAddress, null, target, (int)(bytes / elementBytes));
    }
}
