package io.mpi4j.runtime.pmi;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.JobEnvironment;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code MPI_Init} of a process that a process manager started itself, without {@code mpi4jrun}: Slurm's {@code
 * srun --mpi=pmi2 java ... Main} gives every task {@code PMI_FD} (a connected socket), {@code PMI_RANK} and {@code
 * PMI_SIZE}. The job's identity and its key-value exchange then come from PMI-2 over that socket; the transports are
 * the same as under {@code mpi4jrun}.
 */
public final class DirectLaunch
{
    public static final String PMI_FD = "PMI_FD";
    public static final String PMI_RANK = "PMI_RANK";
    public static final String PMI_SIZE = "PMI_SIZE";
    public static final String PMI_JOBID = "PMI_JOBID";
    /** Says the job spans nodes (MpiRuntime.MULTI_NODE_ENV): the TCP transport then listens on a reachable address. */
    private static final String MULTI_NODE = "MPI4J_MULTI_NODE";
    /** One block of a PMI process mapping: (first node, nodes, processes per node). */
    private static final Pattern MAPPING_BLOCK = Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    /** A started direct launch: this process's place in the job and the exchange it reached it through. */
    public record Started(JobEnvironment job, PmiKeyValueStore keyValueStore)
    {
    }

    private DirectLaunch()
    {
    }

    /** Whether the process manager started this process with a PMI connection (and mpi4jrun did not start it). */
    public static boolean isDirectLaunch(final Map<String, String> env)
    {
        return env.get(JobEnvironment.JOB_ID) == null && env.get(PMI_FD) != null && env.get(PMI_RANK) != null &&
            env.get(PMI_SIZE) != null;
    }

    /**
     * Reach the process manager and learn the job: rank and size ({@code fullinit}), job id ({@code job-getid}),
     * universe size and how many nodes the job spans ({@code info-getjobattr}). A job on several nodes has its TCP
     * transport listen on an address the other nodes reach, as {@code mpi4jrun} arranges for its jobs.
     *
     * @throws IOException naming PMI_FD and what went wrong
     */
    public static Started start(final Map<String, String> env) throws IOException
    {
        final int fdNumber = number(env, PMI_FD);
        final int pmiRank = number(env, PMI_RANK);
        final int pmiSize = number(env, PMI_SIZE);
        final FileDescriptor fd = InheritedDescriptor.of(fdNumber);
        final Pmi2Client client = new Pmi2Client(new FileInputStream(fd), new FileOutputStream(fd),
            PMI_FD + " " + fdNumber);
        try
        {
            final Pmi2Client.Identity identity = client.initialize(env.get(PMI_JOBID), pmiRank);
            if (identity.size() != pmiSize || identity.rank() != pmiRank)
            {
                throw new IOException("PMI-2: fullinit gave rank " + identity.rank() + " of " + identity.size() +
                    ", the environment rank " + pmiRank + " of " + pmiSize);
            }
            final String jobId = jobId(client.jobId());
            final String universe = client.jobAttribute("universeSize");
            int universeSize = identity.size();
            if (universe != null && universe.matches("\\d{1,9}"))
            {
                universeSize = Math.max(universeSize, Integer.parseInt(universe));
            }
            final String mapping = client.jobAttribute("PMI_process_mapping");
            if (nodes(mapping, env) > 1)
            {
                System.setProperty(MULTI_NODE, "1");
            }
            final int[] place = localPlace(mapping, identity.rank(), identity.size());
            final JobEnvironment job = new JobEnvironment(jobId, identity.rank(), identity.size(),
                "pmi2:" + PMI_FD + "=" + fdNumber, null, universeSize, identity.appnum(),
                null == place ? identity.rank() : place[0], null == place ? identity.size() : place[1]);
            return new Started(job, new PmiKeyValueStore(client));
        }
        catch (final IOException | RuntimeException ex)
        {
            client.close();
            throw ex instanceof IOException io ? io : new IOException(ErrorText.of(ex), ex);
        }
    }

