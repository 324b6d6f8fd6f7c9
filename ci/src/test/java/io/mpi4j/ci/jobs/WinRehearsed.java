package io.mpi4j.ci.jobs;

import mpi.MPI;
import mpi.Win;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A program's first window (which the runtime's rehearsal of one-sided calls follows): each rank lists the
 * shared-memory files named after its job while the window lives (with the count of those it maps) and after it is
 * freed, then puts a pattern into its right neighbour's part, gets its left neighbour's back and checks both.
 */
public final class WinRehearsed
{
    private static final int BYTES = 4096;

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        final Win win = new Win(BYTES, 1, null, MPI.COMM_WORLD, MPI.newByteBuffer(1), Win.FLAVOR_PRIVATE);
        final ByteBuffer mine = (ByteBuffer)win.getBuffer();
        MPI.COMM_WORLD.barrier();
        System.out.println("FILES-WINDOW rank=" + rank + " " + files(true));
        final ByteBuffer origin = MPI.newByteBuffer(BYTES);
        for (int i = 0; i < BYTES; i++)
        {
            origin.put(i, (byte)(i * 7 + rank));
        }
        final int right = (rank + 1) % size;
        final int left = (rank + size - 1) % size;
        win.fence(0);
        win.put(origin, BYTES, MPI.BYTE, right, 0, BYTES, MPI.BYTE);
        win.fence(0);
        final ByteBuffer back = MPI.newByteBuffer(BYTES);
        win.lock(MPI.LOCK_SHARED, left, 0);
        win.get(back, BYTES, MPI.BYTE, left, 0, BYTES, MPI.BYTE);
        win.unlock(left);
        for (int i = 0; i < BYTES; i++)
        {
            // my part holds my left neighbour's pattern, and so does what I read from its part (its left's)
            if (mine.get(i) != (byte)(i * 7 + left) || back.get(i) != (byte)(i * 7 + (left + size - 1) % size))
            {
                throw new IllegalStateException("byte " + i + " of the window");
            }
        }
        MPI.COMM_WORLD.barrier();
        win.free();
        MPI.COMM_WORLD.barrier();
        // a freed window's own mapping goes when the collector finds its buffers: names only
        System.out.println("FILES-FREED rank=" + rank + " " + files(false));
        System.out.println("OK rank=" + rank);
        MPI.Finalize();
    }

    private static String files(final boolean withMappings)
    {
        final String prefix = "mpi4j-" + System.getenv("MPI4J_JOB_ID");
        try (Stream<Path> list = Files.list(Path.of("/dev/shm")))
        {
            final String named = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted()
                .map(n -> n.substring(prefix.length())).collect(Collectors.joining(","));
            if (!withMappings)
            {
                return named;
            }
            // a window's segment is unlinked once every member maps it: count the mappings too
            final long mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("/dev/shm/")).map(line -> line.substring(line.indexOf("/dev/shm/")))
                .distinct().count();
            return named + " mapped=" + mapped;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
