package io.mpi4j.rdma.natives;

import com.ibm.disni.util.NativeAffinity;
import com.ibm.disni.verbs.IbvCQ;
import com.ibm.disni.verbs.IbvCompChannel;
import com.ibm.disni.verbs.IbvContext;
import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvPd;
import com.ibm.disni.verbs.IbvQP;
import com.ibm.disni.verbs.IbvQPInitAttr;
import com.ibm.disni.verbs.IbvRecvWR;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCm;
import com.ibm.disni.verbs.RdmaCmEvent;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.RdmaConnParam;
import com.ibm.disni.verbs.RdmaEventChannel;
import com.ibm.disni.verbs.RdmaVerbs;
import com.ibm.disni.verbs.SVCPollCq;
import com.ibm.disni.verbs.impl.NatCmaIdPrivate;
import com.ibm.disni.verbs.impl.NatIbvCQ;
import com.ibm.disni.verbs.impl.NatIbvMr;
import com.ibm.disni.verbs.impl.NatIbvPd;
import com.ibm.disni.verbs.impl.NatIbvQP;
import com.ibm.disni.verbs.impl.NatIbvSendWR;
import com.ibm.disni.verbs.impl.NatRdmaEventChannel;
import com.ibm.disni.verbs.impl.NativeDispatcher;
import com.ibm.disni.verbs.impl.RdmaVerbsNat;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks mpi4j's {@code libdisni} against DiSNI 2.1's native contract: every native method of
 * {@code NativeDispatcher} (48) and {@code NativeAffinity} (2), and our {@link VerbsExtensions} (2), links,
 * answers as DiSNI's Java side expects, and rejects handles that are 0 or were never handed out with an {@link IOException} instead of crashing the JVM.
 * With an RDMA device (Soft-RoCE in the CI VMs) it also connects two rdma_cm ids over the device and moves data
 * with SEND, RDMA WRITE and RDMA READ through DiSNI's public verbs API, which exercises every method for real.
 * <p>
 * Standalone use (the VM harness): {@code java <mpi4j JVM flags> -Djava.library.path=<dir of libdisni.so>
 * -cp <transport-rdma jar>:<runtime class path> io.mpi4j.rdma.natives.ContractCheck [--require-device]}.
 * Prints one line per native method; exits 1 if any check failed (with {@code --require-device}, also when no
 * device could be used), 2 on a usage error.
 */
public final class ContractCheck
{
    /** What happened to one native method. */
    public enum Status
    {
        /** Every check that ran passed. */
        PASS,
        /** Nothing could be checked (e.g. no RDMA device). */
        SKIP,
        /** A check failed. */
        FAIL
    }

    /** The verdict on one native method, with what was checked. */
    public record Outcome(String method, Status status, String detail)
    {
        /** The line printed for this method. */
        public String line()
        {
            return String.format("%-28s %-4s %s", method, status, detail);
        }
    }

    /** The 48 native methods of {@code com.ibm.disni.verbs.impl.NativeDispatcher}. */
    public static final List<String> DISPATCHER_METHODS = List.of(
        "_createEventChannel", "_createId", "_createQP", "_bindAddr", "_listen", "_resolveAddr", "_resolveRoute",
        "_getCmEvent", "_connect", "_accept", "_ackCmEvent", "_disconnect", "_destroyEventChannel", "_destroyCmId",
        "_destroyQP", "_getSrcAddr", "_getDstAddr", "_destroyEp", "_allocPd", "_createCompChannel", "_createCQ",
        "_modifyQP", "_regMr", "_queryOdpSupport", "_expPrefetchMr", "_deregMr", "_postSend", "_postRecv",
        "_getCqEvent", "_pollCQ", "_reqNotifyCQ", "_ackCqEvent", "_destroyCompChannel", "_deallocPd", "_destroyCQ",
        "_getContext", "_getQpNum", "_getContextFd", "_getContextNumCompVectors", "_getPdHandle",
        "_getSockAddrInSize", "_getIbvRecvWRSize", "_getIbvSendWRSize", "_getIbvSgeSize", "_getIbvWCSize",
        "_getRemoteAddressOffset", "_getRKeyOffset", "_getVersion");

    /** The 2 native methods of {@code com.ibm.disni.util.NativeAffinity}. */
    public static final List<String> AFFINITY_METHODS = List.of("_setAffinity", "_getAffinity");

    /** Our 2 native methods beside DiSNI's contract ({@link VerbsExtensions}). */
    public static final List<String> EXTENSION_METHODS =
        List.of("VerbsExtensions.atomicCapability", "VerbsExtensions.postAtomic");

    /** The methods whose answer does not depend on a device: nothing is left to check on one. */
    private static final List<String> DEVICE_INDEPENDENT = List.of("_ackCmEvent", "_getSockAddrInSize",
        "_getIbvRecvWRSize", "_getIbvSendWRSize", "_getIbvSgeSize", "_getIbvWCSize", "_getRemoteAddressOffset",
        "_getRKeyOffset", "_getVersion", "_setAffinity", "_getAffinity");

