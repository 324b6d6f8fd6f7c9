package io.mpi4j.bench.osu;

import java.nio.ByteBuffer;

import mpi.Datatype;
import mpi.File;
import mpi.MPI;
import mpi.MPIException;

/**
 * {@code io_write_all}: collective MPI-IO write bandwidth. N ranks write one file of {@code -s} bytes (default
 * 256 MiB) with {@code MPI_File_write_at_all}, in two layouts: contiguous (each rank its own block of size / N at
 * offset rank * size / N) and interleaved (blocks of {@code -b} bytes, default 1 MiB, dealt round-robin to the ranks
 * through a vector file view). Every write is timed from a barrier to the slowest rank's return; after {@code -x}
 * untimed writes, MB/s = size / 10^6 / mean time of {@code -i} timed ones. Rows: block size (bytes) and MB/s.
 * Options: {@code -s bytes}, {@code -b block}, {@code -i n} (default 5), {@code -x n} (default 1), {@code -d dir}.
 */
public final class CollectiveWrite
{
    static final String NAME = "io_write_all";

    private CollectiveWrite()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int ranks = MPI.COMM_WORLD.getSize();
        long total = 256L << 20;
        int block = 1 << 20;
        int iterations = 5;
        int skip = 1;
        String dir = System.getProperty("java.io.tmpdir");
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "-s" -> total = Long.parseLong(args[++i]);
                    case "-b" -> block = Integer.parseInt(args[++i]);
                    case "-i" -> iterations = Integer.parseInt(args[++i]);
                    case "-x" -> skip = Integer.parseInt(args[++i]);
                    case "-d" -> dir = args[++i];
                    case "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("Invalid Option [" + args[i] + "]");
                }
            }
            if (total <= 0 || block <= 0 || iterations < 1 || skip < 0 || total % ((long)block * ranks) != 0)
            {
                throw new IllegalArgumentException("the file size (-s " + total + ") must be a positive multiple of"
                    + " the block size (-b " + block + ") times the number of ranks (" + ranks + ")");
            }
            if (total / ranks > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("-s " + total + ": a rank's share exceeds 2 GiB");
            }
        }
        catch (final IllegalArgumentException | ArrayIndexOutOfBoundsException e)
        {
            if (rank == 0)
            {
                if (e.getMessage() != null && !e.getMessage().isEmpty())
                {
                    System.err.println(e.getMessage());
                }
                System.out.println("Usage: " + NAME + " [-s file_bytes] [-b block_bytes] [-i iterations]"
                    + " [-x warmup] [-d directory]");
            }
            MPI.Finalize();
            System.exit(args.length > 0 && "-h".equals(args[0]) ? 0 : 1);
            return;
        }
        final int share = (int)(total / ranks);
        final ByteBuffer data = Buffers.filled(share, (char)('a' + rank % 26));
        final String path = dir + "/" + NAME + "-" + ProcessHandle.current().pid() + ".dat";
        final String name = rank == 0 ? path : null;
        final String shared = broadcast(name);
        if (rank == 0)
        {
            System.out.println("# mpi4j MPI-IO Collective Write Test (MPI_File_write_at_all)");
            System.out.println("# ranks: " + ranks + ", file: " + total + " bytes, contiguous: block = file / ranks,"
                + " interleaved: block = -b");
            System.out.printf("%-10s%20s%n", "# Block", "MB/s");
        }
        final File file = new File(MPI.COMM_WORLD, shared, MPI.MODE_CREATE | MPI.MODE_WRONLY);
        report(rank, share, write(file, (long)rank * share, data, share, iterations, skip, total));
        final Datatype interleaved = Datatype.createVector(share / block, block, block * ranks, MPI.BYTE);
        interleaved.commit();
        file.setView((long)rank * block, MPI.BYTE, interleaved, "native");
        report(rank, block, write(file, 0, data, share, iterations, skip, total));
        file.close();
        interleaved.free();
        if (rank == 0)
        {
            File.delete(shared);
        }
        MPI.Finalize();
    }

    /** MB/s of the timed collective writes of the whole file, each rank at {@code offset} of its view. */
    private static double write(final File file, final long offset, final ByteBuffer data, final int share, final int iterations,
        final int skip, final long total) throws MPIException
    {
        final double[] local = new double[1];
        final double[] slowest = new double[1];
        double seconds = 0;
        for (int i = 0; i < iterations + skip; i++)
        {
            MPI.COMM_WORLD.barrier();
            final long start = System.nanoTime();
            file.writeAtAll(offset, data, share, MPI.BYTE);
            local[0] = (System.nanoTime() - start) / 1e9;
            MPI.COMM_WORLD.allReduce(local, slowest, 1, MPI.DOUBLE, MPI.MAX);
            if (i >= skip)
            {
                seconds += slowest[0];
            }
        }
        return total / 1e6 / (seconds / iterations);
    }

    private static void report(final int rank, final long block, final double megabytesPerSecond)
    {
        if (rank == 0)
        {
            System.out.printf("%-10d%20.2f%n", block, megabytesPerSecond);
            System.out.flush();
        }
    }

    private static String broadcast(final String value) throws MPIException
    {
        final int[] length = {value == null ? 0 : value.length()};
        MPI.COMM_WORLD.bcast(length, 1, MPI.INT, 0);
        final char[] chars = value == null ? new char[length[0]] : value.toCharArray();
        MPI.COMM_WORLD.bcast(chars, length[0], MPI.CHAR, 0);
        return new String(chars);
    }
}
