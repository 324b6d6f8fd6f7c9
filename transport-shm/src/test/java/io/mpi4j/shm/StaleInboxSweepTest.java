package io.mpi4j.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StaleInboxSweepTest
{
    @TempDir
    Path directory;

    @Test
    void removesInboxesOfDeadOwnersAndOldUnpublishedFilesOnly() throws Exception
    {
        final Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        final long deadPid = gone.pid();

        try (Inbox live = Inbox.create(Inbox.inboxPath(directory, "jlive", 0), 1, 4096);
            Inbox dead = Inbox.create(Inbox.inboxPath(directory, "jdead", 0), 1, 4096))
        {
            // The owner of "jdead" is a process that has exited: as if the job was killed with its launcher.
            dead.header().putLong(InboxDescriptor.OWNER_PID_OFFSET, deadPid);
            dead.header().putLong(InboxDescriptor.OWNER_START_TIME_OFFSET, InboxDescriptor.UNKNOWN_START_TIME);
            final Path youngInit = Files.write(directory.resolve("mpi4j-jinit-0.init"), new byte[8]);
            final Path oldGarbage = Files.write(directory.resolve("mpi4j-jold-0"), new byte[8]);
            Files.setLastModifiedTime(oldGarbage, FileTime.fromMillis(
                System.currentTimeMillis() - 2 * StaleInboxSweep.UNPUBLISHED_AGE_MS));
            final Path notOurs = Files.write(directory.resolve("other-file"), new byte[8]);

            assertEquals(2, new StaleInboxSweep(directory).sweep());
            assertTrue(Files.exists(live.path()), "a live owner's inbox stays");
            assertFalse(Files.exists(Inbox.inboxPath(directory, "jdead", 0)), "a dead owner's inbox goes");
            assertTrue(Files.exists(youngInit), "an inbox being created stays");
            assertFalse(Files.exists(oldGarbage), "an old file without a header goes");
            assertTrue(Files.exists(notOurs), "files not named mpi4j-* stay");
        }
    }
}
