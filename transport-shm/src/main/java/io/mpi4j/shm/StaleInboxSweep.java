package io.mpi4j.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.TimeUnit;

import static io.mpi4j.shm.InboxDescriptor.MAGIC;
import static io.mpi4j.shm.InboxDescriptor.MAGIC_OFFSET;
import static io.mpi4j.shm.InboxDescriptor.OWNER_FIELDS_LENGTH;
import static io.mpi4j.shm.InboxDescriptor.OWNER_PID_OFFSET;
import static io.mpi4j.shm.InboxDescriptor.OWNER_START_TIME_OFFSET;

/**
 * Removes inbox files whose owner is dead: what is left when every process that would have removed a job's files
 * was killed at once (the launcher and its ranks by {@code kill -9}), in /dev/shm or in {@code MPI4J_SHM_DIR}.
 * Rank 0 of each job runs it once in the background when it opens its inbox, so a crash costs its files until the
 * next job on the node at most.
 * <p>
 * A file is removed only when it belongs to this user and its header names an owner (pid and start time) that no
 * longer runs; a file without a complete header (still being created, or garbage) only once it is older than
 * {@link #UNPUBLISHED_AGE_MS}. Pids are those of this node's pid namespace: processes sharing a /dev/shm across pid
 * namespaces must give each other different {@code MPI4J_SHM_DIR}s.
 */
final class StaleInboxSweep implements Runnable
{
    /** A file takes milliseconds from creation to a complete header; one without after this long is garbage. */
    static final long UNPUBLISHED_AGE_MS = TimeUnit.MINUTES.toMillis(1);

    private final Path directory;

    StaleInboxSweep(final Path directory)
    {
        this.directory = directory;
    }

    /** Sweep {@code directory} on a daemon thread of its own: not on the path of MPI_Init. */
    static void startInBackground(final Path directory)
    {
        final Thread thread = new Thread(new StaleInboxSweep(directory), "mpi4j-shm-sweep");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        sweep();
    }

    /** Remove the stale inbox files of the directory; returns how many. */
    int sweep()
    {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, Inbox.FILE_PREFIX + "*"))
        {
            final String me = System.getProperty("user.name");
            for (final Path file : files)
            {
                try
                {
                    if (isStale(file, me) && Files.deleteIfExists(file))
                    {
                        removed++;
                    }
                }
                catch (final IOException | RuntimeException ignore)
                {
                    // Gone meanwhile, or not ours to judge: left alone.
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // An unreadable directory: nothing to sweep.
        }
        return removed;
    }

    private static boolean isStale(final Path file, final String me) throws IOException
    {
        final PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
        if (!attributes.isRegularFile() || !attributes.owner().getName().equals(me))
        {
            return false;
        }
        final ByteBuffer header = ByteBuffer.allocate(OWNER_FIELDS_LENGTH).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            while (header.hasRemaining() && channel.read(header, header.position()) > 0)
            {
                // Read the owner fields.
            }
        }
        final boolean published = !header.hasRemaining() && header.getLong(MAGIC_OFFSET) == MAGIC;
        if (!published)
        {
            return System.currentTimeMillis() - attributes.lastModifiedTime().toMillis() > UNPUBLISHED_AGE_MS;
        }
        return !ProcessLiveness.isAlive(header.getLong(OWNER_PID_OFFSET), header.getLong(OWNER_START_TIME_OFFSET));
    }
}
