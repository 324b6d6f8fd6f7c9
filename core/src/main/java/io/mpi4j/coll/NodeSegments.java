package io.mpi4j.coll;

import io.mpi4j.comm.Communicator;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.PointToPoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the {@link SharedSegment} of a communicator's on-node collectives, collectively over point-to-point:
 * member 0 creates the file, a bcast names it (with member 0's node), every member of that node maps it, an
 * allreduce says whether all could, and
 * member 0 removes the name. Either every member gets the segment or none does.
 */
final class NodeSegments
{
    /** The file name (or "!" and why it could not be made) as member 0 sends it: length, then UTF-8. */
    private static final int RECORD_BYTES = 512;
    /** Where member 0's node digest travels in the record, after the longest name. */
    private static final int NODE_OFFSET = 256;

    private NodeSegments()
    {
    }

    /** Where member 0's proposal of a setting all members must share travels in the record. */
    private static final int AGREED_OFFSET = NODE_OFFSET + Long.BYTES;

    /** The mapped segment of {@code bytes}, or null when some member cannot map it (the members span nodes). */
    static SharedSegment open(final PointToPoint p2p, final Communicator c, final long bytes, final String name)
    {
        return open(p2p, c, bytes, name, new long[1]);
    }

    /**
     * As {@link #open(PointToPoint, Communicator, long, String)}, and member 0's {@code agreed[0]} replaces every
     * other member's: a setting that must be alike everywhere though members may see their node differently.
     */
    static SharedSegment open(final PointToPoint p2p, final Communicator c, final long bytes, final String name,
        final long[] agreed)
    {
        final byte[] record = new byte[RECORD_BYTES];
        final Path file = SharedSegment.DIRECTORY.resolve(name);
        if (c.rank() == 0)
        {
            String text = name;
            try
            {
                SharedSegment.create(file, bytes);
            }
            catch (final IOException | RuntimeException ex)
            {
                text = "!";
            }
            final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            record[0] = (byte)Math.min(utf8.length, 255);
            System.arraycopy(utf8, 0, record, 1, record[0] & 0xff);
            org.agrona.UnsafeApi.putLong(record, Memory.BYTE_ARRAY_BASE + NODE_OFFSET, NodeCollectives.thisNode());
            org.agrona.UnsafeApi.putLong(record, Memory.BYTE_ARRAY_BASE + AGREED_OFFSET, agreed[0]);
        }
        BlockingCollectives.binomialBcast(p2p, c, Collectives.tag(c, Collectives.BCAST), record,
            Memory.BYTE_ARRAY_BASE, RECORD_BYTES, 0);
        agreed[0] = org.agrona.UnsafeApi.getLong(record, Memory.BYTE_ARRAY_BASE + AGREED_OFFSET);
        final String named = new String(record, 1, record[0] & 0xff, StandardCharsets.UTF_8);
        if (named.startsWith("!"))
        {
            return null;
        }
        SharedSegment segment = null;
        final long firstNode = org.agrona.UnsafeApi.getLong(record, Memory.BYTE_ARRAY_BASE + NODE_OFFSET);
        try
        {
            if (firstNode != NodeCollectives.thisNode())
            {
                // another node that happens to see the same /dev/shm: mapping would share memory across nodes
                throw new IOException("member 0 runs on another node");
            }
            segment = SharedSegment.map(SharedSegment.DIRECTORY.resolve(named), new long[] {bytes});
        }
        catch (final IOException | RuntimeException ex)
        {
            // another node: no such file here (or not the one member 0 made)
        }
        final byte[] mapped = {(byte)(null == segment ? 0 : 1)};
        final byte[] all = new byte[1];
        try
        {
            BlockingCollectives.allReduce(p2p, c, mapped, Memory.BYTE_ARRAY_BASE, all, Memory.BYTE_ARRAY_BASE, 1, 1,
                BOTH);
        }
        finally
        {
            if (c.rank() == 0)
            {
                try
                {
                    Files.deleteIfExists(file);
                }
                catch (final IOException ex)
                {
                    System.err.println("mpi4j: could not remove " + file + ": " + ex.getMessage());
                }
            }
        }
        if (all[0] == 1)
        {
            return segment;
        }
        if (null != segment)
        {
            segment.unmap();
        }
        return null;
    }

    /** Logical AND of bytes that are 0 or 1. */
    private static final Reduction BOTH = new Reduction()
    {
        @Override
        public void apply(final Object in, final long inAddress, final Object inout, final long inoutAddress,
            final int count)
        {
            for (int i = 0; i < count; i++)
            {
                final byte a = org.agrona.UnsafeApi.getByte(in, inAddress + i);
                final byte b = org.agrona.UnsafeApi.getByte(inout, inoutAddress + i);
                org.agrona.UnsafeApi.putByte(inout, inoutAddress + i, (byte)(a & b));
            }
        }

        @Override
        public boolean isCommutative()
        {
            return true;
        }
    };
}
