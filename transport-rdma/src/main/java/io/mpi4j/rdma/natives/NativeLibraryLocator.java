package io.mpi4j.rdma.natives;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds mpi4j's own {@code libdisni.so} (built from {@code src/main/native}, packed in this module's jar under
 * {@code native/linux-<arch>/}) so that DiSNI's {@code System.loadLibrary("disni")} succeeds.
 * <p>
 * {@code System.loadLibrary} searches only {@code java.library.path}, which is fixed when the JVM starts, so
 * the library cannot be put there from inside a rank: whoever starts the rank's JVM adds {@link #jvmOptions()}
 * to its command line. That must run on the host that starts the JVM, since the directory is a local path.
 * When running from {@code target/classes} the directory is used in place; from a jar the library is copied
 * once into {@code $XDG_CACHE_HOME/mpi4j/<sha-256 of the library>/} (default {@code ~/.cache}), so every
 * build gets its own directory and concurrent ranks never see a half-written file.
 */
public final class NativeLibraryLocator
{
    /** The name DiSNI loads: {@code System.loadLibrary("disni")}. */
    public static final String LIBRARY_NAME = "disni";
    /** The file {@link #LIBRARY_NAME} maps to on Linux. */
    public static final String LIBRARY_FILE = System.mapLibraryName(LIBRARY_NAME);

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private static volatile Path libraryDirectory;
    private static volatile String locateFailure;

    private NativeLibraryLocator()
    {
    }

    /**
     * Prints {@link #jvmOptions()} one per line (for scripts that start JVMs themselves, e.g. the VM harness:
     * {@code java -cp <transport-rdma jar> io.mpi4j.rdma.natives.NativeLibraryLocator}); exits 1 with the reason
     * on standard error when the library is not available.
     */
    public static void main(final String[] args)
    {
        final List<String> options = jvmOptions();
        if (options.isEmpty())
        {
            System.err.println("libdisni not available: " + locateFailure);
            System.exit(1);
        }
        options.forEach(System.out::println);
    }

