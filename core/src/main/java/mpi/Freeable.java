package mpi;

/**
 * An MPI object whose resources the program releases explicitly ({@code MPI_*_FREE}).
 */
public interface Freeable
{
    /**
     * Releases the object; afterwards it tests as null.
     *
     * @throws MPIException if the object cannot be freed (for example a predefined one)
     */
    void free() throws MPIException;
}