    private static final long EVENT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int IBV_WC_SUCCESS = 0;
    private static final int IBV_WC_WR_FLUSH_ERR = 5;
    private static final int EBUSY = 16;

    @FunctionalInterface
    private interface HandleCall
    {
        void call(long handle) throws Exception;
    }

    private final Map<String, List<Outcome>> results = new LinkedHashMap<>();
    private final long[] badHandles;
    private NativeDispatcher dispatcher;
    private String step = "";

    private ContractCheck()
    {
        for (final String method : DISPATCHER_METHODS)
        {
            results.put(method, new ArrayList<>());
        }
        for (final String method : AFFINITY_METHODS)
        {
            results.put(method, new ArrayList<>());
        }
        for (final String method : EXTENSION_METHODS)
        {
            results.put(method, new ArrayList<>());
        }
        // 0 is never a handle; the others look like heap addresses but were never handed out.
        final long random = (ThreadLocalRandom.current().nextLong(1L << 32, 1L << 46)) & ~0xFL;
        badHandles = new long[] {0L, 0x7f5a5a5a5a50L, random};
    }

    /**
     * Runs every check.
     *
     * @param requireDevice when true, not being able to use an RDMA device is a failure, not a skip.
     * @return one outcome per native method, NativeDispatcher's first.
     */
    public static List<Outcome> run(final boolean requireDevice)
    {
        final ContractCheck check = new ContractCheck();
        check.runAll(requireDevice);
        return check.verdicts();
    }

