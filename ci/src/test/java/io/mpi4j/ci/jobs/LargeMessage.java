package io.mpi4j.ci.jobs;

import java.util.zip.CRC32;

import mpi.MPI;
import mpi.Status;

/** One message of args[0] MiB (default 256) from rank 0 to rank 1 and back, content checked by CRC32. */
public final class LargeMessage
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int bytes = (args.length > 0 ? Integer.parseInt(args[0]) : 256) << 20;
        final byte[] buf = new byte[bytes];
        final CRC32 crc = new CRC32();
        if (rank == 0)
        {
            long x = 0x9E3779B97F4A7C15L;
            for (int i = 0; i < bytes; i += 8)
            {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                for (int k = 0; k < 8 && i + k < bytes; k++)
                {
                    buf[i + k] = (byte)(x >>> (8 * k));
                }
            }
            crc.update(buf);
            final long sum = crc.getValue();
            final double t0 = MPI.wtime();
            MPI.COMM_WORLD.send(buf, bytes, MPI.BYTE, 1, 1);
            MPI.COMM_WORLD.send(new long[] {sum}, 1, MPI.LONG, 1, 2);
            java.util.Arrays.fill(buf, (byte)0);
            final Status s = MPI.COMM_WORLD.recv(buf, bytes, MPI.BYTE, 1, 3);
            final double t = MPI.wtime() - t0;
            Expect.equal(bytes, s.getCount(MPI.BYTE), "echo size");
            crc.reset();
            crc.update(buf);
            Expect.equal(sum, crc.getValue(), "CRC32 of the echo");
            System.out.printf("OK large bytes=%d roundTrip=%.3f s (%.0f MB/s each way)%n", bytes, t,
                2.0 * bytes / t / 1e6);
        }
        else if (rank == 1)
        {
            final Status s = MPI.COMM_WORLD.recv(buf, bytes, MPI.BYTE, 0, 1);
            Expect.equal(bytes, s.getCount(MPI.BYTE), "size");
            final long[] sum = new long[1];
            MPI.COMM_WORLD.recv(sum, 1, MPI.LONG, 0, 2);
            crc.update(buf);
            Expect.equal(sum[0], crc.getValue(), "CRC32 at the receiver");
            MPI.COMM_WORLD.send(buf, bytes, MPI.BYTE, 0, 3);
            System.out.println("OK large received");
        }
        MPI.Finalize();
    }
}
