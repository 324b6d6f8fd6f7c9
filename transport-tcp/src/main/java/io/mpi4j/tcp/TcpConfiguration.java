package io.mpi4j.tcp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;

import static io.mpi4j.transport.TransportSettings.setting;
import static io.mpi4j.transport.TransportSettings.sizeSetting;

/**
 * Sizes and listening address of the TCP transport, each read from the system property of the same name first, then
 * from the environment variable (sizes accept {@code k}, {@code m}, {@code g}).
 * <ul>
 *   <li>{@code MPI4J_TCP_ADDR}: IP address (or host name) to listen on and publish.</li>
 *   <li>{@code MPI4J_TCP_IF}: network interface to listen on (its first IPv4 address), when no address is given.</li>
 *   <li>Neither, in a job across nodes ({@code MPI4J_MULTI_NODE}): the address of this host's name, or when that is
 *       a loopback address, the first IPv4 address of an interface that is up.</li>
 *   <li>Neither, in a job on one node: loopback, which reaches every rank, listens on no network and costs no name
 *       lookup on MPI_Init's path.</li>
 *   <li>{@code MPI4J_TCP_FRAME_SIZE}: largest frame (default 256 KiB); every process of a job must use the same.</li>
 *   <li>{@code MPI4J_TCP_BUFFER_SIZE}: send buffer of each connection, the bound of what a sender queues ahead of the
 *       socket before {@code tryClaim} says "no capacity" (default 1 MiB, at least two largest frames).</li>
 *   <li>{@code MPI4J_TCP_EAGER_LIMIT}: eager threshold advertised to point-to-point (default 192 KiB, at most three
 *       quarters of the largest frame).</li>
 *   <li>{@code MPI4J_TCP_SOCKET_BUFFER}: the kernel's send and receive buffer of every socket (SO_SNDBUF, SO_RCVBUF);
 *       0 (the default) leaves them to the kernel's autotuning.</li>
 * </ul>
 */
public final class TcpConfiguration
{
    public static final String ADDRESS = "MPI4J_TCP_ADDR";
    public static final String INTERFACE = "MPI4J_TCP_IF";
    public static final String FRAME_SIZE = "MPI4J_TCP_FRAME_SIZE";
    public static final String BUFFER_SIZE = "MPI4J_TCP_BUFFER_SIZE";
    public static final String EAGER_LIMIT = "MPI4J_TCP_EAGER_LIMIT";
    public static final String SOCKET_BUFFER = "MPI4J_TCP_SOCKET_BUFFER";
    /** Set by the launcher when the job's hosts include another node (io.mpi4j.runtime.MpiRuntime.MULTI_NODE_ENV). */
    static final String MULTI_NODE = "MPI4J_MULTI_NODE";

    public static final int DEFAULT_MAX_FRAME_LENGTH = 256 << 10;
    public static final int DEFAULT_BUFFER_SIZE = 1 << 20;
    /**
     * Up to here a message costs the receiver a copy out of its receive buffer; a rendezvous costs a round trip of
     * control frames before the data, which over a network is the dearer (2 namespaces over veth, runs alternating
     * the two limits: 192 KiB messages 81-154 us eager against 107-315 us rendezvous).
     */
    public static final int DEFAULT_EAGER_LIMIT = 192 << 10;
    /** Kernel socket buffers: the kernel's own, grown by its autotuning. */
    public static final int DEFAULT_SOCKET_BUFFER = 0;
    /** Smallest frame worth having: a frame header of the layer above plus some payload. */
    static final int MIN_MAX_FRAME_LENGTH = 1 << 10;
    /** How long an accepted connection may take to prove it knows the listener's key. */
    public static final long DEFAULT_AUTHENTICATION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final InetAddress bindAddress;
    private final int maxFrameLength;
    private final int bufferSize;
    private final int eagerLimit;
    private final long authenticationTimeoutNs;
    private final int socketBufferSize;

