package io.mpi4j.p2p;

import io.mpi4j.comm.Communicator;

/** A message taken out of matching by mprobe; received later with mrecv. What {@code mpi.Message} holds. */
public final class MatchedMessage
{
    /** Message from a PROC_NULL probe: mrecv of it completes at once with an empty status. */
    public static final MatchedMessage NO_PROC = new MatchedMessage(null, null);

    final Communicator comm;
    final UnexpectedMessage message;

    MatchedMessage(final Communicator comm, final UnexpectedMessage message)
    {
        this.comm = comm;
        this.message = message;
    }

    public boolean isNoProc()
    {
        return this == NO_PROC;
    }
}
