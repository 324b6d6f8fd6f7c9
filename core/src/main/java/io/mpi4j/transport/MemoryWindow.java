package io.mpi4j.transport;

import org.agrona.UnsafeApi;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * A direct {@link ByteBuffer} that a socket or a file channel reads into or writes from, pointed at memory its user
 * does not own (a program's buffer, named by its address) for one call and back at nothing after it: the JDK's
 * channel calls take only buffers, and a buffer per call would allocate on the hot path. Its own memory (the zero
 * bytes it was made with) is what its cleaner frees, whatever it pointed at meanwhile.
 * <p>
 * One caller at a time: the buffer's position and limit are the call's.
 */
public final class MemoryWindow
{
    private static final long ADDRESS_OFFSET = UnsafeApi.objectFieldOffset(Buffer.class, "address");
    private static final long CAPACITY_OFFSET = UnsafeApi.objectFieldOffset(Buffer.class, "capacity");

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(0);
    private final long ownAddress = UnsafeApi.getLong(buffer, ADDRESS_OFFSET);

    /** The buffer over {@code bytes} bytes at native {@code address}, position 0, limit {@code bytes}. */
    public ByteBuffer open(final long address, final int bytes)
    {
        UnsafeApi.putLong(buffer, ADDRESS_OFFSET, address);
        UnsafeApi.putInt(buffer, CAPACITY_OFFSET, bytes);
        buffer.clear();
        return buffer;
    }

    /** Nothing reaches the memory of the last {@link #open} through the buffer any more. */
    public void close()
    {
        UnsafeApi.putInt(buffer, CAPACITY_OFFSET, 0);
        UnsafeApi.putLong(buffer, ADDRESS_OFFSET, ownAddress);
        buffer.clear();
    }

    /** The buffer itself, to stand in a gathering write's array (see {@link #open}). */
    public ByteBuffer buffer()
    {
        return buffer;
    }
}
