package io.mpi4j.shm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Linux cross memory attach ({@code process_vm_readv}) through this module's small JNI library
 * ({@code src/main/native}, packed in the jar under {@code native/linux-<arch>/}): the kernel copies a region of
 * another process's memory into this one's, once, without a shared ring between them.
 * <p>
 * Loaded with {@link System#load} from an absolute path, so no JVM option is needed: in place from a build's class
 * directory; from a jar, copied to an owner-only temporary file that is deleted as soon as it is loaded (the mapping
 * outlives the name), so nothing is left behind. Without the library (no C compiler at build time, another OS) or
 * when it does not load, {@link #available} is false and the transport copies through the ring.
 */
final class CrossMemoryAttach
{
    /** Errors {@link #read} returns, negated (Linux's errno values). */
    static final long EPERM = 1;
    static final long ESRCH = 3;

    private static final String LIBRARY = System.mapLibraryName("mpi4jcma");
    private static final String UNAVAILABLE;

    static
    {
        String problem;
        try
        {
            problem = load();
        }
        catch (final IOException | UnsatisfiedLinkError | SecurityException | URISyntaxException ex)
        {
            problem = ex.toString();
        }
        UNAVAILABLE = problem;
    }

    private CrossMemoryAttach()
    {
    }

    private static String load() throws IOException, URISyntaxException
    {
        final String arch = "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
        if (!System.getProperty("os.name", "").startsWith("Linux"))
        {
            return "not Linux";
        }
        final URL url = CrossMemoryAttach.class.getResource("/native/linux-" + arch + "/" + LIBRARY);
        if (null == url)
        {
            return "this build has no " + LIBRARY + " for linux-" + arch + " (no C compiler when it was built)";
        }
        if ("file".equals(url.getProtocol()))
        {
            System.load(Path.of(url.toURI()).toString());
            return null;
        }
        final Path copy = Files.createTempFile("mpi4j-cma-", ".so",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try
        {
            try (InputStream in = url.openStream())
            {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(copy.toString());
        }
        finally
        {
            Files.deleteIfExists(copy);
        }
        return null;
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
     * Let this user's other processes read this one's memory where Yama limits that to descendants
     * ({@code kernel.yama.ptrace_scope = 1}): the ranks of a node are siblings. No wider than the kernel's own rule
     * without Yama (same user); Open MPI's CMA does the same.
     *
     * @return 0, or a negated errno (EINVAL without Yama: nothing to allow).
     */
    static native int allowReaders();
}
