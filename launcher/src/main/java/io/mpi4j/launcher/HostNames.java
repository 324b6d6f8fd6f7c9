package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the launcher turns a host name of {@code --host}/{@code --hostfile} into addresses: first through the hosts
 * file named by {@value #HOSTS_FILE_ENV} (the syntax of /etc/hosts: an address, then its names), then through the
 * system's resolver. The file lets a job reach nodes that no resolver of this machine knows, such as the network
 * namespaces of {@code ci/netns.sh}, without editing /etc/hosts.
 */
final class HostNames
{
    /** Environment variable naming a hosts file read before the system's resolver. */
    static final String HOSTS_FILE_ENV = "MPI4J_HOSTS_FILE";

    private HostNames()
    {
    }

    /**
     * Every address of {@code host}.
     *
     * @throws UnknownHostException naming the host (and the hosts file) when neither knows it
     */
    static InetAddress[] resolve(final String host) throws UnknownHostException
    {
        return resolve(host, System.getenv());
    }

    static InetAddress[] resolve(final String host, final Map<String, String> env) throws UnknownHostException
    {
        final String file = env.get(HOSTS_FILE_ENV);
        if (file != null && !file.isBlank())
        {
            final InetAddress[] listed = fromFile(host, Path.of(file));
            if (listed.length > 0)
            {
                return listed;
            }
        }
        try
        {
            return InetAddress.getAllByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new UnknownHostException("host name '" + host + "' does not resolve" +
                (file != null && !file.isBlank() ? " (neither in " + HOSTS_FILE_ENV + "=" + file + " nor by the " +
                    "system's resolver)" : ""));
        }
    }

    /** The addresses {@code file} gives {@code host} (none when it does not name it or cannot be read). */
    static InetAddress[] fromFile(final String host, final Path file) throws UnknownHostException
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw new UnknownHostException("cannot read " + HOSTS_FILE_ENV + "=" + file + ": " + ErrorText.of(ex));
        }
        final String wanted = host.toLowerCase(Locale.ROOT);
        final List<InetAddress> addresses = new ArrayList<>();
        for (final String raw : lines)
        {
            final int hash = raw.indexOf('#');
            final String[] words = (hash >= 0 ? raw.substring(0, hash) : raw).trim().split("\\s+");
            if (words.length < 2)
            {
                continue;
            }
            for (int w = 1; w < words.length; w++)
            {
                if (words[w].toLowerCase(Locale.ROOT).equals(wanted))
                {
                    // A literal: getByName parses it without any lookup (and rejects a malformed one).
                    if (isLiteral(words[0]))
                    {
                        addresses.add(InetAddress.getByName(words[0]));
                    }
                    break;
                }
            }
        }
        return addresses.toArray(new InetAddress[0]);
    }

    private static boolean isLiteral(final String address)
    {
        return address.indexOf(':') >= 0 || address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
