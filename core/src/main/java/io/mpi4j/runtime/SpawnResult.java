package io.mpi4j.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The launcher's answer to a {@link SpawnRequest}.
 *
 * @param errorClass 0 when the children started and joined, else the MPI error class ({@code ERR_SPAWN})
 * @param jobId      the children's job id (empty on failure)
 * @param started    how many children run (the size of their {@code MPI_COMM_WORLD})
 * @param errcodes   one code per process asked for, in application order: 0 or the reason's error class
 * @param message    why, on failure
 */
public record SpawnResult(int errorClass, String jobId, int started, int[] errcodes, String message)
{
    public void write(final DataOutputStream out) throws IOException
    {
        out.writeInt(errorClass);
        KeyValueProtocol.writeString(out, jobId);
        out.writeInt(started);
        out.writeInt(errcodes.length);
        for (final int code : errcodes)
        {
            out.writeInt(code);
        }
        KeyValueProtocol.writeString(out, message);
    }

    public static SpawnResult read(final DataInputStream in) throws IOException
    {
        final int errorClass = in.readInt();
        final String jobId = KeyValueProtocol.readString(in);
        final int started = in.readInt();
        final int length = in.readInt();
        if (length < 0 || length > 1 << 20)
        {
            throw new IOException("spawn result: bad errcodes length " + length);
        }
        final int[] codes = new int[length];
        for (int i = 0; i < length; i++)
        {
            codes[i] = in.readInt();
        }
        return new SpawnResult(errorClass, jobId, started, codes, KeyValueProtocol.readString(in));
    }
}
