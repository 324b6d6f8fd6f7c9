package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import io.mpi4j.runtime.SpawnRequest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the ranks of one job run: per rank, the remote host whose agent starts it, or null for this machine.
 *
 * @param agents the launcher's agents (null when every rank is local)
 * @param hosts  per rank, the host as named on the command line or in a spawn's info, null for this machine
 */
record RankPlacement(HostAgents agents, String[] hosts)
{
    /** Ranks on {@code hostOfRank} (as {@link HostList#mapBySlot} gives them); the local host's become null. */
    static RankPlacement of(final HostAgents agents, final String[] hostOfRank)
    {
        final String[] hosts = hostOfRank.clone();
        for (int rank = 0; rank < hosts.length; rank++)
        {
            if (hosts[rank] != null && agents.isLocal(hosts[rank]))
            {
                hosts[rank] = null;
            }
        }
        return new RankPlacement(agents, hosts);
    }

    /**
     * Where the children of a spawn run: the apps with a {@code host} or {@code hostfile} info key on those hosts
     * (by slot, wrapping around when they ask for more processes than slots), the others here. Returns null when
     * every child runs here.
     *
     * @param agents   the launcher's agents, null when it was started without remote hosts
     * @param launches the children in rank order, each app's consecutive
     * @throws IOException for a bad host list, or a remote host when the launcher has no agents
     */
    static RankPlacement forSpawn(final HostAgents agents, final SpawnRequest request,
        final List<Job.RankLaunch> launches) throws IOException
    {
        final String[] hosts = new String[launches.size()];
        boolean remote = false;
        int rank = 0;
        while (rank < launches.size())
        {
            final int appnum = launches.get(rank).appnum();
            int count = 0;
            while (rank + count < launches.size() && launches.get(rank + count).appnum() == appnum)
            {
                count++;
            }
            final SpawnRequest.App app = request.apps().get(appnum);
            if (!app.host().isEmpty() || !app.hostfile().isEmpty())
            {
                final String[] placed;
                try
                {
                    placed = HostList.of(app.host().isEmpty() ? List.of() : List.of(app.host()),
                        app.hostfile().isEmpty() ? List.of() : List.of(Path.of(app.hostfile()))).mapBySlot(count, true);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IOException(ErrorText.of(ex), ex);
                }
                for (int i = 0; i < count; i++)
                {
                    final boolean local = agents != null ? agents.isLocal(placed[i]) :
                        HostAgents.allThisMachine(List.of(placed[i]));
                    if (!local && agents == null)
                    {
                        throw new IOException("host " + placed[i] + " is not this machine, and mpi4jrun was started " +
                            "without remote hosts (give it --host or --hostfile)");
                    }
                    hosts[rank + i] = local ? null : placed[i];
                    remote |= !local;
                }
            }
            rank += count;
        }
        return remote ? new RankPlacement(agents, hosts) : null;
    }

    /** The remote host of {@code rank}, or null when it runs here. */
    String remoteHost(final int rank)
    {
        return rank < hosts.length ? hosts[rank] : null;
    }

    boolean anyRemote()
    {
        return Arrays.stream(hosts).anyMatch(host -> host != null);
    }
}
