package io.mpi4j.comm;

/**
 * A process is (job, rank in that job's world). Inside one process each job seen gets a small local index, and a
 * process is named by a {@code long}: {@code jobIndex << 32 | rank}. Intercommunicators between jobs (spawn,
 * connect/accept) are then ordinary groups of process keys.
 */
public final class ProcessKeys
{
    private ProcessKeys()
    {
    }

    public static long key(final int jobIndex, final int rank)
    {
        return ((long)jobIndex << 32) | (rank & 0xffffffffL);
    }

    public static int jobIndex(final long key)
    {
        return (int)(key >>> 32);
    }

    public static int rank(final long key)
    {
        return (int)key;
    }
}
