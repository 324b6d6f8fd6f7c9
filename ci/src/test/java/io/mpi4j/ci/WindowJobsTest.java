package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertAllOk;

import io.mpi4j.ci.jobs.WinBadInput;
import io.mpi4j.ci.jobs.WinCounter;
import io.mpi4j.ci.jobs.WinDerived;
import io.mpi4j.ci.jobs.WinShared;
import io.mpi4j.ci.jobs.WinThreads;
import io.mpi4j.ci.jobs.WinSync;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One-sided communication (mpi.Win): every synchronisation mode and operation, atomicity, bad input. */
@Timeout(180)
class WindowJobsTest
{
    @ParameterizedTest
    @CsvSource({"fence,2", "fence,4", "pscw,2", "pscw,4", "lock,2", "lock,4", "lockall,2", "lockall,4"})
    void everyOperationUnderEverySynchronisationMode(final String mode, final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinSync.class).args(mode).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lock", "fetch"})
    void ranksIncrementingOneCounterEndWithTheExactCount(final String how)
    {
        assertAllOk(MpiJob.of(4, WinCounter.class).args(how).run(), 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void badInputReturnsItsErrorClassAndTheWindowStaysUsable(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinBadInput.class).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void sharedWindowPartsAreMappedByEveryRank(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinShared.class).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void datatypesWithGapsAtOriginAndTarget(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinDerived.class).run(), ranks);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void threadsOfOneRankShareAnEpoch(final int ranks)
    {
        assertAllOk(MpiJob.of(ranks, WinThreads.class).run(), ranks);
    }
}
