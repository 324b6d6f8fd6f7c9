package io.mpi4j.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Removes a job's shared-memory files after it ends, whatever the way it ended: a rank killed mid-job never gets
 * to unlink its rings. The shared-memory transport names its files {@code mpi4j-<jobId>-<index>} in /dev/shm.
 * Used by the launcher after each job, and by a spare JVM after its rehearsal of MPI_Init.
 */
public final class ShmCleaner
{
    static final Path SHM_DIRECTORY = Paths.get("/dev/shm");
    static final String FILE_PREFIX = "mpi4j-";

    private ShmCleaner()
    {
    }

    /** Delete every file in /dev/shm whose name starts with {@code mpi4j-<jobId>}; returns how many. */
    public static int removeJobFiles(final String jobId)
    {
        if (!Files.isDirectory(SHM_DIRECTORY))
        {
            return 0;
        }
        final String prefix = FILE_PREFIX + jobId;
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SHM_DIRECTORY,
            path -> path.getFileName().toString().startsWith(prefix)))
        {
            for (final Path file : files)
            {
                try
                {
                    if (Files.deleteIfExists(file))
                    {
                        removed++;
                    }
                }
                catch (final IOException ex)
                {
                    System.err.println("mpi4j: could not remove " + file + ": " + ErrorText.of(ex));
                }
            }
        }
        catch (final IOException ex)
        {
            System.err.println("mpi4j: could not list " + SHM_DIRECTORY + ": " + ErrorText.of(ex));
        }
        return removed;
    }
}
