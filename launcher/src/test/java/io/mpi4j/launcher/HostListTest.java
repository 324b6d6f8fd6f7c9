package io.mpi4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostListTest
{
    @TempDir
    Path dir;

    @Test
    void hostOptionsCountOneSlotPerMentionOrTheGivenCount() throws IOException
    {
        final HostList hosts = HostList.of(List.of("a,b:3", "a", "c:2,a:2"), List.of());
        assertEquals(List.of(new HostList.Host("a", 4), new HostList.Host("b", 3), new HostList.Host("c", 2)),
            hosts.hosts());
        assertEquals(9, hosts.totalSlots());
    }

    @Test
    void hostfileInOpenMpiSyntaxWithComments() throws IOException
    {
        final Path file = dir.resolve("hosts");
        Files.writeString(file, String.join("\n",
            "# the cluster",
            "node0 slots=2   # login node",
            "",
            "  node1 slots=4 max_slots=8",
            "node2",
            "node0 slots=1"));
        final HostList hosts = HostList.of(List.of("extra"), List.of(file));
        assertEquals(List.of(new HostList.Host("extra", 1), new HostList.Host("node0", 3),
            new HostList.Host("node1", 4), new HostList.Host("node2", 1)), hosts.hosts());
    }

    @Test
    void badHostfileLinesAndCountsAreNamed() throws IOException
    {
        final Path file = dir.resolve("bad");
        Files.writeString(file, "node0 slots=2\nnode1 cpus=3\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> HostList.of(List.of(), List.of(file)));
        assertTrue(ex.getMessage().contains("line 2") && ex.getMessage().contains("cpus=3"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostList.of(List.of("a:0"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> HostList.of(List.of("a,,b"), List.of()));
        final IOException missing = assertThrows(IOException.class,
            () -> HostList.of(List.of(), List.of(dir.resolve("none"))));
        assertTrue(missing.getMessage().contains("none"), missing.getMessage());
    }

    @Test
    void ranksFillEachHostsSlotsInOrder() throws IOException
    {
        final HostList hosts = HostList.of(List.of("a:2,b:1,c:2"), List.of());
        assertArrayEquals(new String[]{"a", "a", "b", "c"}, hosts.mapBySlot(4, false));
        assertArrayEquals(new String[]{"a", "a", "b", "c", "c"}, hosts.mapBySlot(5, false));
    }

    @Test
    void moreRanksThanSlotsNeedOversubscribe() throws IOException
    {
        final HostList hosts = HostList.of(List.of("a,b"), List.of());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> hosts.mapBySlot(3, false));
        assertTrue(ex.getMessage().contains("-n 3") && ex.getMessage().contains("2 slots") &&
            ex.getMessage().contains("--oversubscribe"), ex.getMessage());
        assertArrayEquals(new String[]{"a", "b", "a", "b", "a"}, hosts.mapBySlot(5, true));
    }

    @Test
    void ipv6LiteralIsAHostNotACount() throws IOException
    {
        assertEquals(List.of(new HostList.Host("fe80::1", 1)), HostList.of(List.of("fe80::1"), List.of()).hosts());
    }
}
