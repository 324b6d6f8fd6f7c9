package mpi;

/**
 * The version of the MPI standard the library implements ({@code MPI_Get_version}).
 */
public final class Version
{
    private final int version;
    private final int subVersion;

    Version(final int version, final int subVersion)
    {
        this.version = version;
        this.subVersion = subVersion;
    }

    /**
     * The major version of the MPI standard.
     *
     * @return MPI version
     */
    public int getVersion()
    {
        return version;
    }

    /**
     * The minor version of the MPI standard.
     *
     * @return MPI subversion
     */
    public int getSubVersion()
    {
        return subVersion;
    }
}
