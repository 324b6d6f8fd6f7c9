package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mpi4j.ci.jobs.AcrossNodes;
import io.mpi4j.ci.jobs.HostProbe;
import io.mpi4j.ci.jobs.SpawnAcross;
import io.mpi4j.ci.jobs.WinAcrossNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs across real network stacks at native speed: three nodes made of network namespaces on this machine
 * ({@link NetnsFixture}, {@code ci/netns.sh}), each with its own address and host name, reached through {@code
 * ci/netns-agent.sh}. Ranks of one node share memory, ranks of two nodes talk TCP over the nodes' bridge; the
 * launcher stays outside every node, as a login node would.
 */
@Timeout(120)
class NetnsJobsTest
{
    private static NetnsFixture nodes;

    @BeforeAll
    static void up() throws Exception
    {
        nodes = NetnsFixture.upOrSkip(3);
    }

    @AfterAll
    static void down() throws Exception
    {
        if (nodes != null)
        {
            final List<String> processes = nodes.processesLeft();
            nodes.close();
            final List<String> namespaces = nodes.namespacesLeft();
            nodes = null;
            assertTrue(processes.isEmpty(), "processes left in the nodes after the tests: " + processes);
            assertTrue(namespaces.isEmpty(), "namespaces left after ci/netns.sh down: " + namespaces);
        }
    }

    private static MpiJob job(final int ranks, final Class<?> main, final String hosts)
    {
        return MpiJob.of(ranks, main).launcherOptions("--host", hosts, "--rsh-agent", nodes.rshAgent())
            .launcherEnv("MPI4J_HOSTS_FILE", nodes.hostsFile()).timeout(Duration.ofSeconds(60));
    }

    @Test
    void pointToPointAndCollectivesAcrossThreeNodesUseShmWithinAndTcpAcross() throws InterruptedException
    {
        final String hosts = nodes.node(1) + ":2," + nodes.node(2) + ":2," + nodes.node(3) + ":2";
        final MpiJob.Result result = job(6, AcrossNodes.class, hosts).launcherOptions("--report-transports").run();
        JobAssertions.assertAllOk(result, 6);
        for (int rank = 0; rank < 6; rank++)
        {
            assertEquals(List.of("OK across rank=" + rank + " size=6"),
                result.out(rank).stream().filter(l -> l.startsWith("OK ")).toList(), result::describe);
            assertEquals(nodes.node(rank / 2 + 1), result.value(rank, "NODE "), result::describe);
            final StringBuilder expected = new StringBuilder();
            for (int peer = 0; peer < 6; peer++)
            {
                expected.append(peer == 0 ? " " : ", ").append(peer).append(':')
                    .append(peer / 2 == rank / 2 ? "shm" : "tcp");
            }
            final Pattern report = Pattern.compile("rank " + rank + " on (\\S+) reaches" + Pattern.quote(
                expected.toString()) + "$");
            final int r = rank;
            assertTrue(result.err(rank).stream().anyMatch(l -> report.matcher(l).find()),
                () -> "rank " + r + " should reach" + expected + "\n" + result.describe());
            // two ranks a node: as many as the node has cores at most, so waits poll before they yield (judged by
            // the job's six ranks, every wait yielded at once)
            final String place = "rank " + rank + " is " + rank % 2 + " of 2 ranks on ";
            final String line = result.err(rank).stream().filter(l -> l.contains(place)).findFirst().orElse(null);
            assertTrue(line != null, () -> "no line '" + place + "'\n" + result.describe());
            if (Runtime.getRuntime().availableProcessors() >= 2)
            {
                assertTrue(!line.contains("waits poll 0 us"), line);
            }
        }
        assertNothingLeft(result, 6);
    }

    /**
     * MPI_Win_allocate over two nodes: an ordinary window (the nodes see one /dev/shm here, yet no segment spans
     * them), over one node's ranks a shared segment; puts, gets and accumulates within and across nodes are exact.
     */
    @Test
    void winAllocateAcrossNodesIsAnOrdinaryWindowAndSharedWithinANode() throws InterruptedException
    {
        final String hosts = nodes.node(1) + ":2," + nodes.node(2) + ":2";
        final MpiJob.Result result = job(4, WinAcrossNodes.class, hosts).args("2").run();
        JobAssertions.assertAllOk(result, 4);
        for (int rank = 0; rank < 4; rank++)
        {
            assertEquals(nodes.node(rank / 2 + 1), result.value(rank, "NODE "), result::describe);
            final String segments = result.value(rank, "SEGMENTS ");
            final Matcher counts = Pattern.compile("world=(\\d+) node=(\\d+)")
                .matcher(null == segments ? "" : segments);
            assertTrue(counts.matches(), result::describe);
            assertEquals("0", counts.group(1), () -> "a window segment across nodes\n" + result.describe());
            assertTrue(Integer.parseInt(counts.group(2)) > 0, () -> "no shared segment within a node\n" +
                result.describe());
            final Matcher coll = Pattern.compile("world=(\\d+) node=(\\d+)")
                .matcher(String.valueOf(result.value(rank, "COLLSEGMENTS ")));
            assertTrue(coll.matches(), result::describe);
            assertEquals("0", coll.group(1), () -> "a collective segment across nodes\n" + result.describe());
            assertTrue(Integer.parseInt(coll.group(2)) > 0, () -> "no collective segment within a node\n" +
                result.describe());
            assertTrue(result.out(rank).contains("OK win-across rank=" + rank + " size=4"), result::describe);
        }
        assertNothingLeft(result, 4);
    }

