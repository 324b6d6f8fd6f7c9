package io.mpi4j.p2p;

/** Finds or opens the connection to a process, by process key (the runtime's job and rank of a process). */
@FunctionalInterface
public interface PeerResolver
{
    /**
     * @throws io.mpi4j.errors.MpiError when the process cannot be reached (no common transport, peer gone).
     */
    Peer resolve(long processKey);
}