    /**
     * The job id mpi4j uses (in file names and keys: [A-Za-z0-9_-]) for the manager's, e.g. Slurm's "12.0" (job
     * 12, step 0) becomes "pmi-12-0_". The closing '_' keeps one job's id from being the start of another's (step 1
     * and step 10): a job's shared-memory files are found by that prefix.
     */
    static String jobId(final String managerJobId)
    {
        return "pmi-" + managerJobId.replaceAll("[^A-Za-z0-9_-]", "-") + "_";
    }

    /**
     * Nodes of the job by its PMI process mapping ({@code (vector,(0,2,2))}: from node 0, 2 nodes with 2 processes
     * each), else by Slurm's SLURM_STEP_NUM_NODES / SLURM_NNODES, else 1.
     */
    static int nodes(final String mapping, final Map<String, String> env)
    {
        int nodes = 0;
        if (mapping != null)
        {
            final Matcher block = MAPPING_BLOCK.matcher(mapping);
            while (block.find())
            {
                nodes = Math.max(nodes, Integer.parseInt(block.group(1)) + Integer.parseInt(block.group(2)));
            }
        }
        if (nodes > 0)
        {
            return nodes;
        }
        for (final String name : new String[]{"SLURM_STEP_NUM_NODES", "SLURM_NNODES"})
        {
            final String value = env.get(name);
            if (value != null && value.matches("\\d{1,6}"))
            {
                return Integer.parseInt(value);
            }
        }
        return 1;
    }

    /**
     * {local rank, local size} of {@code rank} by the job's PMI process mapping, or null without one. The mapping's
     * blocks ({@code (vector,(0,2,3),(2,1,2))}: from node 0, 2 nodes with 3 processes each, then node 2 with 2) deal
     * out consecutive ranks node by node, the whole vector over again while ranks remain (a cyclic distribution is
     * {@code (vector,(0,N,1))}).
     */
    static int[] localPlace(final String mapping, final int rank, final int size)
    {
        if (mapping == null || rank < 0 || rank >= size)
        {
            return null;
        }
        final List<int[]> blocks = new ArrayList<>();
        long dealt = 0;
        final Matcher block = MAPPING_BLOCK.matcher(mapping);
        while (block.find())
        {
            final int[] parsed = new int[3];
            for (int i = 0; i < 3; i++)
            {
                final String digits = block.group(i + 1);
                parsed[i] = digits.length() > 6 ? -1 : Integer.parseInt(digits);
            }
            if (parsed[0] < 0 || parsed[1] <= 0 || parsed[2] <= 0)
            {
                return null;
            }
            blocks.add(parsed);
            dealt += (long)parsed[1] * parsed[2];
        }
        if (blocks.isEmpty())
        {
            return null;
        }
        // ranks dealt to each node in one pass of the vector, and the node of this rank
        final Map<Integer, Integer> perPass = new HashMap<>();
        final int passRank = (int)(rank % dealt);
        int node = -1;
        int before = 0;
        long position = 0;
        for (final int[] b : blocks)
        {
            for (int n = 0; n < b[1]; n++)
            {
                final int id = b[0] + n;
                if (passRank >= position && passRank < position + b[2])
                {
                    node = id;
                    before = perPass.getOrDefault(id, 0) + (int)(passRank - position);
                }
                perPass.merge(id, b[2], Integer::sum);
                position += b[2];
            }
        }
        final long passes = size / dealt;
        final int rest = (int)(size % dealt);
        // the last, partial pass deals its first 'rest' ranks only
        int inRest = 0;
        position = 0;
        for (final int[] b : blocks)
        {
            for (int n = 0; n < b[1] && position < rest; n++)
            {
                if (b[0] + n == node)
                {
                    inRest += (int)Math.min(b[2], rest - position);
                }
                position += b[2];
            }
        }
        final long localSize = passes * perPass.get(node) + inRest;
        final long localRank = rank / dealt * perPass.get(node) + before;
        return localSize > Integer.MAX_VALUE ? null : new int[]{ (int)localRank, (int)localSize };
    }

    private static int number(final Map<String, String> env, final String name) throws IOException
    {
        final String value = env.get(name);
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException | NullPointerException ex)
        {
            throw new IOException(name + " '" + value + "' is not a number");
        }
    }
}
