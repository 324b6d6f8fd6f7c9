package io.mpi4j.rdma.natives;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The libdisni contract in the build: every native method of DiSNI's NativeDispatcher and NativeAffinity links and
 * rejects bad handles with an IOException. Device-dependent parts run where an RDMA device exists (the CI VMs);
 * {@code -Dmpi4j.rdma.requireDevice=true} makes their absence a failure.
 */
class ContractCheckTest
{
    @BeforeEach
    void libraryBuilt()
    {
        NativeLibraryLocatorTest.assumeLibraryBuilt();
    }

    @Test
    void everyNativeMethodHonoursTheContract()
    {
        final boolean requireDevice = Boolean.getBoolean("mpi4j.rdma.requireDevice");
        final List<ContractCheck.Outcome> outcomes = ContractCheck.run(requireDevice);
        outcomes.forEach(outcome -> System.out.println(outcome.line()));

        assertEquals(ContractCheck.DISPATCHER_METHODS.size() + ContractCheck.AFFINITY_METHODS.size() +
            ContractCheck.EXTENSION_METHODS.size(),
            outcomes.size());
        assertEquals(48, ContractCheck.DISPATCHER_METHODS.size());
        final String failures = outcomes.stream()
            .filter(outcome -> outcome.status() == ContractCheck.Status.FAIL)
            .map(ContractCheck.Outcome::line)
            .collect(Collectors.joining("\n"));
        assertTrue(failures.isEmpty(), "contract violations:\n" + failures);
    }

    @Test
    void everyHandleTakingMethodWasCheckedWithBadHandles()
    {
        final List<String> handleFree = List.of("_createEventChannel", "_ackCmEvent", "_getSockAddrInSize",
            "_getIbvRecvWRSize", "_getIbvSendWRSize", "_getIbvSgeSize", "_getIbvWCSize", "_getRemoteAddressOffset",
            "_getRKeyOffset", "_getVersion", "_setAffinity", "_getAffinity");
        int checked = 0;
        for (final ContractCheck.Outcome outcome : ContractCheck.run(false))
        {
            if (!handleFree.contains(outcome.method()))
            {
                assertTrue(outcome.detail().contains("bad handles -> IOException"),
                    outcome.method() + " was not checked with bad handles: " + outcome.line());
                checked++;
            }
        }
        assertEquals(38 + ContractCheck.EXTENSION_METHODS.size(), checked);
    }
}
