package io.mpi4j.runtime;

import java.util.Map;

/**
 * Identity of this process in its job, passed by {@code mpi4jrun} through environment variables.
 * A process started without the launcher has none of them and becomes a singleton job of size 1.
 *
 * @param jobId        job id, [A-Za-z0-9_-]+, unique on the node while the job runs
 * @param rank         rank in the job's COMM_WORLD
 * @param size         size of the job's COMM_WORLD
 * @param kvsAddress   "host:port" of the launcher's key-value service, or null for a singleton
 * @param secret       the job's secret, presented when connecting to the key-value service
 * @param universeSize value of the UNIVERSE_SIZE attribute
 * @param appnum       value of the APPNUM attribute (0 for a plain job)
 */
public record JobEnvironment(String jobId, int rank, int size, String kvsAddress, String secret, int universeSize,
                             int appnum)
{
    public static final String JOB_ID = "MPI4J_JOB_ID";
    public static final String RANK = "MPI4J_RANK";
    public static final String SIZE = "MPI4J_SIZE";
    public static final String KVS = "MPI4J_KVS";
    public static final String SECRET = "MPI4J_SECRET";
    public static final String UNIVERSE_SIZE = "MPI4J_UNIVERSE_SIZE";
    public static final String APPNUM = "MPI4J_APPNUM";
    /**
     * Set ("1") by {@code mpi4jrun --enable-recovery}: the job survives the death of a rank, and the launcher tells
     * the others (ULFM).
     */
    public static final String RECOVERY = "MPI4J_RECOVERY";
    /** The sizes of the job's applications in rank order, comma-separated (one for a plain job): MPI_INFO_ENV. */
    public static final String APP_SIZES = "MPI4J_APP_SIZES";
    /** Set in spawned processes: the port of the parents' MPI_Comm_accept, which MPI_Init connects to. */
    public static final String PARENT_PORT = "MPI4J_PARENT_PORT";

    /** Environment of a process started by {@code mpi4jrun}, or {@code null} when it was started without it. */
    public static JobEnvironment fromEnvironment(final Map<String, String> env)
    {
        final String jobId = env.get(JOB_ID);
        if (jobId == null)
        {
            return null;
        }
        final int size = Integer.parseInt(env.get(SIZE));
        return new JobEnvironment(
            jobId,
            Integer.parseInt(env.get(RANK)),
            size,
            env.get(KVS),
            env.get(SECRET),
            Integer.parseInt(env.getOrDefault(UNIVERSE_SIZE, Integer.toString(size))),
            Integer.parseInt(env.getOrDefault(APPNUM, "0")));
    }

    /** Singleton job: a fresh job id from the pid, rank 0 of 1. */
    public static JobEnvironment singleton()
    {
        final long pid = ProcessHandle.current().pid();
        // MPI4J_UNIVERSE_SIZE, when set, sizes the universe of a singleton's spawns (it has no --universe-size).
        final String universe = System.getenv(UNIVERSE_SIZE);
        return new JobEnvironment("s" + pid + "-" + Long.toHexString(System.nanoTime() & 0xffffff), 0, 1, null, null,
            universe != null && universe.matches("[1-9][0-9]{0,6}") ? Integer.parseInt(universe)
                : Math.max(1, Runtime.getRuntime().availableProcessors()), 0);
    }

    public boolean isSingleton()
    {
        return kvsAddress == null;
    }
}
