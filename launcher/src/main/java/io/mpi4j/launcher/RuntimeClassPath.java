package io.mpi4j.launcher;

import picocli.CommandLine;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The runtime's class path as the ranks get it: this JVM's class path without the launcher's own code (this module
 * and picocli). {@code bin/mpi4jrun} starts the launcher with the ranks' class path first and the launcher's jars
 * after it, so what is left keeps its order: the class path the runtime's class-data archive is made for, which the
 * launcher's own class path then begins with too (the JDK maps an archive only under that condition).
 * <p>
 * An entry is dropped only when it holds the launcher's or picocli's classes and not the runtime's, so a class path
 * with everything in one jar or directory loses nothing.
 */
final class RuntimeClassPath
{
    private static final String RUNTIME_CLASS = "io/mpi4j/runtime/MpiRuntime.class";

    private static volatile String ranks;

    private RuntimeClassPath()
    {
    }

    /** This JVM's class path less the launcher's code; computed once. */
    static String ofRanks()
    {
        String classPath = ranks;
        if (classPath == null)
        {
            classPath = without(System.getProperty("java.class.path", ""), launcherLocations());
            ranks = classPath;
        }
        return classPath;
    }

    /** {@code classPath} less the entries in {@code launcher} that do not also hold the runtime. */
    static String without(final String classPath, final Set<Path> launcher)
    {
        final List<String> kept = new ArrayList<>();
        for (final String entry : classPath.split(File.pathSeparator, -1))
        {
            if (!entry.isEmpty() && launcher.contains(normalized(entry)) && !holdsRuntime(Path.of(entry)))
            {
                continue;
            }
            kept.add(entry);
        }
        return String.join(File.pathSeparator, kept);
    }

    private static Set<Path> launcherLocations()
    {
        final Set<Path> locations = new HashSet<>();
        for (final Class<?> type : List.of(RuntimeClassPath.class, CommandLine.class))
        {
            final CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null)
            {
                try
                {
                    locations.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
                }
                catch (final URISyntaxException | IllegalArgumentException ignore)
                {
                    // Not a file: nothing of the class path to drop.
                }
            }
        }
        return locations;
    }

    private static Path normalized(final String entry)
    {
        return Path.of(entry).toAbsolutePath().normalize();
    }

    private static boolean holdsRuntime(final Path entry)
    {
        if (Files.isDirectory(entry))
        {
            return Files.isRegularFile(entry.resolve(RUNTIME_CLASS));
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry.toFile()))
        {
            return jar.getEntry(RUNTIME_CLASS) != null;
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }
}
