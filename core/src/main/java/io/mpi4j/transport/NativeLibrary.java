package io.mpi4j.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads one of mpi4j's small JNI libraries, built by its module's {@code src/main/native/build.sh} into the classes
 * under {@code native/linux-<arch>/}, with {@link System#load} from an absolute path, so no JVM option is needed: in
 * place from a build's class directory; from a jar, copied to an owner-only temporary file that is deleted as soon
 * as it is loaded (the mapping outlives the name), so nothing is left behind.
 */
public final class NativeLibrary
{
    private NativeLibrary()
    {
    }

    /**
     * Loads library {@code name} ({@code mpi4jcma} for {@code libmpi4jcma.so}) found next to {@code owner}'s classes.
     *
     * @return null once loaded, else why not (not Linux, not built, or the error of loading it).
     */
    public static String load(final Class<?> owner, final String name)
    {
        try
        {
            return loadOrExplain(owner, name);
        }
        catch (final IOException | UnsatisfiedLinkError | SecurityException | URISyntaxException ex)
        {
            return ex.toString();
        }
    }

    private static String loadOrExplain(final Class<?> owner, final String name)
        throws IOException, URISyntaxException
    {
        final String library = System.mapLibraryName(name);
        final String arch = "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
        if (!System.getProperty("os.name", "").startsWith("Linux"))
        {
            return "not Linux";
        }
        final URL url = owner.getResource("/native/linux-" + arch + "/" + library);
        if (null == url)
        {
            return "this build has no " + library + " for linux-" + arch + " (no C compiler when it was built)";
        }
        if ("file".equals(url.getProtocol()))
        {
            System.load(Path.of(url.toURI()).toString());
            return null;
        }
        final Path copy = Files.createTempFile("mpi4j-" + name + "-", ".so",
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
}
