package io.mpi4j.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PeerLossTest
{
    @Test
    void underALauncherWithoutRecoveryALossChangesNothingSoNoTransportLooksForOne()
    {
        final PeerLoss loss = new PeerLoss("j1", 0, null, null);
        assertFalse(loss.acts());
        // Returns: the launcher ends the job with its own line.
        loss.peerLost("j1", 1, "10.0.0.2:4000", "it closed the connection without its goodbye");
    }

    @Test
    void theLineNamesBothRanksTheHostAndTheReason()
    {
        assertEquals("mpi4j: rank 3 lost rank 1 (host 10.0.0.2:4000): it closed the connection without its " +
            "goodbye; aborting the job", new PeerLoss("j1", 3, null, null).line("rank 1", "10.0.0.2:4000",
            "it closed the connection without its goodbye"));
    }
}
