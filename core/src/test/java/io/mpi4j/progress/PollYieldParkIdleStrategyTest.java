package io.mpi4j.progress;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollYieldParkIdleStrategyTest
{
    private static final long POLL = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long YIELD = TimeUnit.MILLISECONDS.toNanos(6);

    private final PollYieldParkIdleStrategy idle = new PollYieldParkIdleStrategy(POLL, YIELD,
        TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20));

    @Test
    void pollsThenYieldsThenParksByTheClock()
    {
        final long start = System.nanoTime();
        while (idle.phase() == 0)
        {
            idle.idle(0);
        }
        // a test thread that lost its core meanwhile rightly stops polling at once
        assertTrue(System.nanoTime() - start >= POLL || idle.contended(), "left polling early");
        // A thread descheduled past the yielding window (a loaded machine) goes straight on to parking.
        assertTrue(idle.phase() == 1 || System.nanoTime() - start >= YIELD, "parked early");
        while (idle.phase() == 1)
        {
            idle.idle(0);
        }
        assertTrue(System.nanoTime() - start >= YIELD, "left yielding early");
        assertEquals(2, idle.phase());
        final long parking = System.nanoTime();
        for (int i = 0; i < 10; i++)
        {
            idle.idle(0);
        }
        assertTrue(System.nanoTime() - parking > 0);
        assertEquals(2, idle.phase());
    }

    @Test
    void workStartsTheWaitAgain()
    {
        final long start = System.nanoTime();
        while (idle.phase() == 0)
        {
            idle.idle(0);
        }
        idle.idle(1);
        assertEquals(0, idle.phase());
        final long again = System.nanoTime();
        while (idle.phase() == 0)
        {
            idle.idle(0);
        }
        assertTrue(System.nanoTime() - again >= POLL || idle.contended(), "the clock of the earlier wait was kept");
        idle.reset();
        assertEquals(0, idle.phase());
        assertTrue(again > start);
    }

    @Test
    void aWaitThatLostItsCoreYieldsAndSoDoTheNextWaits() throws InterruptedException
    {
        pollOneClockRead();
        offTheCore();
        pollOneClockRead();
        assertTrue(idle.contended());
        assertEquals(1, idle.phase(), "a contended wait yields before its polling time is up");
        idle.idle(1);
        assertEquals(0, idle.phase());
        final long next = System.nanoTime();
        while (idle.phase() == 0)
        {
            idle.idle(0);
        }
        assertTrue(System.nanoTime() - next < POLL, "the next wait polls for less than its usual time");
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(PollYieldParkIdleStrategy.CONTENDED_NANOS) + 1);
        idle.idle(1);
        assertFalse(idle.contended());
    }

    @Test
    void contentionEndsAndWaitsPollAgain() throws InterruptedException
    {
        pollOneClockRead();
        offTheCore();
        pollOneClockRead();
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(PollYieldParkIdleStrategy.CONTENDED_NANOS) + 1);
        idle.idle(1);
        final long start = System.nanoTime();
        while (idle.phase() == 0)
        {
            idle.idle(0);
        }
        assertTrue(System.nanoTime() - start >= POLL || idle.contended(), "polled again once contention was over");
    }

    /**
     * Away from the polls for longer than any 64 polls take, as a peer sharing this core keeps a polling wait:
     * 1 ms, above {@link PollYieldParkIdleStrategy#PREEMPTED_GAP_NANOS} and below the polling phase ({@link #POLL}),
     * so that a wait that yields afterwards does so because it lost the core, not because its time was up.
     */
    private static void offTheCore() throws InterruptedException
    {
        Thread.sleep(1);
    }

    /** As many idle polls as make one clock read. */
    private void pollOneClockRead()
    {
        for (int i = 0; i < PollYieldParkIdleStrategy.POLLS_PER_CLOCK_READ; i++)
        {
            idle.idle(0);
        }
    }

    @Test
    void shortWaitsOnlyPoll()
    {
        for (int wait = 0; wait < 1_000; wait++)
        {
            for (int i = 0; i < PollYieldParkIdleStrategy.POLLS_PER_CLOCK_READ; i++)
            {
                idle.idle(0);
            }
            assertEquals(0, idle.phase());
            idle.idle(1);
        }
    }

    @Test
    void withoutPollingPhaseYieldsFromTheFirstIdleTurn()
    {
        final PollYieldParkIdleStrategy yielding = new PollYieldParkIdleStrategy(0, YIELD,
            TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20));
        assertEquals(1, yielding.phase());
        final long start = System.nanoTime();
        while (yielding.phase() == 1)
        {
            yielding.idle(0);
        }
        assertTrue(System.nanoTime() - start >= YIELD, "left yielding early");
        assertEquals(2, yielding.phase());
        yielding.idle(1);
        assertEquals(1, yielding.phase(), "work starts the wait again, yielding");
        yielding.idle(0);
        yielding.reset();
        assertEquals(1, yielding.phase());
    }

    @Test
    void walksOfMicrosecondPhasesEndSoon()
    {
        // MPI_Init's rehearsal runs these between its rounds: each walk is one park of a microsecond and some yields
        final long start = System.nanoTime();
        PollYieldParkIdleStrategy.walkPhases(8);
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(200), "8 walks took over 200 ms");
    }

    @Test
    void refusesPhasesOutOfOrder()
    {
        assertThrows(IllegalArgumentException.class, () -> new PollYieldParkIdleStrategy(10, 5, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new PollYieldParkIdleStrategy(1, 5, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new PollYieldParkIdleStrategy(1, 5, 3, 2));
    }
}
