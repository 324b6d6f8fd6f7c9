package io.mpi4j.ci.jobs;

import mpi.Intercomm;
import mpi.MPI;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rank 0 plays a local process without the job secret: it opens args[0] connections to the launcher's key-value
 * service (idle ones, HELLOs claiming a 1 MiB secret, garbage), holds them while the job spawns, and checks that
 * the launcher's thread count stays bounded and that the launcher closes every one of them within a few seconds.
 * Every rank prints "OK".
 */
public final class KvsFlood
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        if (rank == 0)
        {
            final String kvs = System.getenv("MPI4J_KVS");
            final int colon = kvs.lastIndexOf(':');
            final InetSocketAddress address =
                new InetSocketAddress(kvs.substring(0, colon), Integer.parseInt(kvs.substring(colon + 1)));
            final long launcher = ProcessHandle.current().parent().orElseThrow().pid();
            final int threadsBefore = threads(launcher);
            final List<Socket> flood = new ArrayList<>();
            final int count = Integer.parseInt(args[0]);
            for (int i = 0; i < count; i++)
            {
                final Socket socket = new Socket();
                socket.connect(address, 5_000);
                final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                switch (i % 3)
                {
                    case 1 ->
                    {
                        out.writeByte(1);
                        out.writeInt(1 << 20);
                        out.write(new byte[100]);
                    }
                    case 2 -> out.write("GET / HTTP/1.0\r\n".getBytes());
                    default ->
                    {
                    }
                }
                out.flush();
                flood.add(socket);
            }
            Thread.sleep(300);
            final int threadsDuring = threads(launcher);
            System.out.println("LAUNCHER THREADS " + threadsBefore + " -> " + threadsDuring + " with " + count +
                " connections open");
            Expect.that(threadsDuring - threadsBefore < 100,
                "the launcher's threads grew from " + threadsBefore + " to " + threadsDuring);
            final Intercomm inter = MPI.COMM_SELF.spawn("java", new String[]{ SpawnChild.class.getName(), "echo" }, 2,
                MPI.INFO_NULL, 0, null);
            SpawnParent.exchange(inter, 2, null);
            inter.disconnect();
            final long deadline = System.nanoTime() + 15_000_000_000L;
            int open = 0;
            for (final Socket socket : flood)
            {
                socket.setSoTimeout((int)Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (!closedByPeer(socket.getInputStream()))
                {
                    open++;
                }
                socket.close();
            }
            Expect.equal(0, open, "connections the launcher left open");
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("OK");
        MPI.Finalize();
    }

    private static boolean closedByPeer(final InputStream in)
    {
        try
        {
            return in.read() < 0;
        }
        catch (final IOException ex)
        {
            // A reset is a close too; a timeout is not.
            return !(ex instanceof java.net.SocketTimeoutException);
        }
    }

    private static int threads(final long pid) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("Threads:"))
            {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IOException("no thread count for process " + pid);
    }
}
