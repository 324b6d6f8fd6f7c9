package io.mpi4j.shm;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.mpi4j.transport.TransportSettings.setting;
import static io.mpi4j.transport.TransportSettings.switchSetting;
import static io.mpi4j.transport.TransportSettings.sizeSetting;

/**
 * Sizes and location of the shared-memory transport. Each setting is read from the system property of the same
 * name first, then from the environment variable; sizes accept a {@code k}, {@code m} or {@code g} suffix (binary).
 * <ul>
 *   <li>{@code MPI4J_SHM_RING_SIZE}: capacity of each incoming ring, a power of two (default 1 MiB).</li>
 *   <li>{@code MPI4J_SHM_SLOTS}: incoming rings per process, i.e. how many connections it accepts (default 256).</li>
 *   <li>{@code MPI4J_SHM_EAGER_LIMIT}: eager threshold advertised to point-to-point (default 64 KiB, or half the
 *       largest frame for rings under 1 MiB), below the largest frame (ring size / 8). Eager up to 64 KiB, as
 *       MPICH's shared memory does: a rendezvous costs a round trip more, which at 32-64 KiB was 3-5x the latency
 *       of the copies themselves; an unexpected message of that size costs its copy on the receiver's heap.</li>
 *   <li>{@code MPI4J_SHM_FRAGMENT_SIZE}: contiguous messages larger than this travel in fragments of it (eager)
 *       or chunks of it (rendezvous), so that the receiver copies one out while the sender copies the next in
 *       (default 0: eager messages in one frame, rendezvous chunks of the largest frame). 16k measured 20% faster
 *       at 64 KiB once the JIT has compiled the fragment path, but 3-4x slower at 32 KiB in a program's first
 *       thousands of such messages (that path runs interpreted), so it is left for long-running programs to set.</li>
 *   <li>{@code MPI4J_SHM_SINGLE_COPY}: {@code on} (default) or {@code off}. On, a message from native memory (a
 *       direct buffer) of {@code MPI4J_SHM_SINGLE_COPY_MIN} bytes or more (default 128 KiB) into native memory is
 *       read by its receiver straight out of the sender's memory with {@code process_vm_readv}, one copy made by the
 *       kernel as Open MPI's CMA single copy, instead of two through the ring. On this project's 2-core host: 1 MiB
 *       61 vs 99 us, osu_bw 512 KiB 27 vs 18 GB/s, 256 KiB 16 vs 21 us (far vCPUs), 128 KiB even. At 64 KiB the
 *       ring won once its large copies went through the C library (2.2 vs 6.2 us near once compiled, 5.3 vs 9.0 far
 *       at OSU's counts; osu_bw 2.2x), where the read had won before (3.7 vs 8.3 us). The threshold can go down to
 *       8 KiB for programs that run long (16 KiB: 1.7 vs 3.0 us once compiled, measured with the older copies), but a
 *       program's first thousands of messages of the first size read this way pay 20-30 us each (that path still
 *       runs interpreted), and eager messages are sent at once even before the receive is posted. Without the JNI
 *       library (no C compiler at build time), or where the kernel forbids it (a ptrace policy), messages go
 *       through the ring.</li>
 *   <li>{@code MPI4J_SHM_DIR}: directory of the inbox files (default {@code /dev/shm}, else {@code java.io.tmpdir}).</li>
 * </ul>
 */
public final class ShmConfiguration
{
    public static final String RING_SIZE = "MPI4J_SHM_RING_SIZE";
    public static final String SLOTS = "MPI4J_SHM_SLOTS";
    public static final String EAGER_LIMIT = "MPI4J_SHM_EAGER_LIMIT";
    public static final String DIRECTORY = "MPI4J_SHM_DIR";
    public static final String FRAGMENT_SIZE = "MPI4J_SHM_FRAGMENT_SIZE";
    public static final String SINGLE_COPY = "MPI4J_SHM_SINGLE_COPY";
    public static final String SINGLE_COPY_MIN = "MPI4J_SHM_SINGLE_COPY_MIN";

    public static final int DEFAULT_RING_CAPACITY = 1 << 20;
    public static final int DEFAULT_SLOTS = 256;
    public static final int DEFAULT_EAGER_LIMIT = 64 << 10;
    public static final int DEFAULT_FRAGMENT_LENGTH = 0;
    public static final int DEFAULT_SINGLE_COPY_MIN = 128 << 10;
    /** {@link #singleCopyMin} of a configuration without single copy. */
    public static final int NO_SINGLE_COPY = -1;
    public static final String DEV_SHM = "/dev/shm";

    private final int ringCapacity;
    private final int slotCount;
    private final int eagerLimit;
    private final int fragmentLength;
    private final Path directory;
    private final int singleCopyMin;

    /**
     * @throws IllegalArgumentException when a value is out of range; the message names the setting.
     */
    public ShmConfiguration(final int ringCapacity, final int slotCount, final int eagerLimit, final Path directory)
    {
        this(ringCapacity, slotCount, eagerLimit, 0, directory);
    }