    /**
     * With the kernel's socket buffers ({@link #DEFAULT_SOCKET_BUFFER}).
     *
     * @throws IllegalArgumentException when a value is out of range; the message names the setting.
     */
    public TcpConfiguration(final InetAddress bindAddress, final int maxFrameLength, final int bufferSize,
        final int eagerLimit, final long authenticationTimeoutNs)
    {
        this(bindAddress, maxFrameLength, bufferSize, eagerLimit, authenticationTimeoutNs, DEFAULT_SOCKET_BUFFER);
    }

    /**
     * @throws IllegalArgumentException when a value is out of range; the message names the setting.
     */
    public TcpConfiguration(final InetAddress bindAddress, final int maxFrameLength, final int bufferSize,
        final int eagerLimit, final long authenticationTimeoutNs, final int socketBufferSize)
    {
        if (socketBufferSize < 0)
        {
            throw new IllegalArgumentException(SOCKET_BUFFER + " must be 0 (the kernel's) or a size, got " +
                socketBufferSize);
        }
        if (maxFrameLength < MIN_MAX_FRAME_LENGTH || maxFrameLength > (1 << 30))
        {
            throw new IllegalArgumentException(FRAME_SIZE + " must be in [" + MIN_MAX_FRAME_LENGTH + ", 1g], got " +
                maxFrameLength);
        }
        if (bufferSize < 2 * FrameRecord.recordLength(maxFrameLength) + TcpHandshake.RESPONSE_LENGTH)
        {
            throw new IllegalArgumentException(BUFFER_SIZE + " must hold two frames of " + FRAME_SIZE + " (" +
                maxFrameLength + " bytes) and their record headers, got " + bufferSize);
        }
        if (eagerLimit < 0 || eagerLimit >= maxFrameLength)
        {
            throw new IllegalArgumentException(EAGER_LIMIT + " must be in [0, " + maxFrameLength + ") (" + FRAME_SIZE +
                "), got " + eagerLimit);
        }
        if (authenticationTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("authentication timeout must be positive");
        }
        this.bindAddress = bindAddress;
        this.maxFrameLength = maxFrameLength;
        this.bufferSize = bufferSize;
        this.eagerLimit = eagerLimit;
        this.authenticationTimeoutNs = authenticationTimeoutNs;
        this.socketBufferSize = socketBufferSize;
    }

    /**
     * Settings from system properties and the environment.
     *
     * @throws IllegalArgumentException naming the setting when one is malformed or names no local address.
     */
    public static TcpConfiguration fromEnvironment()
    {
        final int maxFrameLength = (int)sizeSetting(FRAME_SIZE, DEFAULT_MAX_FRAME_LENGTH);
        final int defaultBuffer = Math.max(DEFAULT_BUFFER_SIZE,
            2 * FrameRecord.recordLength(maxFrameLength) + TcpHandshake.RESPONSE_LENGTH);
        return new TcpConfiguration(
            resolveBindAddress(),
            maxFrameLength,
            (int)sizeSetting(BUFFER_SIZE, defaultBuffer),
            (int)sizeSetting(EAGER_LIMIT, Math.min(DEFAULT_EAGER_LIMIT, maxFrameLength / 4 * 3)),
            DEFAULT_AUTHENTICATION_TIMEOUT_NS,
            (int)sizeSetting(SOCKET_BUFFER, DEFAULT_SOCKET_BUFFER));
    }

