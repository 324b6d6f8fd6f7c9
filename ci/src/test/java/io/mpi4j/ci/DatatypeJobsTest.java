package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.mpi4j.ci.jobs.DerivedTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Derived datatypes in real jobs: a matrix column (vector), indexed blocks, a struct, resized types, MINLOC on a
 * pair type and pack/unpack, through point-to-point and collectives, small and above 1 MiB, at 2, 3 and 4 ranks
 * over shared memory, and once over TCP; at 2 ranks in the Soft-RoCE VM (tag "rdma") over RDMA.
 */
@Timeout(300)
class DatatypeJobsTest
{
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void derivedTypesMoveExactlyTheirElements(final int ranks)
    {
        final MpiJob.Result result =
            assertAllOk(MpiJob.of(ranks, DerivedTypes.class).timeout(Duration.ofSeconds(240)).run(), ranks);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK datatypes rank=0 size=" + ranks)),
            result::describe);
    }

    /** The same job in the Soft-RoCE VM, over RDMA (two ranks: an emulated guest runs it in minutes). */
    @Test
    @Tag("rdma")
    void derivedTypesOverRdma()
    {
        derivedTypesMoveExactlyTheirElements(2);
    }

    @Test
    void derivedTypesOverTcp()
    {
        final MpiJob.Result result = assertAllOk(MpiJob.of(2, DerivedTypes.class)
            .launcherOptions("--transport", "tcp").timeout(Duration.ofSeconds(240)).run(), 2);
        assertTrue(result.out(0).stream().anyMatch(l -> l.startsWith("OK datatypes rank=0 size=2")),
            result::describe);
    }
}
