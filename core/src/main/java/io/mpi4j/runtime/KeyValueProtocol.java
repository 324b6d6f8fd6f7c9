package io.mpi4j.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Wire format of the key-value exchange between ranks ({@link KeyValueClient}) and
 * {@code io.mpi4j.launcher.KeyValueServer}, over one loopback TCP connection per process.
 * <p>
 * Every message is one type byte followed by its fields, big-endian as {@link DataOutputStream} writes them.
 * A string is an {@code int} byte length followed by that many UTF-8 bytes; lengths above
 * {@link #MAX_STRING_BYTES} are a protocol error (the peer closes the connection).
 *
 * <pre>
 * client -> server                               server -> client
 * HELLO     secret:str jobId:str rank:int         OK        (accepted; a refused HELLO gets the connection closed)
 * PUT       key:str value:str                     (no reply: errors surface at the next FENCE or GET)
 * FENCE                                           OK        once every rank of the job has sent FENCE
 * GET       key:str                               VALUE     present:byte [value:str]
 * ABORT     errorCode:int message:str             OK        after the launcher recorded the abort
 * FINALIZED                                       OK        after the launcher recorded it, so a later exit is clean
 * REMOVE    key:str                               (no reply)
 * TAKE      prefix:str abortKey:str timeoutMs:long VALUE   present:byte [value:str]: removes and returns the value of
 *                                                           an entry whose key starts with prefix, waiting for one;
 *                                                           absent when abortKey (if not empty) exists or on timeout
 * SPAWN     request ({@link SpawnRequest})        SPAWNED   result ({@link SpawnResult}) once the children joined
 *                                                           or failed
 * REVOKE    context:int ranks                     (no reply; every other live rank of {@code ranks} gets REVOKED)
 * AGREE     context:int sequence:int ranks value:long
 *                                                 AGREED    value:long failed:ranks, once every rank of {@code ranks}
 *                                                           sent the same AGREE or failed: the AND of the values
 *                                                           sent and the ranks that failed
 *
 * server -> client, unsolicited (jobs run with {@code mpi4jrun --enable-recovery} only)
 * PROC_FAILED rank:int     rank of this job died; the job goes on
 * REVOKED     context:int  a member revoked the communicator of this context id
 * </pre>
 * {@code ranks} is a count followed by that many ranks of the job. REMOVE, TAKE and SPAWN serve dynamic processes
 * (ports, name publishing, spawn); REVOKE, AGREE and the unsolicited messages serve fault tolerance.
 * Requests of one connection are answered in order, one at a time: the client never has two outstanding.
 * Replies to ABORT and FINALIZED are sent only after the launcher recorded them, which is what lets the
 * launcher tell an MPI_Abort or a clean finalize from a crash when it sees the process exit right after.
 */
public final class KeyValueProtocol
{
    public static final byte HELLO = 1;
    public static final byte PUT = 2;
    public static final byte FENCE = 3;
    public static final byte GET = 4;
    public static final byte ABORT = 5;
    public static final byte FINALIZED = 6;
    public static final byte REMOVE = 7;
    public static final byte TAKE = 8;
    public static final byte SPAWN = 9;
    public static final byte REVOKE = 10;
    public static final byte AGREE = 11;

    public static final byte OK = 64;
    public static final byte VALUE = 65;
    public static final byte SPAWNED = 66;
    public static final byte AGREED = 67;
    public static final byte PROC_FAILED = 68;
    public static final byte REVOKED = 69;

    /** Bound of a rank list: a job of more ranks than this cannot be described in one message. */
    public static final int MAX_RANKS = 1 << 20;

    /** Upper bound of one key, value, secret or message: transport addresses are far smaller. */
    public static final int MAX_STRING_BYTES = 1 << 20;

    private KeyValueProtocol()
    {
    }

    public static void writeString(final DataOutputStream out, final String value) throws IOException
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES)
        {
            throw new IOException("key-value string of " + bytes.length + " bytes exceeds " + MAX_STRING_BYTES);
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static String readString(final DataInputStream in) throws IOException
    {
        return readString(in, MAX_STRING_BYTES);
    }

    /**
     * A string of at most {@code maxBytes}: a longer claimed length is a protocol error before anything of that
     * length is allocated (the server reads a HELLO, not yet authenticated, with a small bound).
     */
    public static String readString(final DataInputStream in, final int maxBytes) throws IOException
    {
        final int length = in.readInt();
        if (length < 0 || length > maxBytes)
        {
            throw new IOException("key-value protocol error: string length " + length);
        }
        final byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeRanks(final DataOutputStream out, final int[] ranks) throws IOException
    {
        out.writeInt(ranks.length);
        for (final int rank : ranks)
        {
            out.writeInt(rank);
        }
    }

    public static int[] readRanks(final DataInputStream in) throws IOException
    {
        final int count = in.readInt();
        if (count < 0 || count > MAX_RANKS)
        {
            throw new IOException("key-value protocol error: rank list of " + count);
        }
        final int[] ranks = new int[count];
        for (int i = 0; i < count; i++)
        {
            ranks[i] = in.readInt();
        }
        return ranks;
    }

    /** Next message type, or -1 at a clean end of stream. */
    public static int readType(final DataInputStream in) throws IOException
    {
        try
        {
            return in.readByte();
        }
        catch (final EOFException ex)
        {
            return -1;
        }
    }
}
