package io.mpi4j.ci;

import static io.mpi4j.ci.JobAssertions.assertEndedSoonAfterDeath;
import static io.mpi4j.ci.JobAssertions.assertFailedFast;
import static io.mpi4j.ci.JobAssertions.assertNothingLeft;
import static io.mpi4j.ci.JobAssertions.launcherText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.mpi4j.ci.jobs.Crash;
import io.mpi4j.ci.jobs.HostProbe;
import io.mpi4j.ci.jobs.Ring;
import io.mpi4j.ci.jobs.SpawnOnHost;
import io.mpi4j.ci.jobs.StopSelf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Multi-node launch on one machine: a real sshd ({@link SshFixture}) stands for the remote host. {@code localhost}
 * is this machine (ranks started directly), {@code 127.0.0.1} goes through ssh and a {@link
 * io.mpi4j.launcher.NodeAgent}, as a remote host would; both are the same node, so the ranks share memory.
 */
@Timeout(180)
class MultiNodeJobsTest
{
    private static SshFixture ssh;

    @BeforeAll
    static void startSshd() throws Exception
    {
        ssh = SshFixture.startOrSkip();
    }

    @AfterAll
    static void stopSshd()
    {
        if (ssh != null)
        {
            ssh.close();
        }
    }

    private static MpiJob job(final int ranks, final Class<?> main, final String hosts)
    {
        return MpiJob.of(ranks, main).launcherOptions("--host", hosts, "--rsh-agent", ssh.rshAgent())
            .timeout(Duration.ofSeconds(60));
    }

    @Test
    void ringAcrossALocalAndAnSshHost() throws InterruptedException
    {
        final MpiJob.Result result = JobAssertions.assertAllOk(
            job(4, Ring.class, "localhost:2,127.0.0.1:2").args("20").run(), 4);
        assertEquals(List.of("OK ring rank=0 size=4 token=200"), result.out(0), result::describe);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!ssh.agents().isEmpty() && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(ssh.agents().isEmpty(), "the agent outlived its job");
    }

    @Test
    void aJobAcrossNodesSaysOnceThatRdmaIsMissing() throws java.io.IOException
    {
        final Path devices = Path.of("/sys/class/infiniband");
        if (Files.isDirectory(devices))
        {
            try (java.util.stream.Stream<Path> list = Files.list(devices))
            {
                org.junit.jupiter.api.Assumptions.assumeTrue(list.findAny().isEmpty(), "this node has RDMA");
            }
        }
        final MpiJob.Result result = JobAssertions.assertAllOk(
            job(2, Ring.class, "localhost,127.0.0.1").args("5").run(), 2);
        assertEquals(1, result.err(0).stream().filter(l -> l.startsWith("mpi4j: transport rdma unavailable: ")).count(),
            result::describe);
    }

    @Test
    void ranksOfTheSshHostAreStartedByItsAgentAndReachTheKeyValueService() throws InterruptedException
    {
        final MpiJob.Result result = job(4, HostProbe.class, "localhost:2,127.0.0.1:2").run();
        assertEquals(0, result.exitCode(), result::describe);
        for (int rank = 0; rank < 4; rank++)
        {
            assertEquals(rank >= 2 ? "true" : "false", result.value(rank, "AGENT "), "rank " + rank + " started by " +
                "an agent?\n" + result.describe());
            assertEquals(Integer.toString(rank == 0 ? 4 : rank + 1), result.value(rank, "TOKEN "), result::describe);
            assertTrue(result.value(rank, "KVS ").matches("127\\.0\\.0\\.1:\\d+"), result::describe);
        }
        assertNothingLeft(result, 4);
    }

    @Test
    void spawnHostInfoKeyPlacesChildrenOnThatHostsAgent()
    {
        final MpiJob.Result remote = job(1, SpawnOnHost.class, "localhost:2,127.0.0.1:2").args("127.0.0.1").run();
        JobAssertions.assertAllOk(remote, 1);
        assertEquals("2", remote.value(0, "CHILDREN_BY_AGENT "), remote::describe);
        final MpiJob.Result local = job(1, SpawnOnHost.class, "localhost:2,127.0.0.1:2").args("localhost").run();
        JobAssertions.assertAllOk(local, 1);
        assertEquals("0", local.value(0, "CHILDREN_BY_AGENT "), local::describe);
    }

