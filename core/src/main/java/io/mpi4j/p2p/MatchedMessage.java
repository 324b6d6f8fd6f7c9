package io.mpi4j.p2p;

/** A message taken out of matching by mprobe; received later with mrecv. What {@code mpi.Message} holds. */
public final class MatchedMessage
{
    /** Message from a PROC_NULL probe: mrecv of it completes at once with an empty status. */
    public static final MatchedMessage NO_PROC = new MatchedMessage(null, null);

    final MessageEndpoint endpoint;
    final UnexpectedMessage message;

    MatchedMessage(final MessageEndpoint endpoint, final UnexpectedMessage message)
    {
        this.endpoint = endpoint;
        this.message = message;
    }

    public boolean isNoProc()
    {
        return this == NO_PROC;
    }
}
