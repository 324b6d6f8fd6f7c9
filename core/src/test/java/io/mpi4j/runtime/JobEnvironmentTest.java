package io.mpi4j.runtime;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JobEnvironmentTest
{
    private static Map<String, String> launched(final int rank, final int size)
    {
        final Map<String, String> env = new HashMap<>();
        env.put(JobEnvironment.JOB_ID, "j1");
        env.put(JobEnvironment.RANK, Integer.toString(rank));
        env.put(JobEnvironment.SIZE, Integer.toString(size));
        env.put(JobEnvironment.KVS, "127.0.0.1:1");
        env.put(JobEnvironment.SECRET, "s");
        return env;
    }

    @Test
    void aRankKnowsItsPlaceAmongTheJobsRanksOnItsNode()
    {
        final Map<String, String> env = launched(5, 6);
        env.put(JobEnvironment.LOCAL_RANK, "1");
        env.put(JobEnvironment.LOCAL_SIZE, "2");
        final JobEnvironment job = JobEnvironment.fromEnvironment(env);
        assertEquals(5, job.rank());
        assertEquals(6, job.size());
        assertEquals(1, job.localRank());
        assertEquals(2, job.localSize());
    }

    @Test
    void withoutAValidPlaceTheWholeJobIsTakenToBeOnThisNode()
    {
        assertEquals(6, JobEnvironment.fromEnvironment(launched(5, 6)).localSize());
        assertEquals(5, JobEnvironment.fromEnvironment(launched(5, 6)).localRank());
        for (final String[] bad : new String[][]{ { "2", "2" }, { "-1", "2" }, { "0", "7" }, { "0", "0" },
            { "x", "2" }, { "0", "" } })
        {
            final Map<String, String> env = launched(1, 6);
            env.put(JobEnvironment.LOCAL_RANK, bad[0]);
            env.put(JobEnvironment.LOCAL_SIZE, bad[1]);
            final JobEnvironment job = JobEnvironment.fromEnvironment(env);
            assertEquals(6, job.localSize(), () -> String.join(",", bad));
            assertEquals(1, job.localRank(), () -> String.join(",", bad));
        }
    }

    @Test
    void aSingletonIsAloneOnItsNode()
    {
        assertNull(JobEnvironment.fromEnvironment(Map.of()));
        final JobEnvironment singleton = JobEnvironment.singleton();
        assertEquals(0, singleton.localRank());
        assertEquals(1, singleton.localSize());
    }
}
