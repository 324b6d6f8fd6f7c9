package io.mpi4j.launcher;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How {@code mpi4jrun} starts the {@link NodeAgent} of a remote host: through the rsh agent ({@code ssh -o
 * BatchMode=yes host exec java ... NodeAgent}), or inside a Slurm allocation through {@code srun --nodes=1
 * --ntasks=1 -w host java ... NodeAgent}. The JVM and class path are the launcher's own: paths are assumed the
 * same on every host, as Open MPI assumes.
 * <p>
 * Only the agent's fixed command passes through the remote shell of ssh, each word single-quoted; what ranks run
 * (argv, environment, the job secret) goes to the agent over its standard input.
 */
public final class RemoteAgentLauncher
{
    /** Environment variable giving the rsh agent when {@code --rsh-agent} is not given. */
    public static final String RSH_AGENT_ENV = "MPI4J_RSH_AGENT";
    public static final String DEFAULT_RSH_AGENT = "ssh -o BatchMode=yes";
    /** The agent is a small JVM: it forwards bytes and waits for processes. */
    private static final List<String> AGENT_JVM_OPTIONS = List.of(
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xss512k");

    private final List<String> rshAgent;
    private final boolean slurm;
    private final String java;
    private final String classPath;

    /**
     * @param rshAgent  the rsh agent command line (split at white space), or null for srun
     * @param java      the {@code java} to run on the remote host
     * @param classPath the class path of the agent on the remote host (the launcher's)
     */
    private RemoteAgentLauncher(final List<String> rshAgent, final String java, final String classPath)
    {
        this.rshAgent = rshAgent;
        this.slurm = rshAgent == null;
        this.java = java;
        this.classPath = classPath;
    }

    /**
     * The launcher for this environment: {@code rshAgentOption} when given, else {@code MPI4J_RSH_AGENT}, else srun
     * when inside a Slurm allocation (SLURM_JOB_ID set and srun on PATH), else {@value #DEFAULT_RSH_AGENT}.
     */
    public static RemoteAgentLauncher forEnvironment(final String rshAgentOption, final Map<String, String> env,
        final String java, final String classPath)
    {
        String rsh = rshAgentOption;
        if (rsh == null || rsh.isBlank())
        {
            rsh = env.get(RSH_AGENT_ENV);
        }
        if ((rsh == null || rsh.isBlank()) && env.get("SLURM_JOB_ID") != null &&
            AppCommand.isExecutableOnPath("srun", env))
        {
            return new RemoteAgentLauncher(null, java, classPath);
        }
        return new RemoteAgentLauncher(splitWords(rsh == null || rsh.isBlank() ? DEFAULT_RSH_AGENT : rsh),
            java, classPath);
    }

    static List<String> splitWords(final String command)
    {
        final List<String> words = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
        words.removeIf(String::isEmpty);
        if (words.isEmpty())
        {
            throw new IllegalArgumentException("empty rsh agent");
        }
        return words;
    }

    boolean usesSlurm()
    {
        return slurm;
    }

    /** "ssh -o BatchMode=yes" or "srun", for messages. */
    String describe()
    {
        return slurm ? "srun" : String.join(" ", rshAgent);
    }

    /** The agent's own command: what runs on the remote host. */
    List<String> agentCommand()
    {
        final List<String> words = new ArrayList<>();
        words.add(java);
        words.addAll(RuntimeJvmFlags.FLAGS);
        words.addAll(AGENT_JVM_OPTIONS);
        words.add("-cp");
        words.add(absoluteClassPath(classPath));
        words.add(NodeAgent.class.getName());
        return words;
    }

    /** The local command that starts the agent on {@code host}. */
    List<String> command(final String host)
    {
        final List<String> command = new ArrayList<>();
        if (slurm)
        {
            // --unbuffered: srun otherwise holds a task's output until a line break, and the agent's protocol is
            // binary. --overlap: an agent started later (a spawn onto a new node) must not wait for the CPUs the
            // running steps hold.
            command.addAll(List.of("srun", "--nodes=1", "--ntasks=1", "--nodelist=" + host, "--kill-on-bad-exit=1",
                "--cpu-bind=none", "--unbuffered", "--overlap"));
            command.addAll(agentCommand());
            return command;
        }
        command.addAll(rshAgent);
        command.add(host);
        final StringBuilder remote = new StringBuilder("exec");
        for (final String word : agentCommand())
        {
            remote.append(' ').append(shellQuote(word));
        }
        command.add(remote.toString());
        return command;
    }

    /** The agent starts in the remote home directory: relative entries are made absolute against ours. */
    static String absoluteClassPath(final String classPath)
    {
        final StringBuilder absolute = new StringBuilder();
        for (final String entry : classPath.split(File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                absolute.append(absolute.length() == 0 ? "" : File.pathSeparator)
                    .append(new File(entry).getAbsolutePath());
            }
        }
        return absolute.toString();
    }

    /** {@code word} as one word for a POSIX shell: single-quoted, each ' written as '\''. */
    static String shellQuote(final String word)
    {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
