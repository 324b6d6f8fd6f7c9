package mpi;

/**
 * An MPI error handler: what a communicator does when one of its calls fails. mpi4j has the two predefined
 * handlers, {@link MPI#ERRORS_ARE_FATAL} (the default) and {@link MPI#ERRORS_RETURN}.
 */
public final class Errhandler
{
    private final boolean fatal;
    private final String name;

    Errhandler(final boolean fatal, final String name)
    {
        this.fatal = fatal;
        this.name = name;
    }

    /** True if errors abort the job; false if they are thrown as {@link MPIException}. */
    boolean isFatal()
    {
        return fatal;
    }

    @Override
    public String toString()
    {
        return name;
    }
}
