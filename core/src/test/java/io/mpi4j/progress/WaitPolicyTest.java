package io.mpi4j.progress;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitPolicyTest
{
    private static WaitPolicy policy(final boolean oversubscribed, final Map<String, String> environment)
    {
        return WaitPolicy.of(oversubscribed, environment::get);
    }

    @Test
    void aCoreOfItsOwnPollsAMillisecondThenYields()
    {
        final WaitPolicy policy = policy(false, Map.of());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), policy.pollNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(19), policy.yieldNanos());
        assertEquals(0, ((PollYieldParkIdleStrategy)policy.newIdleStrategy()).phase());
    }

    @Test
    void moreRanksThanCoresYieldAtOnce()
    {
        for (final WaitPolicy policy : new WaitPolicy[]{ policy(true, Map.of()),
            policy(false, Map.of("MPI4J_WAIT", "yield")) })
        {
            assertEquals(0, policy.pollNanos());
            assertEquals(TimeUnit.MILLISECONDS.toNanos(19), policy.yieldNanos());
            assertEquals(1, ((PollYieldParkIdleStrategy)policy.newIdleStrategy()).phase());
        }
    }

    @Test
    void phaseLengthsComeFromTheEnvironment()
    {
        final WaitPolicy policy = policy(true, Map.of("MPI4J_WAIT_POLL_US", "20", "MPI4J_WAIT_YIELD_US", " 5000 "));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(20), policy.pollNanos());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(5), policy.yieldNanos());
        final PollYieldParkIdleStrategy idle = (PollYieldParkIdleStrategy)policy.newIdleStrategy();
        assertEquals(0, idle.phase());

        final WaitPolicy noYield = policy(false, Map.of("MPI4J_WAIT_YIELD_US", "0"));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), noYield.pollNanos());
        assertEquals(0, noYield.yieldNanos());
        assertEquals(0, ((PollYieldParkIdleStrategy)noYield.newIdleStrategy()).phase());
    }

    @Test
    void spinNeverLetsGoOfTheCore()
    {
        assertInstanceOf(BusySpinIdleStrategy.class, policy(true, Map.of("MPI4J_WAIT", "spin")).newIdleStrategy());
    }

    @Test
    void aValueItCannotUseIsRefusedByName()
    {
        for (final String bad : new String[]{ "-1", "1.5", "1ms", "99999999999999999999" })
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> policy(false, Map.of("MPI4J_WAIT_POLL_US", bad)));
            assertTrue(refused.getMessage().startsWith("MPI4J_WAIT_POLL_US=" + bad), refused.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> policy(true, Map.of("MPI4J_WAIT_YIELD_US", "x")));
    }
}
