package io.mpi4j.rdma;

import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvSendWR;
import io.mpi4j.transport.Connection;
import io.mpi4j.transport.RemoteMemory;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;

import static io.mpi4j.rdma.RdmaDescriptor.*;

/**
 * One-sided reads for the rendezvous protocol: the sender exposes its buffer (a memory registration with remote read
 * access, described by address, rkey and length, see {@link RdmaDescriptor}), the receiver posts an RDMA READ
 * straight into its own buffer on its queue pair to the sender.
 * <p>
 * Registration cache: {@link #pin pinned} ranges (long-lived buffers such as those of {@code MPI.newByteBuffer}) are
 * registered once and serve every exposure and read inside them. Other memory is registered for one transfer and
 * deregistered when it ends: a cache keyed by address alone would be wrong after the memory is freed and the address
 * reused for another mapping, which Java does not report.
 */
final class RdmaRemoteMemory implements RemoteMemory
{
    /** Token of an exposure served by a pin: nothing to release. */
    static final long PINNED = Long.MAX_VALUE;

    private static final int PIN_ACCESS =
        IbvMr.IBV_ACCESS_LOCAL_WRITE | IbvMr.IBV_ACCESS_REMOTE_READ | IbvMr.IBV_ACCESS_REMOTE_WRITE;
    private static final int EXPOSE_ACCESS = IbvMr.IBV_ACCESS_LOCAL_WRITE | IbvMr.IBV_ACCESS_REMOTE_READ;
    private static final int READ_ACCESS = IbvMr.IBV_ACCESS_LOCAL_WRITE;
    /** ibv_access_flags IBV_ACCESS_REMOTE_ATOMIC (DiSNI names no constant for it). */
    static final int ACCESS_REMOTE_ATOMIC = 1 << 3;
    private static final int WINDOW_ACCESS = IbvMr.IBV_ACCESS_LOCAL_WRITE | IbvMr.IBV_ACCESS_REMOTE_READ |
        IbvMr.IBV_ACCESS_REMOTE_WRITE | ACCESS_REMOTE_ATOMIC;

    private final RdmaTransport transport;
    private final ArrayList<Pin> pins = new ArrayList<>();
    private IbvMr[] exposures = new IbvMr[64];
    private int[] freeTokens = new int[64];
    private int freeCount;
    private int exposureHighWater;

    RdmaRemoteMemory(final RdmaTransport transport)
    {
        this.transport = transport;
    }

    private static final class Pin
    {
        final long address;
        final long length;
        final IbvMr mr;

        Pin(final long address, final long length, final IbvMr mr)
        {
            this.address = address;
            this.length = length;
            this.mr = mr;
        }
    }

    /** {@inheritDoc} */
    public long expose(final long address, final long length, final MutableDirectBuffer descriptor, final int index)
    {
        if (0 == address || length <= 0 || length > Integer.MAX_VALUE)
        {
            return NOT_EXPOSED;
        }
        final Pin pin = findPin(address, length);
        if (null != pin)
        {
            describe(descriptor, index, address, pin.mr.getRkey(), length);
            return PINNED;
        }
        final IbvMr mr = transport.tryRegister(address, (int)length, EXPOSE_ACCESS);
        if (null == mr)
        {
            return NOT_EXPOSED;
        }
        final int token = takeToken();
        exposures[token] = mr;
        describe(descriptor, index, address, mr.getRkey(), length);
        return token;
    }

    private static void describe(
        final MutableDirectBuffer descriptor, final int index, final long address, final int rkey, final long length)
    {
        descriptor.putLong(index + REGION_ADDRESS_OFFSET, address);
        descriptor.putInt(index + REGION_RKEY_OFFSET, rkey);
        descriptor.putInt(index + REGION_LENGTH_OFFSET, (int)length);
    }

    private int takeToken()
    {
        if (freeCount > 0)
        {
            return freeTokens[--freeCount];
        }
        if (exposureHighWater == exposures.length)
        {
            exposures = Arrays.copyOf(exposures, exposures.length * 2);
            freeTokens = Arrays.copyOf(freeTokens, freeTokens.length * 2);
        }
        return exposureHighWater++;
    }

    /** {@inheritDoc} */
    public void release(final long token)
    {
        if (token == PINNED || token < 0 || token >= exposureHighWater)
        {
            return;
        }
        final int slot = (int)token;
        final IbvMr mr = exposures[slot];
        if (null != mr)
        {
            exposures[slot] = null;
            freeTokens[freeCount++] = slot;
            transport.deregister(mr);
        }
    }

    /** {@inheritDoc} */
    public boolean pin(final long address, final long length)
    {
        if (0 == address || length <= 0 || length > Integer.MAX_VALUE)
        {
            return false;
        }
        for (final Pin pin : pins)
        {
            if (pin.address == address && pin.length == length)
            {
                return true;
            }
        }
        final IbvMr mr = transport.tryRegister(address, (int)length, PIN_ACCESS);
        if (null == mr)
        {
            return false;
        }
        pins.add(new Pin(address, length, mr));
        return true;
    }

