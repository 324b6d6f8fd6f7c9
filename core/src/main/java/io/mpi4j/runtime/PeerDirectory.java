package io.mpi4j.runtime;

import io.mpi4j.comm.ProcessKeys;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Peer;
import io.mpi4j.p2p.PeerResolver;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.Transport;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire-up: turns a process key into a {@link Peer}, connecting lazily on first use. The peer's transport addresses
 * come from the key-value exchange ({@link #addressKey}); the first of this process's transports (highest priority
 * first) that reaches one of them carries the traffic.
 */
final class PeerDirectory implements PeerResolver
{
    private final KeyValueStore keyValueStore;
    private final Transport[] transports;
    private final List<String> jobIds = new ArrayList<>();
    private final Long2ObjectHashMap<Peer> peers = new Long2ObjectHashMap<>();

    PeerDirectory(final KeyValueStore keyValueStore, final Transport[] transports, final String ownJobId)
    {
        this.keyValueStore = keyValueStore;
        this.transports = transports;
        this.jobIds.add(ownJobId);
    }

    /** Key under which a process publishes its transport addresses (comma separated). */
    static String addressKey(final String jobId, final int rank)
    {
        return "mpi4j.addr." + jobId + "." + rank;
    }

    /** Local index of a job, registering it on first sight (spawned and connected jobs). */
    int jobIndex(final String jobId)
    {
        final int index = jobIds.indexOf(jobId);
        if (index >= 0)
        {
            return index;
        }
        jobIds.add(jobId);
        return jobIds.size() - 1;
    }

    /** Job id of local job index {@code index}. */
    String jobId(final int index)
    {
        return jobIds.get(index);
    }

    /** Close and drop the connections to job {@code jobId}'s processes; the job keeps its index. */
    void forgetJob(final String jobId)
    {
        final int index = jobIds.indexOf(jobId);
        if (index <= 0)
        {
            return;
        }
        final Long2ObjectHashMap<Peer>.KeyIterator keys = peers.keySet().iterator();
        while (keys.hasNext())
        {
            final long key = keys.nextLong();
            if (ProcessKeys.jobIndex(key) == index)
            {
                peers.get(key).connection().close();
                keys.remove();
            }
        }
    }

    @Override
    public Peer resolve(final long processKey)
    {
        Peer peer = peers.get(processKey);
        if (peer == null)
        {
            peer = connect(processKey);
            peers.put(processKey, peer);
        }
        return peer;
    }

    private Peer connect(final long processKey)
    {
        final String jobId = jobIds.get(ProcessKeys.jobIndex(processKey));
        final int rank = ProcessKeys.rank(processKey);
        final String published = publishedAddresses(jobId, rank);
        final StringBuilder failures = new StringBuilder();
        for (final Transport transport : transports)
        {
            final String address = reachableAddress(transport, published);
            if (address != null)
            {
                try
                {
                    final Connection connection = transport.connect(address);
                    return new Peer(processKey, connection, transport.name(), transport.eagerLimit(),
                        transport.maxFrameLength(), transport.remoteMemory(), transport.pipelineChunkLength(),
                        transport.fragmentLength());
                }
                catch (final IOException ex)
                {
                    failures.append("; ").append(transport.name()).append(": ").append(ErrorText.of(ex));
                }
            }
        }
        throw new MpiError(ErrorClass.ERR_OTHER, "cannot reach rank " + rank + " of job " + jobId +
            " (its addresses: " + printable(published) + ")" + failures);
    }

    /**
     * The published addresses as an error message may show them: each through its transport's
     * {@link Transport#printable}, and only the scheme of a transport this process has not loaded, whose format it
     * cannot judge.
     */
    private String printable(final String published)
    {
        final StringBuilder text = new StringBuilder();
        for (final String address : published.split(","))
        {
            if (text.length() > 0)
            {
                text.append(", ");
            }
            final int colon = address.indexOf(':');
            final String scheme = colon < 0 ? address : address.substring(0, colon);
            String shown = scheme + ":(not loaded here)";
            for (final Transport transport : transports)
            {
                if (transport.name().equals(scheme))
                {
                    shown = transport.printable(address);
                    break;
                }
            }
            text.append(shown);
        }
        return text.toString();
    }

    /**
     * Name of the transport that {@link #resolve} would choose for rank {@code rank} of {@code jobId}, without
     * connecting, or "none".
     */
    String transportTo(final String jobId, final int rank)
    {
        final String published = publishedAddresses(jobId, rank);
        for (final Transport transport : transports)
        {
            if (reachableAddress(transport, published) != null)
            {
                return transport.name();
            }
        }
        return "none";
    }

    private static String reachableAddress(final Transport transport, final String published)
    {
        for (final String address : published.split(","))
        {
            if (address.startsWith(transport.name() + ":") && transport.reaches(address))
            {
                return address;
            }
        }
        return null;
    }

    private String publishedAddresses(final String jobId, final int rank)
    {
        final String published;
        try
        {
            published = keyValueStore.get(addressKey(jobId, rank));
        }
        catch (final IOException ex)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "key-value exchange failed looking up rank " + rank, ex);
        }
        if (published == null)
        {
            throw new MpiError(ErrorClass.ERR_INTERN, "rank " + rank + " of job " + jobId + " published no address");
        }
        return published;
    }
}
