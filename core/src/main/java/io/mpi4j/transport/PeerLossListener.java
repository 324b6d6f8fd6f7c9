package io.mpi4j.transport;

/**
 * Told when a transport loses a peer without an orderly close: the connection ended before the peer said it was
 * done with it (a process that died, a node that went away). A transport that cannot tell the two apart never calls
 * it. Called on the thread that polls the transport, so it must not poll the transport itself.
 */
@FunctionalInterface
public interface PeerLossListener
{
    /**
     * @param jobId        the lost process's job id, as it presented itself when it connected; null when the
     *                     transport knows only where the process ran.
     * @param processIndex the lost process's index inside that job; -1 with a null job id.
     * @param host         where the process ran ("10.0.0.2:40123"), for the message.
     * @param reason       what the transport saw, for the message ("it closed the connection in the middle of a
     *                     frame").
     */
    void peerLost(String jobId, int processIndex, String host, String reason);
}