    @Test
    void ranksOnBothHostsShareMemoryAsOneNode()
    {
        final MpiJob.Result result = job(4, HostProbe.class, "localhost:2,127.0.0.1:2")
            .env("MPI4J_REPORT_TRANSPORTS", "1").run();
        assertEquals(0, result.exitCode(), result::describe);
        String node = null;
        for (int rank = 0; rank < 4; rank++)
        {
            final String report = result.err(rank).stream().filter(l -> l.contains(" reaches ")).findFirst()
                .orElse("");
            final java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("rank " + rank + " on (\\S+) reaches 0:shm, 1:shm, 2:shm, 3:shm").matcher(report);
            assertTrue(m.find(), "rank " + rank + ": " + report + "\n" + result.describe());
            assertTrue(node == null || node.equals(m.group(1)), result::describe);
            node = m.group(1);
        }
    }

    @Test
    void rankCrashingOnTheSshHostKillsTheWholeJob() throws InterruptedException
    {
        // 127.0.0.1 first: ranks 0 and 1 run there, and rank 1 is the one that dies.
        final MpiJob.Result result = job(4, Crash.class, "127.0.0.1:2,localhost:2").args("halt").run();
        assertFailedFast(result, Duration.ofSeconds(40));
        assertEquals(3, result.exitCode(), result::describe);
        assertTrue(launcherText(result).matches("(?s).*rank 1 \\(pid \\d+ on 127\\.0\\.0\\.1\\) exited with status 3.*"),
            result::describe);
        assertEndedSoonAfterDeath(result, 1, Duration.ofSeconds(5));
        assertNothingLeft(result, 4);
    }

    /** --peer-timeout covers ranks on other hosts: their agent reports them stopped. */
    @Test
    void aStoppedRankOnTheSshHostEndsTheJobAfterThePeerTimeout() throws InterruptedException
    {
        // 127.0.0.1 first: ranks 0 and 1 run there, and rank 1 is the one that stops.
        final MpiJob.Result result = job(3, StopSelf.class, "127.0.0.1:2,localhost:1")
            .launcherOptions("--peer-timeout", "2")
            .run();
        assertFalse(result.timedOut(), result::describe);
        assertEquals(124, result.exitCode(), result::describe);
        assertTrue(launcherText(result).matches("(?s).*rank 1 \\(pid \\d+ on 127\\.0\\.0\\.1\\) has been stopped.*"),
            result::describe);
        assertTrue(result.elapsed().compareTo(Duration.ofSeconds(30)) < 0, result::describe);
    }

    @Test
    void killedAgentAbortsTheJobNamingTheHost() throws Exception
    {
        final CompletableFuture<MpiJob.Result> running = CompletableFuture.supplyAsync(
            () -> job(4, HostProbe.class, "localhost:2,127.0.0.1:2").args("hang").run());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        List<ProcessHandle> agents = ssh.agents();
        // Wait until the agent runs both its ranks and they are past MPI_Init (the ring needs all four).
        while (System.nanoTime() < deadline && (agents.size() != 1 || agents.get(0).children().count() < 2))
        {
            Thread.sleep(100);
            agents = ssh.agents();
        }
        assertEquals(1, agents.size(), "one agent for 127.0.0.1");
        Thread.sleep(3_000);
        final long killedAt = System.currentTimeMillis();
        agents.get(0).destroyForcibly();
        final MpiJob.Result result = running.get(90, TimeUnit.SECONDS);
        assertFalse(result.timedOut(), result::describe);
        assertTrue(result.exitCode() != 0, result::describe);
        assertTrue(launcherText(result).contains("lost host 127.0.0.1"), result::describe);
        assertTrue(result.endedAtMillis() - killedAt < 10_000, () -> "job ended " +
            (result.endedAtMillis() - killedAt) + " ms after the agent was killed\n" + result.describe());
        assertNothingLeft(result, 4);
    }
}
