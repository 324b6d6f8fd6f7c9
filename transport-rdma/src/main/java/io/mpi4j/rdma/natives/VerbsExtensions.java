package io.mpi4j.rdma.natives;

import java.io.IOException;

/**
 * Native methods of our libdisni beyond DiSNI's contract (src/main/native/verbs_extensions.c): verbs that DiSNI 2.1
 * cannot express. Handles are the DiSNI objects' {@code getObjId()} values, checked by the same handle registry.
 * The library must already be loaded (DiSNI's {@code NativeDispatcher} loads it when the first verbs object is made).
 */
public final class VerbsExtensions
{
    /** {@code IBV_ATOMIC_NONE}: the device does no atomics. */
    public static final int ATOMIC_NONE = 0;

    private VerbsExtensions()
    {
    }

    /**
     * {@code ibv_query_device(...).atomic_cap}: {@link #ATOMIC_NONE}, 1 (atomic with respect to this device's
     * atomics) or 2 (with respect to the CPU's too); negative errno when the query fails.
     */
    public static native int atomicCapability(long contextHandle) throws IOException;

    /**
     * Post one signaled {@code IBV_WR_ATOMIC_FETCH_AND_ADD} or {@code IBV_WR_ATOMIC_CMP_AND_SWP} of 8 bytes; the old
     * remote value lands at {@code resultAddress} (registered memory with {@code lkey}). Both addresses 8-byte aligned.
     *
     * @param compareAdd the addend, or the value compared with
     * @param swap       the value stored when the comparison holds (ignored by fetch-and-add)
     */
    public static native void postAtomic(long qpHandle, long workRequestId, int opcode, long resultAddress, int lkey,
        long remoteAddress, int rkey, long compareAdd, long swap) throws IOException;
}
