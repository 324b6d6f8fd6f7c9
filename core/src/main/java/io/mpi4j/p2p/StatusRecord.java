package io.mpi4j.p2p;

/**
 * What a completed receive (or probe) learned: the engine fills it, the facade's {@code mpi.Status} reads it.
 * Counts are in bytes; the facade divides by the datatype's size.
 */
public final class StatusRecord
{
    public int source;
    public int tag;
    public int error;
    public long byteCount;
    public boolean cancelled;

    public StatusRecord clear()
    {
        source = 0;
        tag = 0;
        error = 0;
        byteCount = 0;
        cancelled = false;
        return this;
    }

    /** Status of an operation with {@code MPI_PROC_NULL}: source PROC_NULL, tag ANY_TAG, count 0. */
    public StatusRecord empty()
    {
        source = PointToPoint.PROC_NULL;
        tag = PointToPoint.ANY_TAG;
        error = 0;
        byteCount = 0;
        cancelled = false;
        return this;
    }

    public void copyFrom(final StatusRecord other)
    {
        source = other.source;
        tag = other.tag;
        error = other.error;
        byteCount = other.byteCount;
        cancelled = other.cancelled;
    }
}
