package io.mpi4j.shm;

import io.mpi4j.transport.NativeLibrary;

/**
 * Linux cross memory attach ({@code process_vm_readv}, {@code process_vm_writev}) through this module's small JNI
 * library ({@code src/main/native}, packed in the jar under {@code native/linux-<arch>/}): the kernel copies a region
 * of another process's memory into this one's, or the other way, once, without a shared ring between them.
 * <p>
 * Loaded by {@link NativeLibrary}. Without the library (no C compiler at build time, another OS) or
 * when it does not load, {@link #available} is false and the transport copies through the ring.
 */
final class CrossMemoryAttach
{
    /** Errors {@link #read} and {@link #write} return, negated (Linux's errno values). */
    static final long EPERM = 1;
    static final long ESRCH = 3;

    private static final String UNAVAILABLE = NativeLibrary.load(CrossMemoryAttach.class, "mpi4jcma");

    private CrossMemoryAttach()
    {
    }

    /** Whether {@link #read} can be called. */
    static boolean available()
    {
        return null == UNAVAILABLE;
    }

    /** Why {@link #available} is false, else null. */
    static String unavailableReason()
    {
        return UNAVAILABLE;
    }

    /**
     * Copy {@code length} bytes at {@code remoteAddress} of process {@code pid} to {@code localAddress} here.
     *
     * @return the bytes copied (fewer than {@code length} when the region ends early), or a negated errno:
     *         {@link #EPERM} (this process may not read that one's memory), {@link #ESRCH} (no such process),
     *         EFAULT (the region is not mapped there).
     */
    static native long read(long pid, long remoteAddress, long localAddress, long length);

    /**
     * Copy {@code length} bytes at {@code localAddress} here to {@code remoteAddress} of process {@code pid}.
     *
     * @return as {@link #read}
     */
    static native long write(long pid, long remoteAddress, long localAddress, long length);

    /**
     * Let this user's other processes read this one's memory where Yama limits that to descendants
     * ({@code kernel.yama.ptrace_scope = 1}): the ranks of a node are siblings. No wider than the kernel's own rule
     * without Yama (same user); Open MPI's CMA does the same.
     *
     * @return 0, or a negated errno (EINVAL without Yama: nothing to allow).
     */
    static native int allowReaders();
}
