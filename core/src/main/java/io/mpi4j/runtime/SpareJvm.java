package io.mpi4j.runtime;

import org.agrona.UnsafeApi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Main class of a spare JVM (the launcher's {@code SpareJvmPool}): a JVM started ahead of {@code MPI_Comm_spawn}
 * with the configuration of a spawned Java child (same {@code java}, flags, class path, directory and environment,
 * less the job identity). It loads the runtime's classes, then waits on standard input for its assignment: the identity
 * variables of the rank it becomes ({@code MPI4J_JOB_ID}, {@code MPI4J_RANK}, the secret...), the main class and
 * the program's arguments. It puts the variables into this process's environment (so {@code System.getenv} and
 * child processes see what a cold-started rank sees), and calls the main method on the main thread, as the
 * {@code java} launcher does. The launcher then closes the pipe: the program reads end of file from
 * {@code System.in}, as a spawned rank does from /dev/null.
 * <p>
 * End of file before an assignment means the launcher no longer needs this spare: it exits 0 without output.
 * <p>
 * Rank-side code, hence in the core: a spare becomes a rank, and its class path is exactly a spawned child's (the
 * runtime's jars and the program's), which holds no launcher.
 */
public final class SpareJvm
{
    /** First int of an assignment frame. */
    public static final int MAGIC = 0x6d706a53;
    /** Exit status of a spare that cannot put variables into its environment: the pool stops using spares. */
    public static final int UNUSABLE_STATUS = 86;
    private static final int MAX_FRAME = 1 << 24;
    private static final long EXIT_WAIT_MS = 2_000;

    /** Cleared by the main thread when the assignment arrives, so the preloader stops competing for the CPU. */
    private static volatile boolean preloading = true;

    private SpareJvm()
    {
    }

    public static void main(final String[] args) throws Throwable
    {
        final Map<String, String> environment = writableEnvironment();
        if (environment == null)
        {
            System.exit(UNUSABLE_STATUS);
        }
        final Thread preloader = new Thread(SpareJvm::warmUp, "mpi4j-spare-preload");
        preloader.setDaemon(true);
        preloader.setPriority(Thread.MIN_PRIORITY);
        preloader.start();

        final Assignment assignment;
        try
        {
            assignment = readAssignment(new FileInputStream(FileDescriptor.in));
        }
        catch (final EOFException ex)
        {
            // The pool is closing: nothing was assigned, nothing to say; a rehearsal under way removes its files.
            preloading = false;
            preloader.join(EXIT_WAIT_MS);
            System.exit(0);
            return;
        }
        preloading = false;
        environment.putAll(assignment.variables());
        final StringBuilder command = new StringBuilder(assignment.mainClass());
        for (final String arg : assignment.args())
        {
            command.append(' ').append(arg);
        }
        System.setProperty("sun.java.command", command.toString());
        mainMethod(assignment.mainClass()).invokeExact(assignment.args().toArray(new String[0]));
    }

