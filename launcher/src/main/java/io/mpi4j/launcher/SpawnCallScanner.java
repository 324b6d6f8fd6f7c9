package io.mpi4j.launcher;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a Java program can call {@code MPI_Comm_spawn}: the classes reachable from its main class through their
 * constant pools are read from its class path (the JDK's packages and the MPI API's are not followed) until one
 * holds a method reference to {@code mpi.Intracomm.spawn} or {@code spawnMultiple}. The launcher
 * uses the answer to start spare JVMs before the first spawn ({@link SpareJvmPool#prime}), not for a program that
 * never spawns.
 * <p>
 * A call made through reflection or from a class only named in a string is not seen: that program's first spawn
 * then starts cold, as without the scan. The scan is bounded ({@value #MAX_CLASSES} classes, {@value #MAX_BYTES}
 * bytes), so a large application costs the launcher a few milliseconds at most.
 */
final class SpawnCallScanner
{
    private static final int MAX_CLASSES = 2_000;
    private static final long MAX_BYTES = 16L << 20;
    private static final String INTRACOMM = "mpi/Intracomm";
    private static final Set<String> SPAWN_METHODS = Set.of("spawn", "spawnMultiple");
    /** Packages not followed: the JDK's, and the MPI API's (whose spawn is what is looked for, not a caller). */
    private static final String[] NOT_FOLLOWED = { "java/", "javax/", "jdk/", "sun/", "com/sun/", "mpi/" };

    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;
    private static final int INTERFACE_METHODREF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    private SpawnCallScanner()
    {
    }

    /**
     * @param classPath  the program's class path
     * @param mainClass  the program's main class, binary name
     * @return true when a reachable class of the program calls spawn or spawnMultiple
     */
    static boolean callsSpawn(final String classPath, final String mainClass)
    {
        final List<URL> urls = new ArrayList<>();
        for (final String entry : classPath.split(File.pathSeparator))
        {
            try
            {
                urls.add(new File(entry.isEmpty() ? "." : entry).toURI().toURL());
            }
            catch (final MalformedURLException ex)
            {
                // Not an entry the JVM could read either.
            }
        }
        // Only resources are read through it, in the order the JVM would look; no class is loaded.
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), null))
        {
            return search(loader, mainClass.replace('.', '/'));
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static boolean search(final URLClassLoader loader, final String main)
    {
        final Deque<String> pending = new ArrayDeque<>();
        final Set<String> seen = new HashSet<>();
        pending.add(main);
        seen.add(main);
        long bytes = 0;
        int classes = 0;
        while (!pending.isEmpty() && classes < MAX_CLASSES && bytes < MAX_BYTES)
        {
            final byte[] classFile = read(loader, pending.poll());
            if (classFile == null)
            {
                continue;
            }
            classes++;
            bytes += classFile.length;
            final ConstantPool pool;
            try
            {
                pool = ConstantPool.parse(classFile);
            }
            catch (final IOException | RuntimeException ex)
            {
                continue;
            }
            if (pool.referencesMethod(INTRACOMM, SPAWN_METHODS))
            {
                return true;
            }
            for (final String name : pool.classNames())
            {
                if (followed(name) && seen.add(name))
                {
                    pending.add(name);
                }
            }
        }
        return false;
    }

    private static boolean followed(final String name)
    {
        if (name.isEmpty() || name.charAt(0) == '[')
        {
            return false;
        }
        for (final String prefix : NOT_FOLLOWED)
        {
            if (name.startsWith(prefix))
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] read(final URLClassLoader loader, final String name)
    {
        try (InputStream in = loader.getResourceAsStream(name + ".class"))
        {
            return in == null ? null : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** The parts of a class file's constant pool the scan needs: class names and method references. */
    static final class ConstantPool
    {
        private final int[] tags;
        private final String[] utf8;
        /** CLASS: name index; METHODREF and NAME_AND_TYPE: first index (class, name). */
        private final int[] first;
        /** METHODREF: name-and-type index. */
        private final int[] second;

        private ConstantPool(final int count)
        {
            tags = new int[count];
            utf8 = new String[count];
            first = new int[count];
            second = new int[count];
        }

        static ConstantPool parse(final byte[] classFile) throws IOException
        {
            final DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
            if (in.readInt() != 0xCAFEBABE)
            {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            final int count = in.readUnsignedShort();
            final ConstantPool pool = new ConstantPool(count);
            for (int i = 1; i < count; i++)
            {
                final int tag = in.readUnsignedByte();
                pool.tags[i] = tag;
                switch (tag)
                {
                    case UTF8 -> pool.utf8[i] = in.readUTF();
                    case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> pool.first[i] = in.readUnsignedShort();
                    case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC ->
                    {
                        pool.first[i] = in.readUnsignedShort();
                        pool.second[i] = in.readUnsignedShort();
                    }
                    case INTEGER, FLOAT -> in.readInt();
                    case LONG, DOUBLE ->
                    {
                        in.readLong();
                        i++;
                    }
                    case METHOD_HANDLE ->
                    {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tag);
                }
            }
            return pool;
        }

        /** Names (internal form) of the classes this one refers to. */
        List<String> classNames()
        {
            final List<String> names = new ArrayList<>();
            for (int i = 1; i < tags.length; i++)
            {
                if (tags[i] == CLASS && utf8[first[i]] != null)
                {
                    names.add(utf8[first[i]]);
                }
            }
            return names;
        }

        /** Whether a method reference names {@code owner} and one of {@code methods}. */
        boolean referencesMethod(final String owner, final Set<String> methods)
        {
            for (int i = 1; i < tags.length; i++)
            {
                if (tags[i] == METHODREF && tags[first[i]] == CLASS && owner.equals(utf8[first[first[i]]]))
                {
                    final int nameAndType = second[i];
                    if (tags[nameAndType] == NAME_AND_TYPE && methods.contains(utf8[first[nameAndType]]))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