    /**
     * @throws IllegalArgumentException when a value is out of range; the message names the setting.
     */
    public ShmConfiguration(final int ringCapacity, final int slotCount, final int eagerLimit,
        final int fragmentLength, final Path directory)
    {
        this(ringCapacity, slotCount, eagerLimit, fragmentLength, directory, DEFAULT_SINGLE_COPY_MIN);
    }

    /**
     * @param singleCopyMin from this length on receivers read messages from native memory out of their senders'
     *                      memory; {@link #NO_SINGLE_COPY}: never
     * @throws IllegalArgumentException when a value is out of range; the message names the setting.
     */
    public ShmConfiguration(final int ringCapacity, final int slotCount, final int eagerLimit,
        final int fragmentLength, final Path directory, final int singleCopyMin)
    {
        final String capacityError = InboxDescriptor.checkRingCapacity(ringCapacity);
        if (null != capacityError)
        {
            throw new IllegalArgumentException(RING_SIZE + ": " + capacityError);
        }
        if (slotCount < 1 || slotCount > InboxDescriptor.MAX_SLOTS)
        {
            throw new IllegalArgumentException(
                SLOTS + " must be in [1, " + InboxDescriptor.MAX_SLOTS + "], got " + slotCount);
        }
        final int maxFrame = InboxDescriptor.maxFrameLength(ringCapacity);
        if (eagerLimit < 0 || eagerLimit >= maxFrame)
        {
            throw new IllegalArgumentException(EAGER_LIMIT + " must be in [0, " + maxFrame + ") (ring size " +
                ringCapacity + " / 8), got " + eagerLimit);
        }
        if (fragmentLength < 0 || fragmentLength >= maxFrame)
        {
            throw new IllegalArgumentException(FRAGMENT_SIZE + " must be in [0, " + maxFrame + ") (ring size " +
                ringCapacity + " / 8), got " + fragmentLength);
        }
        this.ringCapacity = ringCapacity;
        this.slotCount = slotCount;
        this.eagerLimit = eagerLimit;
        this.fragmentLength = fragmentLength;
        this.directory = directory;
        if (singleCopyMin < NO_SINGLE_COPY)
        {
            throw new IllegalArgumentException(SINGLE_COPY_MIN + " must be a size, got " + singleCopyMin);
        }
        this.singleCopyMin = singleCopyMin;
    }

    /** Settings from system properties and the environment. */
    public static ShmConfiguration fromEnvironment()
    {
        final String dir = setting(DIRECTORY);
        final int ringCapacity = (int)sizeSetting(RING_SIZE, DEFAULT_RING_CAPACITY);
        // An unset eager limit follows a small ring down instead of making the ring size invalid.
        final int defaultEagerLimit = Math.min(DEFAULT_EAGER_LIMIT, InboxDescriptor.maxFrameLength(ringCapacity) / 2);
        return new ShmConfiguration(
            ringCapacity,
            (int)sizeSetting(SLOTS, DEFAULT_SLOTS),
            (int)sizeSetting(EAGER_LIMIT, defaultEagerLimit),
            (int)sizeSetting(FRAGMENT_SIZE, DEFAULT_FRAGMENT_LENGTH),
            null != dir ? Path.of(dir) : defaultDirectory(),
            switchSetting(SINGLE_COPY, true) ?
                (int)sizeSetting(SINGLE_COPY_MIN, DEFAULT_SINGLE_COPY_MIN) : NO_SINGLE_COPY);
    }


    /** {@code /dev/shm} when it is a writable directory, else {@code java.io.tmpdir} (slower: a disk-backed page cache). */
    public static Path defaultDirectory()
    {
        final Path devShm = Path.of(DEV_SHM);
        return isWritableDirectory(devShm) ? devShm : Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
    }

    /**
     * @return why inbox files cannot be created in {@code directory}, or {@code null}.
     */
    public static String directoryProblem(final Path directory)
    {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
        {
            return "file system has no POSIX permissions, inbox files could not be made private (0600)";
        }
        if (!isWritableDirectory(directory))
        {
            return directory + " is not a writable directory (neither " + DEV_SHM + " nor java.io.tmpdir is usable)";
        }
        return null;
    }

    static boolean isWritableDirectory(final Path path)
    {
        return Files.isDirectory(path) && Files.isWritable(path);
    }

    public int ringCapacity()
    {
        return ringCapacity;
    }

    public int slotCount()
    {
        return slotCount;
    }

    public int eagerLimit()
    {
        return eagerLimit;
    }

    public int fragmentLength()
    {
        return fragmentLength;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * From this length on a message in native memory is read by its receiver out of its sender's memory (below the
     * eager limit too); {@link #NO_SINGLE_COPY} when single copy is off.
     */
    public int singleCopyMin()
    {
        return singleCopyMin;
    }

    public int maxFrameLength()
    {
        return InboxDescriptor.maxFrameLength(ringCapacity);
    }

    public String toString()
    {
        return "ShmConfiguration{ringCapacity=" + ringCapacity + ", slotCount=" + slotCount + ", eagerLimit=" +
            eagerLimit + ", singleCopyMin=" + singleCopyMin + ", directory=" + directory + '}';
    }
}
