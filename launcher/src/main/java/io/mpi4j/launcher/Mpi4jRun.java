package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.MpiRuntime;
import io.mpi4j.transport.TransportProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code mpi4jrun}: starts an MPI job of N processes on this node, like Open MPI's {@code mpirun}, serves its
 * key-value exchange, forwards its output, and kills it as a whole when one process fails.
 */
@Command(
    name = "mpi4jrun",
    mixinStandardHelpOptions = true,
    version = "mpi4jrun (mpi4j) " + Mpi4jRun.VERSION,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Run N copies of a program as one MPI job on this node, or on the hosts of --host/--hostfile.",
        "  mpi4jrun -n N [options] java [jvm options] Class|-jar app.jar [args]",
        "  mpi4jrun -n N [options] Class|-jar app.jar [args]",
        "  mpi4jrun -n N [options] command [args]",
        "Options end at the program: everything after it is the program's."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:all ranks exited 0 after MPI_Finalize (or without using MPI)",
        "n:status of the first failing rank (128+s for signal s), or its MPI_Abort error code; with " +
            "--enable-recovery also when the other ranks went on and finalized",
        "124:--timeout expired, or a rank stayed stopped longer than --peer-timeout",
        "2:invalid command line"
    },
    footerHeading = "%n",
    footer = "Compile programs against the mpi4j API with bin/mpi4jjavac.")
public final class Mpi4jRun implements Callable<Integer>
{
    public static final String VERSION = "0.1.0-SNAPSHOT";
    /** How long a launcher that started making the class-data archive waits for it at exit (it takes seconds). */
    private static final long ARCHIVE_WAIT_MS = 30_000;

    @Option(names = {"-n", "-np", "--np", "-c"}, required = true, paramLabel = "N",
        description = "Number of processes (ranks) to start.")
    int processes;

    @Option(names = "--tag-output", description = "Prefix each output line with [1,<rank>]<stdout>: or <stderr>.")
    boolean tagOutput;

    @Option(names = "--timeout", paramLabel = "S",
        description = "Kill the job after S seconds and exit with status 124.")
    double timeoutSeconds;

    @Option(names = "--peer-timeout", paramLabel = "S",
        description = "Abort the job, naming the rank, when a rank (of any host) stays stopped (SIGSTOP, a " +
            "debugger) for S seconds; exit status 124. Off by default.")
    double peerTimeoutSeconds;

    @Option(names = "--enable-recovery",
        description = "Fault tolerance (ULFM, as Open MPI's --with-ft ulfm): when a rank dies the job goes on, the " +
            "other ranks are told, and calls involving the dead rank fail with MPI.ERR_PROC_FAILED (under " +
            "MPI.ERRORS_RETURN) so that the program can revoke, shrink and continue. Off by default: a rank's " +
            "death ends the job.")
    boolean enableRecovery;

    @Option(names = "-x", paramLabel = "VAR[=value]",
        description = "Export VAR to the ranks: the launcher's value, or the one given. Repeatable.")
    List<String> exports = new ArrayList<>();

    @Option(names = "--oversubscribe",
        description = "Allow more processes than slots: with --host/--hostfile the extra ranks wrap around the " +
            "hosts, and MPI_Comm_spawn may start children beyond the universe size.")
    boolean oversubscribe;

    @Option(names = {"--host", "-H"}, paramLabel = "HOST[:N],...",
        description = "Run on these hosts, N slots each (default 1); ranks fill the hosts' slots in order. " +
            "This machine's names run their ranks directly, others through an agent started by ssh (or srun " +
            "inside a Slurm allocation). Repeatable. Default inside a Slurm allocation: its nodes " +
            "(SLURM_JOB_NODELIST) with SLURM_TASKS_PER_NODE slots each.")
    List<String> hosts = new ArrayList<>();

    @Option(names = {"--hostfile", "--machinefile"}, paramLabel = "FILE",
        description = "Hosts, one a line: 'host slots=N' (Open MPI syntax, # comments). Repeatable.")
    List<Path> hostfiles = new ArrayList<>();

    @Option(names = "--rsh-agent", paramLabel = "CMD",
        description = "Command starting the agent on a remote host (default: $MPI4J_RSH_AGENT, else srun in a " +
            "Slurm allocation, else '" + RemoteAgentLauncher.DEFAULT_RSH_AGENT + "').")
    String rshAgent;

