package io.mpi4j.p2p;

import io.mpi4j.comm.Communicator;

/**
 * Point-to-point messaging: the facade's {@code send/recv/iSend/iRecv/probe/...} land here, with arguments already
 * validated (ranks in range, tags legal, buffers large enough). Memory is given as {@code (base, address, bytes)}:
 * {@code base} is a Java primitive array and {@code address} an Unsafe offset into it, or {@code base} is null and
 * {@code address} is an absolute native address (direct buffers). Ranks may be {@code PROC_NULL} (-2);
 * receives may use {@code ANY_SOURCE} (-1) and {@code ANY_TAG} (-1).
 * Errors are thrown as {@link io.mpi4j.errors.MpiError}.
 */
public final class PointToPoint
{
    public static final int ANY_SOURCE = -1;
    public static final int ANY_TAG = -1;
    public static final int PROC_NULL = -2;

    /** Blocking send in {@link SendMode} {@code mode}; returns when the buffer may be reused. */
    public void send(final Communicator comm, final Object base, final long address, final long bytes,
        final int dest, final int tag, final int mode)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** Non-blocking send; the buffer must not be touched until the operation completes. */
    public Operation isend(final Communicator comm, final Object base, final long address, final long bytes,
        final int dest, final int tag, final int mode)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** Blocking receive into at most {@code capacity} bytes; fills {@code status} (error ERR_TRUNCATE on overflow). */
    public void recv(final Communicator comm, final Object base, final long address, final long capacity,
        final int source, final int tag, final StatusRecord status)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** Non-blocking receive. */
    public Operation irecv(final Communicator comm, final Object base, final long address, final long capacity,
        final int source, final int tag)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Iprobe: true and {@code status} filled if a matching message is waiting. */
    public boolean iprobe(final Communicator comm, final int source, final int tag, final StatusRecord status)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Probe. */
    public void probe(final Communicator comm, final int source, final int tag, final StatusRecord status)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Improbe: the matched message, removed from matching, or null. */
    public MatchedMessage improbe(final Communicator comm, final int source, final int tag, final StatusRecord status)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Mprobe. */
    public MatchedMessage mprobe(final Communicator comm, final int source, final int tag, final StatusRecord status)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Mrecv of a message from {@link #mprobe}/{@link #improbe}. */
    public void mrecv(final MatchedMessage message, final Object base, final long address, final long capacity,
        final StatusRecord status)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Imrecv. */
    public Operation imrecv(final MatchedMessage message, final Object base, final long address, final long capacity)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Barrier over the communicator's collective context. */
    public void barrier(final Communicator comm)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** Wait until {@code op} completes (MPI_Wait). */
    public void await(final Operation op)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** One round of progress, then whether {@code op} is complete (MPI_Test). */
    public boolean test(final Operation op)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Waitany: index of a completed operation; null entries are skipped; -1 if all are null. */
    public int awaitAny(final Operation[] ops)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Waitall. */
    public void awaitAll(final Operation[] ops)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Testany: index of a completed operation, or -1 if none is complete. */
    public int testAny(final Operation[] ops)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Cancel: a receive not yet matched is cancelled (status.cancelled); a send cannot be cancelled. */
    public void cancel(final Operation op)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** Drive the progress engine once (lets other processes' messages arrive during compute loops). */
    public int progress()
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Buffer_attach accounting for buffered sends: {@code bytes} of buffer space. */
    public void attachBuffer(final long bytes)
    {
        throw new UnsupportedOperationException("TODO");
    }

    /** MPI_Buffer_detach: waits for pending buffered sends, returns the attached size. */
    public long detachBuffer()
    {
        throw new UnsupportedOperationException("TODO");
    }
}
