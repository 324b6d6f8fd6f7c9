package io.mpi4j.shm;

import java.nio.file.Path;

/**
 * Address of an inbox: {@code shm:<nodeId>:<absolute path of the inbox file>}. The node id tells peers whether they
 * share memory; the path is where they map it.
 */
final class ShmAddress
{
    static final String SCHEME = ShmTransportProvider.NAME + ":";

    private ShmAddress()
    {
    }

    static String format(final String nodeId, final Path inboxFile)
    {
        final String address = SCHEME + nodeId + ":" + inboxFile.toAbsolutePath();
        for (int i = 0; i < address.length(); i++)
        {
            final char c = address.charAt(i);
            if (Character.isWhitespace(c) || ',' == c)
            {
                throw new IllegalArgumentException("shm address may not contain whitespace or commas: " + address);
            }
        }
        return address;
    }

    /** Index of the ':' that separates node id and path, or -1 when {@code address} is not an shm address. */
    private static int separator(final String address)
    {
        if (null == address || !address.startsWith(SCHEME))
        {
            return -1;
        }
        return address.indexOf(":/", SCHEME.length());
    }

    static boolean isValid(final String address)
    {
        return separator(address) >= 0;
    }

    /** Whether {@code address} names an inbox on node {@code nodeId}. */
    static boolean isOnNode(final String address, final String nodeId)
    {
        final int separator = separator(address);
        return separator - SCHEME.length() == nodeId.length() &&
            address.regionMatches(SCHEME.length(), nodeId, 0, nodeId.length());
    }

    static Path path(final String address)
    {
        final int separator = separator(address);
        if (separator < 0)
        {
            throw new IllegalArgumentException("not an shm address (shm:<node>:<path>): " + address);
        }
        return Path.of(address.substring(separator + 1));
    }
}