    public static void main(final String[] args)
    {
        boolean requireDevice = false;
        for (final String arg : args)
        {
            if ("--require-device".equals(arg))
            {
                requireDevice = true;
            }
            else
            {
                System.err.println("usage: ContractCheck [--require-device]");
                System.exit(2);
            }
        }
        final List<Outcome> outcomes = run(requireDevice);
        final PrintStream out = System.out;
        int failed = 0;
        int skipped = 0;
        for (final Outcome outcome : outcomes)
        {
            out.println(outcome.line());
            failed += outcome.status() == Status.FAIL ? 1 : 0;
            skipped += outcome.status() == Status.SKIP ? 1 : 0;
        }
        out.printf("libdisni contract: %d methods, %d failed, %d skipped%n", outcomes.size(), failed, skipped);
        out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    private void runAll(final boolean requireDevice)
    {
        final String loadFailure = NativeLibraryLocator.loadCheck();
        if (loadFailure != null)
        {
            failAll("library not loadable: " + loadFailure);
            return;
        }
        try
        {
            final Constructor<NativeDispatcher> constructor = NativeDispatcher.class.getDeclaredConstructor();
            constructor.setAccessible(true);
            dispatcher = constructor.newInstance();
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            failAll("NativeDispatcher did not start: " + describe(cause));
            return;
        }

        checkLayout();
        checkAffinity();
        checkBadHandles();
        checkAckCmEvent();

        final String deviceReason = deviceUnavailableReason();
        if (deviceReason != null)
        {
            for (final String method : DISPATCHER_METHODS)
            {
                if (!DEVICE_INDEPENDENT.contains(method) && !"_createEventChannel".equals(method))
                {
                    record(method, requireDevice ? Status.FAIL : Status.SKIP, "device part: " + deviceReason);
                }
            }
            return;
        }
        checkOnDevice();
    }

    private List<Outcome> verdicts()
    {
        final List<Outcome> verdicts = new ArrayList<>(results.size());
        for (final Map.Entry<String, List<Outcome>> entry : results.entrySet())
        {
            final List<Outcome> parts = entry.getValue();
            Status status = Status.SKIP;
            final StringBuilder detail = new StringBuilder();
            for (final Outcome part : parts)
            {
                if (part.status() == Status.FAIL || (part.status() == Status.PASS && status == Status.SKIP))
                {
                    status = part.status();
                }
                if (detail.length() > 0)
                {
                    detail.append("; ");
                }
                final boolean mixed = parts.size() > 1 && part.status() != Status.PASS;
                detail.append(mixed ? part.status() + ": " : "").append(part.detail());
            }
            if (parts.isEmpty())
            {
                status = Status.FAIL;
                detail.append("never called by the check (bug in ContractCheck)");
            }
            verdicts.add(new Outcome(entry.getKey(), status, detail.toString()));
        }
        return verdicts;
    }

    private void record(final String method, final Status status, final String detail)
    {
        final List<Outcome> parts = results.get(method);
        if (parts == null)
        {
            throw new IllegalArgumentException("not a native method of the contract: " + method);
        }
        parts.add(new Outcome(method, status, detail));
    }

    private void pass(final String method, final String detail)
    {
        record(method, Status.PASS, detail);
    }

    private void fail(final String method, final String detail)
    {
        record(method, Status.FAIL, detail);
    }

    private void failAll(final String reason)
    {
        for (final String method : results.keySet())
        {
            fail(method, reason);
        }
    }

    private void checkLayout()
    {
        expectValue("_getVersion", dispatcher._getVersion(), 32);
        expectValue("_getSockAddrInSize", dispatcher._getSockAddrInSize(), 16);
        expectValue("_getIbvRecvWRSize", dispatcher._getIbvRecvWRSize(), 32);
        expectValue("_getIbvSgeSize", dispatcher._getIbvSgeSize(), 16);
        expectValue("_getIbvWCSize", dispatcher._getIbvWCSize(), 48);
        expectValue("_getRemoteAddressOffset", dispatcher._getRemoteAddressOffset(), 40);
        expectValue("_getRKeyOffset", dispatcher._getRKeyOffset(), 48);
        final int sendSize = dispatcher._getIbvSendWRSize();
        // DiSNI writes 56 bytes of each send WR and strides by this size: anything smaller than its own 72 is wrong.
        if (sendSize >= 72 && sendSize % 8 == 0 && NatIbvSendWR.CSIZE == sendSize)
        {
            pass("_getIbvSendWRSize", "returns " + sendSize + " (DiSNI adopted it)");
        }
        else
        {
            fail("_getIbvSendWRSize", "returns " + sendSize + ", DiSNI uses " + NatIbvSendWR.CSIZE);
        }
    }

    private void expectValue(final String method, final int actual, final int expected)
    {
        if (actual == expected)
        {
            pass(method, "returns " + actual);
        }
        else
        {
            fail(method, "returns " + actual + ", expected " + expected);
        }
    }

    private void checkAffinity()
    {
        // On a thread of its own: pinning must not outlive the check.
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                final long mask = NativeAffinity.getAffinity();
                if (mask == 0)
                {
                    fail("_getAffinity", "returned an empty CPU mask");
                    return;
                }
                pass("_getAffinity", String.format("returns 0x%x", mask));
                final long first = Long.lowestOneBit(mask);
                NativeAffinity.setAffinity(first);
                final long pinned = NativeAffinity.getAffinity();
                NativeAffinity.setAffinity(mask);
                if (pinned != first)
                {
                    fail("_setAffinity", String.format("pinned to 0x%x but reads back 0x%x", first, pinned));
                    return;
                }
                String detail = String.format("pins to 0x%x and back", first);
                if (Runtime.getRuntime().availableProcessors() < 63 && Long.numberOfLeadingZeros(mask) > 1)
                {
                    try
                    {
                        NativeAffinity.setAffinity(1L << 62);
                        fail("_setAffinity", "accepted a mask of CPUs that do not exist");
                        return;
                    }
                    catch (final IllegalArgumentException expected)
                    {
                        detail += "; mask of absent CPUs -> IllegalArgumentException";
                    }
                }
                pass("_setAffinity", detail);
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "contract-check-affinity");
        thread.start();
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null)
        {
            fail("_setAffinity", "threw " + describe(failure.get()));
            fail("_getAffinity", "threw " + describe(failure.get()));
        }
    }

    private void checkBadHandles()
    {
        final NativeDispatcher d = dispatcher;
        expectRejected("_createId", h -> d._createId(h, RdmaCm.RDMA_PS_TCP));
        expectRejected("_createQP", h -> d._createQP(h, h, h, h, IbvQP.IBV_QPT_RC, 1, 1, 0));
        expectRejected("_bindAddr", h -> d._bindAddr(h, 0));
        expectRejected("_listen", h -> d._listen(h, 1));
        expectRejected("_resolveAddr", h -> d._resolveAddr(h, 0, 0, 100));
        expectRejected("_resolveRoute", h -> d._resolveRoute(h, 100));
        expectRejected("_getCmEvent", h -> d._getCmEvent(h, 0, 0, 0));
        expectRejected("_connect", h -> d._connect(h, 7, 7, 0, (byte) 0));
        expectRejected("_accept", h -> d._accept(h, 7, 7));
        expectRejected("_disconnect", h -> d._disconnect(h));
        expectRejected("_destroyEventChannel", h -> d._destroyEventChannel(h));
        expectRejected("_destroyCmId", h -> d._destroyCmId(h));
        expectRejected("_destroyQP", h -> d._destroyQP(h));
        expectRejected("_getSrcAddr", h -> d._getSrcAddr(h, 0));
        expectRejected("_getDstAddr", h -> d._getDstAddr(h, 0));
        expectRejected("_destroyEp", h -> d._destroyEp(h));
        expectRejected("_allocPd", h -> d._allocPd(h));
        expectRejected("_createCompChannel", h -> d._createCompChannel(h));
        expectRejected("_createCQ", h -> d._createCQ(h, h, 16, 0));
        expectRejected("_modifyQP", h -> d._modifyQP(h, 0));
        expectRejected("_regMr", h -> d._regMr(h, 0, 0, 0, 0, 0, 0));
        expectRejected("_queryOdpSupport", h -> d._queryOdpSupport(h));
        expectRejected("_expPrefetchMr", h -> d._expPrefetchMr(h, 0, 0));
        expectRejected("_deregMr", h -> d._deregMr(h));
        expectRejected("_postSend", h -> d._postSend(h, 0));
        expectRejected("_postRecv", h -> d._postRecv(h, 0));
        expectRejected("_getCqEvent", h -> d._getCqEvent(h, 0));
        expectRejected("_pollCQ", h -> d._pollCQ(h, 1, 0));
        expectRejected("_reqNotifyCQ", h -> d._reqNotifyCQ(h, 0));
        expectRejected("_ackCqEvent", h -> d._ackCqEvent(h, 1));
        expectRejected("_destroyCompChannel", h -> d._destroyCompChannel(h));
        expectRejected("_deallocPd", h -> d._deallocPd(h));
        expectRejected("_destroyCQ", h -> d._destroyCQ(h));
        expectRejected("_getContext", h -> d._getContext(h));
        expectRejected("_getQpNum", h -> d._getQpNum(h));
        expectRejected("_getContextFd", h -> d._getContextFd(h));
        expectRejected("_getContextNumCompVectors", h -> d._getContextNumCompVectors(h));
        expectRejected("_getPdHandle", h -> d._getPdHandle(h));
        expectRejected("VerbsExtensions.atomicCapability", VerbsExtensions::atomicCapability);
        expectRejected("VerbsExtensions.postAtomic", h -> VerbsExtensions.postAtomic(h, 0, 0, h, 0, 0, 0, 0, 0));
    }

    private void expectRejected(final String method, final HandleCall call)
    {
        String message = null;
        for (final long handle : badHandles)
        {
            try
            {
                call.call(handle);
                fail(method, String.format("accepted bad handle 0x%x", handle));
                return;
            }
            catch (final IOException expected)
            {
                message = message == null ? expected.getMessage() : message;
            }
            catch (final Throwable ex)
            {
                fail(method, String.format("bad handle 0x%x: %s instead of IOException", handle, describe(ex)));
                return;
            }
        }
        pass(method, "bad handles -> IOException (\"" + message + "\")");
    }

    private void checkAckCmEvent()
    {
        // _getCmEvent acknowledges each event itself; DiSNI's later ack only carries the type and must be harmless.
        expectValue("_ackCmEvent", dispatcher._ackCmEvent(RdmaCmEvent.EventType.RDMA_CM_EVENT_ESTABLISHED.ordinal()), 0);
    }

    /** Null when an event channel can be created, else why not (and records _createEventChannel's outcome). */
    private String deviceUnavailableReason()
    {
        final long channel;
        try
        {
            channel = dispatcher._createEventChannel();
        }
        catch (final IOException ex)
        {
            final String device = NativeLibraryLocator.deviceCheck();
            pass("_createEventChannel", "no rdma_cm here -> IOException (\"" + ex.getMessage() + "\")");
            return device != null ? device : "rdma_create_event_channel failed: " + ex.getMessage();
        }
        catch (final Throwable ex)
        {
            fail("_createEventChannel", describe(ex) + " instead of a handle or IOException");
            return "_createEventChannel broken";
        }
        try
        {
            final int destroyed = dispatcher._destroyEventChannel(channel);
            if (destroyed != 0)
            {
                fail("_destroyEventChannel", "fresh channel: returned " + destroyed);
            }
        }
        catch (final Exception ex)
        {
            // DiSNI does not declare it, but a refused handle surfaces as IOException from native code.
            fail("_destroyEventChannel", "fresh channel: " + describe(ex));
        }
        pass("_createEventChannel", "creates a channel");
        return null;
    }

    /**
     * Loopback over the device: a listening id and a client id on one event channel, one PD, one CQ shared by
     * both QPs, then SEND, RDMA WRITE (chained in one post), RDMA READ, a CQ event, a flush, disconnect and
     * teardown. Each native method is recorded as it is exercised; the first failure names its method.
     */
    private void checkOnDevice()
    {
        final List<Runnable> cleanup = new ArrayList<>();
        try
        {
            exerciseDevice(cleanup);
        }
        catch (final Throwable ex)
        {
            fail(step.isEmpty() ? "_createEventChannel" : step, "on device: " + describe(ex));
        }
        finally
        {
            Collections.reverse(cleanup);
            for (final Runnable undo : cleanup)
            {
                try
                {
                    undo.run();
                }
                catch (final RuntimeException ignored)
                {
                    // best effort after a failure: the process is about to exit anyway
                }
            }
        }
    }

    private void exerciseDevice(final List<Runnable> cleanup) throws Exception
    {
        final RdmaCm cm = RdmaCm.open();
        final RdmaVerbs verbs = RdmaVerbs.open();
        final List<RdmaCmEvent> backlog = new ArrayList<>();

        step = "_createEventChannel";
        final RdmaEventChannel channel = cm.createEventChannel();
        final long channelHandle = ((NatRdmaEventChannel) channel).getObjId();

        step = "_bindAddr";
        final InetAddress address = findRdmaAddress(channel);
        pass("_bindAddr", "binds to " + address.getHostAddress() + " (an RDMA device's address)");

        step = "_createId";
        final RdmaCmId listener = channel.createId(RdmaCm.RDMA_PS_TCP);
        pass("_createId", "creates ids");
        cleanup.add(() -> quietly(listener::destroyId));
        step = "_bindAddr";
        listener.bindAddr(new InetSocketAddress(address, 0));
        step = "_listen";
        listener.listen(8);
        pass("_listen", "listens");
        step = "_getSrcAddr";
        final InetSocketAddress listening = (InetSocketAddress) listener.getSource();
        if (listening == null || listening.getPort() == 0 || !address.equals(listening.getAddress()))
        {
            throw new IOException("listener's source address is " + listening);
        }
        pass("_getSrcAddr", "reads back " + listening);

        step = "_destroyEventChannel";
        final int busy = dispatcher._destroyEventChannel(channelHandle);
        if (busy != -EBUSY)
        {
            throw new IOException("destroying a channel with live ids returned " + busy + ", expected -EBUSY");
        }
        pass("_destroyEventChannel", "refuses while ids live (-EBUSY)");

        final RdmaCmId client = channel.createId(RdmaCm.RDMA_PS_TCP);
        cleanup.add(() -> quietly(client::destroyId));
        step = "_resolveAddr";
        client.resolveAddr(null, listening, 5000);
        step = "_getCmEvent";
        awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_ADDR_RESOLVED, client);
        pass("_resolveAddr", "resolves " + listening);
        pass("_getCmEvent", "delivers events (waits with a timeout)");
        step = "_resolveRoute";
        client.resolveRoute(5000);
        awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_ROUTE_RESOLVED, client);
        pass("_resolveRoute", "resolves the route");

        step = "_getContext";
        final IbvContext context = client.getVerbs();
        if (context == null)
        {
            throw new IOException("no verbs context after route resolution");
        }
        pass("_getContext", "returns the device context");
        step = "_getContextFd";
        pass("_getContextFd", "returns " + context.getCmd_fd());
        step = "_getContextNumCompVectors";
        pass("_getContextNumCompVectors", "returns " + context.getNumCompVectors());
        step = "_queryOdpSupport";
        pass("_queryOdpSupport", "returns " + context.queryOdpSupport());

        step = "_allocPd";
        final IbvPd pd = context.allocPd();
        cleanup.add(() -> quietly(() -> verbs.deallocPd(pd)));
        pass("_allocPd", "allocates");
        step = "_getPdHandle";
        pass("_getPdHandle", "returns " + pd.getHandle());
        step = "_createCompChannel";
        final IbvCompChannel completionChannel = context.createCompChannel();
        cleanup.add(() -> quietly(completionChannel::destroyCompChannel));
        pass("_createCompChannel", "creates");
        step = "_createCQ";
        final IbvCQ cq = context.createCQ(completionChannel, 64, 0);
        cleanup.add(() -> quietly(cq::destroyCQ));
        pass("_createCQ", "creates");

        step = "_createQP";
        final IbvQP clientQp = client.createQP(pd, qpAttributes(cq));
        cleanup.add(() -> quietly(client::destroyQP));
        pass("_createQP", "creates an RC QP");
        step = "_getQpNum";
        pass("_getQpNum", "returns " + clientQp.getQp_num());

        step = "_postSend";
        try
        {
            dispatcher._postSend(((NatIbvCQ) cq).getObjId(), 0);
            throw new IOException("accepted a CQ handle as a QP handle");
        }
        catch (final IOException expected)
        {
            if (!String.valueOf(expected.getMessage()).contains("not a queue pair"))
            {
                throw expected;
            }
        }
        pass("_postSend", "handle of another kind -> IOException");

        step = "_connect";
        final RdmaConnParam connParam = new RdmaConnParam();
        connParam.setRetry_count((byte) 7);
        connParam.setRnr_retry_count((byte) 7);
        final RdmaCmId unrouted = channel.createId(RdmaCm.RDMA_PS_TCP);
        try
        {
            unrouted.resolveAddr(null, listening, 5000);
            awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_ADDR_RESOLVED, unrouted);
            unrouted.connect(connParam);
            throw new IOException("connect without a resolved route was accepted (it would never complete)");
        }
        catch (final IOException expected)
        {
            if (!String.valueOf(expected.getMessage()).contains("route is not resolved"))
            {
                throw expected;
            }
        }
        finally
        {
            unrouted.destroyId();
        }
        pass("_connect", "unresolved route -> IOException at once");
        client.connect(connParam);
        final RdmaCmEvent request =
            awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_CONNECT_REQUEST, null);
        final RdmaCmId server = request.getConnIdPriv();
        cleanup.add(() -> quietly(server::destroyEp));
        step = "_createQP";
        final IbvQP serverQp = server.createQP(pd, qpAttributes(cq));

        final int access = IbvMr.IBV_ACCESS_LOCAL_WRITE | IbvMr.IBV_ACCESS_REMOTE_WRITE |
            IbvMr.IBV_ACCESS_REMOTE_READ;
        final ByteBuffer clientBuffer = ByteBuffer.allocateDirect(4096);
        final ByteBuffer serverBuffer = ByteBuffer.allocateDirect(4096);
        step = "_regMr";
        final IbvMr clientMr = pd.regMr(clientBuffer, access).execute().free().getMr();
        cleanup.add(() -> quietly(() -> clientMr.deregMr().execute().free()));
        final IbvMr serverMr = pd.regMr(serverBuffer, access).execute().free().getMr();
        cleanup.add(() -> quietly(() -> serverMr.deregMr().execute().free()));
        pass("_regMr", "registers (lkey/rkey " + clientMr.getLkey() + "/" + clientMr.getRkey() + ")");
        step = "_expPrefetchMr";
        pass("_expPrefetchMr", "returns " + clientMr.expPrefetchMr(clientMr.getAddr(), 4096) +
            " (negative: no on-demand paging on this device)");

        step = "_postRecv";
        postRecv(serverQp, serverMr, 0, 64, 100);
        step = "_accept";
        server.accept(connParam);
        awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_ESTABLISHED, server);
        step = "_connect";
        awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_ESTABLISHED, client);
        pass("_connect", "connects (retry 7, rnr retry 7)");
        pass("_accept", "accepts");
        step = "_getDstAddr";
        final InetSocketAddress peer = (InetSocketAddress) client.getDestination();
        if (!listening.equals(peer))
        {
            throw new IOException("client's destination is " + peer + ", listener is " + listening);
        }
        pass("_getDstAddr", "reads back " + peer);

        // SEND and RDMA WRITE chained in one post: DiSNI links the WRs with absolute next pointers.
        final byte[] hello = "hello over verbs".getBytes(StandardCharsets.US_ASCII);
        final byte[] written = "written by RDMA WRITE".getBytes(StandardCharsets.US_ASCII);
        final byte[] readable = "fetched by RDMA READ".getBytes(StandardCharsets.US_ASCII);
        clientBuffer.put(0, hello);
        clientBuffer.put(64, written);
        serverBuffer.put(2048, readable);
        step = "_postSend";
        final IbvSendWR send = sendWr(1, IbvSendWR.IBV_WR_SEND, clientMr, 0, hello.length);
        final IbvSendWR write = sendWr(2, IbvSendWR.IBV_WR_RDMA_WRITE, clientMr, 64, written.length);
        write.getRdma().setRemote_addr(serverMr.getAddr() + 1024);
        write.getRdma().setRkey(serverMr.getRkey());
        clientQp.postSend(List.of(send, write), null).execute().free();

        step = "_pollCQ";
        final IbvWC[] completions = new IbvWC[8];
        for (int i = 0; i < completions.length; i++)
        {
            completions[i] = new IbvWC();
        }
        final SVCPollCq poll = cq.poll(completions, completions.length);
        final List<IbvWC> done = pollUntil(poll, completions, 3);
        expectSuccess(done);
        if (!bytesAt(serverBuffer, 0, hello.length).equals(new String(hello, StandardCharsets.US_ASCII)) ||
            !bytesAt(serverBuffer, 1024, written.length).equals(new String(written, StandardCharsets.US_ASCII)))
        {
            throw new IOException("data did not arrive: SEND/WRITE payload differs");
        }
        pass("_postRecv", "posts receives");
        pass("_pollCQ", "polls 48-byte completions");

        step = "_postSend";
        final IbvSendWR read = sendWr(3, IbvSendWR.IBV_WR_RDMA_READ, clientMr, 2048, readable.length);
        read.getRdma().setRemote_addr(serverMr.getAddr() + 2048);
        read.getRdma().setRkey(serverMr.getRkey());
        clientQp.postSend(List.of(read), null).execute().free();
        expectSuccess(pollUntil(poll, completions, 1));
        if (!bytesAt(clientBuffer, 2048, readable.length).equals(new String(readable, StandardCharsets.US_ASCII)))
        {
            throw new IOException("RDMA READ returned other data");
        }
        pass("_postSend", "SEND + RDMA WRITE chain, RDMA READ delivered");

        step = "_reqNotifyCQ";
        cq.reqNotification(false).execute().free();
        pass("_reqNotifyCQ", "arms the CQ");
        postRecv(serverQp, serverMr, 0, 64, 101);
        clientQp.postSend(List.of(sendWr(4, IbvSendWR.IBV_WR_SEND, clientMr, 0, hello.length)), null)
            .execute().free();
        step = "_getCqEvent";
        if (!completionChannel.getCqEvent(cq, 10_000))
        {
            throw new IOException("no completion event within 10 s");
        }
        pass("_getCqEvent", "delivers the completion event");
        step = "_ackCqEvent";
        final int acked = cq.ackEvents(1);
        if (acked != 0)
        {
            throw new IOException("returned " + acked);
        }
        pass("_ackCqEvent", "acknowledges");
        step = "_pollCQ";
        expectSuccess(pollUntil(poll, completions, 2));

        step = "_modifyQP";
        postRecv(serverQp, serverMr, 0, 64, 102);
        if (((RdmaVerbsNat) verbs).modifyQP(serverQp, null) == null)
        {
            throw new IOException("moving the QP to the error state failed");
        }
        final List<IbvWC> flushed = pollUntil(poll, completions, 1);
        if (flushed.get(0).getStatus() != IBV_WC_WR_FLUSH_ERR || flushed.get(0).getWr_id() != 102)
        {
            throw new IOException("expected the posted receive flushed, got status " + flushed.get(0).getStatus());
        }
        pass("_modifyQP", "moves the QP to the error state (pending receive flushed)");
        poll.free();

        step = "_disconnect";
        final int disconnected = client.disconnect();
        awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_DISCONNECTED, server);
        server.disconnect();
        awaitEvent(channel, backlog, RdmaCmEvent.EventType.RDMA_CM_EVENT_DISCONNECTED, client);
        pass("_disconnect", "disconnects (returned " + disconnected + ")");

        final long staleId = ((NatCmaIdPrivate) client).getObjId();
        final long staleQp = ((NatIbvQP) clientQp).getObjId();
        final long staleMr = ((NatIbvMr) clientMr).getObjId();
        final long staleCq = ((NatIbvCQ) cq).getObjId();
        final long stalePd = ((NatIbvPd) pd).getObjId();

        step = "_deregMr";
        clientMr.deregMr().execute().free();
        serverMr.deregMr().execute().free();
        pass("_deregMr", "deregisters");
        step = "_destroyQP";
        expectZero(client.destroyQP());
        pass("_destroyQP", "destroys");
        step = "_destroyEp";
        expectZero(server.destroyEp());
        pass("_destroyEp", "destroys id and QP");
        step = "_destroyCmId";
        expectZero(client.destroyId());
        expectZero(listener.destroyId());
        pass("_destroyCmId", "destroys");
        step = "_destroyCQ";
        expectZero(cq.destroyCQ());
        pass("_destroyCQ", "destroys");
        step = "_destroyCompChannel";
        expectZero(completionChannel.destroyCompChannel());
        pass("_destroyCompChannel", "destroys");
        step = "_deallocPd";
        expectZero(verbs.deallocPd(pd));
        pass("_deallocPd", "deallocates");
        step = "_destroyEventChannel";
        expectZero(channel.destroyEventChannel());
        pass("_destroyEventChannel", "destroys once its ids are gone");
        cleanup.clear();

        final NativeDispatcher d = dispatcher;
        expectStaleRejected("_destroyCmId", () -> d._destroyCmId(staleId));
        expectStaleRejected("_postSend", () -> d._postSend(staleQp, 0));
        expectStaleRejected("_deregMr", () -> d._deregMr(staleMr));
        expectStaleRejected("_pollCQ", () -> d._pollCQ(staleCq, 1, 0));
        expectStaleRejected("_deallocPd", () -> d._deallocPd(stalePd));
        expectStaleRejected("_destroyEventChannel", () -> d._destroyEventChannel(channelHandle));
        step = "";
    }

    /** A handle used again after its object was destroyed must be refused like a forged one. */
    private void expectStaleRejected(final String method, final Action call)
    {
        step = method;
        try
        {
            call.run();
            fail(method, "accepted the handle of a destroyed object");
        }
        catch (final IOException expected)
        {
            pass(method, "handle of a destroyed object -> IOException");
        }
        catch (final Exception ex)
        {
            fail(method, "handle of a destroyed object: " + describe(ex) + " instead of IOException");
        }
    }

    private static IbvQPInitAttr qpAttributes(final IbvCQ cq)
    {
        final IbvQPInitAttr attributes = new IbvQPInitAttr();
        attributes.setQp_type(IbvQP.IBV_QPT_RC);
        attributes.setSend_cq(cq);
        attributes.setRecv_cq(cq);
        attributes.cap().setMax_send_wr(16);
        attributes.cap().setMax_recv_wr(16);
        attributes.cap().setMax_send_sge(1);
        attributes.cap().setMax_recv_sge(1);
        attributes.cap().setMax_inline_data(0);
        return attributes;
    }

    private static IbvSge sge(final IbvMr mr, final int offset, final int length)
    {
        final IbvSge sge = new IbvSge();
        sge.setAddr(mr.getAddr() + offset);
        sge.setLength(length);
        sge.setLkey(mr.getLkey());
        return sge;
    }

    private static IbvSendWR sendWr(final long id, final int opcode, final IbvMr mr, final int offset,
        final int length)
    {
        final IbvSendWR wr = new IbvSendWR();
        wr.setWr_id(id);
        wr.setOpcode(opcode);
        wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
        wr.setSg_list(new LinkedList<>(List.of(sge(mr, offset, length))));
        wr.setNum_sge(1);
        return wr;
    }

    private static void postRecv(final IbvQP qp, final IbvMr mr, final int offset, final int length, final long id)
        throws IOException
    {
        final IbvRecvWR wr = new IbvRecvWR();
        wr.setWr_id(id);
        wr.setSg_list(new LinkedList<>(List.of(sge(mr, offset, length))));
        wr.setNum_sge(1);
        qp.postRecv(List.of(wr), null).execute().free();
    }

    private static List<IbvWC> pollUntil(final SVCPollCq poll, final IbvWC[] completions, final int wanted)
        throws IOException
    {
        final List<IbvWC> done = new ArrayList<>();
        final long deadline = System.nanoTime() + EVENT_WAIT_NANOS;
        while (done.size() < wanted)
        {
            final int polled = poll.execute().getPolls();
            for (int i = 0; i < polled; i++)
            {
                done.add(completions[i].clone());
            }
            if (polled == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IOException("only " + done.size() + " of " + wanted + " completions within 20 s");
                }
                Thread.onSpinWait();
            }
        }
        return done;
    }

    private static void expectSuccess(final List<IbvWC> completions) throws IOException
    {
        for (final IbvWC completion : completions)
        {
            if (completion.getStatus() != IBV_WC_SUCCESS)
            {
                throw new IOException("completion of wr_id " + completion.getWr_id() + " has status " +
                    completion.getStatus() + " (vendor error " + completion.getVendor_err() + ")");
            }
        }
    }

    private static void expectZero(final int result) throws IOException
    {
        if (result != 0)
        {
            throw new IOException("returned " + result);
        }
    }

    private static String bytesAt(final ByteBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static RdmaCmEvent awaitEvent(final RdmaEventChannel channel, final List<RdmaCmEvent> backlog,
        final RdmaCmEvent.EventType wanted, final RdmaCmId id) throws IOException
    {
        final long deadline = System.nanoTime() + EVENT_WAIT_NANOS;
        final List<String> seen = new ArrayList<>();
        while (true)
        {
            for (final RdmaCmEvent event : backlog)
            {
                if (event.getEvent() == wanted.ordinal() && (id == null || event.getConnIdPriv() == id))
                {
                    backlog.remove(event);
                    event.ackEvent();
                    return event;
                }
            }
            if (System.nanoTime() > deadline)
            {
                throw new IOException("no " + wanted + " within 20 s; events seen: " + seen);
            }
            final RdmaCmEvent event = channel.getCmEvent(200);
            if (event != null)
            {
                final String name = RdmaCmEvent.EventType.values()[event.getEvent()].name();
                seen.add(name);
                final boolean failure = name.endsWith("_ERROR") || name.endsWith("REJECTED") ||
                    name.endsWith("UNREACHABLE");
                if (failure && id != null && event.getConnIdPriv() == id)
                {
                    throw new IOException("waiting for " + wanted + ", got " + name);
                }
                backlog.add(event);
            }
        }
    }

    /** The first local IPv4 address an rdma_cm id binds to a device with ({@code MPI4J_RDMA_ADDRESS} first). */
    private static InetAddress findRdmaAddress(final RdmaEventChannel channel) throws IOException
    {
        final List<InetAddress> candidates = new ArrayList<>();
        final String forced = System.getenv("MPI4J_RDMA_ADDRESS");
        if (forced != null && !forced.isEmpty())
        {
            candidates.add(InetAddress.getByName(forced));
        }
        for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (nic.isUp() && !nic.isLoopback())
            {
                for (final InetAddress address : Collections.list(nic.getInetAddresses()))
                {
                    if (address instanceof Inet4Address)
                    {
                        candidates.add(address);
                    }
                }
            }
        }
        final List<String> tried = new ArrayList<>();
        for (final InetAddress address : candidates)
        {
            final RdmaCmId probe = channel.createId(RdmaCm.RDMA_PS_TCP);
            try
            {
                probe.bindAddr(new InetSocketAddress(address, 0));
                if (probe.getVerbs() != null)
                {
                    return address;
                }
                tried.add(address.getHostAddress() + " (no device)");
            }
            catch (final IOException ex)
            {
                tried.add(address.getHostAddress() + " (" + ex.getMessage() + ")");
            }
            finally
            {
                probe.destroyId();
            }
        }
        throw new IOException("no local IPv4 address belongs to an RDMA device; tried " + tried);
    }

    @FunctionalInterface
    private interface Action
    {
        void run() throws Exception;
    }

    private static void quietly(final Action action)
    {
        try
        {
            action.run();
        }
        catch (final Exception ignored)
        {
            // cleanup after a failed check; the failure itself is already recorded
        }
    }

    private static String describe(final Throwable ex)
    {
        return ex.getClass().getName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
    }
}
