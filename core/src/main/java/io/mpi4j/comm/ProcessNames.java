package io.mpi4j.comm;

/**
 * Translation between this process's process keys ({@link ProcessKeys}: the job part is a local index) and the
 * global names two processes can exchange ("jobId:rank"). Needed wherever groups or process identities cross
 * between processes that may index jobs differently (intercommunicators of spawned or connected jobs).
 */
public interface ProcessNames
{
    /** Global name of a process key. */
    String name(long processKey);

    /** Local process key of a global name, registering its job if new. */
    long key(String name);
}
