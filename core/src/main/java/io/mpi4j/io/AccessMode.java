package io.mpi4j.io;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * File access modes ({@code MPI_MODE_*} of {@code MPI_File_open}), with Open MPI's values, and the rules on
 * combining them.
 */
public final class AccessMode
{
    public static final int CREATE = 1;
    public static final int RDONLY = 2;
    public static final int WRONLY = 4;
    public static final int RDWR = 8;
    public static final int DELETE_ON_CLOSE = 16;
    public static final int UNIQUE_OPEN = 32;
    public static final int EXCL = 64;
    public static final int APPEND = 128;
    public static final int SEQUENTIAL = 256;

    private static final int ALL = CREATE | RDONLY | WRONLY | RDWR | DELETE_ON_CLOSE | UNIQUE_OPEN | EXCL | APPEND |
        SEQUENTIAL;

    private AccessMode()
    {
    }

    /**
     * Checks {@code amode} as {@code MPI_File_open} must: exactly one of RDONLY, WRONLY and RDWR, and neither
     * CREATE nor EXCL with RDONLY, SEQUENTIAL not with RDWR.
     *
     * @throws MpiError {@code ERR_AMODE} naming the conflict
     */
    public static void validate(final int amode)
    {
        if (0 != (amode & ~ALL))
        {
            throw new MpiError(ErrorClass.ERR_AMODE, "access mode " + amode + " has unknown bits 0x" +
                Integer.toHexString(amode & ~ALL));
        }
        final int kinds = Integer.bitCount(amode & (RDONLY | WRONLY | RDWR));
        if (1 != kinds)
        {
            throw new MpiError(ErrorClass.ERR_AMODE, "access mode " + describe(amode) +
                " must have exactly one of MPI_MODE_RDONLY, MPI_MODE_WRONLY and MPI_MODE_RDWR");
        }
        if (0 != (amode & RDONLY) && 0 != (amode & (CREATE | EXCL)))
        {
            throw new MpiError(ErrorClass.ERR_AMODE, "access mode " + describe(amode) +
                ": MPI_MODE_CREATE and MPI_MODE_EXCL cannot be used with MPI_MODE_RDONLY");
        }
        if (0 != (amode & RDWR) && 0 != (amode & SEQUENTIAL))
        {
            throw new MpiError(ErrorClass.ERR_AMODE, "access mode " + describe(amode) +
                ": MPI_MODE_SEQUENTIAL cannot be used with MPI_MODE_RDWR");
        }
    }

    public static boolean canRead(final int amode)
    {
        return 0 == (amode & WRONLY);
    }

    public static boolean canWrite(final int amode)
    {
        return 0 == (amode & RDONLY);
    }

    /** "MPI_MODE_RDWR|MPI_MODE_CREATE", for messages. */
    public static String describe(final int amode)
    {
        final StringBuilder sb = new StringBuilder();
        final String[] names = {"CREATE", "RDONLY", "WRONLY", "RDWR", "DELETE_ON_CLOSE", "UNIQUE_OPEN", "EXCL",
            "APPEND", "SEQUENTIAL"};
        for (int bit = 0; bit < names.length; bit++)
        {
            if (0 != (amode & (1 << bit)))
            {
                sb.append(sb.length() > 0 ? "|" : "").append("MPI_MODE_").append(names[bit]);
            }
        }
        if (0 != (amode & ~ALL))
        {
            sb.append(sb.length() > 0 ? "|" : "").append("0x").append(Integer.toHexString(amode & ~ALL));
        }
        return sb.length() > 0 ? sb.toString() : "0";
    }
}
