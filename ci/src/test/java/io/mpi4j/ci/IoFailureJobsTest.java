package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mpi4j.ci.jobs.FileDiskFull;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Collective I/O when the disk fails under it: a small tmpfs (mounted by the test, so it needs root; skipped with
 * the reason otherwise) fills up in the middle of two-phase rounds. Every rank gets ERR_NO_SPACE, the file closes,
 * the job goes on and ends cleanly with nothing left in the file system.
 */
@Timeout(240)
class IoFailureJobsTest
{
    /** Bytes of the test's file system: far less than one collective call writes. */
    private static final long CAPACITY = 256 * 1024;

    @TempDir
    Path dir;

    private Path mounted;

    /** A tmpfs of {@code bytes} mounted at a fresh directory, or the test is skipped saying why it cannot be. */
    private Path smallFileSystem(final long bytes) throws IOException, InterruptedException
    {
        final Path at = Files.createDirectory(dir.resolve("small"));
        final String[] mount = {"mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0700", "tmpfs", at.toString()};
        final Process p = new ProcessBuilder(mount).redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        final boolean done = p.waitFor(30, TimeUnit.SECONDS) && 0 == p.exitValue();
        assumeTrue(done, () -> "cannot mount a small tmpfs (needs root or CAP_SYS_ADMIN; user " +
            System.getProperty("user.name") + "): " + output);
        mounted = at;
        return at;
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException
    {
        if (null != mounted)
        {
            final Path at = mounted;
            mounted = null;
            final Process p = new ProcessBuilder("umount", at.toString()).inheritIO().start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && 0 == p.exitValue(), "umount " + at);
        }
    }

    private static List<String> files(final Path at) throws IOException
    {
        try (Stream<Path> files = Files.list(at))
        {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 4})
    void aDiskThatFillsUpMidCollectiveWriteIsErrNoSpaceOnEveryRank(final int ranks) throws Exception
    {
        final Path small = smallFileSystem(CAPACITY);
        final MpiJob.Result result = assertAllOk(MpiJob.of(ranks, FileDiskFull.class)
            .args(small.toString(), Long.toString(CAPACITY)).timeout(Duration.ofSeconds(200)).run(), ranks);
        for (int rank = 0; rank < ranks; rank++)
        {
            final List<String> failed = result.out(rank).stream().filter(l -> l.startsWith("FAILED ")).toList();
            assertEquals(3, failed.size(), result::describe);
            for (final String line : failed)
            {
                assertTrue(line.contains("No space left") || line.contains("ERR_NO_SPACE") ||
                    line.contains("NO_SPACE"), () -> "message names the cause: " + line);
            }
            assertTrue(result.out(rank).contains("OK file-disk-full rank=" + rank + " size=" + ranks),
                result::describe);
        }
        assertEquals(List.of(), files(small), "files left on the small file system");
    }
}
