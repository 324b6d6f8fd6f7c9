package io.mpi4j.coll;

/**
 * A reduction operator bound to one datatype: what a collective applies to received data.
 * {@link #apply} computes {@code inout[i] = in[i] op inout[i]} for {@code count} items, where {@code in} holds
 * the contribution of lower ranks; non-commutative operators rely on that order.
 */
public interface Reduction
{
    void apply(Object in, long inAddress, Object inout, long inoutAddress, int count);

    boolean isCommutative();

    /** A predefined operator on a basic or pair type; null when MPI does not define {@code op} on {@code type}. */
    static Reduction predefined(final int op, final int type, final int itemsPerElement)
    {
        final int key = PredefinedReductions.key(op, type, itemsPerElement);
        if (key >= 0)
        {
            final Reduction cached = PredefinedReductions.get(key);
            if (null != cached)
            {
                return cached;
            }
        }
        if (!ReductionKernels.apply(op, type, null, 0, null, 0, 0))
        {
            return null;
        }
        final Reduction r = new Reduction()
        {
            public void apply(final Object in, final long inAddress, final Object inout, final long inoutAddress,
                final int count)
            {
                ReductionKernels.apply(op, type, in, inAddress, inout, inoutAddress, count * itemsPerElement);
            }

            public boolean isCommutative()
            {
                return true;
            }
        };
        if (key >= 0)
        {
            PredefinedReductions.put(key, r);
        }
        return r;
    }
}
