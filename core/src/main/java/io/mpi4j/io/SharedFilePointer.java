package io.mpi4j.io;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The shared file pointer of an open file: one long (in etypes of the current view) in a small side file next to
 * the data file, updated under an exclusive {@code FileChannel} lock, so that every process of the file's group
 * sees one pointer, whatever the order of their calls, without a server process. A missing or empty side file
 * holds 0: the side file is created by the first process that needs it. Its name is agreed at open (the
 * group's rank 0 draws it), and it is removed at close.
 * <p>
 * A file system without POSIX locks (some network file systems) cannot keep the pointer consistent; the data
 * file itself must be on a file system every process of the group shares anyway.
 */
public final class SharedFilePointer
{
    private final Path path;
    private final ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());
    private FileChannel channel;

    public SharedFilePointer(final Path path)
    {
        this.path = path;
    }

    public Path path()
    {
        return path;
    }

    /** Atomically adds {@code delta} to the pointer and returns its value before the addition. */
    public synchronized long fetchAndAdd(final long delta)
    {
        try
        {
            final FileChannel ch = channel();
            try (FileLock ignored = ch.lock(0, Long.BYTES, false))
            {
                final long value = readWord(ch);
                if (0 != delta)
                {
                    writeWord(ch, value + delta);
                }
                return value;
            }
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    /** Sets the pointer (seek, view change, append mode at open). */
    public synchronized void set(final long value)
    {
        try
        {
            final FileChannel ch = channel();
            try (FileLock ignored = ch.lock(0, Long.BYTES, false))
            {
                writeWord(ch, value);
            }
        }
        catch (final IOException ex)
        {
            throw failure(ex);
        }
    }

    public long get()
    {
        return fetchAndAdd(0);
    }

    /** Closes this process's handle on the side file. */
    public synchronized void close()
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // the pointer is no longer needed
            }
            channel = null;
        }
    }

    /** Removes the side file (the group's rank 0, at close, once every process has closed its handle). */
    public void delete()
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignored)
        {
            // a leftover side file is harmless: its name is never reused
        }
    }

    private FileChannel channel() throws IOException
    {
        if (null == channel)
        {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        }
        return channel;
    }

    private long readWord(final FileChannel ch) throws IOException
    {
        word.clear();
        int got = 0;
        while (word.hasRemaining())
        {
            final int n = ch.read(word, got);
            if (n < 0)
            {
                break;
            }
            got += n;
        }
        return got < Long.BYTES ? 0 : word.getLong(0);
    }

    private void writeWord(final FileChannel ch, final long value) throws IOException
    {
        word.clear();
        word.putLong(0, value);
        int put = 0;
        while (word.hasRemaining())
        {
            put += ch.write(word, put);
        }
    }

    private MpiError failure(final IOException ex)
    {
        return new MpiError(ErrorClass.ERR_IO, "shared file pointer in " + path + ": " + ex, ex);
    }
}
