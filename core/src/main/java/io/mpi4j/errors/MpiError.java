package io.mpi4j.errors;

/**
 * An MPI error raised below the {@code mpi} facade. The facade turns it into {@code mpi.MPIException} and hands it
 * to the communicator's error handler; layers below never see the facade's types.
 */
public final class MpiError extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int errorClass;

    public MpiError(final int errorClass, final String message)
    {
        super(message);
        this.errorClass = errorClass;
    }

    public MpiError(final int errorClass, final String message, final Throwable cause)
    {
        super(message, cause);
        this.errorClass = errorClass;
    }

    public int errorClass()
    {
        return errorClass;
    }
}