    /** What the launcher sends a spare: the rank's identity variables, its main class and arguments. */
    public record Assignment(Map<String, String> variables, String mainClass, List<String> args)
    {
        /** One frame: length, then magic, variables, main class, arguments. */
        public void writeTo(final OutputStream out) throws IOException
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DataOutputStream data = new DataOutputStream(bytes);
            data.writeInt(MAGIC);
            data.writeInt(variables.size());
            for (final Map.Entry<String, String> variable : variables.entrySet())
            {
                writeString(data, variable.getKey());
                writeString(data, variable.getValue());
            }
            writeString(data, mainClass);
            data.writeInt(args.size());
            for (final String arg : args)
            {
                writeString(data, arg);
            }
            data.flush();
            final DataOutputStream frame = new DataOutputStream(out);
            frame.writeInt(bytes.size());
            bytes.writeTo(frame);
            frame.flush();
        }
    }

    /** Reads exactly one frame, so nothing after it is consumed from the stream. */
    static Assignment readAssignment(final InputStream in) throws IOException
    {
        final DataInputStream stream = new DataInputStream(in);
        final int length = stream.readInt();
        if (length <= 0 || length > MAX_FRAME)
        {
            throw new IOException("bad assignment frame length " + length);
        }
        final byte[] frame = new byte[length];
        stream.readFully(frame);
        final DataInputStream data = new DataInputStream(new ByteArrayInputStream(frame));
        if (data.readInt() != MAGIC)
        {
            throw new IOException("not an assignment frame");
        }
        final int count = data.readInt();
        final Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < count; i++)
        {
            variables.put(readString(data), readString(data));
        }
        final String mainClass = readString(data);
        final int argc = data.readInt();
        final List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++)
        {
            args.add(readString(data));
        }
        return new Assignment(variables, mainClass, args);
    }

    private static void writeString(final DataOutputStream out, final String value) throws IOException
    {
        final byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(final DataInputStream in) throws IOException
    {
        final byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The map behind {@code System.getenv()}, whose writes also reach the environment of processes started later;
     * null when this JDK keeps it elsewhere. Found once per spare and checked here, before the spare is ever used.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> writableEnvironment()
    {
        try
        {
            final Map<String, String> view = System.getenv();
            final long offset = UnsafeApi.objectFieldOffset(Class.forName("java.util.Collections$UnmodifiableMap"), "m");
            final Map<String, String> inner = (Map<String, String>)UnsafeApi.getReference(view, offset);
            final String probe = "MPI4J_SPARE_PROBE";
            inner.put(probe, "1");
            final boolean seen = "1".equals(System.getenv(probe)) && "1".equals(new ProcessBuilder().environment().get(probe));
            inner.remove(probe);
            return seen && System.getenv(probe) == null ? inner : null;
        }
        catch (final RuntimeException | Error | ClassNotFoundException ex)
        {
            return null;
        }
    }

    /** The public static void main(String[]) of {@code name}, as the java launcher finds it. */
    private static MethodHandle mainMethod(final String name) throws Throwable
    {
        final Class<?> main;
        try
        {
            main = Class.forName(name, false, ClassLoader.getSystemClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            System.err.println("Error: Could not find or load main class " + name);
            System.err.println("Caused by: " + ex);
            System.exit(1);
            throw ex;
        }
        final Method method;
        try
        {
            method = main.getMethod("main", String[].class);
        }
        catch (final NoSuchMethodException ex)
        {
            System.err.println("Error: Main method not found in class " + name + ", please define the main method as:");
            System.err.println("   public static void main(String[] args)");
            System.exit(1);
            throw ex;
        }
        if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != void.class)
        {
            System.err.println("Error: Main method must be static and return a value of type void in class " + name +
                ", please define the main method as:");
            System.err.println("   public static void main(String[] args)");
            System.exit(1);
        }
        method.setAccessible(true);
        // A method handle, not Method.invoke: the program's exceptions reach the thread unwrapped, so an uncaught
        // one is reported and ends the JVM exactly as under the java launcher.
        return MethodHandles.lookup().unreflect(method);
    }

    /** Name under which a spare's rehearsal creates (and removes) shared-memory files: no job id looks like it. */
    public static String rehearsalJobId(final long pid)
    {
        return "spare" + pid + "x";
    }

    private static boolean preloading()
    {
        return preloading;
    }

    private static void warmUp()
    {
        rehearse();
        preloadRuntimeClasses();
        if (preloading)
        {
            rehearseMainCall();
        }
        // The hot paths too, since the rank this spare becomes skips MPI_Init's own rehearsal: a spawn waits for it.
        HotPathRehearsal.runInPlace(rehearsalJobId(ProcessHandle.current().pid()) + "hot", SpareJvm::preloading);
    }

    /**
     * Find and call a main method as {@link #main} will call the program's: the method handle classes that takes
     * (tens of milliseconds in a new JVM) are then made before the assignment, not after.
     */
    private static void rehearseMainCall()
    {
        try
        {
            mainMethod(Rehearsal.class.getName()).invokeExact(new String[0]);
        }
        catch (final Throwable ignore)
        {
            // A warm-up only.
        }
    }

    /** Stands in for a program's main class in {@link #rehearseMainCall}. */
    static final class Rehearsal
    {
        private Rehearsal()
        {
        }

        public static void main(final String[] args)
        {
            // Nothing: only the call matters.
        }
    }

    /**
     * Run once, under a job id of its own, what MPI_Init does with the JDK (a loopback socket as the key-value
     * client's, every usable transport opened, a frame sent to itself, closed): that loads and links the JDK's
     * socket, file-mapping and Agrona classes the runtime's own classes need, which preloading alone would not.
     * Nothing of it is kept, and its files are gone when it returns (the launcher removes them if it is killed).
     */
    public static void rehearse()
    {
        final String jobId = rehearsalJobId(ProcessHandle.current().pid());
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            java.net.Socket client = new java.net.Socket())
        {
            client.setTcpNoDelay(true);
            client.connect(server.getLocalSocketAddress(), 1_000);
            try (java.net.Socket accepted = server.accept())
            {
                final DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(client.getOutputStream()));
                out.writeInt(MAGIC);
                out.flush();
                new DataInputStream(new java.io.BufferedInputStream(accepted.getInputStream())).readInt();
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // A warm-up only.
        }
        for (final io.mpi4j.transport.TransportProvider provider :
            java.util.ServiceLoader.load(io.mpi4j.transport.TransportProvider.class, SpareJvm.class.getClassLoader()))
        {
            if (!preloading)
            {
                break;
            }
            io.mpi4j.transport.Transport transport = null;
            try
            {
                if (provider.unavailableReason() != null)
                {
                    continue;
                }
                transport = provider.open(new io.mpi4j.transport.TransportContext(jobId, 0, "spare", "mpi4j-" + jobId));
                final io.mpi4j.transport.Connection self = transport.connect(transport.address());
                final int index = self.tryClaim(Long.BYTES);
                if (index >= 0)
                {
                    self.buffer().putLong(index, MAGIC);
                    self.commit(index);
                }
                transport.poll((buffer, offset, length) -> { }, 8);
                self.close();
            }
            catch (final IOException | RuntimeException | LinkageError ignore)
            {
                // A warm-up only: the program meets the same error, if any, in its own MPI_Init.
            }
            finally
            {
                if (transport != null)
                {
                    transport.close();
                }
            }
        }
        ShmCleaner.removeJobFiles(jobId);
    }

    /**
     * Load every class of the runtime's own jars or directories (the launcher's excepted): what MPI_Init and the
     * parent handshake would otherwise load one by one on the spawn's critical path. The core's classes are also
     * initialised (their static initialisers only build constants and empty tables, and read nothing of the job);
     * a transport's are only loaded, since one may load a native library in its initialiser. A core class whose
     * initialiser fails makes the spare unusable, so that no program ever meets a class broken by a spare.
     */
    private static void preloadRuntimeClasses()
    {
        final ClassLoader loader = ClassLoader.getSystemClassLoader();
        final String classPath = System.getProperty("java.class.path", "");
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final boolean core = isCore(entry);
            for (final String name : runtimeClassNames(entry))
            {
                if (!preloading)
                {
                    return;
                }
                if (!seen.add(name))
                {
                    continue;
                }
                try
                {
                    Class.forName(name, core, loader);
                }
                catch (final ExceptionInInitializerError ex)
                {
                    if (preloading)
                    {
                        Runtime.getRuntime().halt(UNUSABLE_STATUS);
                    }
                }
                catch (final ClassNotFoundException | LinkageError ignore)
                {
                    // Shadowed or broken: the program will meet it (or not) as without a spare.
                }
            }
        }
    }

    private static boolean isCore(final String entry)
    {
        final File file = new File(entry);
        if (file.isDirectory())
        {
            return new File(file, "io/mpi4j/runtime/MpiRuntime.class").isFile();
        }
        try (JarFile jar = new JarFile(file))
        {
            return jar.getEntry("io/mpi4j/runtime/MpiRuntime.class") != null;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static List<String> runtimeClassNames(final String entry)
    {
        final List<String> names = new ArrayList<>();
        final File file = new File(entry);
        if (file.isFile() && entry.endsWith(".jar"))
        {
            try (JarFile jar = new JarFile(file))
            {
                if (jar.getEntry("io/mpi4j/runtime/MpiRuntime.class") == null &&
                    jar.getEntry("META-INF/services/io.mpi4j.transport.TransportProvider") == null)
                {
                    return names;
                }
                final Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements())
                {
                    addIfRuntimeClass(entries.nextElement().getName(), names);
                }
            }
            catch (final IOException ex)
            {
                return names;
            }
        }
        else if (file.isDirectory() && (new File(file, "io/mpi4j/runtime/MpiRuntime.class").isFile() ||
            new File(file, "META-INF/services/io.mpi4j.transport.TransportProvider").isFile()))
        {
            final Path root = file.toPath();
            try (Stream<Path> files = Files.walk(root))
            {
                files.forEach(path -> addIfRuntimeClass(root.relativize(path).toString(), names));
            }
            catch (final IOException ex)
            {
                return names;
            }
        }
        return names;
    }

    private static void addIfRuntimeClass(final String path, final List<String> names)
    {
        if (path.endsWith(".class") && !path.contains("-") && (path.startsWith("mpi/") || path.startsWith("io/mpi4j/")) &&
            !path.startsWith("io/mpi4j/launcher/"))
        {
            names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
        }
    }
}
