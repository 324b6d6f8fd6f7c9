package io.mpi4j.launcher;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The program {@code mpi4jrun} starts on every rank, from the words after its own options, in one of the forms:
 * <pre>
 * java [jvm options] Class [args]        Open MPI's form (any command named java)
 * java [jvm options] -jar app.jar [args]
 * Class [args]                           short form: a word that is no executable on PATH is a class name
 * -jar app.jar [args]
 * command [args]                         anything else (a path, or an executable on PATH) runs as is
 * </pre>
 * A Java program gets the launcher's JVM (unless a path to another {@code java} was given), the runtime's JVM
 * flags, and a class path made of the runtime's ({@link RuntimeClassPath}: the launcher's own less the launcher)
 * followed by the user's:
 * {@code -cp/-classpath/--class-path} taken out of the jvm options, else {@code CLASSPATH}, else ".". A jar is put
 * on that class path and its manifest's {@code Main-Class} started, because {@code java -jar} would ignore the
 * runtime's class path.
 */
public final class AppCommand
{
    /** JVM options whose value is the next word (so that value is not mistaken for the main class). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of(
        "-p", "--module-path", "--upgrade-module-path", "--add-modules", "--add-opens", "--add-exports",
        "--add-reads", "--patch-module", "--limit-modules", "--source", "--enable-native-access");
    private static final Set<String> CLASS_PATH_OPTIONS = Set.of("-cp", "-classpath", "--class-path");

    private final String javaExecutable;
    private final List<String> jvmOptions;
    private final String userClassPath;
    private final String mainClass;
    private final String jar;
    private final List<String> programArgs;

    private AppCommand(
        final String javaExecutable,
        final List<String> jvmOptions,
        final String userClassPath,
        final String mainClass,
        final String jar,
        final List<String> programArgs)
    {
        this.javaExecutable = javaExecutable;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.userClassPath = userClassPath;
        this.mainClass = mainClass;
        this.jar = jar;
        this.programArgs = List.copyOf(programArgs);
    }

    /**
     * Parse the program words.
     *
     * @param words        the words after mpi4jrun's options, at least one
     * @param env          the launcher's environment (for {@code CLASSPATH})
     * @param isExecutable whether a bare word names an executable on PATH
     * @throws IllegalArgumentException with a message for the user when the words are not a program
     */
    public static AppCommand parse(
        final List<String> words, final Map<String, String> env, final Predicate<String> isExecutable)
    {
        if (words.isEmpty())
        {
            throw new IllegalArgumentException("no program to run");
        }
        final String first = words.get(0);
        if (first.equals("java") || first.endsWith("/java"))
        {
            return parseJava(first.equals("java") ? null : first, words.subList(1, words.size()), env);
        }
        if (first.equals("-jar"))
        {
            return parseJava(null, words, env);
        }
        if (first.startsWith("-"))
        {
            throw new IllegalArgumentException("unknown option " + first);
        }
        if (first.indexOf('/') >= 0 || isExecutable.test(first))
        {
            return new AppCommand(null, List.of(), null, null, null, words);
        }
        return parseJava(null, words, env);
    }

    private static AppCommand parseJava(final String java, final List<String> words, final Map<String, String> env)
    {
        final List<String> jvmOptions = new ArrayList<>();
        String classPath = null;
        String main = null;
        String jar = null;
        int i = 0;
        for (; i < words.size(); i++)
        {
            final String word = words.get(i);
            if (CLASS_PATH_OPTIONS.contains(word))
            {
                classPath = valueOf(words, ++i, word);
            }
            else if (word.startsWith("--class-path="))
            {
                classPath = word.substring("--class-path=".length());
            }
            else if (word.equals("-jar"))
            {
                jar = valueOf(words, ++i, word);
                i++;
                break;
            }
            else if (word.equals("-m") || word.equals("--module"))
            {
                throw new IllegalArgumentException("modular applications (" + word + ") are not supported: " +
                    "put the classes on the class path");
            }
            else if (OPTIONS_WITH_VALUE.contains(word))
            {
                jvmOptions.add(word);
                jvmOptions.add(valueOf(words, ++i, word));
            }
            else if (word.startsWith("-"))
            {
                jvmOptions.add(word);
            }
            else
            {
                main = word;
                i++;
                break;
            }
        }
        if (main == null && jar == null)
        {
            throw new IllegalArgumentException("no main class or -jar given to java");
        }
        if (classPath == null && jar == null)
        {
            classPath = env.getOrDefault("CLASSPATH", ".");
            if (classPath.isEmpty())
            {
                classPath = ".";
            }
        }
        return new AppCommand(java == null ? "" : java, jvmOptions, jar != null ? null : classPath, main, jar,
            words.subList(i, words.size()));
    }

