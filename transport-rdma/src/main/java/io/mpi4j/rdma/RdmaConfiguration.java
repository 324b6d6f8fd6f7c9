package io.mpi4j.rdma;

import static io.mpi4j.transport.TransportSettings.setting;
import static io.mpi4j.transport.TransportSettings.sizeSetting;

/**
 * Sizes of the RDMA transport. Each setting is read from the system property of the same name first, then from the
 * environment variable; sizes accept a {@code k}, {@code m} or {@code g} suffix (binary).
 * <ul>
 *   <li>{@code MPI4J_RDMA_DEVICE}: RDMA device whose network interface supplies the address (default: the first one
 *       in {@code /sys/class/infiniband}).</li>
 *   <li>{@code MPI4J_RDMA_IP}: IPv4 address to listen on, overriding the device's interface address.</li>
 *   <li>{@code MPI4J_RDMA_FRAME}: largest frame, i.e. the size of each pre-posted receive buffer (default 16 KiB).</li>
 *   <li>{@code MPI4J_RDMA_CREDITS}: receive buffers posted per incoming connection, i.e. how many frames a sender may
 *       have in flight (default 64). The sender's send ring has as many slots.</li>
 *   <li>{@code MPI4J_RDMA_EAGER_LIMIT}: eager threshold advertised to point-to-point (default 8 KiB, below the
 *       frame size).</li>
 *   <li>{@code MPI4J_RDMA_INLINE}: largest frame sent with {@code IBV_SEND_INLINE} (default 128; 0 disables).</li>
 *   <li>{@code MPI4J_RDMA_CQ_SIZE}: entries of the transport's one completion queue (default 16384); it bounds how
 *       many connections one process can hold, since each reserves its worst-case number of completions.</li>
 * </ul>
 * Every process of a job should use the same frame size: a sender's frames must fit the receiver's buffers, and the
 * connection handshake refuses a sender whose frames are larger.
 */
public final class RdmaConfiguration
{
    public static final String DEVICE = "MPI4J_RDMA_DEVICE";
    public static final String IP = "MPI4J_RDMA_IP";
    public static final String FRAME = "MPI4J_RDMA_FRAME";
    public static final String CREDITS = "MPI4J_RDMA_CREDITS";
    public static final String EAGER_LIMIT = "MPI4J_RDMA_EAGER_LIMIT";
    public static final String INLINE = "MPI4J_RDMA_INLINE";
    public static final String CQ_SIZE = "MPI4J_RDMA_CQ_SIZE";
    /** "off": windows use no verbs atomics even when the device has them (fetch-and-op goes through the target). */
    public static final String ATOMICS = "MPI4J_RDMA_ATOMICS";

    public static final int DEFAULT_FRAME = 16 << 10;
    public static final int DEFAULT_CREDITS = 64;
    public static final int DEFAULT_EAGER_LIMIT = 8 << 10;
    public static final int DEFAULT_INLINE = 128;
    public static final int DEFAULT_CQ_SIZE = 16384;

    /** Frames are placed at 64-byte multiples in the rings so that each starts on its own cache line. */
    public static final int FRAME_ALIGNMENT = 64;
    public static final int MIN_FRAME = 256;
    public static final int MAX_FRAME = 1 << 20;
    public static final int MAX_CREDITS = 4000;

    private final String device;
    private final String ip;
    private final int maxFrameLength;
    private final int credits;
    private final int eagerLimit;
    private final int inlineLimit;
    private final int cqSize;

    /**
     * @throws IllegalArgumentException when a value is out of range; the message names the setting.
     */
    public RdmaConfiguration(
        final String device,
        final String ip,
        final int maxFrameLength,
        final int credits,
        final int eagerLimit,
        final int inlineLimit,
        final int cqSize)
    {
        if (maxFrameLength < MIN_FRAME || maxFrameLength > MAX_FRAME)
        {
            throw new IllegalArgumentException(
                FRAME + " must be in [" + MIN_FRAME + ", " + MAX_FRAME + "], got " + maxFrameLength);
        }
        if (credits < 2 || credits > MAX_CREDITS)
        {
            throw new IllegalArgumentException(CREDITS + " must be in [2, " + MAX_CREDITS + "], got " + credits);
        }
        if (eagerLimit < 0 || eagerLimit >= maxFrameLength)
        {
            throw new IllegalArgumentException(
                EAGER_LIMIT + " must be in [0, " + maxFrameLength + ") (" + FRAME + "), got " + eagerLimit);
        }
        if (inlineLimit < 0 || inlineLimit > 1024)
        {
            throw new IllegalArgumentException(INLINE + " must be in [0, 1024], got " + inlineLimit);
        }
        if (cqSize < 256)
        {
            throw new IllegalArgumentException(CQ_SIZE + " must be at least 256, got " + cqSize);
        }
        this.device = device;
        this.ip = ip;
        this.maxFrameLength = maxFrameLength;
        this.credits = credits;
        this.eagerLimit = eagerLimit;
        this.inlineLimit = inlineLimit;
        this.cqSize = cqSize;
    }

    /** Settings from system properties and the environment. */
    public static RdmaConfiguration fromEnvironment()
    {
        final int frame = (int)sizeSetting(FRAME, DEFAULT_FRAME);
        // An unset eager limit follows a small frame down instead of making the frame size invalid.
        final int defaultEager = Math.min(DEFAULT_EAGER_LIMIT, frame / 2);
        return new RdmaConfiguration(
            setting(DEVICE),
            setting(IP),
            frame,
            (int)sizeSetting(CREDITS, DEFAULT_CREDITS),
            (int)sizeSetting(EAGER_LIMIT, defaultEager),
            (int)sizeSetting(INLINE, DEFAULT_INLINE),
            (int)sizeSetting(CQ_SIZE, DEFAULT_CQ_SIZE));
    }

    /** RDMA device name asked for, or null for the first one. */
    public String device()
    {
        return device;
    }

    /** IPv4 address asked for, or null for the device's interface address. */
    public String ip()
    {
        return ip;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /** Bytes between the starts of two ring slots: a frame rounded up to {@link #FRAME_ALIGNMENT}. */
    public int slotLength()
    {
        return (maxFrameLength + FRAME_ALIGNMENT - 1) & -FRAME_ALIGNMENT;
    }

    public int credits()
    {
        return credits;
    }

    public int eagerLimit()
    {
        return eagerLimit;
    }

    public int inlineLimit()
    {
        return inlineLimit;
    }

    public int cqSize()
    {
        return cqSize;
    }

    public String toString()
    {
        return "RdmaConfiguration{device=" + device + ", ip=" + ip + ", maxFrameLength=" + maxFrameLength +
            ", credits=" + credits + ", eagerLimit=" + eagerLimit + ", inlineLimit=" + inlineLimit +
            ", cqSize=" + cqSize + '}';
    }
}
