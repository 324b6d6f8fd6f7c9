package io.mpi4j.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts from a Slurm allocation's variables, and names resolved through MPI4J_HOSTS_FILE. */
class SlurmAllocationTest
{
    @Test
    void expandsSlurmHostLists()
    {
        assertEquals(List.of("n1", "n2", "n3", "n07", "login"), SlurmAllocation.expand("n[1-3,07],login"));
        assertEquals(List.of("m4j12-n1", "m4j12-n2"), SlurmAllocation.expand("m4j12-n[1-2]"));
        assertEquals(List.of("r1-n08", "r1-n09", "r1-n10", "r2-n08", "r2-n09", "r2-n10"),
            SlurmAllocation.expand("r[1-2]-n[08-10]"));
        assertEquals(List.of("a", "b"), SlurmAllocation.expand("a,b"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.expand("n[3-1]"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.expand("n[1-2"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.expand("n[a]"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.expand(","));
    }

    @Test
    void countsTasksPerNode()
    {
        assertEquals(List.of(2, 2, 2, 1), SlurmAllocation.counts("2(x3),1"));
        assertEquals(List.of(4), SlurmAllocation.counts("4"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.counts("2(3)"));
        assertThrows(IllegalArgumentException.class, () -> SlurmAllocation.counts("0"));
    }

    @Test
    void theAllocationBecomesTheHostOptionOnlyInsideOne()
    {
        assertNull(SlurmAllocation.hostOption(Map.of()));
        assertNull(SlurmAllocation.hostOption(Map.of("SLURM_JOB_NODELIST", "n[1-2]")), "no job id: not inside");
        assertEquals("n1:2,n2:2", SlurmAllocation.hostOption(Map.of("SLURM_JOB_ID", "7",
            "SLURM_JOB_NODELIST", "n[1-2]", "SLURM_TASKS_PER_NODE", "2(x2)")));
        assertEquals("n1:4,n2:1", SlurmAllocation.hostOption(Map.of("SLURM_JOB_ID", "7",
            "SLURM_JOB_NODELIST", "n[1-2]", "SLURM_JOB_CPUS_PER_NODE", "4,1")));
        assertEquals("n1:1,n2:1", SlurmAllocation.hostOption(Map.of("SLURM_JOB_ID", "7",
            "SLURM_JOB_NODELIST", "n[1-2]")));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () ->
            SlurmAllocation.hostOption(Map.of("SLURM_JOB_ID", "7", "SLURM_JOB_NODELIST", "n[1-3]",
                "SLURM_TASKS_PER_NODE", "2(x2)")));
        assertTrue(ex.getMessage().contains("3 nodes"), ex.getMessage());
    }

    @Test
    void mpi4jrunTakesTheAllocationWhenNoHostIsGiven()
    {
        final Map<String, String> env = Map.of("SLURM_JOB_ID", "7", "SLURM_JOB_NODELIST", "n[1-2]",
            "SLURM_TASKS_PER_NODE", "2(x2)");
        final Mpi4jRun run = Mpi4jRun.parse("-n", "4", "Main");
        run.useSlurmAllocation(env);
        assertEquals(List.of("n1:2,n2:2"), run.hosts);
        final Mpi4jRun explicit = Mpi4jRun.parse("-n", "1", "--host", "a", "Main");
        explicit.useSlurmAllocation(env);
        assertEquals(List.of("a"), explicit.hosts);
    }

    @Test
    void aHostsFileNamesHostsBeforeTheResolver(@TempDir final Path dir) throws Exception
    {
        final Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "# nodes\n10.9.0.11 node-a a # first\n10.9.0.12\tnode-b\nbad-line\n");
        final Map<String, String> env = Map.of(HostNames.HOSTS_FILE_ENV, hosts.toString());
        assertArrayEquals(new InetAddress[]{InetAddress.getByName("10.9.0.11")}, HostNames.resolve("NODE-A", env));
        assertArrayEquals(new InetAddress[]{InetAddress.getByName("10.9.0.11")}, HostNames.resolve("a", env));
        assertArrayEquals(new InetAddress[]{InetAddress.getByName("10.9.0.12")}, HostNames.resolve("node-b", env));
        assertTrue(HostNames.resolve("localhost", env)[0].isLoopbackAddress(), "others through the resolver");
        final UnknownHostException ex = assertThrows(UnknownHostException.class,
            () -> HostNames.resolve("no-such-host.invalid", env));
        assertTrue(ex.getMessage().contains("no-such-host.invalid") && ex.getMessage().contains(hosts.toString()),
            ex.getMessage());
    }
}
