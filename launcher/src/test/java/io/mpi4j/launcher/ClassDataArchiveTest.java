package io.mpi4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDataArchiveTest
{
    @TempDir
    Path dir;

    @Test
    void oneArchivePerJvmAndJarsAndNoneForADirectory() throws Exception
    {
        final Path a = Files.write(dir.resolve("a.jar"), new byte[]{ 1 });
        final Path b = Files.write(dir.resolve("b.jar"), new byte[]{ 2 });
        final String cp = a + File.pathSeparator + b;
        final Path cache = dir.resolve("cache");
        final Path first = ClassDataArchive.location(cache, "/jdk", "17.0.15", cp);
        assertEquals(cache, first.getParent());
        assertTrue(first.getFileName().toString().matches("runtime-[0-9a-f]{24}\\.jsa"), first.toString());
        assertEquals(first, ClassDataArchive.location(cache, "/jdk", "17.0.15", cp));
        assertNotEquals(first, ClassDataArchive.location(cache, "/other-jdk", "17.0.15", cp));
        assertNotEquals(first, ClassDataArchive.location(cache, "/jdk", "17.0.16", cp));
        assertNotEquals(first, ClassDataArchive.location(cache, "/jdk", "17.0.15", b + File.pathSeparator + a));

        Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() - 60_000));
        assertNotEquals(first, ClassDataArchive.location(cache, "/jdk", "17.0.15", cp), "a rebuilt jar");

        assertNull(ClassDataArchive.location(cache, "/jdk", "17.0.15", cp + File.pathSeparator + dir));
        assertNull(ClassDataArchive.location(cache, "/jdk", "17.0.15", cp + File.pathSeparator + dir.resolve("gone.jar")));
        assertNull(ClassDataArchive.location(cache, "/jdk", "17.0.15", ""));
    }

    @Test
    void pruningKeepsTheArchivesUsedLastAndNothingElseIsTouched() throws Exception
    {
        final long now = System.currentTimeMillis();
        for (int i = 0; i < 5; i++)
        {
            final Path archive = Files.write(dir.resolve("runtime-00000000000000000000000" + i + ".jsa"), new byte[]{ 1 });
            Files.setLastModifiedTime(archive, FileTime.fromMillis(now - (i == 3 ? 0 : 60_000L * (i + 1))));
        }
        final Path lock = Files.write(dir.resolve("runtime-000000000000000000000004.jsa.lock"), new byte[0]);
        final Path other = Files.write(dir.resolve("notes.txt"), new byte[0]);
        ClassDataArchive.prune(dir, 2);
        // Used last: 3 (just now), then 0 (one minute ago).
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i == 3 || i == 0, Files.exists(dir.resolve("runtime-00000000000000000000000" + i + ".jsa")), "archive " + i);
        }
        assertTrue(Files.exists(lock));
        assertTrue(Files.exists(other));
        ClassDataArchive.prune(dir.resolve("missing"), 2);
    }

    @Test
    void turnedOffByZeroOffFalseOrNo()
    {
        assertTrue(ClassDataArchive.enabled(null));
        assertTrue(ClassDataArchive.enabled("1"));
        for (final String off : new String[]{ "0", "off", "OFF", "false", " no " })
        {
            assertFalse(ClassDataArchive.enabled(off), off);
        }
    }
}