    /**
     * The platform directory name the build writes to, e.g. {@code linux-x86_64}, or null where verbs do not
     * exist (not Linux, unknown architecture).
     */
    public static String platform()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux"))
        {
            return null;
        }
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch)
        {
            case "amd64":
            case "x86_64":
                return "linux-x86_64";
            case "aarch64":
            case "arm64":
                return "linux-aarch64";
            default:
                return null;
        }
    }

    /**
     * The directory holding {@code libdisni.so} for this platform, extracting it from the jar if needed.
     *
     * @throws IOException if this platform has no library in the build, or it cannot be made available.
     */
    public static Path libraryDirectory() throws IOException
    {
        Path directory = libraryDirectory;
        if (directory == null)
        {
            synchronized (NativeLibraryLocator.class)
            {
                directory = libraryDirectory;
                if (directory == null)
                {
                    directory = locate();
                    libraryDirectory = directory;
                }
            }
        }
        return directory;
    }

    /**
     * JVM options that let a JVM started with them load DiSNI's native library: {@code -Djava.library.path}
     * naming the library's directory first, then this JVM's own {@code java.library.path}. Empty when the
     * library is not available here; {@link #loadCheck()} in the started JVM then names the reason.
     */
    public static List<String> jvmOptions()
    {
        final Path directory;
        try
        {
            directory = libraryDirectory();
        }
        catch (final IOException ex)
        {
            locateFailure = ex.getMessage();
            return List.of();
        }
        final String inherited = System.getProperty("java.library.path", "");
        final String path = inherited.isEmpty() ? directory.toString() : directory + File.pathSeparator + inherited;
        return List.of("-Djava.library.path=" + path);
    }

    /**
     * Whether DiSNI's native library loads in this JVM.
     *
     * @return null when it does, otherwise one line saying why not (e.g. "libdisni not on java.library.path",
     * "libibverbs.so.1 missing").
     */
    public static String loadCheck()
    {
        if (platform() == null)
        {
            return "RDMA needs Linux on x86_64 or aarch64, this is " + System.getProperty("os.name") + " " +
                System.getProperty("os.arch");
        }
        if (!onLibraryPath())
        {
            final String why = locateFailure;
            return "libdisni not on java.library.path (start the JVM with NativeLibraryLocator.jvmOptions()" +
                (why == null ? ")" : "; locating it failed: " + why + ")");
        }
        try
        {
            System.loadLibrary(LIBRARY_NAME);
            return null;
        }
        catch (final UnsatisfiedLinkError | SecurityException ex)
        {
            return describeLoadFailure(String.valueOf(ex.getMessage()));
        }
    }

    /**
     * Whether this host exposes an RDMA device to user space, judged from sysfs and devfs without loading
     * anything.
     *
     * @return null when it does, otherwise one line saying what is missing.
     */
    public static String deviceCheck()
    {
        final Path devices = Path.of("/sys/class/infiniband");
        try (var entries = Files.list(devices))
        {
            if (entries.findAny().isEmpty())
            {
                return "no RDMA device (/sys/class/infiniband is empty)";
            }
        }
        catch (final IOException ex)
        {
            return "no RDMA device (/sys/class/infiniband missing: kernel without RDMA support or ib_core " +
                "not loaded)";
        }
        if (!Files.exists(Path.of("/dev/infiniband/rdma_cm")))
        {
            return "/dev/infiniband/rdma_cm missing (rdma_ucm module not loaded)";
        }
        return null;
    }

    static String describeLoadFailure(final String message)
    {
        for (final String dependency : new String[] {"libibverbs.so.1", "librdmacm.so.1", "libnl-3.so.200",
            "libnl-route-3.so.200"})
        {
            if (message.contains(dependency))
            {
                return dependency + " missing (install rdma-core's libibverbs1 and librdmacm1)";
            }
        }
        final int newline = message.indexOf('\n');
        return "libdisni failed to load: " + (newline < 0 ? message : message.substring(0, newline));
    }

    private static boolean onLibraryPath()
    {
        for (final String entry : System.getProperty("java.library.path", "").split(File.pathSeparator))
        {
            if (!entry.isEmpty() && Files.isRegularFile(Path.of(entry, LIBRARY_FILE)))
            {
                return true;
            }
        }
        return false;
    }

    private static Path locate() throws IOException
    {
        final String platform = platform();
        if (platform == null)
        {
            throw new IOException("no libdisni for " + System.getProperty("os.name") + " " +
                System.getProperty("os.arch"));
        }
        final String resource = "/native/" + platform + "/" + LIBRARY_FILE;
        final URL url = NativeLibraryLocator.class.getResource(resource);
        if (url == null)
        {
            throw new IOException("resource " + resource + " missing: transport-rdma was built without it");
        }
        if ("file".equals(url.getProtocol()))
        {
            try
            {
                return Path.of(url.toURI()).getParent();
            }
            catch (final URISyntaxException | IllegalArgumentException ex)
            {
                throw new IOException("cannot use " + url + ": " + ex.getMessage(), ex);
            }
        }
        final byte[] library;
        try (InputStream in = url.openStream())
        {
            library = in.readAllBytes();
        }
        IOException firstFailure = null;
        for (final Path root : cacheRoots())
        {
            try
            {
                return extractInto(root, library);
            }
            catch (final IOException ex)
            {
                if (firstFailure == null)
                {
                    firstFailure = ex;
                }
                else
                {
                    firstFailure.addSuppressed(ex);
                }
            }
        }
        throw firstFailure != null ? firstFailure : new IOException("no cache directory to extract libdisni into");
    }

    private static List<Path> cacheRoots()
    {
        final List<Path> roots = new ArrayList<>(2);
        final String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute())
        {
            roots.add(Path.of(xdg));
        }
        else
        {
            roots.add(Path.of(System.getProperty("user.home"), ".cache"));
        }
        // A read-only home must not cost the job its RDMA transport.
        roots.add(Path.of(System.getProperty("java.io.tmpdir"), "mpi4j-" + System.getProperty("user.name")));
        return roots;
    }

    /** Puts the library into {@code root/mpi4j/<sha-256>/} unless an identical copy is there; returns that dir. */
    static Path extractInto(final Path root, final byte[] library) throws IOException
    {
        final String digest = sha256(library);
        final Path directory = root.resolve("mpi4j").resolve(digest);
        final Path target = directory.resolve(LIBRARY_FILE);
        if (Files.isRegularFile(target) && digest.equals(sha256(Files.readAllBytes(target))))
        {
            return directory;
        }
        createPrivateDirectories(directory);
        final Path partial = Files.createTempFile(directory, "." + LIBRARY_FILE + ".", ".partial");
        try
        {
            requirePrivate(directory, partial);
            Files.write(partial, library);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("r-x------"));
            try
            {
                // Ranks starting together race here: each renames its own complete copy over the same name.
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally
        {
            Files.deleteIfExists(partial);
        }
        return directory;
    }

    /** A library loaded into every rank must not come from a directory someone else can write to. */
    private static void requirePrivate(final Path directory, final Path ownFile) throws IOException
    {
        if (!Files.getOwner(directory).equals(Files.getOwner(ownFile)))
        {
            throw new IOException(directory + " belongs to " + Files.getOwner(directory) + ", not to this user");
        }
        final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) ||
            permissions.contains(PosixFilePermission.OTHERS_WRITE))
        {
            throw new IOException(directory + " is writable by other users");
        }
    }

    private static void createPrivateDirectories(final Path directory) throws IOException
    {
        final Path parent = directory.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            createPrivateDirectories(parent);
        }
        if (!Files.isDirectory(directory))
        {
            try
            {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(directory, OWNER_ONLY);
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (!Files.isDirectory(directory))
                {
                    throw ex;
                }
            }
        }
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required on every Java platform", ex);
        }
    }
}
