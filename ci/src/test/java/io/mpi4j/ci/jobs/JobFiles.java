package io.mpi4j.ci.jobs;

import mpi.MPI;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * After MPI_Init (and its rehearsal of the hot paths, which runs on inbox files of its own), each rank lists the
 * shared-memory files named after its job: only the job's own inboxes may be there. Then a ping-pong of every
 * protocol, so the job's own traffic is checked beside it.
 */
public final class JobFiles
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        MPI.COMM_WORLD.barrier();
        final String prefix = "mpi4j-" + System.getenv("MPI4J_JOB_ID");
        final String files;
        try (Stream<Path> list = Files.list(Path.of("/dev/shm")))
        {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted()
                .map(n -> n.substring(prefix.length())).collect(Collectors.joining(","));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        System.out.println("FILES rank=" + rank + " " + files);
        final int peer = rank ^ 1;
        if (peer < size)
        {
            for (final int bytes : new int[]{ 0, 8, 1024, 128 << 10, 1 << 20 })
            {
                final byte[] out = new byte[bytes];
                final byte[] in = new byte[bytes];
                for (int i = 0; i < bytes; i++)
                {
                    out[i] = (byte)(i * 31 + rank);
                }
                for (int round = 0; round < 3; round++)
                {
                    if (rank < peer)
                    {
                        MPI.COMM_WORLD.send(out, bytes, MPI.BYTE, peer, round);
                        MPI.COMM_WORLD.recv(in, bytes, MPI.BYTE, peer, round);
                    }
                    else
                    {
                        MPI.COMM_WORLD.recv(in, bytes, MPI.BYTE, peer, round);
                        MPI.COMM_WORLD.send(out, bytes, MPI.BYTE, peer, round);
                    }
                    for (int i = 0; i < bytes; i++)
                    {
                        if (in[i] != (byte)(i * 31 + peer))
                        {
                            throw new IllegalStateException("byte " + i + " of " + bytes + " from rank " + peer);
                        }
                    }
                }
            }
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("OK rank=" + rank);
        MPI.Finalize();
    }
}