    private static String valueOf(final List<String> words, final int index, final String option)
    {
        if (index >= words.size())
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return words.get(index);
    }

    /** True when this is a Java program (it gets the runtime's class path and flags). */
    public boolean isJava()
    {
        return javaExecutable != null;
    }

    /** JVM options as given, without the class path option. */
    public List<String> jvmOptions()
    {
        return jvmOptions;
    }

    /** The user's class path (from -cp, CLASSPATH or "."), null for a jar or a non-Java command. */
    public String userClassPath()
    {
        return userClassPath;
    }

    /** Main class given on the command line, or null (jar or non-Java command). */
    public String mainClass()
    {
        return mainClass;
    }

    /** The application jar of {@code -jar}, or null. */
    public String jar()
    {
        return jar;
    }

    /** Arguments of the program (for a non-Java command: the whole command line). */
    public List<String> programArgs()
    {
        return programArgs;
    }

    /**
     * The argv of every rank.
     *
     * @param defaultJava        the launcher's own {@code java}
     * @param runtimeClassPath   the ranks' runtime class path (the mpi4j runtime and its dependencies, no launcher)
     * @throws IOException when the jar cannot be read or names no Main-Class
     */
    public List<String> argv(final String defaultJava, final String runtimeClassPath) throws IOException
    {
        if (!isJava())
        {
            return programArgs;
        }
        final List<String> argv = new ArrayList<>();
        argv.add(javaExecutable.isEmpty() ? defaultJava : javaExecutable);
        argv.addAll(RuntimeJvmFlags.all());
        argv.addAll(jvmOptions);
        argv.add("-cp");
        final String user = jar != null ? jar : userClassPath;
        argv.add(runtimeClassPath == null || runtimeClassPath.isEmpty() ? user :
            joinClassPaths(runtimeClassPath, user));
        argv.add(jar != null ? jarMainClass(jar) : mainClass);
        argv.addAll(programArgs);
        return argv;
    }

    /**
     * {@code first} then {@code second}, each entry once, at its first place. A class is found at the first entry
     * holding it, so a later repeat never changes what loads; dropping it spares the JVM a lookup per class and lets
     * a spawned child (the runtime followed by its parent's class path, which begins with the runtime) get exactly
     * its parent's class path, which is what {@link SpareJvmPool} predicts. Empty entries mean the working directory
     * and are kept as "." once.
     */
    static String joinClassPaths(final String first, final String second)
    {
        final Set<String> entries = new LinkedHashSet<>();
        for (final String path : new String[]{ first, second })
        {
            for (final String entry : path.split(File.pathSeparator, -1))
            {
                entries.add(entry.isEmpty() ? "." : entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String jarMainClass(final String jar) throws IOException
    {
        try (JarFile file = new JarFile(jar))
        {
            final Manifest manifest = file.getManifest();
            final String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null || main.isBlank())
            {
                throw new IOException("no Main-Class in the manifest of " + jar);
            }
            return main.trim();
        }
    }

    /** Whether {@code name} is an executable file in one of the PATH directories. */
    public static boolean isExecutableOnPath(final String name, final Map<String, String> env)
    {
        final String path = env.get("PATH");
        if (path == null)
        {
            return false;
        }
        for (final String dir : path.split(File.pathSeparator))
        {
            final File candidate = new File(dir.isEmpty() ? "." : dir, name);
            if (candidate.isFile() && candidate.canExecute())
            {
                return true;
            }
        }
        return false;
    }
}
