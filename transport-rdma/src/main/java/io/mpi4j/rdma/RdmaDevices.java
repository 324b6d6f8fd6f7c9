package io.mpi4j.rdma;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * What the kernel says about RDMA on this node, read from sysfs and {@code /dev} without loading any native code, so
 * that {@link RdmaTransportProvider#unavailableReason()} stays cheap: {@code /sys/class/infiniband} lists the same
 * devices {@code ibv_get_device_list} returns, and each RoCE port names its network interface in its GID table.
 */
final class RdmaDevices
{
    static final Path RDMA_CM = Path.of("/dev/infiniband/rdma_cm");
    static final Path SYS_INFINIBAND = Path.of("/sys/class/infiniband");

    private RdmaDevices()
    {
    }

    /** Device names, sorted; empty when there is none. */
    static List<String> deviceNames()
    {
        final List<String> names = new ArrayList<>();
        if (Files.isDirectory(SYS_INFINIBAND))
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(SYS_INFINIBAND))
            {
                for (final Path entry : entries)
                {
                    names.add(entry.getFileName().toString());
                }
            }
            catch (final IOException | RuntimeException ignore)
            {
                // Unreadable sysfs reads as no device.
            }
        }
        Collections.sort(names);
        return names;
    }

    /**
     * Why RDMA cannot work on this node at all, or null. Looks at the rdma_cm device node and the device list.
     */
    static String nodeProblem(final String wantedDevice)
    {
        if (!Files.exists(RDMA_CM))
        {
            return "no " + RDMA_CM + " (kernel module rdma_ucm not loaded, or no RDMA stack on this node)";
        }
        final List<String> devices = deviceNames();
        if (devices.isEmpty())
        {
            return "no RDMA device (ibv_get_device_list is empty; for Soft-RoCE: rdma link add rxe0 type rxe netdev eth0)";
        }
        if (null != wantedDevice && !devices.contains(wantedDevice))
        {
            return "RDMA device " + wantedDevice + " (from " + RdmaConfiguration.DEVICE + ") not found; devices: " +
                devices;
        }
        return null;
    }

    /** The network interface of {@code device}'s first port, from its GID table; null when sysfs does not say. */
    static String netdevOf(final String device)
    {
        final Path ports = SYS_INFINIBAND.resolve(device).resolve("ports");
        try (DirectoryStream<Path> portDirs = Files.newDirectoryStream(ports))
        {
            final List<Path> sorted = new ArrayList<>();
            portDirs.forEach(sorted::add);
            Collections.sort(sorted);
            for (final Path port : sorted)
            {
                final Path ndevs = port.resolve("gid_attrs").resolve("ndevs");
                for (int index = 0; index < 16; index++)
                {
                    final Path entry = ndevs.resolve(Integer.toString(index));
                    try
                    {
                        final String name = Files.readString(entry).trim();
                        if (!name.isEmpty())
                        {
                            return name;
                        }
                    }
                    catch (final IOException ignore)
                    {
                        // Unused GID entries cannot be read (EINVAL): try the next.
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Fall through to the rxe-specific "parent" attribute.
        }
        try
        {
            final String parent = Files.readString(SYS_INFINIBAND.resolve(device).resolve("parent")).trim();
            return parent.isEmpty() ? null : parent;
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * The IPv4 address to listen on: {@code ip} when given, else that of the device's network interface, else the
     * first non-loopback IPv4 address of an interface that is up (rdma_cm cannot route over loopback).
     *
     * @throws IOException when there is none; the message says what was looked at.
     */
    static InetAddress listenAddress(final String ip, final String wantedDevice) throws IOException
    {
        if (null != ip)
        {
            if (!RdmaAddress.isIpv4Literal(ip))
            {
                throw new IOException(RdmaConfiguration.IP + " must be an IPv4 address, got '" + ip + "'");
            }
            return InetAddress.getByName(ip);
        }
        final List<String> devices = deviceNames();
        final String device = null != wantedDevice ? wantedDevice : devices.isEmpty() ? null : devices.get(0);
        if (null != device)
        {
            final String netdev = netdevOf(device);
            if (null != netdev)
            {
                final InetAddress address = firstIpv4(NetworkInterface.getByName(netdev));
                if (null != address)
                {
                    return address;
                }
                throw new IOException("network interface " + netdev + " of RDMA device " + device +
                    " has no IPv4 address (set " + RdmaConfiguration.IP + ")");
            }
        }
        final Enumeration<NetworkInterface> interfaces = NetworkInterface.getNetworkInterfaces();
        while (null != interfaces && interfaces.hasMoreElements())
        {
            final NetworkInterface candidate = interfaces.nextElement();
            if (candidate.isUp() && !candidate.isLoopback())
            {
                final InetAddress address = firstIpv4(candidate);
                if (null != address)
                {
                    return address;
                }
            }
        }
        throw new IOException("no IPv4 address for RDMA device " + device + " (set " + RdmaConfiguration.IP + ")");
    }

    private static InetAddress firstIpv4(final NetworkInterface networkInterface) throws SocketException
    {
        if (null == networkInterface)
        {
            return null;
        }
        final Enumeration<InetAddress> addresses = networkInterface.getInetAddresses();
        while (addresses.hasMoreElements())
        {
            final InetAddress address = addresses.nextElement();
            if (address instanceof Inet4Address && !address.isLoopbackAddress())
            {
                return address;
            }
        }
        return null;
    }
}
