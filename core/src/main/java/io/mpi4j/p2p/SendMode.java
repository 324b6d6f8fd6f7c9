package io.mpi4j.p2p;

/** MPI send modes, as ints so the hot path switches on a constant. */
public final class SendMode
{
    public static final int STANDARD = 0;
    public static final int SYNCHRONOUS = 1;
    public static final int READY = 2;
    public static final int BUFFERED = 3;

    private SendMode()
    {
    }
}
