package io.mpi4j.ci.jobs;

import mpi.MPIException;

/** Assertions for job programs: a failed one throws, the rank exits non-zero and the launcher fails the job. */
final class Expect
{
    private Expect()
    {
    }

    static void that(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }

    static void equal(final long expected, final long actual, final String what)
    {
        if (expected != actual)
        {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    /** Runs {@code call}, which must fail with MPIException of {@code errorClass}; returns the exception. */
    static MPIException error(final int errorClass, final String row, final MpiCall call)
    {
        try
        {
            call.run();
        }
        catch (final MPIException e)
        {
            if (e.getErrorClass() != errorClass)
            {
                throw new AssertionError(row + ": expected error class " + errorClass + " but got "
                    + e.getErrorClass() + " (" + e.getMessage() + ")", e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank())
            {
                throw new AssertionError(row + ": MPIException without a message");
            }
            return e;
        }
        throw new AssertionError(row + ": expected MPIException with error class " + errorClass
            + " but the call succeeded");
    }

    /** Deterministic content of message {@code seq} from {@code src} to {@code dst}, byte {@code i}. */
    static byte pattern(final int src, final int dst, final int seq, final int i)
    {
        int h = src * 0x9E3779B1 ^ dst * 0x85EBCA6B ^ seq * 0xC2B2AE35 ^ i * 0x27D4EB2F;
        h ^= h >>> 15;
        return (byte)h;
    }

    @FunctionalInterface
    interface MpiCall
    {
        void run() throws MPIException;
    }

    /** Fills {@code bytes} bytes of a {@code byte[]} or {@code ByteBuffer} with {@link #pattern}. */
    static void fillPattern(final Object buffer, final int bytes, final int src, final int dst, final int seq)
    {
        for (int i = 0; i < bytes; i++)
        {
            final byte b = pattern(src, dst, seq, i);
            if (buffer instanceof byte[])
            {
                ((byte[])buffer)[i] = b;
            }
            else
            {
                ((java.nio.ByteBuffer)buffer).put(i, b);
            }
        }
    }

    /** Checks that {@code bytes} bytes of a {@code byte[]} or {@code ByteBuffer} hold {@link #pattern}. */
    static void checkPattern(final Object buffer, final int bytes, final int src, final int dst, final int seq,
        final String what)
    {
        for (int i = 0; i < bytes; i++)
        {
            final byte b = buffer instanceof byte[] ? ((byte[])buffer)[i] : ((java.nio.ByteBuffer)buffer).get(i);
            if (b != pattern(src, dst, seq, i))
            {
                throw new AssertionError(what + ": byte " + i + " of " + bytes + " differs");
            }
        }
    }
}