    @Test
    void spawnWithTheHostInfoKeyStartsTheChildrenOnThatNode() throws InterruptedException
    {
        final String hosts = nodes.node(1) + ":1," + nodes.node(2) + ":2";
        final MpiJob.Result result = job(1, SpawnAcross.class, hosts).args(nodes.node(2)).run();
        JobAssertions.assertAllOk(result, 1);
        assertEquals(nodes.node(1), result.value(0, "PARENT_NODE "), result::describe);
        assertEquals(List.of("CHILD_NODE " + nodes.node(2), "CHILD_NODE " + nodes.node(2)),
            result.out(0).stream().filter(l -> l.startsWith("CHILD_NODE ")).toList(), result::describe);
        assertNothingLeft(result, 1);
    }

    @Test
    void aNodeLostMidJobEndsTheJobNamingTheHost() throws Exception
    {
        final String lost = nodes.node(2);
        // Without MPI_Init's rehearsal: its messages would connect the nodes before the fence the wait below stands
        // for, and the agent be killed before any rank printed its job id.
        final CompletableFuture<MpiJob.Result> running = CompletableFuture.supplyAsync(
            () -> job(4, HostProbe.class, nodes.node(1) + ":2," + lost + ":2").args("hang")
                .env("MPI4J_INIT_REHEARSAL", "0").run());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        List<ProcessHandle> agents = nodes.agents(lost);
        // Its agent runs both its ranks, and ranks of the two nodes are connected: they send only after MPI_Init's
        // fence, which all four ranks must reach (each prints its job id right after it).
        while (System.nanoTime() < deadline && !running.isDone() &&
            (agents.size() != 1 || agents.get(0).children().count() < 2 || nodes.connections(2, 1) == 0))
        {
            Thread.sleep(100);
            agents = nodes.agents(lost);
        }
        assertEquals(1, agents.size(), "one agent in " + lost);
        assertTrue(nodes.connections(2, 1) > 0, "no rank of " + lost + " reached " + nodes.node(1));
        Thread.sleep(500);
        final long killedAt = System.currentTimeMillis();
        agents.get(0).destroyForcibly();
        final MpiJob.Result result = running.get(90, TimeUnit.SECONDS);
        assertFalse(result.timedOut(), result::describe);
        assertTrue(result.exitCode() != 0, result::describe);
        assertTrue(launcherText(result).contains("lost host " + lost), result::describe);
        assertTrue(result.endedAtMillis() - killedAt < 10_000, () -> "job ended " +
            (result.endedAtMillis() - killedAt) + " ms after the agent was killed\n" + result.describe());
        assertNothingLeft(result, 4);
        final long quiet = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!nodes.processesLeft().isEmpty() && System.nanoTime() < quiet)
        {
            Thread.sleep(100);
        }
        assertEquals(List.of(), nodes.processesLeft(), "processes left in the nodes");
    }

    @Test
    void aHostNameThatDoesNotResolveIsAClearErrorNamingIt()
    {
        final String unknown = "no-such-node-" + ProcessHandle.current().pid();
        final MpiJob.Result result = job(2, HostProbe.class, nodes.node(1) + "," + unknown).run();
        assertFalse(result.timedOut(), result::describe);
        assertTrue(result.exitCode() != 0, result::describe);
        assertTrue(result.elapsed().compareTo(Duration.ofSeconds(20)) < 0, result::describe);
        assertTrue(launcherText(result).contains("host " + unknown), result::describe);
    }

    @Test
    void anUnreachableNodeIsAClearErrorNamingIt() throws Exception
    {
        nodes.link(3, false);
        try
        {
            final MpiJob.Result result = job(2, HostProbe.class, nodes.node(1) + "," + nodes.node(3)).run();
            assertFalse(result.timedOut(), result::describe);
            assertTrue(result.exitCode() != 0, result::describe);
            assertTrue(result.elapsed().compareTo(Duration.ofSeconds(30)) < 0, result::describe);
            final Matcher named = Pattern.compile("rank 1 \\(pid \\d+ on " + Pattern.quote(nodes.node(3)) + "\\)")
                .matcher(launcherText(result));
            assertTrue(named.find(), result::describe);
            assertTrue(String.join("\n", result.err(1)).contains("cannot reach mpi4jrun's key-value service at "),
                result::describe);
        }
        finally
        {
            nodes.link(3, true);
        }
    }
}