    @Option(names = "--universe-size", paramLabel = "N",
        description = "Value of MPI_UNIVERSE_SIZE (default: max(cores, N)).")
    Integer universeSize;

    @Option(names = "--transport", paramLabel = "NAME",
        description = "Use only this transport between all ranks, even on one node: shm, rdma or tcp (as MPI4J_TRANSPORT).")
    String transport;

    @Option(names = "--report-transports",
        description = "Each rank prints, after MPI_Init, the transport that joins it to every rank of the job.")
    boolean reportTransports;

    @Parameters(arity = "1..*", paramLabel = "PROGRAM", description = "The program and its arguments.")
    List<String> program = new ArrayList<>();

    public static void main(final String[] args)
    {
        System.exit(commandLine(new Mpi4jRun()).execute(args));
    }

    /** The picocli command line of {@code mpi4jrun}: options stop at the program. */
    static CommandLine commandLine(final Mpi4jRun run)
    {
        return new CommandLine(run)
            .setStopAtPositional(true)
            .setUnmatchedOptionsArePositionalParams(true)
            .setExecutionExceptionHandler((ex, cmd, parseResult) ->
            {
                cmd.getErr().println("mpi4jrun: " + ErrorText.of(ex));
                return 1;
            });
    }

    /** Parse {@code args} without running anything (for tests and tools). */
    static Mpi4jRun parse(final String... args)
    {
        final Mpi4jRun run = new Mpi4jRun();
        commandLine(run).parseArgs(args);
        return run;
    }

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final Map<String, String> env = System.getenv();
        final AppCommand app;
        final List<String> argv;
        final Map<String, String> exported;
        final String[] hostOfRank;
        try
        {
            validate();
            useSlurmAllocation(env);
            hostOfRank = hostOfRank();
            exported = exportedEnv(env);
            if (transport != null)
            {
                exported.put(MpiRuntime.TRANSPORT_ENV, transport);
            }
            if (reportTransports)
            {
                exported.put(MpiRuntime.REPORT_TRANSPORTS_ENV, "1");
            }
            if (enableRecovery)
            {
                exported.put(io.mpi4j.runtime.JobEnvironment.RECOVERY, "1");
            }
            app = appCommand(env);
            argv = app.argv(defaultJava(), RuntimeClassPath.ofRanks());
        }
        catch (final IllegalArgumentException | IOException ex)
        {
            System.err.println("mpi4jrun: " + ErrorText.of(ex));
            System.err.println("Try 'mpi4jrun --help' for more information.");
            return 2;
        }

