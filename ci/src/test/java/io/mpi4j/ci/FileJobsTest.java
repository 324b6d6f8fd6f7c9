package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mpi4j.ci.jobs.FileAccess;
import io.mpi4j.ci.jobs.FileErrors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parallel I/O (mpi.File) as real jobs at 2, 3 and 4 ranks; every file, side files included, is removed. */
@Timeout(240)
class FileJobsTest
{
    @TempDir
    Path dir;

    private List<String> leftovers() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3, 4})
    void viewsEveryAccessFamilySharedPointersAtomicityAndAppend(final int ranks) throws IOException
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(ranks, FileAccess.class).args(dir.toString())
            .timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).contains("OK file-access rank=0 size=" + ranks), result::describe);
        assertEquals(List.of("left-open"), leftovers(), "only the file the job left open (closed by MPI_Finalize)");
        final ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("left-open")))
            .order(ByteOrder.nativeOrder());
        assertEquals(4 * ranks, data.capacity(), "every rank's non-blocking write reached the file");
        for (int rank = 0; rank < ranks; rank++)
        {
            assertEquals(rank * 7 + 1, data.getInt(4 * rank), "rank " + rank + "'s value");
        }
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {2, 3, 4})
    void badInputFailsWithItsErrorClassOnEveryRankAndTheFileStaysUsable(final int ranks) throws IOException
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(ranks, FileErrors.class).args(dir.toString())
            .timeout(Duration.ofSeconds(200)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK file-errors rank=0")), result::describe);
        assertEquals(List.of(), leftovers(), "files left in the job's directory");
    }
}
