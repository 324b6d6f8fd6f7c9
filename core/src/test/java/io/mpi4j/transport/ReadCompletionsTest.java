package io.mpi4j.transport;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadCompletionsTest
{
    private final ReadCompletions completions = new ReadCompletions();

    @Test
    void deliversNothingWhenEmpty()
    {
        final Recorder recorder = new Recorder();
        assertTrue(completions.isEmpty());
        assertEquals(0, completions.deliver(recorder));
        assertTrue(recorder.seen.isEmpty());
    }

    @Test
    void deliversInTheOrderQueuedWithEachFailure()
    {
        completions.add(7, null);
        completions.add(3, "process 42 is gone");
        completions.add(-1, null);
        completions.add(Long.MIN_VALUE, "errno 14");
        assertEquals(4, completions.size());

        final Recorder recorder = new Recorder();
        assertEquals(4, completions.deliver(recorder));

        assertEquals(List.of("7:null", "3:process 42 is gone", "-1:null", Long.MIN_VALUE + ":errno 14"),
            recorder.seen);
        assertTrue(completions.isEmpty());
        assertEquals(0, completions.deliver(recorder));
        assertEquals(4, recorder.seen.size());
    }

    @Test
    void growsPastItsInitialCapacityKeepingOrder()
    {
        final int count = 1000;
        for (int i = 0; i < count; i++)
        {
            completions.add(i, i % 3 == 0 ? "failed " + i : null);
        }
        final Recorder recorder = new Recorder();
        assertEquals(count, completions.deliver(recorder));
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + ":" + (i % 3 == 0 ? "failed " + i : null), recorder.seen.get(i));
        }
    }

    @Test
    void readsQueuedDuringDeliveryWaitForTheNextDelivery()
    {
        completions.add(1, null);
        completions.add(2, "refused");
        final Recorder recorder = new Recorder()
        {
            public void onReadComplete(final long cookie, final String failure)
            {
                super.onReadComplete(cookie, failure);
                if (cookie < 100)
                {
                    // enough to grow the arrays while they are being delivered from
                    for (int i = 0; i < 10; i++)
                    {
                        completions.add(100 * cookie + i, 0 == i ? "late " + cookie : null);
                    }
                }
            }
        };

        assertEquals(2, completions.deliver(recorder));
        assertEquals(List.of("1:null", "2:refused"), recorder.seen);
        assertEquals(20, completions.size());

        recorder.seen.clear();
        assertEquals(20, completions.deliver(recorder));
        final List<String> expected = new ArrayList<>();
        for (int cookie = 1; cookie <= 2; cookie++)
        {
            for (int i = 0; i < 10; i++)
            {
                expected.add((100 * cookie + i) + ":" + (0 == i ? "late " + cookie : null));
            }
        }
        assertEquals(expected, recorder.seen);
        assertTrue(completions.isEmpty());
    }

    @Test
    void aHandlerThatThrowsKeepsTheReadsItHadNotReached()
    {
        completions.add(1, null);
        completions.add(2, "boom");
        completions.add(3, null);
        final IllegalStateException thrown = new IllegalStateException("handler failed");
        final Recorder throwing = new Recorder()
        {
            public void onReadComplete(final long cookie, final String failure)
            {
                super.onReadComplete(cookie, failure);
                if (2 == cookie)
                {
                    throw thrown;
                }
            }
        };

        assertSame(thrown, assertThrows(IllegalStateException.class, () -> completions.deliver(throwing)));
        assertEquals(List.of("1:null", "2:boom"), throwing.seen);
        assertEquals(1, completions.size());

        final Recorder recorder = new Recorder();
        assertEquals(1, completions.deliver(recorder));
        assertEquals(List.of("3:null"), recorder.seen);
    }

    @Test
    void queueingAndDeliveringAllocateNothingOnceGrown()
    {
        final FrameHandler ignore = new FrameHandler()
        {
            public void onFrame(final DirectBuffer buffer, final int index, final int length)
            {
            }

            public void onReadComplete(final long cookie, final String failure)
            {
            }
        };
        final String failure = "refused";
        for (int i = 0; i < 64; i++)
        {
            completions.add(i, failure);
        }
        completions.deliver(ignore);

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int round = 0; round < 20_000; round++)
        {
            for (int i = 0; i < 64; i++)
            {
                completions.add(round + i, 0 == (i & 1) ? null : failure);
            }
            completions.deliver(ignore);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // the measurement itself may allocate a little; boxing a cookie would cost 1 280 000 objects
        assertTrue(allocated < 4096, allocated + " bytes allocated by 1 280 000 reads queued and delivered");
    }

    private static class Recorder implements FrameHandler
    {
        final List<String> seen = new ArrayList<>();

        public void onFrame(final DirectBuffer buffer, final int index, final int length)
        {
            throw new AssertionError("no frame expected");
        }

        public void onReadComplete(final long cookie, final String failure)
        {
            seen.add(cookie + ":" + failure);
        }
    }
}
