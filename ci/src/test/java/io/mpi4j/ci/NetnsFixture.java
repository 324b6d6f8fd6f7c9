package io.mpi4j.ci;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Nodes of a multi-node job made of Linux network namespaces on this machine ({@code ci/netns.sh}), reached through
 * {@code ci/netns-agent.sh}, optionally with a Slurm cluster over them ({@code ci/slurm.sh}). The set is named after
 * this JVM's pid and lives on a /24 of its own, so that it never meets another run's; it is torn down by {@link
 * #close()}, by a shutdown hook if the tests never get there, and by the next run's sweep if this JVM is killed.
 * <p>
 * Not root, or no iproute2/util-linux: the tests are skipped with the reason, except under CI ({@code CI=true}),
 * where that is a failure.
 */
final class NetnsFixture implements AutoCloseable
{
    static final Path CI_DIR = Path.of(System.getProperty("user.dir")).getParent().resolve("ci");

    private final String script;
    private final Map<String, String> env;
    private final List<String> nodes;
    private final Thread hook;
    private boolean closed;

    private NetnsFixture(final String script, final Map<String, String> env, final List<String> nodes)
    {
        this.script = script;
        this.env = env;
        this.nodes = nodes;
        this.hook = new Thread(this::down, "netns-down");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Make {@code count} nodes, or skip (fail under CI) saying why they cannot be made here. */
    static NetnsFixture upOrSkip(final int count) throws IOException, InterruptedException
    {
        return up("netns.sh", count, unusableReason());
    }

    /**
     * Make {@code count} nodes and a Slurm cluster of them ({@code ci/slurm.sh}), or skip (fail under CI) saying why
     * they cannot be made here.
     */
    static NetnsFixture slurmOrSkip(final int count) throws IOException, InterruptedException
    {
        String why = unusableReason();
        for (final String tool : List.of("slurmctld", "slurmd", "munged", "srun", "salloc", "sbatch"))
        {
            if (why == null && !onPath(tool))
            {
                why = "'" + tool + "' is not installed (slurm-wlm, munge: ci/packages.sh)";
            }
        }
        return up("slurm.sh", count, why);
    }

    private static NetnsFixture up(final String script, final int count, final String why)
        throws IOException, InterruptedException
    {
        if (why != null)
        {
            if ("true".equals(System.getenv("CI")))
            {
                throw new IllegalStateException("network-namespace tests are required under CI=true: " + why);
            }
            Assumptions.abort("network-namespace tests skipped: " + why);
        }
        final long pid = ProcessHandle.current().pid();
        final Map<String, String> env = new HashMap<>();
        // Names and subnet of this JVM's: never another run's. Slurm's set differs from the plain nodes' set.
        final int salt = script.equals("slurm.sh") ? 1 : 0;
        env.put("MPI4J_NETNS_PREFIX", (salt == 0 ? "m4j" : "m4s") + pid % 100_000);
        env.put("MPI4J_NETNS_SUBNET", "10.251." + ((pid * 2 + salt) % 250 + 1));
        // A test JVM killed before its teardown leaves its nodes behind: the next run removes them.
        run("netns.sh", Map.of(), "sweep");
        final String output = run(script, env, "up", Integer.toString(count));
        for (final String line : output.split("\n"))
        {
            final String trimmed = line.trim();
            if (trimmed.startsWith("export ") && trimmed.indexOf('=') > 0)
            {
                final int eq = trimmed.indexOf('=');
                env.put(trimmed.substring("export ".length(), eq), trimmed.substring(eq + 1));
            }
        }
        final String nodes = env.get("MPI4J_NETNS_NODES");
        if (nodes == null || nodes.split(",").length != count)
        {
            run(script, env, "down");
            throw new IllegalStateException("ci/" + script + " up " + count + " printed no nodes: " + output);
        }
        return new NetnsFixture(script, env, List.of(nodes.split(",")));
    }

    private static String unusableReason()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "needs root (network namespaces)";
        }
        for (final String tool : List.of("ip", "unshare"))
        {
            if (!onPath(tool))
            {
                return "'" + tool + "' is not installed (iproute2, util-linux)";
            }
        }
        return null;
    }

    /** Name of node {@code i}, from 1. */
    String node(final int i)
    {
        return nodes.get(i - 1);
    }

    List<String> nodes()
    {
        return nodes;
    }

    /** The launcher's {@code --rsh-agent}. */
    String rshAgent()
    {
        return env.get("MPI4J_NETNS_AGENT");
    }

    /** What the launcher needs to resolve the nodes' names. */
    String hostsFile()
    {
        return env.get("MPI4J_HOSTS_FILE");
    }

    /** The Slurm configuration of the cluster ({@link #slurmOrSkip}), for every Slurm command. */
    String slurmConf()
    {
        return env.get("SLURM_CONF");
    }

    /** Take node {@code i}'s link down (or up again): the node runs, but nothing reaches it. */
    void link(final int i, final boolean up) throws IOException, InterruptedException
    {
        run(List.of("ip", "-n", node(i), "link", "set", "eth0", up ? "up" : "down"));
    }

    /** The agent JVMs running in node {@code node}. */
    List<ProcessHandle> agents(final String node) throws IOException, InterruptedException
    {
        final List<ProcessHandle> agents = new ArrayList<>();
        for (final String pid : run(List.of("ip", "netns", "pids", node)).split("\\s+"))
        {
            if (pid.isEmpty())
            {
                continue;
            }
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p ->
            {
                if (p.info().commandLine().orElse("").contains("io.mpi4j.launcher.NodeAgent"))
                {
                    agents.add(p);
                }
            });
        }
        return agents;
    }

    /** TCP connections established from node {@code from} to node {@code to}'s address (ranks' and others'). */
    int connections(final int from, final int to) throws IOException, InterruptedException
    {
        String address = null;
        for (final String line : Files.readAllLines(Path.of(hostsFile())))
        {
            final String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[1].equals(node(to)))
            {
                address = words[0];
            }
        }
        if (address == null)
        {
            throw new IOException(node(to) + " is not in " + hostsFile());
        }
        final String sockets = run(List.of("ip", "netns", "exec", node(from), "ss", "-H", "-t", "-n", "state",
            "established", "dst", address)).trim();
        return sockets.isEmpty() ? 0 : sockets.split("\n").length;
    }

    /** Every process still running in any node. */
    List<String> processesLeft() throws IOException, InterruptedException
    {
        final List<String> left = new ArrayList<>();
        for (final String node : nodes)
        {
            final String pids = run(List.of("ip", "netns", "pids", node)).trim();
            if (!pids.isEmpty())
            {
                left.add(node + ": " + pids.replace('\n', ' '));
            }
        }
        return left;
    }

    /** Network namespaces of this set that still exist. */
    List<String> namespacesLeft() throws IOException, InterruptedException
    {
        final List<String> left = new ArrayList<>();
        for (final String line : run(List.of("ip", "netns", "list")).split("\n"))
        {
            final String name = line.trim().split("\\s+")[0];
            if (name.startsWith(env.get("MPI4J_NETNS_PREFIX") + "-"))
            {
                left.add(name);
            }
        }
        return left;
    }

    @Override
    public synchronized void close()
    {
        down();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException shuttingDown)
        {
            // The hook runs anyway.
        }
    }

    private synchronized void down()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            run(script, env, "down");
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("ci/" + script + " down failed: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String run(final String script, final Map<String, String> env, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("bash", CI_DIR.resolve(script).toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return output(builder.start(), String.join(" ", command));
    }

    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        return output(new ProcessBuilder(command).redirectErrorStream(true).start(), String.join(" ", command));
    }

    private static String output(final Process process, final String what) throws IOException, InterruptedException
    {
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException(what + " did not finish within 60 s");
        }
        if (process.exitValue() != 0)
        {
            throw new IOException(what + " failed with status " + process.exitValue() + ": " + output.trim());
        }
        return output;
    }

    private static boolean onPath(final String name)
    {
        final String path = System.getenv("PATH");
        for (final String dir : ((path == null ? "" : path + File.pathSeparator) + "/usr/sbin:/sbin")
            .split(File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, name)))
            {
                return true;
            }
        }
        return false;
    }
}
