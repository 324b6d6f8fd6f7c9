package io.mpi4j.comm;

/**
 * What the collectives keep for a communicator and give back when it is freed ({@link Communicator#collectiveState}):
 * the collectives live above this package, so the communicator knows their state only by this.
 */
public interface CollectiveState
{
    /** The communicator is freed: no collective of it runs any more, on any thread. */
    void release();
}
