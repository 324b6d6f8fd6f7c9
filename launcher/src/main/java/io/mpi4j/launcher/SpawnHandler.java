package io.mpi4j.launcher;

import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;

import java.util.Arrays;

/** Starts the processes of a SPAWN request (the {@link ProcessManager}); called on a key-value session thread. */
@FunctionalInterface
public interface SpawnHandler
{
    /** Start the children of {@code request} for job {@code parentJobId}; returns once they joined or failed. */
    SpawnResult spawn(String parentJobId, SpawnRequest request);

    /**
     * A result where no process started: every errcode is {@code errorClass}; none for a request larger than
     * {@link SpawnRequest#MAX_PROCESSES} (the rank fills the caller's array itself), whose size is never allocated.
     */
    static SpawnResult failure(final SpawnRequest request, final int errorClass, final String message)
    {
        final int[] codes = new int[request.requestedProcesses() > SpawnRequest.MAX_PROCESSES ? 0 :
            request.totalMaxprocs()];
        Arrays.fill(codes, errorClass);
        return new SpawnResult(errorClass, "", 0, codes, message);
    }
}
