package io.mpi4j.launcher;

import io.mpi4j.runtime.JobEnvironment;
import io.mpi4j.runtime.KeyValueClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A tiny rank program for {@link Mpi4jRunLaunchTest}; what it does is chosen by {@code args[0]}. */
public final class RankProbe
{
    private RankProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> env = System.getenv();
        final int rank = Integer.parseInt(env.get(JobEnvironment.RANK));
        final int size = Integer.parseInt(env.get(JobEnvironment.SIZE));
        switch (args[0])
        {
            case "print" ->
            {
                System.out.println("rank " + rank + " of " + size + " universe " +
                    env.get(JobEnvironment.UNIVERSE_SIZE) + " x " + env.get("PROBE_X"));
                System.err.println("complaint " + rank);
                System.out.print("tail " + rank);
                System.out.flush();
            }
            case "fail" ->
            {
                System.out.println("pid " + ProcessHandle.current().pid());
                System.out.flush();
                if (rank == 2)
                {
                    Thread.sleep(1500);
                    System.out.println("exiting at " + System.currentTimeMillis());
                    System.out.flush();
                    System.exit(3);
                }
                Thread.sleep(60_000);
            }
            case "kvs" -> kvs(rank, size, env, args.length > 1 ? args[1] : "");
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void kvs(final int rank, final int size, final Map<String, String> env, final String twist)
        throws Exception
    {
        final JobEnvironment job = JobEnvironment.fromEnvironment(env);
        final Path shmFile = Path.of("/dev/shm/mpi4j-" + job.jobId() + "-" + rank);
        Files.writeString(shmFile, "ring");
        System.err.println("shm " + shmFile);
        System.err.flush();
        final KeyValueClient client = KeyValueClient.connect(job);
        client.put(job.jobId() + ":addr:" + rank, "address-of-" + rank);
        if (twist.equals("hang"))
        {
            Thread.sleep(60_000);
        }
        if (twist.equals("abort") && rank == 1)
        {
            client.abort(5, "bad input");
            Runtime.getRuntime().halt(5);
        }
        client.fence();
        System.out.println("rank " + rank + " sees " + client.get(job.jobId() + ":addr:" + ((rank + 1) % size)) +
            " and " + client.get("missing"));
        System.out.flush();
        if (twist.equals("nofinalize") && rank == 0)
        {
            System.exit(0);
        }
        client.finalized();
        client.close();
        if (!twist.isEmpty())
        {
            Thread.sleep(60_000);
        }
    }
}
