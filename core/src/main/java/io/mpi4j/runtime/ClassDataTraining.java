package io.mpi4j.runtime;

import java.io.File;
import java.io.IOException;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the JVM dumping the runtime's class-data archive runs (the launcher's {@code ClassDataArchive}): every class
 * of the class path's jars loaded (not initialised: a transport may load a native library in its initialiser), then
 * the spare JVM's rehearsal of MPI_Init ({@link SpareJvm#rehearse()}), which loads the JDK's socket, file-mapping and
 * transport classes the runtime's own need. Everything loaded by exit goes into the archive.
 * <p>
 * Rank-side code, hence in the core: the dumping JVM runs on exactly the class path the ranks start with (the JDK
 * maps an archive only into a JVM whose class path begins with the one it was dumped with), which holds no launcher.
 */
public final class ClassDataTraining
{
    private ClassDataTraining()
    {
    }

    public static void main(final String[] args)
    {
        final ClassLoader loader = ClassDataTraining.class.getClassLoader();
        for (final String entry : System.getProperty("java.class.path", "").split(File.pathSeparator))
        {
            try (JarFile jar = new JarFile(entry))
            {
                final Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements())
                {
                    final String name = entries.nextElement().getName();
                    if (name.endsWith(".class") && !name.startsWith("META-INF/") && !name.endsWith("module-info.class"))
                    {
                        try
                        {
                            Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false,
                                loader);
                        }
                        catch (final ClassNotFoundException | LinkageError ignore)
                        {
                            // A class of an optional dependency: nobody can load it, nothing to archive.
                        }
                    }
                }
            }
            catch (final IOException ignore)
            {
                // Not a jar: the JDK would have refused the dump anyway.
            }
        }
        SpareJvm.rehearse();
    }
}
