package io.mpi4j.rma;

import io.mpi4j.coll.SharedSegment;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.p2p.Memory;

/**
 * Accumulates of a window whose memory every member maps (a {@link SharedSegment}), applied by the origin itself to
 * the target's memory, as Open MPI's osc/sm does: {@code MPI_Accumulate}, {@code MPI_Get_accumulate},
 * {@code MPI_Fetch_and_op}, {@code MPI_Compare_and_swap} and their request-based forms need no message and no work
 * of the target's. Each holds the target's lock ({@link AccumulateLocks}) from its first load to its last store, the
 * same lock the target's progress engine takes for any accumulate it serves, so every element is updated atomically
 * with respect to every other accumulate of the window. Derived datatypes are combined run by run on their base
 * type ({@link TargetLayout}); origin data with gaps is packed first, and a result buffer with gaps is unpacked
 * after the lock is released. The operations complete at once, at the origin and at the target.
 * <p>
 * Used under its window's {@link RmaOperations} monitor (its scratch arrays are shared by the calls).
 */
final class NodeAccumulates
{
    private final SharedSegment segment;
    private final AccumulateLocks locks;
    private final int me;
    private final TargetLayout layout = new TargetLayout();
    /** Origin items with gaps, packed. */
    private byte[] packed = new byte[64];
    /** The target's previous contents, packed, for a result buffer with gaps; compare-and-swap's operands. */
    private byte[] previous = new byte[64];

    NodeAccumulates(final SharedSegment segment, final AccumulateLocks locks, final int me)
    {
        this.segment = segment;
        this.locks = locks;
        this.me = me;
    }

    /**
     * {@code target = origin op target} at byte {@code offset} of {@code target}'s part ({@link Accumulation}'s
     * codes; {@code targetType} has at most {@link TargetLayout#MAX_RUNS} runs).
     */
    void accumulate(final TypeMap originType, final long originCount, final Object base, final long address,
        final int target, final long offset, final TypeMap targetType, final long targetCount, final int op,
        final int type, final int items, final int elementBytes)
    {
        final long bytes = originType.packedSize(originCount);
        if (op == Accumulation.NO_OP || 0 == bytes)
        {
            return;
        }
        final Object source;
        final long sourceAddress;
        if (originType.isContiguous())
        {
            source = base;
            sourceAddress = address + originType.firstDisplacement();
        }
        else
        {
            source = pack(originType, originCount, base, address, bytes);
            sourceAddress = Memory.BYTE_ARRAY_BASE;
        }
        final long at = segment.address(target) + offset;
        final boolean laid = !targetType.isContiguous();
        if (laid)
        {
            layout.describe(targetType, targetCount);
        }
        locks.acquire(target, me);
        try
        {
            combine(op, type, items, elementBytes, source, sourceAddress, at, laid, targetType, bytes);
        }
        finally
        {
            locks.release(target);
        }
    }

    /**
     * The target's items arrive in the result buffer, then the origin's are combined into them
     * ({@link Accumulation#NO_OP}: {@code originType} may be null, nothing is written).
     */
    void getAccumulate(final TypeMap originType, final long originCount, final Object base, final long address,
        final TypeMap resultType, final long resultCount, final Object resultBase, final long resultAddress,
        final int target, final long offset, final TypeMap targetType, final long targetCount, final int op,
        final int type, final int items, final int elementBytes)
    {
        final long bytes = resultType.packedSize(resultCount);
        final boolean writes = op != Accumulation.NO_OP && null != originType;
        final long originBytes = writes ? originType.packedSize(originCount) : 0;
        Object source = null;
        long sourceAddress = 0;
        if (writes && originType.isContiguous())
        {
            source = base;
            sourceAddress = address + originType.firstDisplacement();
        }
        else if (writes)
        {
            source = pack(originType, originCount, base, address, originBytes);
            sourceAddress = Memory.BYTE_ARRAY_BASE;
        }
        final boolean resultContiguous = resultType.isContiguous();
        final Object oldBase;
        final long oldAddress;
        if (resultContiguous)
        {
            oldBase = resultBase;
            oldAddress = resultAddress + resultType.firstDisplacement();
        }
        else
        {
            previous = fit(previous, bytes);
            oldBase = previous;
            oldAddress = Memory.BYTE_ARRAY_BASE;
        }
        final long at = segment.address(target) + offset;
        final boolean laid = !targetType.isContiguous();
        if (laid)
        {
            layout.describe(targetType, targetCount);
        }
        locks.acquire(target, me);
        try
        {
            if (laid)
            {
                layout.gather(at, oldBase, oldAddress);
            }
            else
            {
                Memory.copy(null, at + targetType.firstDisplacement(), oldBase, oldAddress, bytes);
            }
            if (writes && originBytes > 0)
            {
                combine(op, type, items, elementBytes, source, sourceAddress, at, laid, targetType, originBytes);
            }
        }
        finally
        {
            locks.release(target);
        }
        if (!resultContiguous)
        {
            Packer.unpack(previous, 0, resultType, resultCount, resultBase, resultAddress);
        }
    }

    /** The {@code bytes} bytes at {@code offset} of {@code target}'s part become the origin's if they equal compare's. */
    void compareAndSwap(final Object base, final long address, final Object compareBase, final long compareAddress,
        final Object resultBase, final long resultAddress, final int bytes, final int target, final long offset)
    {
        previous = fit(previous, 2L * bytes);
        final byte[] operands = previous;
        Memory.copy(compareBase, compareAddress, operands, Memory.BYTE_ARRAY_BASE + bytes, bytes);
        final long at = segment.address(target) + offset;
        locks.acquire(target, me);
        try
        {
            Memory.copy(null, at, operands, Memory.BYTE_ARRAY_BASE, bytes);
            if (java.util.Arrays.equals(operands, 0, bytes, operands, bytes, 2 * bytes))
            {
                Memory.copy(base, address, null, at, bytes);
            }
        }
        finally
        {
            locks.release(target);
        }
        Memory.copy(operands, Memory.BYTE_ARRAY_BASE, resultBase, resultAddress, bytes);
    }

    private void combine(final int op, final int type, final int items, final int elementBytes, final Object source,
        final long sourceAddress, final long at, final boolean laid, final TypeMap targetType, final long bytes)
    {
        if (laid)
        {
            layout.scatter(op, type, items, elementBytes, source, sourceAddress, at);
        }
        else
        {
            Accumulation.apply(op, type, items, elementBytes, source, sourceAddress,
                at + targetType.firstDisplacement(), bytes);
        }
    }

    private byte[] pack(final TypeMap type, final long count, final Object base, final long address,
        final long bytes)
    {
        packed = fit(packed, bytes);
        Packer.pack(type, count, base, address, packed, 0);
        return packed;
    }

    private static byte[] fit(final byte[] scratch, final long bytes)
    {
        if (bytes > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException(bytes + " bytes exceed what one accumulate stages");
        }
        return scratch.length >= bytes ? scratch : new byte[(int)Math.max(bytes, 2L * scratch.length)];
    }
}
