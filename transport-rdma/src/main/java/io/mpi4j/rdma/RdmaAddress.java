package io.mpi4j.rdma;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Address of an RDMA endpoint: {@code rdma:<IPv4>:<port>}, the rdma_cm listening id of the peer. rdma_cm resolves
 * the IP to the peer's RDMA device (for RoCE the IP of the Ethernet interface the device sits on), so the address
 * needs no device name or GID.
 */
final class RdmaAddress
{
    static final String SCHEME = RdmaTransportProvider.NAME + ":";

    private RdmaAddress()
    {
    }

    static String format(final InetAddress ip, final int port)
    {
        return SCHEME + ip.getHostAddress() + ":" + port;
    }

    /**
     * @return the socket address, or null when {@code address} is not a well-formed rdma address with an IPv4 literal.
     */
    static InetSocketAddress parse(final String address)
    {
        if (null == address || !address.startsWith(SCHEME))
        {
            return null;
        }
        final int colon = address.lastIndexOf(':');
        if (colon <= SCHEME.length())
        {
            return null;
        }
        final String host = address.substring(SCHEME.length(), colon);
        final int port;
        try
        {
            port = Integer.parseInt(address.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
        if (port <= 0 || port > 65535 || !isIpv4Literal(host))
        {
            return null;
        }
        try
        {
            // A literal: no name lookup happens.
            final InetAddress ip = InetAddress.getByName(host);
            return ip instanceof Inet4Address ? new InetSocketAddress(ip, port) : null;
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    static boolean isIpv4Literal(final String host)
    {
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            if (c == '.')
            {
                if (digits == 0)
                {
                    return false;
                }
                dots++;
                digits = 0;
            }
            else if (c >= '0' && c <= '9' && digits < 3)
            {
                digits++;
            }
            else
            {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }
}