        // Any remote host of the list counts, not only those with ranks: a spawn may place children there.
        final boolean multiNode = hostOfRank != null && !HostAgents.allThisMachine(
            HostList.of(hosts, hostfiles).hosts().stream().map(HostList.Host::name).toList());
        if (multiNode)
        {
            // The ranks then say when a transport that joins nodes (RDMA) is missing on theirs.
            exported.put(MpiRuntime.MULTI_NODE_ENV, "1");
        }
        try (KeyValueServer server = KeyValueServer.start(multiNode);
             HostAgents agents = multiNode ? new HostAgents(RemoteAgentLauncher.forEnvironment(rshAgent, env,
                 defaultJava(), System.getProperty("java.class.path")), server.port()) : null)
        {
            final ProcessManager manager = new ProcessManager(server);
            manager.installShutdownHook();
            if (agents != null)
            {
                Runtime.getRuntime().addShutdownHook(new Thread(agents::close, "mpi4jrun-agents-shutdown"));
                try
                {
                    agents.startAll(java.util.Arrays.asList(hostOfRank));
                }
                catch (final IOException ex)
                {
                    System.err.println("mpi4jrun: " + ErrorText.of(ex));
                    return 1;
                }
                manager.placement(RankPlacement.of(agents, hostOfRank));
            }
            final JobSpec spec = new JobSpec(manager.newJobId(), manager.newSecret(), processes, argv,
                exported, universeSize(), 0, tagOutput);
            final long timeoutNanos = timeoutSeconds > 0 ? (long)(timeoutSeconds * 1e9) : 0;
            manager.peerTimeout(peerTimeoutSeconds > 0 ? (long)(peerTimeoutSeconds * 1e9) : 0);
            manager.recovery(enableRecovery);
            manager.oversubscribe(oversubscribe);
            // Ranks of this job start without an archive when there is none yet; the next jobs have it.
            ClassDataArchive.createInBackground();
            int status = 1;
            try
            {
                status = manager.run(spec, timeoutNanos).exitStatus();
                return status;
            }
            finally
            {
                // A failed or aborted job exits at once: its archive is made by a later launcher.
                ClassDataArchive.awaitCreation(status == 0 ? ARCHIVE_WAIT_MS : 0);
            }
        }
    }

    /**
     * Inside a Slurm allocation ({@code salloc}, {@code sbatch}) and without --host/--hostfile, the allocation's nodes
     * and tasks per node are the hosts, as Open MPI takes them; their agents start through srun.
     */
    void useSlurmAllocation(final Map<String, String> env)
    {
        if (hosts.isEmpty() && hostfiles.isEmpty())
        {
            final String allocation = SlurmAllocation.hostOption(env);
            if (allocation != null)
            {
                hosts = new ArrayList<>(List.of(allocation));
            }
        }
    }

    /** Host of each rank from --host/--hostfile (by slot), or null when neither was given. */
    String[] hostOfRank() throws IOException
    {
        if (hosts.isEmpty() && hostfiles.isEmpty())
        {
            return null;
        }
        return HostList.of(hosts, hostfiles).mapBySlot(processes, oversubscribe);
    }

    private void validate()
    {
        if (processes < 1)
        {
            throw new IllegalArgumentException("-n must be at least 1, not " + processes);
        }
        if (universeSize != null && universeSize < processes)
        {
            throw new IllegalArgumentException("--universe-size " + universeSize + " is smaller than -n " + processes);
        }
        if (timeoutSeconds < 0)
        {
            throw new IllegalArgumentException("--timeout must not be negative");
        }
        if (peerTimeoutSeconds < 0)
        {
            throw new IllegalArgumentException("--peer-timeout must not be negative");
        }
        if (transport != null && !transportNames().contains(transport))
        {
            final List<String> known = transportNames();
            throw new IllegalArgumentException("--transport " + transport + ": no such transport on the class path" +
                (known.isEmpty() ? " (it holds none)" : " (known: " + String.join(", ", known) + ")"));
        }
    }

    AppCommand appCommand(final Map<String, String> env)
    {
        return AppCommand.parse(program, env, name -> AppCommand.isExecutableOnPath(name, env));
    }

    /** Variables of {@code -x}: VAR=value sets, VAR forwards the launcher's value (ignored when it has none). */
    Map<String, String> exportedEnv(final Map<String, String> env)
    {
        final Map<String, String> exported = new LinkedHashMap<>();
        for (final String export : exports)
        {
            final int eq = export.indexOf('=');
            if (eq == 0)
            {
                throw new IllegalArgumentException("-x " + export + ": no variable name");
            }
            if (eq > 0)
            {
                exported.put(export.substring(0, eq), export.substring(eq + 1));
            }
            else if (env.containsKey(export))
            {
                exported.put(export, env.get(export));
            }
        }
        return exported;
    }

    int universeSize()
    {
        if (universeSize == null && (!hosts.isEmpty() || !hostfiles.isEmpty()))
        {
            try
            {
                // As Open MPI: the universe is the hosts' slots.
                return Math.max(HostList.of(hosts, hostfiles).totalSlots(), processes);
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                // Reported by hostOfRank() before this is asked.
            }
        }
        return universeSize != null ? universeSize : Math.max(Runtime.getRuntime().availableProcessors(), processes);
    }

    int processes()
    {
        return processes;
    }

    boolean tagOutput()
    {
        return tagOutput;
    }

    double timeoutSeconds()
    {
        return timeoutSeconds;
    }

    private static List<String> transportNames()
    {
        final List<String> names = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, Mpi4jRun.class.getClassLoader()).forEach(p -> names.add(p.name()));
        return names;
    }

    private static String defaultJava()
    {
        return System.getProperty("java.home") + "/bin/java";
    }
}
