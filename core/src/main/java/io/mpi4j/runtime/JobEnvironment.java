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
 * @param localRank    this process's place among the job's processes on its node, from 0
 * @param localSize    how many of the job's processes run on this process's node
 */
public record JobEnvironment(String jobId, int rank, int size, String kvsAddress, String secret, int universeSize,
                             int appnum, int localRank, int localSize)
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
    /**
     * This process's place among the job's processes on its node (0 .. {@link #LOCAL_SIZE} - 1), as Open MPI's
     * {@code OMPI_COMM_WORLD_LOCAL_RANK}: what a program picks its device or its share of the node by.
     */
    public static final String LOCAL_RANK = "MPI4J_LOCAL_RANK";
    /**
     * How many of the job's processes run on this process's node. Whether a node runs more ranks than cores (and
     * waits yield rather than poll) is judged by this, not by the job's size, which spans every node.
     */
    public static final String LOCAL_SIZE = "MPI4J_LOCAL_SIZE";
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
        final int rank = Integer.parseInt(env.get(RANK));
        // Without both (a launcher of an older build), the job is taken to be on this node alone, as before.
        final int localSize = count(env.get(LOCAL_SIZE), size);
        final int localRank = count(env.get(LOCAL_RANK), localSize - 1);
        final boolean placed = localSize > 0 && localRank >= 0;
        return new JobEnvironment(
            jobId,
            rank,
            size,
            env.get(KVS),
            env.get(SECRET),
            Integer.parseInt(env.getOrDefault(UNIVERSE_SIZE, Integer.toString(size))),
            Integer.parseInt(env.getOrDefault(APPNUM, "0")),
            placed ? localRank : rank,
            placed ? localSize : size);
    }

    /** {@code value} as a number from 0 to {@code most}, or -1 when it is missing or not one. */
    private static int count(final String value, final int most)
    {
        if (value == null || !value.matches("\\d{1,9}"))
        {
            return -1;
        }
        final int count = Integer.parseInt(value);
        return count <= most ? count : -1;
    }

    /** Singleton job: a fresh job id from the pid, rank 0 of 1. */
    public static JobEnvironment singleton()
    {
        final long pid = ProcessHandle.current().pid();
        // MPI4J_UNIVERSE_SIZE, when set, sizes the universe of a singleton's spawns (it has no --universe-size).
        final String universe = System.getenv(UNIVERSE_SIZE);
        return new JobEnvironment("s" + pid + "-" + Long.toHexString(System.nanoTime() & 0xffffff), 0, 1, null, null,
            universe != null && universe.matches("[1-9][0-9]{0,6}") ? Integer.parseInt(universe)
                : Math.max(1, Runtime.getRuntime().availableProcessors()), 0, 0, 1);
    }

    public boolean isSingleton()
    {
        return kvsAddress == null;
    }
}
