package io.mpi4j.ci.jobs;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;

import mpi.Datatype;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Win;

/**
 * Many one-sided requests in flight at once to a peer, each with data of its own: the origin composes request
 * messages in scratch memory it reuses at once, and a message that cannot leave at once travels from a pooled
 * array until its send completes. If an array were reused before its send completed, some target slot would hold
 * another request's data. Each rank targets the next one in an {@code MPI_Win_create} window (active messages on
 * every transport without RDMA): rPut of distinct blocks, rAccumulate of distinct values, puts of a strided origin
 * large enough to be sent behind their header, then blocking fetches whose answers are reused; the target checks
 * every slot, the origin every fetched value. Run without the passive-target progress thread, so targets serve only
 * inside their own calls and the requests queue behind full rings and sockets.
 */
public final class WinInFlight
{
    /** Requests of each kind in flight at once: far more than a ring or a socket buffer takes without a queue. */
    private static final int REQUESTS = 3000;
    /** Longs of one put: 512 bytes, carried inline in the header message. */
    private static final int BLOCK = 64;
    /** Longs of one strided put: packed, they are above the inline limit and follow their header. */
    private static final int STRIDED = 256;
    private static final int STRIDED_PUTS = 64;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final int target = (rank + 1) % size;
        final int origin = (rank + size - 1) % size;
        final int putLongs = REQUESTS * BLOCK;
        final int accLongs = REQUESTS;
        final int stridedLongs = STRIDED_PUTS * STRIDED;
        final int longs = putLongs + accLongs + stridedLongs;
        final ByteBuffer memory = MPI.newByteBuffer(longs * Long.BYTES);
        final Win win = new Win(memory, longs * Long.BYTES, Long.BYTES, MPI.INFO_NULL, MPI.COMM_WORLD);
        final Datatype everyOther = Datatype.createVector(STRIDED, 1, 2, MPI.LONG);
        everyOther.commit();

        final long[] source = new long[putLongs];
        final long[] addends = new long[accLongs];
        final long[] strided = new long[2 * stridedLongs];
        for (int i = 0; i < putLongs; i++)
        {
            source[i] = value(rank, i);
        }
        for (int i = 0; i < accLongs; i++)
        {
            addends[i] = value(rank, putLongs + i);
        }
        for (int i = 0; i < stridedLongs; i++)
        {
            strided[2 * i] = value(rank, putLongs + accLongs + i);
            strided[2 * i + 1] = -1;
        }
        final Request[] requests = new Request[2 * REQUESTS];
        win.lockAll(0);
        for (int i = 0; i < REQUESTS; i++)
        {
            requests[2 * i] = win.rPut(LongBuffer.wrap(source, i * BLOCK, BLOCK).slice(), BLOCK, MPI.LONG, target,
                i * BLOCK, BLOCK, MPI.LONG);
            requests[2 * i + 1] = win.rAccumulate(LongBuffer.wrap(addends, i, 1).slice(), 1, MPI.LONG, target,
                putLongs + i, 1, MPI.LONG, MPI.SUM);
        }
        for (int p = 0; p < STRIDED_PUTS; p++)
        {
            win.put(LongBuffer.wrap(strided, 2 * p * STRIDED, 2 * STRIDED).slice(), 1, everyOther, target,
                putLongs + accLongs + p * STRIDED, STRIDED, MPI.LONG);
        }
        Request.waitAll(requests);
        win.flush(target);
        // blocking fetches: each answer's receive is reused by the next one
        final LongBuffer fetched = LongBuffer.wrap(new long[1]);
        final LongBuffer nothing = LongBuffer.wrap(new long[1]);
        for (int i = 0; i < REQUESTS; i += 7)
        {
            win.fetchAndOp(nothing, fetched, MPI.LONG, target, i * BLOCK, MPI.NO_OP);
            win.flush(target);
            Expect.equal(value(rank, i * BLOCK), fetched.get(0), "fetched slot " + i * BLOCK + " of rank " + target);
        }
        win.unlockAll();
        MPI.COMM_WORLD.barrier();

        win.lock(MPI.LOCK_SHARED, rank, 0);
        final LongBuffer mine = memory.order(java.nio.ByteOrder.nativeOrder()).asLongBuffer();
        for (int i = 0; i < longs; i++)
        {
            Expect.equal(value(origin, i), mine.get(i), "slot " + i + " written by rank " + origin);
        }
        win.unlock(rank);
        win.free();
        everyOther.free();
        System.out.println("OK in flight " + rank);
        MPI.Finalize();
    }

    /** The value origin {@code rank} gives slot {@code slot}: distinct per slot and origin, never 0. */
    private static long value(final int rank, final int slot)
    {
        return (rank + 1L) * 1_000_000_007L + slot * 31L + 1;
    }
}
