package io.mpi4j.comm;

/**
 * The program's attribute callbacks as the attribute layer sees them. {@code owner} is whatever object the
 * program knows the communicator as (the facade's {@code mpi.Comm}); failures are reported as
 * {@link io.mpi4j.errors.MpiError} with the error class the callback gave.
 */
public interface AttributeHooks
{
    /** The value for the new communicator, or {@link #noCopy()} to leave the attribute out. */
    Object copy(Object oldOwner, int keyval, Object extraState, Object value);

    void delete(Object owner, int keyval, Object value, Object extraState);

    /** Sentinel {@link #copy} returns to drop an attribute. */
    Object noCopy();
}
