package io.mpi4j.launcher;

import java.util.List;
import java.util.Map;

/**
 * What to start for one job: {@code size} ranks of the same argv.
 *
 * @param jobId        the job id ({@code MPI4J_JOB_ID}), [a-z0-9]
 * @param secret       the secret its ranks present to the key-value service ({@code MPI4J_SECRET})
 * @param size         number of ranks
 * @param argv         program of every rank, started without a shell
 * @param env          variables added to (or replacing in) the launcher's environment, before the MPI4J_* ones
 * @param universeSize {@code MPI4J_UNIVERSE_SIZE}
 * @param appnum       {@code MPI4J_APPNUM}
 * @param tagOutput    prefix forwarded lines with {@code [1,<rank>]<stdout>: }
 */
public record JobSpec(String jobId, String secret, int size, List<String> argv, Map<String, String> env,
                      int universeSize, int appnum, boolean tagOutput)
{
}
