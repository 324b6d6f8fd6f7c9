package io.mpi4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimeClassPathTest
{
    @TempDir
    Path dir;

    @Test
    void dropsTheLauncherEntriesAndKeepsTheOrderOfTheRest() throws Exception
    {
        final Path launcher = Files.createDirectories(dir.resolve("launcher"));
        final Path picocli = Files.createFile(dir.resolve("picocli.jar"));
        final String classPath = String.join(File.pathSeparator, "core.jar", launcher.toString(), "shm.jar",
            picocli.toString(), "app");
        assertEquals(String.join(File.pathSeparator, "core.jar", "shm.jar", "app"),
            RuntimeClassPath.without(classPath, Set.of(launcher, picocli)));
    }

    @Test
    void keepsAnEntryThatAlsoHoldsTheRuntime() throws Exception
    {
        final Path everything = dir.resolve("everything");
        Files.createDirectories(everything.resolve("io/mpi4j/runtime"));
        Files.createFile(everything.resolve("io/mpi4j/runtime/MpiRuntime.class"));
        final String classPath = everything + File.pathSeparator + "app";
        assertEquals(classPath, RuntimeClassPath.without(classPath, Set.of(everything)));
    }

    @Test
    void theRanksOfThisJvmGetNoLauncher()
    {
        final String ranks = RuntimeClassPath.ofRanks();
        final String launcher = Path.of(RuntimeClassPath.class.getProtectionDomain().getCodeSource().getLocation()
            .getPath()).toString();
        assertTrue(System.getProperty("java.class.path").contains(launcher));
        assertFalse(java.util.Arrays.asList(ranks.split(File.pathSeparator)).contains(launcher), ranks);
    }
}
