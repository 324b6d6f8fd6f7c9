package mpi;

import io.mpi4j.errors.ErrorClass;

/**
 * An MPI error reported to the program. {@link #getMessage()} plays the role of {@code MPI_Error_string}.
 * mpi4j has no implementation-specific error codes, so the error code of an exception is its error class.
 */
public final class MPIException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final int errorClass;

    /**
     * An error of class {@code errorClass} (one of {@code MPI.ERR_*}).
     *
     * @param errorClass MPI error class
     * @param message    what went wrong, naming the MPI call and the bad value
     */
    public MPIException(final int errorClass, final String message)
    {
        super(message);
        this.errorCode = errorClass;
        this.errorClass = errorClass;
    }

    /**
     * An error of class {@code MPI.ERR_OTHER}.
     *
     * @param message what went wrong
     */
    public MPIException(final String message)
    {
        this(ErrorClass.ERR_OTHER, message);
    }

    /**
     * An error of class {@code MPI.ERR_OTHER} caused by a Java exception.
     *
     * @param cause the Java exception
     */
    public MPIException(final Throwable cause)
    {
        super(cause);
        this.errorCode = ErrorClass.ERR_OTHER;
        this.errorClass = ErrorClass.ERR_OTHER;
    }

    /**
     * The MPI error code; in mpi4j always equal to the error class.
     *
     * @return error code
     */
    public int getErrorCode()
    {
        return errorCode;
    }

    /**
     * The MPI error class ({@code MPI_Error_class}), one of {@code MPI.ERR_*}.
     *
     * @return error class
     */
    public int getErrorClass()
    {
        return errorClass;
    }
}
