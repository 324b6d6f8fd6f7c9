package io.mpi4j.io;

import io.mpi4j.coll.CollectiveSchedule;
import io.mpi4j.coll.Collectives;
import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.PointToPoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * The collectives a file needs, run on the file's own duplicate of the communicator it was opened on, so that
 * they never match the program's messages: barrier, allgather of a few longs per rank (error agreement, ranges,
 * sizes) and alltoallv of bytes (two-phase I/O). Built on {@link Collectives}' schedules, run blocking.
 * <p>
 * A process of the group that dies fails only the steps that wait on it: a member whose step waits on another
 * survivor that already left the collective would wait forever. So the first member to see a process failure
 * revokes the file's communicator, which fails the collective at every survivor; every later collective call on
 * the file then fails at once, each as MPI_ERR_PROC_FAILED, since the program never revoked anything itself.
 */
public final class FileCollectives
{
    private static final long B = Memory.BYTE_ARRAY_BASE;

    private final PointToPoint p2p;
    private final Communicator comm;
    private final Consumer<Communicator> revoke;

    public FileCollectives(final PointToPoint p2p, final Communicator comm)
    {
        this(p2p, comm, null);
    }

    /**
     * @param revoke MPI_Comm_revoke of the file's communicator (ULFM), or null where processes cannot fail and
     *               go on (without recovery the launcher ends the job at the first death)
     */
    public FileCollectives(final PointToPoint p2p, final Communicator comm, final Consumer<Communicator> revoke)
    {
        this.p2p = p2p;
        this.comm = comm;
        this.revoke = revoke;
    }

    public Communicator comm()
    {
        return comm;
    }

    public int rank()
    {
        return comm.rank();
    }

    public int size()
    {
        return comm.size();
    }

    public void barrier()
    {
        if (comm.size() > 1)
        {
            final CollectiveSchedule s = Collectives.schedule(p2p, comm, Collectives.BARRIER);
            Collectives.barrier(s);
            run(s);
        }
    }

    /** Every rank's {@code mine} (all ranks pass as many longs), rank after rank. */
    public long[] allGather(final long... mine)
    {
        final int p = comm.size();
        final int k = mine.length;
        final long[] all = new long[p * k];
        if (1 == p)
        {
            System.arraycopy(mine, 0, all, 0, k);
            return all;
        }
        final byte[] send = new byte[k * Long.BYTES];
        final ByteBuffer sb = ByteBuffer.wrap(send).order(ByteOrder.nativeOrder());
        for (final long v : mine)
        {
            sb.putLong(v);
        }
        final byte[] recv = new byte[p * k * Long.BYTES];
        final long[] off = new long[p];
        final long[] len = new long[p];
        for (int i = 0; i < p; i++)
        {
            off[i] = (long)i * k * Long.BYTES;
            len[i] = (long)k * Long.BYTES;
        }
        final CollectiveSchedule s = Collectives.schedule(p2p, comm, Collectives.ALLGATHER);
        Collectives.allGatherv(s, send, B, recv, B, off, len);
        run(s);
        ByteBuffer.wrap(recv).order(ByteOrder.nativeOrder()).asLongBuffer().get(all);
        return all;
    }

    /**
     * Alltoallv of bytes: {@code sendLen[i]} bytes from {@code send} at {@code sendOff[i]} go to rank i, and
     * {@code recvLen[i]} bytes from rank i land in {@code recv} at {@code recvOff[i]}.
     */
    public void allToAllv(final byte[] send, final long[] sendOff, final long[] sendLen, final byte[] recv,
        final long[] recvOff, final long[] recvLen)
    {
        final CollectiveSchedule s = Collectives.schedule(p2p, comm, Collectives.ALLTOALLV);
        Collectives.allToAllv(s, send, B, sendOff, sendLen, recv, B, recvOff, recvLen);
        run(s);
    }

    /**
     * Agreement on the outcome of a collective's local part: every rank learns whether any failed. Returns
     * normally when none did; throws this rank's own failure, or for a rank that did not fail, an error of the
     * first failing rank's class naming that rank.
     */
    public void agree(final MpiError local)
    {
        final long[] errors = allGather(null == local ? ErrorClass.SUCCESS : local.errorClass());
        if (null != local)
        {
            throw local;
        }
        for (int i = 0; i < errors.length; i++)
        {
            if (ErrorClass.SUCCESS != errors[i])
            {
                throw new MpiError((int)errors[i], "rank " + i + " of the file's group failed its part of this " +
                    "collective call with " + ErrorClass.name((int)errors[i]));
            }
        }
    }

    private void run(final CollectiveSchedule s)
    {
        s.run();
        final int error = s.status().error;
        if (ErrorClass.SUCCESS != error)
        {
            final String detail = s.errorDetail();
            if (ErrorClass.ERR_REVOKED == error)
            {
                throw new MpiError(ErrorClass.ERR_PROC_FAILED, "a process of the file's group failed during a " +
                    "collective call on the file; its collective calls fail from now on");
            }
            if ((ErrorClass.ERR_PROC_FAILED == error || ErrorClass.ERR_PROC_FAILED_PENDING == error) &&
                null != revoke)
            {
                try
                {
                    revoke.accept(comm);
                }
                catch (final RuntimeException ex)
                {
                    // the revoke is a courtesy to the other survivors; this rank reports its own failure all the same
                }
            }
            throw new MpiError(error, null != detail ? detail : ErrorClass.name(error));
        }
    }
}
