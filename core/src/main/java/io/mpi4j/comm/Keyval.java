package io.mpi4j.comm;

/**
 * A communicator attribute key ({@code MPI_Comm_create_keyval}): its callbacks, extra state, and how many
 * attributes still use it, so a key freed while attached keeps working until its last attribute is gone.
 */
public final class Keyval
{
    final int id;
    final AttributeHooks hooks;
    final Object extraState;
    int attached;
    boolean freed;

    Keyval(final int id, final AttributeHooks hooks, final Object extraState)
    {
        this.id = id;
        this.hooks = hooks;
        this.extraState = extraState;
    }

    public int id()
    {
        return id;
    }
}
