package io.mpi4j.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Address of a TCP endpoint: {@code tcp:<ip>/<port>/<key>/<jobId>/<processIndex>/<nodeId>}. The IP literal and port
 * are where it listens; the key (hex) is what a connecting process must prove it knows; job and index name the
 * process in error messages; the node id tells whether a loopback address is reachable (only from the same node).
 * Slashes, because IPv6 literals contain colons.
 */
final class TcpAddress
{
    static final String SCHEME = TcpTransportProvider.NAME + ":";
    private static final char SEPARATOR = '/';

    final InetSocketAddress socketAddress;
    final byte[] key;
    final String jobId;
    final int processIndex;
    final String nodeId;

    private TcpAddress(final InetSocketAddress socketAddress, final byte[] key, final String jobId,
        final int processIndex, final String nodeId)
    {
        this.socketAddress = socketAddress;
        this.key = key;
        this.jobId = jobId;
        this.processIndex = processIndex;
        this.nodeId = nodeId;
    }

    static String format(final InetAddress ip, final int port, final byte[] key, final String jobId,
        final int processIndex, final String nodeId)
    {
        final String address = SCHEME + ip.getHostAddress() + SEPARATOR + port + SEPARATOR + hex(key) + SEPARATOR +
            jobId + SEPARATOR + processIndex + SEPARATOR + nodeId;
        for (int i = 0; i < address.length(); i++)
        {
            final char c = address.charAt(i);
            if (Character.isWhitespace(c) || ',' == c)
            {
                throw new IllegalArgumentException("tcp address may not contain whitespace or commas: " + address);
            }
        }
        return address;
    }

    /** The parsed address, or null when {@code address} is not a well-formed tcp address with an IP literal. */
    static TcpAddress parse(final String address)
    {
        if (null == address || !address.startsWith(SCHEME))
        {
            return null;
        }
        final int hostEnd = address.indexOf(SEPARATOR, SCHEME.length());
        final int portEnd = hostEnd < 0 ? -1 : address.indexOf(SEPARATOR, hostEnd + 1);
        final int keyEnd = portEnd < 0 ? -1 : address.indexOf(SEPARATOR, portEnd + 1);
        final int jobEnd = keyEnd < 0 ? -1 : address.indexOf(SEPARATOR, keyEnd + 1);
        final int indexEnd = jobEnd < 0 ? -1 : address.indexOf(SEPARATOR, jobEnd + 1);
        if (indexEnd < 0 || indexEnd + 1 >= address.length())
        {
            return null;
        }
        final String host = address.substring(SCHEME.length(), hostEnd);
        if (!isIpLiteral(host))
        {
            return null;
        }
        final byte[] key = unhex(address, portEnd + 1, keyEnd);
        if (null == key || key.length != TcpHandshake.KEY_LENGTH || jobEnd == keyEnd + 1)
        {
            return null;
        }
        try
        {
            final int port = Integer.parseInt(address, hostEnd + 1, portEnd, 10);
            final int processIndex = Integer.parseInt(address, jobEnd + 1, indexEnd, 10);
            if (port <= 0 || port > 65535 || processIndex < 0)
            {
                return null;
            }
            // A literal: no name lookup happens.
            final InetAddress ip = InetAddress.getByName(host);
            return new TcpAddress(new InetSocketAddress(ip, port), key, address.substring(keyEnd + 1, jobEnd),
                processIndex, address.substring(indexEnd + 1));
        }
        catch (final NumberFormatException | UnknownHostException ex)
        {
            return null;
        }
    }

    /** "rank 3 of job j1 at 10.0.0.2:41000", for error messages. */
    String describe()
    {
        return "rank " + processIndex + " of job " + jobId + " at " + endpoint(socketAddress);
    }

    static String endpoint(final InetSocketAddress address)
    {
        if (null == address)
        {
            return "?";
        }
        final String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    /** Digits, dots, and for IPv6 hex digits and colons (a zone after '%'): never a name that needs a lookup. */
    private static boolean isIpLiteral(final String host)
    {
        if (host.isEmpty())
        {
            return false;
        }
        boolean colon = false;
        boolean letter = false;
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            if (c == '%' && colon)
            {
                return true;
            }
            if (c == ':')
            {
                colon = true;
            }
            else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            {
                letter = true;
            }
            else if (!((c >= '0' && c <= '9') || c == '.'))
            {
                return false;
            }
        }
        return colon || !letter;
    }

    static String hex(final byte[] bytes)
    {
        final char[] digits = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            digits[2 * i] = Character.forDigit((bytes[i] >> 4) & 0xF, 16);
            digits[2 * i + 1] = Character.forDigit(bytes[i] & 0xF, 16);
        }
        return new String(digits);
    }

    private static byte[] unhex(final String text, final int from, final int to)
    {
        if ((to - from) % 2 != 0)
        {
            return null;
        }
        final byte[] bytes = new byte[(to - from) / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            final int high = Character.digit(text.charAt(from + 2 * i), 16);
            final int low = Character.digit(text.charAt(from + 2 * i + 1), 16);
            if (high < 0 || low < 0)
            {
                return null;
            }
            bytes[i] = (byte)((high << 4) | low);
        }
        return bytes;
    }
}
