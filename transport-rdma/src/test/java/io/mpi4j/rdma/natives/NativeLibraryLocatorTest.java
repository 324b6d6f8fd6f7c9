package io.mpi4j.rdma.natives;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeLibraryLocatorTest
{
    @Test
    void findsTheLibraryBuiltIntoTheClassesDirectory() throws Exception
    {
        assumeLibraryBuilt();
        final Path directory = NativeLibraryLocator.libraryDirectory();
        assertTrue(Files.isRegularFile(directory.resolve("libdisni.so")), directory.toString());
        assertTrue(directory.endsWith(Path.of("native", NativeLibraryLocator.platform())), directory.toString());
    }

    @Test
    void jvmOptionsPutTheLibraryFirstOnTheLibraryPath() throws Exception
    {
        assumeLibraryBuilt();
        final List<String> options = NativeLibraryLocator.jvmOptions();
        assertEquals(1, options.size());
        assertTrue(options.get(0).startsWith("-Djava.library.path=" + NativeLibraryLocator.libraryDirectory()),
            options.get(0));
    }

    @Test
    void loadsUnderSurefiresLibraryPath()
    {
        assumeLibraryBuilt();
        assertNull(NativeLibraryLocator.loadCheck());
    }

    @Test
    void namesTheMissingSystemLibrary()
    {
        assertEquals("libibverbs.so.1 missing (install rdma-core's libibverbs1 and librdmacm1)",
            NativeLibraryLocator.describeLoadFailure(
                "/x/libdisni.so: libibverbs.so.1: cannot open shared object file: No such file or directory"));
        assertTrue(NativeLibraryLocator.describeLoadFailure("no disni in java.library.path: /usr/lib")
            .startsWith("libdisni failed to load: no disni"));
    }

    @Test
    void extractsOnceIntoAPrivateDirectoryNamedByTheDigest(@TempDir final Path root) throws Exception
    {
        assumeLibraryBuilt();
        final byte[] library = {0x7f, 'E', 'L', 'F', 1, 2, 3};
        final Path first = NativeLibraryLocator.extractInto(root, library);
        final Path second = NativeLibraryLocator.extractInto(root, library);
        assertEquals(first, second);
        assertEquals(root.resolve("mpi4j"), first.getParent());
        assertEquals(64, first.getFileName().toString().length());
        assertTrue(java.util.Arrays.equals(library, Files.readAllBytes(first.resolve("libdisni.so"))));
        assertEquals("rwx------",
            java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        try (var leftovers = Files.list(first))
        {
            assertEquals(1, leftovers.count(), "no partial files left behind");
        }
    }

    /** The build skips libdisni on a machine without gcc or the rdma-core headers (build.sh says so). */
    static void assumeLibraryBuilt()
    {
        assumeTrue(NativeLibraryLocator.class.getResource("/native/" + NativeLibraryLocator.platform() + "/libdisni.so")
            != null, "libdisni was not built here (no gcc or rdma-core headers)");
    }
}
