package io.mpi4j.runtime.pmi;

import org.agrona.UnsafeApi;

import java.io.FileDescriptor;
import java.io.IOException;

/**
 * A file descriptor this process inherited by number ({@code PMI_FD}) as a Java {@link FileDescriptor}. Java opens
 * no descriptor by number, and {@code /proc/self/fd/N} cannot reopen a socket, so the number is written into a
 * fresh {@code FileDescriptor}'s {@code fd} field; streams on it then read and write the socket with plain
 * read(2)/write(2).
 */
final class InheritedDescriptor
{
    private static final long FD_OFFSET = UnsafeApi.objectFieldOffset(FileDescriptor.class, "fd");

    private InheritedDescriptor()
    {
    }

    /**
     * Descriptor {@code number}, checked to be open.
     *
     * @throws IOException when it is not a descriptor this process has open
     */
    static FileDescriptor of(final int number) throws IOException
    {
        if (number < 0)
        {
            throw new IOException("file descriptor " + number + " is negative");
        }
        if (!new java.io.File("/proc/self/fd/" + number).exists() && new java.io.File("/proc/self/fd").isDirectory())
        {
            throw new IOException("file descriptor " + number + " is not open in this process");
        }
        final FileDescriptor descriptor = new FileDescriptor();
        UnsafeApi.putInt(descriptor, FD_OFFSET, number);
        return descriptor;
    }
}
