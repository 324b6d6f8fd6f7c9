package io.mpi4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mpi4jRunCommandLineTest
{
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void openMpiFormWithJvmOptionsAndClassPath()
    {
        final Mpi4jRun run = Mpi4jRun.parse(
            "-np", "4", "--tag-output", "--timeout", "2.5", "java", "-Xmx64m", "-cp", "a.jar:b", "-Dx=1",
            "--add-modules", "jdk.incubator.vector", "app.Main", "in.txt", "-n", "2", "--tag-output");
        assertEquals(4, run.processes());
        assertTrue(run.tagOutput());
        assertEquals(2.5, run.timeoutSeconds());
        final AppCommand app = run.appCommand(NO_ENV);
        assertTrue(app.isJava());
        assertEquals("app.Main", app.mainClass());
        assertEquals("a.jar:b", app.userClassPath());
        assertEquals(List.of("-Xmx64m", "-Dx=1", "--add-modules", "jdk.incubator.vector"), app.jvmOptions());
        assertEquals(List.of("in.txt", "-n", "2", "--tag-output"), app.programArgs());
    }

    @Test
    void argvPutsRuntimeFlagsAndRuntimeClassPathFirst() throws IOException
    {
        final AppCommand app = AppCommand.parse(
            List.of("java", "-Xss1m", "--class-path=user", "Main", "x"), NO_ENV, name -> false);
        assertEquals(concat(List.of("/jdk/bin/java"), RuntimeJvmFlags.all(),
            List.of("-Xss1m", "-cp", "rt1.jar:rt2.jar:user", "Main", "x")),
            app.argv("/jdk/bin/java", "rt1.jar:rt2.jar"));

        final AppCommand explicitJava = AppCommand.parse(
            List.of("/opt/jdk/bin/java", "-classpath", "u", "Main"), NO_ENV, name -> false);
        assertEquals("/opt/jdk/bin/java", explicitJava.argv("/jdk/bin/java", "rt").get(0));
    }

    @Test
    void classPathKeepsEachEntryOnceAtItsFirstPlace() throws IOException
    {
        // A spawned child: the runtime, then its parent's class path, which begins with the runtime.
        final AppCommand child = AppCommand.parse(
            List.of("java", "-cp", "rt1.jar:rt2.jar:dep.jar:rt2.jar:user:dep.jar", "Main"), NO_ENV, name -> false);
        final List<String> argv = child.argv("/jdk/bin/java", "rt1.jar:rt2.jar:dep.jar:rt1.jar");
        assertEquals(List.of("-cp", "rt1.jar:rt2.jar:dep.jar:user", "Main"), argv.subList(argv.size() - 3, argv.size()));
        assertEquals("rt.jar:.:u", AppCommand.joinClassPaths("rt.jar", ":u:."));
    }

    @Test
    void shortFormUsesClasspathVariableElseCurrentDirectory()
    {
        final Mpi4jRun run = Mpi4jRun.parse("-n", "2", "Hello", "a", "--timeout", "9");
        assertEquals(0.0, run.timeoutSeconds());
        final AppCommand withoutEnv = AppCommand.parse(List.of("Hello", "a"), NO_ENV, name -> false);
        assertEquals(".", withoutEnv.userClassPath());
        assertEquals("Hello", withoutEnv.mainClass());
        assertEquals(List.of("a"), withoutEnv.programArgs());
        assertEquals("/x:/y", AppCommand.parse(List.of("Hello"), Map.of("CLASSPATH", "/x:/y"), name -> false)
            .userClassPath());
    }

    @Test
    void jarFormsStartTheManifestMainClass(@TempDir final Path dir) throws IOException
    {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "app.Main");
        final Path jar = dir.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignore = new JarOutputStream(out, manifest))
        {
            // Manifest only.
        }
        final Mpi4jRun run = Mpi4jRun.parse("-n", "2", "-jar", jar.toString(), "arg");
        final AppCommand shortJar = run.appCommand(NO_ENV);
        assertEquals(jar.toString(), shortJar.jar());
        assertNull(shortJar.userClassPath());
        final List<String> argv = shortJar.argv("java", "rt");
        assertEquals(List.of("-cp", "rt:" + jar, "app.Main", "arg"), argv.subList(argv.size() - 4, argv.size()));

        final AppCommand longJar = AppCommand.parse(
            List.of("java", "-cp", "ignored", "-Xmx1g", "-jar", jar.toString()), NO_ENV, name -> false);
        final List<String> longArgv = longJar.argv("java", "rt");
        assertEquals(List.of("-Xmx1g", "-cp", "rt:" + jar, "app.Main"), longArgv.subList(longArgv.size() - 4,
            longArgv.size()));
    }

    @Test
    void otherCommandsRunAsIs() throws IOException
    {
        final AppCommand hostname = AppCommand.parse(List.of("hostname", "-s"), NO_ENV, "hostname"::equals);
        assertFalse(hostname.isJava());
        assertEquals(List.of("hostname", "-s"), hostname.argv("java", "rt"));
        assertFalse(AppCommand.parse(List.of("./run.sh"), NO_ENV, name -> false).isJava());
        assertTrue(AppCommand.isExecutableOnPath("sh", Map.of("PATH", "/usr/bin:/bin")));
        assertFalse(AppCommand.isExecutableOnPath("NoSuchProgram", Map.of("PATH", "/usr/bin:/bin")));
    }

    @Test
    void exportsForwardOrSetVariables()
    {
        final Mpi4jRun run = Mpi4jRun.parse("-x", "HOME", "-x", "MODE=fast", "-x", "UNSET_VAR", "-n", "3", "Main");
        assertEquals(Map.of("HOME", "/home/u", "MODE", "fast"), run.exportedEnv(Map.of("HOME", "/home/u")));
        assertEquals(3, run.processes());
        assertEquals(Math.max(3, Runtime.getRuntime().availableProcessors()), run.universeSize());
        assertEquals(64, Mpi4jRun.parse("--universe-size", "64", "-n", "3", "--oversubscribe", "Main")
            .universeSize());
    }

    @Test
    void rejectsBadCommandLines()
    {
        assertThrows(CommandLine.ParameterException.class, () -> Mpi4jRun.parse("Main"));
        assertThrows(CommandLine.ParameterException.class, () -> Mpi4jRun.parse("-n", "2"));
        assertThrows(IllegalArgumentException.class, () -> Mpi4jRun.parse("-n", "2", "--bogus", "Main")
            .appCommand(NO_ENV));
        assertThrows(IllegalArgumentException.class, () -> AppCommand.parse(List.of("java", "-Xmx1g"), NO_ENV,
            name -> false));
        assertThrows(IllegalArgumentException.class, () -> AppCommand.parse(List.of("java", "-cp"), NO_ENV,
            name -> false));
    }

    @SafeVarargs
    private static List<String> concat(final List<String>... lists)
    {
        final List<String> all = new ArrayList<>();
        for (final List<String> list : lists)
        {
            all.addAll(list);
        }
        return all;
    }
}
