package io.mpi4j.launcher;

import mpi.Intercomm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpawnCallScannerTest
{
    /** Calls spawn itself (never run: only its class file is read). */
    static final class Direct
    {
        static Intercomm start() throws MPIException
        {
            return MPI.COMM_SELF.spawn("java", new String[]{ "X" }, 1, MPI.INFO_NULL, 0, null);
        }
    }

    /** Reaches spawnMultiple through another class. */
    static final class Indirect
    {
        static void start() throws MPIException
        {
            Helper.start(MPI.COMM_WORLD);
        }
    }

    static final class Helper
    {
        static void start(final Intracomm comm) throws MPIException
        {
            comm.spawnMultiple(new String[]{ "java" }, new String[][]{ { "X" } }, new int[]{ 1 }, null, 0, null);
        }
    }

    private static Path testClasses() throws URISyntaxException
    {
        return Path.of(SpawnCallScannerTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void findsSpawnCallsReachableFromTheMainClassOnly() throws Exception
    {
        final String dir = testClasses().toString();
        assertTrue(SpawnCallScanner.callsSpawn(dir, Direct.class.getName()));
        assertTrue(SpawnCallScanner.callsSpawn(dir, Indirect.class.getName()));
        // Same directory, full of classes that do spawn: only what the main class reaches counts (a nested class
        // reaches its outer class, hence a top-level one here).
        assertFalse(SpawnCallScanner.callsSpawn(dir, SpawnCallScannerNoSpawn.class.getName()));
        assertFalse(SpawnCallScanner.callsSpawn("/nonexistent:" + dir, "no.such.Main"));
    }

    @Test
    void readsJars() throws IOException, URISyntaxException
    {
        final Path jar = Files.createTempFile("mpi4j-scan", ".jar");
        try
        {
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)))
            {
                for (final Class<?> type : new Class<?>[]{ Indirect.class, Helper.class })
                {
                    final String name = type.getName().replace('.', '/') + ".class";
                    out.putNextEntry(new ZipEntry(name));
                    out.write(Files.readAllBytes(testClasses().resolve(name)));
                    out.closeEntry();
                }
            }
            assertTrue(SpawnCallScanner.callsSpawn(jar.toString(), Indirect.class.getName()));
            try (OutputStream out = Files.newOutputStream(jar))
            {
                out.write("not a jar".getBytes());
            }
            assertFalse(SpawnCallScanner.callsSpawn(jar.toString(), Indirect.class.getName()));
        }
        finally
        {
            Files.deleteIfExists(jar);
        }
    }
}

/** Uses an intracommunicator, never spawn. */
final class SpawnCallScannerNoSpawn
{
    private SpawnCallScannerNoSpawn()
    {
    }

    static int rank(final Intracomm comm) throws MPIException
    {
        return comm.getRank() + comm.dup().getSize();
    }
}
