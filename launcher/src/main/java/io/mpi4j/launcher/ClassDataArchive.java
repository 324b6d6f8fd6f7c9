package io.mpi4j.launcher;

import io.mpi4j.runtime.ClassDataTraining;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A class-data sharing archive of the runtime (the JDK's dynamic AppCDS archive): the parsed and verified classes of
 * the runtime's jars, and of the JDK classes MPI_Init uses, which every rank and spare JVM maps from one file instead
 * of loading them one by one from the jars. It cuts the CPU a JVM spends starting up and initialising MPI by about a
 * third, which is what every spawned child, every spare JVM and every rank of a job pays.
 * <p>
 * An archive belongs to one JVM build and one runtime class path (jar paths, sizes and times): it lives in the
 * user's cache ({@code $XDG_CACHE_HOME/mpi4j/cds}, default {@code ~/.cache}, owner only) under a name hashed from
 * both, so a rebuilt jar or another JDK gets another archive. A rank's class path is the runtime's followed by the
 * user's, which the JDK accepts (the class path at dump time must be a prefix of the one in use); the JDK refuses to
 * dump a class path holding a directory, so a runtime run from class directories (an IDE, {@code mvn test}) has none.
 * The JVM checks the archive again when it maps it and silently does without one that does not match (its CDS
 * warnings are turned off, so a program's output never shows them). The dumping JVM runs the core's
 * {@link ClassDataTraining} on the ranks' class path ({@link RuntimeClassPath}); the launcher's own class path begins
 * with it, so the launcher maps the archive too, but its own classes are not in it.
 * <p>
 * {@code bin/mpi4jrun} makes the archive right after building the runtime ({@code --create}); a launcher that
 * finds none makes it in the background for the next jobs and waits for it before exiting. {@value #ENABLE_ENV}=0
 * turns it off.
 */
public final class ClassDataArchive
{
    /** Environment variable: 0 (or off/false/no) keeps every JVM on the JDK's own archive only. */
    public static final String ENABLE_ENV = "MPI4J_CDS";
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final String CREATE = "--create";
    /** A lock older than this belongs to a creator that died: taken over. */
    private static final long STALE_LOCK_MS = 120_000;
    private static final long CREATE_TIMEOUT_MS = 120_000;
    private static final long CLEANUP_WAIT_MS = 2_000;
    /** Archives kept in the cache: the ones used last (each checkout and JDK has its own, ~5 MB each). */
    static final int MAX_KEPT = 8;
    /** An archive in use is touched at most this often, so that its time says when it was last used. */
    private static final long TOUCH_INTERVAL_MS = TimeUnit.HOURS.toMillis(12);

    private static volatile Creation creation;

    /** A dumping JVM, and the move of its archive into place once it has exited. */
    private record Creation(Process process, CompletableFuture<Void> finished)
    {
    }

    private ClassDataArchive()
    {
    }

    /**
     * The options that map the archive into a JVM of this launcher's {@code java} and class path, or none when
     * there is no archive (not made yet, turned off, a class path it cannot cover).
     */
    static List<String> jvmOptions()
    {
        final Path archive = ownArchive();
        if (archive == null || !Files.isRegularFile(archive))
        {
            return List.of();
        }
        touchIfOld(archive);
        final List<String> options = new ArrayList<>(QUIET.size() + 1);
        options.add("-XX:SharedArchiveFile=" + archive);
        options.addAll(QUIET);
        return List.copyOf(options);
    }

    /**
     * Start making the archive in the background when there is none and nobody else is making it; the launcher
     * calls {@link #awaitCreation} before it exits, so that nothing outlives the job.
     */
    static void createInBackground()
    {
        final Path archive = ownArchive();
        if (archive != null && !Files.isRegularFile(archive))
        {
            final Creation started = startCreation(archive);
            if (started != null)
            {
                creation = started;
                // A launcher killed mid-job leaves no dumping JVM behind.
                Runtime.getRuntime().addShutdownHook(
                    new Thread(started.process()::destroyForcibly, "mpi4jrun-cds-shutdown"));
            }
        }
    }

    /** Wait up to {@code timeoutMs} (0: not at all) for a creation started by {@link #createInBackground}, then give it up. */
    static void awaitCreation(final long timeoutMs)
    {
        final Creation started = creation;
        if (started == null)
        {
            return;
        }
        creation = null;
        await(started, timeoutMs);
    }

    /** True when the archive was made; a creation not done by then is killed. */
    private static boolean await(final Creation started, final long timeoutMs)
    {
        try
        {
            started.finished().get(timeoutMs, TimeUnit.MILLISECONDS);
            return started.process().exitValue() == 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            // Killed below; the next launcher tries again.
        }
        started.process().destroyForcibly();
        try
        {
            // Its exit removes the half-written file and the lock: let that run before this JVM exits.
            started.finished().get(CLEANUP_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException ignore)
        {
            // A stale lock is taken over later; the partial file is named by this process.
        }
        return false;
    }

    /**
     * {@code --create}: make the archive of this JVM's {@code java} and the ranks' class path unless it exists, and
     * print its path (nothing when the class path cannot have one; exit 1 when the dump failed).
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 1 || !CREATE.equals(args[0]))
        {
            System.err.println("usage: " + ClassDataArchive.class.getName() + " " + CREATE);
            System.exit(2);
        }
        final Path archive = ownArchive();
        if (archive == null)
        {
            return;
        }
        if (!Files.isRegularFile(archive))
        {
            final Creation started = startCreation(archive);
            if (started != null && !await(started, CREATE_TIMEOUT_MS))
            {
                System.err.println("mpi4j: could not make the class-data archive " + archive + " (ranks start without it)");
                System.exit(1);
            }
        }
        System.out.println(archive);
    }

    /** The archive of this JVM and the ranks' class path ({@link RuntimeClassPath}), or null when off or impossible. */
    private static Path ownArchive()
    {
        if (!enabled(System.getenv(ENABLE_ENV)))
        {
            return null;
        }
        final Path cache = cacheDirectory();
        return cache == null ? null :
            location(cache, System.getProperty("java.home"), System.getProperty("java.vm.version"),
                RuntimeClassPath.ofRanks());
    }

    static boolean enabled(final String setting)
    {
        return setting == null || !List.of("0", "off", "false", "no").contains(setting.trim().toLowerCase());
    }

    /**
     * Where the archive of a JVM ({@code javaHome}, {@code vmVersion}) and a class path lives in {@code cache}:
     * named by a hash of both and of each jar's size and time; null when an entry is no jar file.
     */
    static Path location(final Path cache, final String javaHome, final String vmVersion, final String classPath)
    {
        if (classPath.isEmpty())
        {
            return null;
        }
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            return null;
        }
        update(digest, javaHome);
        update(digest, vmVersion);
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final Path jar = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar))
            {
                return null;
            }
            try
            {
                update(digest, jar.toString());
                update(digest, Long.toString(Files.size(jar)));
                update(digest, Long.toString(Files.getLastModifiedTime(jar).toMillis()));
            }
            catch (final IOException ex)
            {
                return null;
            }
        }
        return cache.resolve("runtime-" + HexFormat.of().formatHex(digest.digest(), 0, 12) + ".jsa");
    }

    private static void update(final MessageDigest digest, final String value)
    {
        digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        digest.update((byte)0);
    }

    /** {@code $XDG_CACHE_HOME/mpi4j/cds} (default {@code ~/.cache}), made owner-only; null when it cannot be. */
    private static Path cacheDirectory()
    {
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path root = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) :
            Path.of(System.getProperty("user.home"), ".cache");
        final Path directory = root.resolve("mpi4j").resolve("cds");
        try
        {
            if (!Files.isDirectory(directory))
            {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            return directory;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return null;
        }
    }

    /**
     * Dump into a file of our own and move it into place when the dumping JVM succeeded, so that no JVM ever maps
     * a half-written archive; one creator at a time (a lock file), since each costs a couple of CPU-seconds.
     */
    private static Creation startCreation(final Path archive)
    {
        final Path lock = archive.resolveSibling(archive.getFileName() + ".lock");
        if (!takeLock(lock))
        {
            return null;
        }
        final Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        final List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(RuntimeJvmFlags.base());
        argv.add("-XX:ArchiveClassesAtExit=" + partial);
        argv.addAll(QUIET);
        argv.add("-cp");
        argv.add(RuntimeClassPath.ofRanks());
        argv.add(ClassDataTraining.class.getName());
        final Process process;
        try
        {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }
        catch (final IOException ex)
        {
            deleteQuietly(lock);
            return null;
        }
        return new Creation(process, process.onExit().thenAccept(done ->
        {
            try
            {
                if (done.exitValue() == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0)
                {
                    moveIntoPlace(partial, archive);
                    prune(archive.getParent(), MAX_KEPT);
                }
            }
            catch (final IOException ignore)
            {
                // No archive: ranks start as without one, and the next launcher tries again.
            }
            finally
            {
                deleteQuietly(partial);
                deleteQuietly(lock);
            }
        }));
    }

    private static void touchIfOld(final Path archive)
    {
        try
        {
            final long now = System.currentTimeMillis();
            if (now - Files.getLastModifiedTime(archive).toMillis() > TOUCH_INTERVAL_MS)
            {
                Files.setLastModifiedTime(archive, FileTime.fromMillis(now));
            }
        }
        catch (final IOException ignore)
        {
            // Only the pruning order suffers.
        }
    }

    /**
     * Remove all but the {@code kept} archives of {@code cache} used last: every rebuilt jar and every checkout
     * makes a new one, and nothing else would ever remove the old ones. A JVM that maps an archive keeps its
     * mapping when the file goes; one about to start with it runs without, silently, and its launcher makes it again.
     */
    static void prune(final Path cache, final int kept)
    {
        final List<Path> archives = new ArrayList<>();
        try (Stream<Path> files = Files.list(cache))
        {
            files.filter(path -> path.getFileName().toString().matches("runtime-[0-9a-f]+\\.jsa")).forEach(archives::add);
        }
        catch (final IOException ex)
        {
            return;
        }
        if (archives.size() <= kept)
        {
            return;
        }
        final Map<Path, Long> times = new HashMap<>();
        for (final Path archive : archives)
        {
            try
            {
                times.put(archive, Files.getLastModifiedTime(archive).toMillis());
            }
            catch (final IOException ex)
            {
                times.put(archive, 0L);
            }
        }
        archives.sort(Comparator.comparing(times::get, Comparator.reverseOrder()));
        for (final Path archive : archives.subList(kept, archives.size()))
        {
            deleteQuietly(archive);
        }
    }

    private static boolean takeLock(final Path lock)
    {
        try
        {
            Files.createFile(lock);
            return true;
        }
        catch (final FileAlreadyExistsException ex)
        {
            try
            {
                final FileTime time = Files.getLastModifiedTime(lock);
                if (System.currentTimeMillis() - time.toMillis() > STALE_LOCK_MS)
                {
                    Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis()));
                    return true;
                }
            }
            catch (final IOException ignore)
            {
                // Gone meanwhile: its owner finished.
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void moveIntoPlace(final Path partial, final Path archive) throws IOException
    {
        try
        {
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // Left for the next creator (a stale lock is taken over, a partial file is per process).
        }
    }
}
