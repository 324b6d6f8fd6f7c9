package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static io.mpi4j.ci.JobAssertions.assertFailedFast;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.CommAttributes;
import io.mpi4j.ci.jobs.CommChurn;
import io.mpi4j.ci.jobs.CommDup;
import io.mpi4j.ci.jobs.CommFatal;
import io.mpi4j.ci.jobs.CommIntercomm;
import io.mpi4j.ci.jobs.CommSplit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Communicator management (dup, split, create, free, attributes), each test a real job at 2, 4 and 8 ranks. */
@Timeout(180)
class CommunicatorJobsTest
{
    private static MpiJob.Result run(final int ranks, final Class<?> main, final String... args)
    {
        return assertAllOk(MpiJob.of(ranks, main).args(args).timeout(Duration.ofSeconds(120)).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void dupIsolatesTrafficComparesInheritsHandlerAndFrees(final int ranks)
    {
        run(ranks, CommDup.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void splitCreateAndGroupOperations(final int ranks)
    {
        run(ranks, CommSplit.class);
    }

    /** One rule of attribute caching per run; each rule at 2, 4 and 8 ranks. */
    @ParameterizedTest(name = "{0} at {1} ranks")
    @CsvSource({
        "copy-per-attribute,2", "copy-per-attribute,4", "copy-per-attribute,8",
        "copy-throws,2", "copy-throws,4", "copy-throws,8",
        "delete-callbacks,2", "delete-callbacks,4", "delete-callbacks,8",
        "delete-throws,2", "delete-throws,4", "delete-throws,8",
        "freed-keyval,2", "freed-keyval,4", "freed-keyval,8",
        "delete-reentrant,2", "delete-reentrant,4", "delete-reentrant,8",
        "finalize-order,2", "finalize-order,4", "finalize-order,8",
        "predefined,2", "predefined,4", "predefined,8"})
    void attributeRule(final String rule, final int ranks)
    {
        run(ranks, CommAttributes.class, rule);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void intercommCreateTrafficDupMergeFree(final int ranks)
    {
        run(ranks, CommIntercomm.class);
    }

    /** Scaled down from the 1,000 x 200 dup/free and 100,000 splits (full scale is run by hand). */
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void churnOfDupFreeSplitAndManyAlive(final int ranks)
    {
        final String splits = ranks == 8 ? "500" : "5000";
        final String rounds = ranks == 8 ? "10" : "50";
        run(ranks, CommChurn.class, rounds, "200", splits, ranks == 2 ? "65536" : "4096");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void dupInheritsErrorsAreFatalAndTheJobAbortsWithTheMessage(final int ranks)
    {
        final MpiJob.Result result = MpiJob.of(ranks, CommFatal.class).timeout(Duration.ofSeconds(90)).run();
        assertFailedFast(result, Duration.ofSeconds(60));
        final String all = String.join("\n", result.stderr()) + "\n" + String.join("\n", result.stdout());
        assertTrue(all.contains("MPI_ERR_KEYVAL") || all.contains("key value 424242"),
            () -> "the error is printed\n" + result.describe());
        assertTrue(result.stdout().stream().noneMatch(l -> l.contains("NOT REACHED")), result::describe);
    }
}
