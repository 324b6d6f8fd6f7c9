package io.mpi4j.p2p;

import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mpi4j.p2p.LoopbackFixture.WORLD;
import static io.mpi4j.p2p.LoopbackFixture.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one wait for a condition outside point-to-point: it turns the engine, notices failures, allocates nothing. */
class AwaitConditionTest
{
    private final LoopbackFixture fixture = new LoopbackFixture(3);

    @AfterEach
    void close()
    {
        fixture.close();
    }

    @Test
    void turnsTheEngineUntilTheConditionHolds()
    {
        final byte[] got = new byte[8];
        final Operation recv = fixture.irecv(1, 0, 3, got);
        fixture.isend(0, 1, 3, pattern(7, 8));
        fixture.p2p(1).awaitCondition(fixture.endpoint(1, WORLD), recv::isComplete);
        assertEquals(0, recv.status().error);
        assertArrayEquals(pattern(7, 8), got);
    }

    @Test
    void seesAConditionAnotherProcessSetsWithoutAnyMessage() throws Exception
    {
        final AtomicBoolean flag = new AtomicBoolean();
        final Thread writer = new Thread(() ->
        {
            // past the polling and into the yielding phase of the wait
            sleep(TimeUnit.MILLISECONDS.toNanos(30));
            flag.set(true);
        });
        writer.start();
        final long start = System.nanoTime();
        fixture.p2p(0).awaitCondition(fixture.endpoint(0, WORLD), flag::get);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(25));
        writer.join();
    }

    @Test
    void aMemberFailingDuringTheWaitIsAnError() throws Exception
    {
        final PointToPoint p2p = fixture.p2p(0);
        final Thread notifier = new Thread(() ->
        {
            sleep(TimeUnit.MILLISECONDS.toNanos(40));
            p2p.noticeProcessFailure(ProcessKeys.key(0, 2));
        });
        notifier.start();
        final MpiError error = assertThrows(MpiError.class,
            () -> p2p.awaitCondition(fixture.endpoint(0, WORLD), () -> false));
        notifier.join();
        assertEquals(ErrorClass.ERR_PROC_FAILED, error.errorClass());
        assertTrue(error.getMessage().contains("rank 2"), error.getMessage());

        fixture.send(1, 0, 5, pattern(2, 8));
        final byte[] got = new byte[8];
        fixture.recv(0, 1, 5, got);
        assertArrayEquals(pattern(2, 8), got, "the process stays usable with its live peers");
    }

    @Test
    void aRevokeDuringTheWaitIsAnError() throws Exception
    {
        final PointToPoint p2p = fixture.p2p(1);
        final Thread notifier = new Thread(() ->
        {
            sleep(TimeUnit.MILLISECONDS.toNanos(10));
            p2p.noticeRevoke(WORLD);
        });
        notifier.start();
        final MpiError error = assertThrows(MpiError.class,
            () -> p2p.awaitCondition(fixture.endpoint(1, WORLD), () -> false));
        notifier.join();
        assertEquals(ErrorClass.ERR_REVOKED, error.errorClass());
    }

    @Test
    void aWaitAllocatesNothing()
    {
        final PointToPoint p2p = fixture.p2p(0);
        final MessageEndpoint world = fixture.endpoint(0, WORLD);
        final CountDown countDown = new CountDown();
        for (int i = 0; i < 20_000; i++)
        {
            countDown.left = 5;
            p2p.awaitCondition(world, countDown);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 20_000; i++)
        {
            countDown.left = 5;
            p2p.awaitCondition(world, countDown);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // the measurement itself may allocate a little; a wait that allocated would cost 20 000 objects
        assertTrue(allocated < 4096, allocated + " bytes allocated by 20 000 waits");
    }

    /** Satisfied after {@code left} reads. */
    private static final class CountDown implements PointToPoint.WaitCondition
    {
        int left;

        @Override
        public boolean satisfied()
        {
            return --left < 0;
        }
    }

    private static void sleep(final long nanos)
    {
        final long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0)
        {
            try
            {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