    /** {@inheritDoc} */
    public void unpin(final long address, final long length)
    {
        for (int i = 0; i < pins.size(); i++)
        {
            final Pin pin = pins.get(i);
            if (pin.address == address && pin.length == length)
            {
                pins.remove(i);
                transport.deregister(pin.mr);
                return;
            }
        }
    }

    private Pin findPin(final long address, final long length)
    {
        for (int i = 0, size = pins.size(); i < size; i++)
        {
            final Pin pin = pins.get(i);
            if (address >= pin.address && address + length <= pin.address + pin.length)
            {
                return pin;
            }
        }
        return null;
    }

    /** {@inheritDoc} */
    public boolean read(
        final Connection connection,
        final DirectBuffer descriptor,
        final int index,
        final long localAddress,
        final long length,
        final long cookie)
    {
        final RdmaConnection rdma = transport.ownConnection(connection);
        if (null == rdma)
        {
            throw new IllegalArgumentException("not a connection of this rdma transport: " + connection);
        }
        if (rdma.isFinished())
        {
            transport.queueReadResult(cookie, null != rdma.failure() ? rdma.failure() :
                "rdma connection to " + rdma.peerAddress() + " is closed");
            return true;
        }
        final long remoteAddress = descriptor.getLong(index + REGION_ADDRESS_OFFSET);
        final int rkey = descriptor.getInt(index + REGION_RKEY_OFFSET);
        final long remoteLength = descriptor.getInt(index + REGION_LENGTH_OFFSET) & 0xFFFF_FFFFL;
        if (length < 0 || length > remoteLength)
        {
            transport.queueReadResult(cookie, "read of " + length + " bytes from a region of " + remoteLength);
            return true;
        }
        if (0 == length)
        {
            transport.queueReadResult(cookie, null);
            return true;
        }
        if (!rdma.isReadable() || (rdma.readsBusy() == (1 << RdmaConnection.MAX_READS) - 1))
        {
            return false;
        }
        final Pin pin = findPin(localAddress, length);
        IbvMr registration = null;
        final int lkey;
        if (null != pin)
        {
            lkey = pin.mr.getLkey();
        }
        else
        {
            registration = transport.tryRegister(localAddress, (int)length, READ_ACCESS);
            if (null == registration)
            {
                transport.queueReadResult(cookie, "cannot register " + length + " bytes at 0x" +
                    Long.toHexString(localAddress) + " for an RDMA READ (locked-memory limit? ulimit -l)");
                return true;
            }
            lkey = registration.getLkey();
        }
        try
        {
            if (rdma.read(remoteAddress, rkey, localAddress, lkey, (int)length, cookie, registration))
            {
                return true;
            }
        }
        catch (final IOException ex)
        {
            rdma.fail("posting an RDMA READ to " + rdma.peerAddress() + " failed: " + ex.getMessage());
            transport.queueReadResult(cookie, rdma.failure());
            transport.deregister(registration);
            return true;
        }
        transport.deregister(registration);
        return false;
    }

    // ------------------------------------------------------------------------------------------------- windows

    /** {@inheritDoc} RDMA WRITE, READ and verbs atomics on registered memory. */
    @Override
    public boolean windows()
    {
        return true;
    }

    /** {@inheritDoc} */
    public long exposeWindow(final long address, final long length, final MutableDirectBuffer descriptor,
        final int index)
    {
        if (0 == address || length <= 0 || length > Integer.MAX_VALUE)
        {
            return NOT_EXPOSED;
        }
        final IbvMr mr = transport.tryRegister(address, (int)length, WINDOW_ACCESS);
        if (null == mr)
        {
            return NOT_EXPOSED;
        }
        final int token = takeToken();
        exposures[token] = mr;
        descriptor.putLong(index + WINDOW_ADDRESS_OFFSET, address);
        descriptor.putInt(index + WINDOW_RKEY_OFFSET, mr.getRkey());
        descriptor.putInt(index + WINDOW_FLAGS_OFFSET, transport.atomics() ? WINDOW_ATOMICS : 0);
        descriptor.putLong(index + WINDOW_LENGTH_OFFSET, length);
        return token;
    }

    /** {@inheritDoc} */
    public void unexposeWindow(final long token)
    {
        release(token);
    }

    /** {@inheritDoc} Verbs atomics need both ends' devices to do them. */
    public boolean atomics(final DirectBuffer descriptor, final int index)
    {
        return transport.atomics() && (descriptor.getInt(index + WINDOW_FLAGS_OFFSET) & WINDOW_ATOMICS) != 0;
    }

    /** {@inheritDoc} */
    public long writeWindow(final Connection connection, final DirectBuffer descriptor, final int index, final long offset,
        final long localAddress, final long length)
    {
        return transfer(true, connection, descriptor, index, offset, localAddress, length);
    }

