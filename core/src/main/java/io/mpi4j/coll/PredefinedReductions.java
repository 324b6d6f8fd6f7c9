package io.mpi4j.coll;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The predefined reductions already built, so binding {@code MPI.SUM} to {@code MPI.FLOAT} on every collective
 * call allocates nothing. Entries are stateless and interchangeable: two threads racing to fill one slot is
 * harmless.
 */
final class PredefinedReductions
{
    private static final int OPS = 16;
    private static final int TYPES = 32;
    private static final int ITEMS = 4;

    private static final AtomicReferenceArray<Reduction> CACHE = new AtomicReferenceArray<>(OPS * TYPES * ITEMS);

    private PredefinedReductions()
    {
    }

    /** Slot of (op, type, items per element), or -1 for combinations outside the table. */
    static int key(final int op, final int type, final int itemsPerElement)
    {
        if (op < 0 || op >= OPS || type < 0 || type >= TYPES || itemsPerElement < 0 || itemsPerElement >= ITEMS)
        {
            return -1;
        }
        return (op * TYPES + type) * ITEMS + itemsPerElement;
    }

    static Reduction get(final int key)
    {
        return CACHE.get(key);
    }

    static void put(final int key, final Reduction reduction)
    {
        CACHE.lazySet(key, reduction);
    }
}