    /** The address to listen on and publish, from {@link #ADDRESS}, {@link #INTERFACE} or the host name. */
    static InetAddress resolveBindAddress()
    {
        final String address = setting(ADDRESS);
        if (null != address)
        {
            final InetAddress ip;
            try
            {
                ip = InetAddress.getByName(address);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalArgumentException(ADDRESS + ": unknown host '" + address + "'");
            }
            if (!ip.isLoopbackAddress() && !isLocal(ip))
            {
                throw new IllegalArgumentException(ADDRESS + ": " + ip.getHostAddress() + " is not an address of " +
                    "this host");
            }
            return ip;
        }
        final String name = setting(INTERFACE);
        if (null != name)
        {
            try
            {
                final NetworkInterface nic = NetworkInterface.getByName(name);
                if (null == nic || !nic.isUp())
                {
                    throw new IllegalArgumentException(INTERFACE + ": no network interface '" + name + "' is up");
                }
                final InetAddress ip = firstAddress(nic);
                if (null == ip)
                {
                    throw new IllegalArgumentException(INTERFACE + ": interface '" + name + "' has no address");
                }
                return ip;
            }
            catch (final SocketException ex)
            {
                throw new IllegalArgumentException(INTERFACE + ": cannot read interface '" + name + "': " + ex);
            }
        }
        // A property too: a process started by srun --mpi=pmi2 learns that its job spans nodes only in MPI_Init.
        if (null == setting(MULTI_NODE))
        {
            return InetAddress.getLoopbackAddress();
        }
        final InetAddress host = hostAddress();
        // The name may resolve to an address this host does not have (a container, a stale hosts file): bind fails.
        if (null != host && !host.isLoopbackAddress() && isLocal(host))
        {
            return host;
        }
        final InetAddress external = firstExternalAddress();
        return null != external ? external : InetAddress.getLoopbackAddress();
    }

    /** The address this host's name resolves to, or null. */
    private static InetAddress hostAddress()
    {
        try
        {
            String host = "";
            try
            {
                host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            }
            catch (final IOException ex)
            {
                // Not Linux: the JDK's own lookup below.
            }
            return host.isEmpty() ? InetAddress.getLocalHost() : InetAddress.getByName(host);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static boolean isLocal(final InetAddress ip)
    {
        try
        {
            return null != NetworkInterface.getByInetAddress(ip);
        }
        catch (final SocketException ex)
        {
            return false;
        }
    }

    /** First IPv4 address of {@code nic}, else its first address of any kind, or null. */
    private static InetAddress firstAddress(final NetworkInterface nic)
    {
        InetAddress any = null;
        final Enumeration<InetAddress> addresses = nic.getInetAddresses();
        while (addresses.hasMoreElements())
        {
            final InetAddress ip = addresses.nextElement();
            if (ip instanceof Inet4Address)
            {
                return ip;
            }
            if (null == any && !ip.isLinkLocalAddress())
            {
                any = ip;
            }
        }
        return any;
    }

    private static InetAddress firstExternalAddress()
    {
        try
        {
            final Enumeration<NetworkInterface> nics = NetworkInterface.getNetworkInterfaces();
            while (null != nics && nics.hasMoreElements())
            {
                final NetworkInterface nic = nics.nextElement();
                if (nic.isUp() && !nic.isLoopback())
                {
                    final InetAddress ip = firstAddress(nic);
                    if (ip instanceof Inet4Address)
                    {
                        return ip;
                    }
                }
            }
        }
        catch (final SocketException ex)
        {
            // No interface list: loopback, which reaches this node only.
        }
        return null;
    }

    public InetAddress bindAddress()
    {
        return bindAddress;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    public int bufferSize()
    {
        return bufferSize;
    }

    public int eagerLimit()
    {
        return eagerLimit;
    }

    public long authenticationTimeoutNs()
    {
        return authenticationTimeoutNs;
    }

    /** SO_SNDBUF and SO_RCVBUF of every socket, or 0 for the kernel's. */
    public int socketBufferSize()
    {
        return socketBufferSize;
    }

    /** A copy listening on {@code address} (tests: loopback). */
    public TcpConfiguration withBindAddress(final InetAddress address)
    {
        return new TcpConfiguration(address, maxFrameLength, bufferSize, eagerLimit, authenticationTimeoutNs,
            socketBufferSize);
    }

    /** A copy with another authentication deadline (tests). */
    public TcpConfiguration withAuthenticationTimeoutNs(final long timeoutNs)
    {
        return new TcpConfiguration(bindAddress, maxFrameLength, bufferSize, eagerLimit, timeoutNs, socketBufferSize);
    }

    public String toString()
    {
        return "TcpConfiguration{address=" + bindAddress.getHostAddress() + ", maxFrameLength=" + maxFrameLength +
            ", bufferSize=" + bufferSize + ", eagerLimit=" + eagerLimit + ", socketBuffer=" + socketBufferSize + '}';
    }
}
