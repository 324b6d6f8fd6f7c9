package io.mpi4j.shm;

import io.mpi4j.transport.Connection;
import io.mpi4j.transport.FrameHandler;
import io.mpi4j.transport.RemoteMemory;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Single copy on one node: the JNI library reads another process's memory, and {@link ShmRemoteMemory} offers it to
 * point-to-point as a one-sided read whose completion (or failure) comes from the next poll. The library is built by
 * this module's compile phase (gcc); CI installs gcc, so these run there.
 */
class CrossMemoryAttachTest
{
    private static final long EFAULT = 14;

    private final List<ShmTransport> transports = new ArrayList<>();
    private final String jobId = ShmTestSupport.newJobId();

    @AfterEach
    void closeAll() throws IOException
    {
        transports.forEach(ShmTransport::close);
        assertEquals(List.of(), ShmTestSupport.leftovers(jobId), "inbox files left behind");
    }

    @Test
    void theLibraryIsBuiltAndLoads()
    {
        assertTrue(CrossMemoryAttach.available(), () -> "libmpi4jcma: " + CrossMemoryAttach.unavailableReason());
    }

    @Test
    void readsAnotherProcesssMemoryAndSaysWhenItIsGone() throws Exception
    {
        final int bytes = (1 << 20) + 77;
        final Process other = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ExposedRegion.class.getName(), Integer.toString(bytes))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final BufferedReader out =
                new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII));
            final long address = Long.parseLong(out.readLine().trim());
            final ByteBuffer local = ByteBuffer.allocateDirect(bytes + 16);
            // into an odd place of this process's memory, from an odd place of the other's
            final long read = CrossMemoryAttach.read(other.pid(), address + 3, BufferUtil.address(local) + 5,
                bytes - 3);
            assertEquals(bytes - 3, read);
            for (int i = 3; i < bytes; i++)
            {
                assertEquals(ExposedRegion.pattern(i), local.get(i + 2), "byte " + i);
            }
            assertEquals(-EFAULT, CrossMemoryAttach.read(other.pid(), 8, BufferUtil.address(local), 8),
                "an address not mapped there");
            other.getOutputStream().close();
            assertEquals(0, other.waitFor());
            assertEquals(-CrossMemoryAttach.ESRCH, CrossMemoryAttach.read(other.pid(), address,
                BufferUtil.address(local), 8), "a process that exited");
        }
        finally
        {
            other.destroyForcibly();
        }
    }

    @Test
    void writesIntoAnotherProcesssMemory() throws Exception
    {
        final int bytes = (1 << 20) + 77;
        final Process other = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            ExposedRegion.class.getName(), Integer.toString(bytes))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final BufferedReader out =
                new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII));
            final long address = Long.parseLong(out.readLine().trim());
            final ByteBuffer local = ByteBuffer.allocateDirect(bytes);
            for (int i = 0; i < bytes; i++)
            {
                local.put(i, (byte)(i * 7 + 1));
            }
            // from an odd place here into an odd place there, then read back what the other process now holds
            assertEquals(bytes - 10, CrossMemoryAttach.write(other.pid(), address + 3, BufferUtil.address(local) + 5,
                bytes - 10));
            final ByteBuffer back = ByteBuffer.allocateDirect(bytes);
            assertEquals(bytes, CrossMemoryAttach.read(other.pid(), address, BufferUtil.address(back), bytes));
            for (int i = 0; i < bytes; i++)
            {
                final byte expected = i >= 3 && i < bytes - 7 ? (byte)((i + 2) * 7 + 1) : ExposedRegion.pattern(i);
                assertEquals(expected, back.get(i), "byte " + i);
            }
            assertEquals(-EFAULT, CrossMemoryAttach.write(other.pid(), 8, BufferUtil.address(local), 8),
                "an address not mapped there");
            other.getOutputStream().close();
            assertEquals(0, other.waitFor());
            assertEquals(-CrossMemoryAttach.ESRCH, CrossMemoryAttach.write(other.pid(), address,
                BufferUtil.address(local), 8), "a process that exited");
        }
        finally
        {
            other.destroyForcibly();
        }
    }

    @Test
    void copiesBothWaysThroughTheTransportAtOnce() throws IOException
    {
        final ShmTransport owner = open(0);
        final ShmTransport other = open(1);
        final RemoteMemory memory = other.remoteMemory();
        // the process the connection writes to is the one whose memory is copied: here both are this process
        final Connection toOwner = other.connect(owner.address());
        final int bytes = 300_001;
        final ByteBuffer there = ByteBuffer.allocateDirect(bytes);
        final ByteBuffer here = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++)
        {
            here.put(i, (byte)(i % 241));
        }
        assertEquals(bytes, memory.copyTo(toOwner, BufferUtil.address(here), BufferUtil.address(there), bytes));
        final ByteBuffer back = ByteBuffer.allocateDirect(bytes);
        assertEquals(bytes, memory.copyFrom(toOwner, BufferUtil.address(there), BufferUtil.address(back), bytes));
        for (int i = 0; i < bytes; i++)
        {
            assertEquals((byte)(i % 241), there.get(i), "byte " + i + " written");
            assertEquals((byte)(i % 241), back.get(i), "byte " + i + " read back");
        }
        final IllegalStateException unmapped = assertThrows(IllegalStateException.class,
            () -> memory.copyTo(toOwner, BufferUtil.address(here), 8, 8));
        assertTrue(unmapped.getMessage().startsWith("writing 8 bytes at 0x8 of process "), unmapped.getMessage());
    }

    @Test
    void aReadThroughTheTransportCompletesAtTheNextPoll() throws IOException
    {
        final ShmTransport owner = open(0);
        final ShmTransport reader = open(1);
        final RemoteMemory memory = reader.remoteMemory();
        assertNotNull(memory, "single copy is on by default");
        assertEquals(ShmConfiguration.DEFAULT_SINGLE_COPY_MIN, memory.readThreshold());
        assertFalse(memory.windows(), "windows reach on-node peers through shared memory, not reads");
        // the process the connection writes to is the one whose memory is read: here both are this process
        final Connection toOwner = reader.connect(owner.address());

        final int bytes = 200_000;
        final ByteBuffer exposed = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++)
        {
            exposed.put(i, (byte)(i % 251));
        }
        final UnsafeBuffer descriptor = new UnsafeBuffer(new byte[RemoteMemory.DESCRIPTOR_LENGTH]);
        final long token = owner.remoteMemory().expose(BufferUtil.address(exposed), bytes, descriptor, 0);
        assertNotEquals(RemoteMemory.NOT_EXPOSED, token);

        final ByteBuffer target = ByteBuffer.allocateDirect(bytes);
        final Completions completions = new Completions();
        assertTrue(memory.read(toOwner, descriptor, 0, BufferUtil.address(target), bytes - 1000, 41));
        assertTrue(memory.read(toOwner, descriptor, 0, BufferUtil.address(target), bytes + 1, 42));
        assertEquals(List.of(), completions.cookies, "nothing is reported before a poll");
        assertEquals(2, reader.poll(completions, 10));
        assertEquals(List.of(41L, 42L), completions.cookies);
        assertNull(completions.failures.get(0));
        assertTrue(completions.failures.get(1).contains("exposed"), completions.failures.get(1));
        for (int i = 0; i < bytes - 1000; i++)
        {
            assertEquals((byte)(i % 251), target.get(i), "byte " + i);
        }
        assertEquals(0, target.get(bytes - 1000), "nothing beyond the length read");
        assertEquals(0, reader.poll(completions, 10), "each completion is reported once");
        owner.remoteMemory().release(token);
    }

    @Test
    void offTakesTheTransportsReadsAway() throws IOException
    {
        final ShmConfiguration off = new ShmConfiguration(1 << 20, 4, 64 << 10, 0, ShmTestSupport.DIRECTORY,
            ShmConfiguration.NO_SINGLE_COPY);
        transports.add(ShmTestSupport.open(jobId, 2, off));
        assertNull(transports.get(0).remoteMemory());
    }

    private ShmTransport open(final int index) throws IOException
    {
        final ShmTransport transport = ShmTestSupport.open(jobId, index, ShmTestSupport.configuration(1 << 20, 4));
        transports.add(transport);
        return transport;
    }

    private static final class Completions implements FrameHandler
    {
        final List<Long> cookies = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        @Override
        public void onFrame(final DirectBuffer buffer, final int index, final int length)
        {
            fail("no frame was sent");
        }

        @Override
        public void onReadComplete(final long cookie, final String failure)
        {
            cookies.add(cookie);
            failures.add(failure);
        }
    }
}
