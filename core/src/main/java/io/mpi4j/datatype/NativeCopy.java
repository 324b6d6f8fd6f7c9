package io.mpi4j.datatype;

import io.mpi4j.transport.NativeLibrary;
import org.agrona.UnsafeApi;

/**
 * Large copies through the C library's {@code memmove}, in this module's JNI library {@code libmpi4jcopy}
 * ({@code src/main/native}): between native addresses (direct buffers, shared segments, rings, window memory), and
 * between a primitive array and a native address up to {@link #MAX_ARRAY_BYTES}. HotSpot 17's copy stub, which
 * {@code Unsafe.copyMemory} becomes in compiled code, loses to it once source and destination no longer fit the
 * first-level cache together: on this project's test host (AMD EPYC, 32 KiB L1d), between native buffers, a 28 KiB
 * copy took 0.28-0.33 us through the stub and 0.22 here, 32 KiB 0.40-0.46 against 0.30-0.39, 64 KiB 0.87 against
 * 0.65, 128 KiB 1.61-1.66 against 1.18-1.23; from 256 KiB both run at the memory's speed, and below 28 KiB the stub
 * wins (24 KiB 0.13-0.15 us against 0.18-0.20, the JNI call's ~15 ns among it). From a byte array to a direct
 * buffer: 32 KiB 0.45 us against 0.29, 128 KiB 1.66 against 1.25. Without the library (no C compiler at build
 * time, another OS) {@link #AVAILABLE} is false and every copy takes the stub.
 */
final class NativeCopy
{
    /** Smallest copy made here; below it {@code Unsafe.copyMemory} is faster (see the class comment). */
    static final long MIN_BYTES = 28 << 10;

    /**
     * Largest copy to or from an array made here: the array is held in a JNI critical region for the copy, which the
     * collector waits for, and from this size on the stub is as fast.
     */
    static final long MAX_ARRAY_BYTES = 256 << 10;

    private static final String UNAVAILABLE = NativeLibrary.load(NativeCopy.class, "mpi4jcopy");

    /** Whether the library is loaded: read once, so the JIT folds the test. */
    static final boolean AVAILABLE = null == UNAVAILABLE;

    private NativeCopy()
    {
    }

    /** Why {@link #AVAILABLE} is false, else null. */
    static String unavailableReason()
    {
        return UNAVAILABLE;
    }

    /** Copies {@code bytes} bytes from native address {@code src} to {@code dst}; the two may overlap. */
    static native void copy(long src, long dst, long bytes);

    /**
     * Copies {@code bytes} bytes between primitive array {@code array}, at Unsafe offset {@code offset}, and native
     * {@code address}, into the array when {@code toArray}.
     *
     * @return false when this did not copy (not a primitive array, or the JVM could not hold the array): the caller
     *         copies another way
     */
    static boolean copyArray(
        final Object array, final long offset, final long address, final long bytes, final boolean toArray)
    {
        // the library takes the array's offset from its first element, as libmpi4jreduce does
        final Class<?> component = array.getClass().getComponentType();
        return null != component && component.isPrimitive() &&
            copyArray0(array, offset - UnsafeApi.arrayBaseOffset(array.getClass()), address, bytes, toArray);
    }

    private static native boolean copyArray0(Object array, long at, long address, long bytes, boolean toArray);
}