    /** {@inheritDoc} */
    public long readWindow(final Connection connection, final DirectBuffer descriptor, final int index,
        final long offset, final long localAddress, final long length)
    {
        return transfer(false, connection, descriptor, index, offset, localAddress, length);
    }

    private long transfer(final boolean write, final Connection connection, final DirectBuffer descriptor,
        final int index, final long offset, final long localAddress, final long length)
    {
        final RdmaConnection rdma = windowConnection(connection, descriptor, index, offset, length);
        final Pin pin = findPin(localAddress, length);
        if (null == pin)
        {
            return UNSUPPORTED;
        }
        if (!rdma.canPostOneSided())
        {
            return NO_CAPACITY;
        }
        try
        {
            return rdma.postTransfer(write, descriptor.getLong(index + WINDOW_ADDRESS_OFFSET) + offset,
                descriptor.getInt(index + WINDOW_RKEY_OFFSET), localAddress, pin.mr.getLkey(), (int)length);
        }
        catch (final IOException ex)
        {
            throw failed(rdma, write ? "an RDMA WRITE" : "an RDMA READ", ex);
        }
    }

    /** {@inheritDoc} */
    public long fetchAndAdd(final Connection connection, final DirectBuffer descriptor, final int index,
        final long offset, final long addend, final long resultAddress)
    {
        return atomic(IbvSendWR.IBV_WR_ATOMIC_FETCH_AND_ADD, connection, descriptor, index, offset, addend, 0,
            resultAddress);
    }

    /** {@inheritDoc} */
    public long compareAndSwap(final Connection connection, final DirectBuffer descriptor, final int index,
        final long offset, final long compare, final long swap, final long resultAddress)
    {
        return atomic(IbvSendWR.IBV_WR_ATOMIC_CMP_AND_SWP, connection, descriptor, index, offset, compare, swap,
            resultAddress);
    }

    private long atomic(final int opcode, final Connection connection, final DirectBuffer descriptor,
        final int index, final long offset, final long compareAdd, final long swap, final long resultAddress)
    {
        final RdmaConnection rdma = windowConnection(connection, descriptor, index, offset, Long.BYTES);
        final Pin pin = findPin(resultAddress, Long.BYTES);
        final long remoteAddress = descriptor.getLong(index + WINDOW_ADDRESS_OFFSET) + offset;
        if (null == pin || !atomics(descriptor, index) || (remoteAddress & 7) != 0 || (resultAddress & 7) != 0)
        {
            return UNSUPPORTED;
        }
        if (!rdma.canPostOneSided())
        {
            return NO_CAPACITY;
        }
        try
        {
            return rdma.postAtomic(opcode, remoteAddress, descriptor.getInt(index + WINDOW_RKEY_OFFSET),
                resultAddress, pin.mr.getLkey(), compareAdd, swap);
        }
        catch (final IOException ex)
        {
            throw failed(rdma, "an atomic", ex);
        }
    }

    /** {@inheritDoc} */
    public boolean isComplete(final Connection connection, final long ticket)
    {
        if (!(connection instanceof RdmaConnection))
        {
            throw new IllegalArgumentException("not a connection of this rdma transport: " + connection);
        }
        return ((RdmaConnection)connection).isOneSidedComplete(ticket);
    }

    private RdmaConnection windowConnection(final Connection connection, final DirectBuffer descriptor,
        final int index, final long offset, final long length)
    {
        final RdmaConnection rdma = transport.ownConnection(connection);
        if (null == rdma)
        {
            throw new IllegalArgumentException("not a connection of this rdma transport: " + connection);
        }
        if (rdma.isFinished())
        {
            throw new IllegalStateException(null != rdma.failure() ? rdma.failure() :
                "rdma connection to " + rdma.peerAddress() + " is closed");
        }
        final long windowLength = descriptor.getLong(index + WINDOW_LENGTH_OFFSET);
        if (offset < 0 || length <= 0 || length > Integer.MAX_VALUE || offset + length > windowLength)
        {
            throw new IllegalArgumentException("bytes " + offset + ".." + (offset + length) + " are outside a window " +
                "of " + windowLength + " bytes");
        }
        return rdma;
    }

    private static IllegalStateException failed(final RdmaConnection rdma, final String what, final IOException ex)
    {
        rdma.fail("posting " + what + " to " + rdma.peerAddress() + " failed: " + ex.getMessage());
        return new IllegalStateException(rdma.failure(), ex);
    }

    /** Deregister every pin and exposure (transport close). */
    void close()
    {
        for (final Pin pin : pins)
        {
            transport.deregister(pin.mr);
        }
        pins.clear();
        for (int i = 0; i < exposureHighWater; i++)
        {
            exposures[i] = transport.deregister(exposures[i]);
        }
        freeCount = 0;
        exposureHighWater = 0;
    }
}
