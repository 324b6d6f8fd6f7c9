package io.mpi4j.comm;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.PointToPoint;

/**
 * The few blocking exchanges communicator construction needs (split arguments, group lists of an
 * intercommunicator), run on the point-to-point engine in an explicit context with management tags. They are not
 * user collectives: part of building communicators, so they stay independent of the collectives layer.
 */
public final class GroupExchange
{
    private GroupExchange()
    {
    }

    /**
     * Allgather of fixed-size blocks by Bruck's dissemination: ceil(log2 p) rounds. Returns the blocks in rank order.
     */
    public static byte[] allgather(final PointToPoint p2p, final Communicator comm, final int context, final int tag,
        final byte[] mine)
    {
        final int size = comm.size();
        final int rank = comm.rank();
        final int block = mine.length;
        final byte[] rotated = new byte[size * block];
        System.arraycopy(mine, 0, rotated, 0, block);
        int have = 1;
        for (int distance = 1; distance < size; distance <<= 1)
        {
            final int count = Math.min(distance, size - distance);
            final Operation recv = p2p.irecvOn(comm.endpoint(), context, rotated,
                Memory.BYTE_ARRAY_BASE + (long)have * block, (long)count * block, (rank + distance) % size, tag);
            final Operation send = p2p.isendOn(comm.endpoint(), context, rotated,
                Memory.BYTE_ARRAY_BASE, (long)count * block, (rank - distance + size) % size, tag);
            complete(p2p, send);
            complete(p2p, recv);
            have += count;
        }
        // rotated[i] holds rank (rank + i) % size
        final byte[] all = new byte[size * block];
        for (int i = 0; i < size; i++)
        {
            System.arraycopy(rotated, i * block, all, ((rank + i) % size) * block, block);
        }
        return all;
    }

    /** Binomial-tree broadcast of {@code buf} (same length everywhere) from {@code root}. */
    public static void bcast(final PointToPoint p2p, final Communicator comm, final int context, final int tag,
        final int root, final byte[] buf)
    {
        final int size = comm.size();
        final int relative = (comm.rank() - root + size) % size;
        int mask = 1;
        while (mask < size)
        {
            if ((relative & mask) != 0)
            {
                complete(p2p, p2p.irecvOn(comm.endpoint(), context, buf, Memory.BYTE_ARRAY_BASE, buf.length,
                    (relative - mask + root) % size, tag));
                break;
            }
            mask <<= 1;
        }
        mask >>= 1;
        while (mask > 0)
        {
            if (relative + mask < size)
            {
                complete(p2p, p2p.isendOn(comm.endpoint(), context, buf, Memory.BYTE_ARRAY_BASE, buf.length,
                    (relative + mask + root) % size, tag));
            }
            mask >>= 1;
        }
    }

    /** Sends {@code out} to {@code peer} and receives {@code in} from it (same rank space: {@code comm}'s peers). */
    public static void swap(final PointToPoint p2p, final Communicator comm, final int context, final int tag,
        final int peer, final byte[] out, final byte[] in)
    {
        final MessageEndpoint endpoint = comm.endpoint();
        final Operation recv = p2p.irecvOn(endpoint, context, in, Memory.BYTE_ARRAY_BASE, in.length, peer, tag);
        final Operation send = p2p.isendOn(endpoint, context, out, Memory.BYTE_ARRAY_BASE, out.length, peer, tag);
        complete(p2p, send);
        complete(p2p, recv);
    }

    private static void complete(final PointToPoint p2p, final Operation op)
    {
        p2p.completion().await(op);
        final int error = op.status().error;
        if (error != 0)
        {
            throw new MpiError(error, "communicator construction: exchange failed with " + ErrorClass.name(error));
        }
    }
}
