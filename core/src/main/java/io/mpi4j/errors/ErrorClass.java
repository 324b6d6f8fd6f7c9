package io.mpi4j.errors;

/**
 * MPI error classes. Values are Open MPI's ({@code mpi.h}), so codes printed by programs ported from Open MPI's
 * Java binding mean the same thing here. {@code mpi.MPI.ERR_*} are these constants.
 */
public final class ErrorClass
{
    public static final int SUCCESS = 0;
    public static final int ERR_BUFFER = 1;
    public static final int ERR_COUNT = 2;
    public static final int ERR_TYPE = 3;
    public static final int ERR_TAG = 4;
    public static final int ERR_COMM = 5;
    public static final int ERR_RANK = 6;
    public static final int ERR_REQUEST = 7;
    public static final int ERR_ROOT = 8;
    public static final int ERR_GROUP = 9;
    public static final int ERR_OP = 10;
    public static final int ERR_TOPOLOGY = 11;
    public static final int ERR_DIMS = 12;
    public static final int ERR_ARG = 13;
    public static final int ERR_UNKNOWN = 14;
    public static final int ERR_TRUNCATE = 15;
    public static final int ERR_OTHER = 16;
    public static final int ERR_INTERN = 17;
    public static final int ERR_IN_STATUS = 18;
    public static final int ERR_PENDING = 19;
    public static final int ERR_ACCESS = 20;
    public static final int ERR_AMODE = 21;
    public static final int ERR_ASSERT = 22;
    public static final int ERR_BAD_FILE = 23;
    public static final int ERR_BASE = 24;
    public static final int ERR_CONVERSION = 25;
    public static final int ERR_DISP = 26;
    public static final int ERR_DUP_DATAREP = 27;
    public static final int ERR_FILE_EXISTS = 28;
    public static final int ERR_FILE_IN_USE = 29;
    public static final int ERR_FILE = 30;
    public static final int ERR_INFO_KEY = 31;
    public static final int ERR_INFO_NOKEY = 32;
    public static final int ERR_INFO_VALUE = 33;
    public static final int ERR_INFO = 34;
    public static final int ERR_IO = 35;
    public static final int ERR_KEYVAL = 36;
    public static final int ERR_LOCKTYPE = 37;
    public static final int ERR_NAME = 38;
    public static final int ERR_NO_MEM = 39;
    public static final int ERR_NOT_SAME = 40;
    public static final int ERR_NO_SPACE = 41;
    public static final int ERR_NO_SUCH_FILE = 42;
    public static final int ERR_PORT = 43;
    public static final int ERR_QUOTA = 44;
    public static final int ERR_READ_ONLY = 45;
    public static final int ERR_RMA_CONFLICT = 46;
    public static final int ERR_RMA_SYNC = 47;
    public static final int ERR_SERVICE = 48;
    public static final int ERR_SIZE = 49;
    public static final int ERR_SPAWN = 50;
    public static final int ERR_UNSUPPORTED_DATAREP = 51;
    public static final int ERR_UNSUPPORTED_OPERATION = 52;
    public static final int ERR_WIN = 53;
    /** A process the call involves has failed (ULFM; only under {@code mpi4jrun --enable-recovery}). */
    public static final int ERR_PROC_FAILED = 75;
    /** A wildcard receive cannot complete while a failure in its communicator is not acknowledged (ULFM). */
    public static final int ERR_PROC_FAILED_PENDING = 76;
    /** The communicator was revoked (ULFM {@code MPI_Comm_revoke}). */
    public static final int ERR_REVOKED = 77;
    public static final int ERR_RMA_RANGE = 68;
    public static final int ERR_RMA_ATTACH = 69;
    public static final int ERR_RMA_FLAVOR = 70;
    public static final int ERR_RMA_SHARED = 71;
    public static final int ERR_LASTCODE = 92;

    private ErrorClass()
    {
    }

    /** Human name of an error class ("MPI_ERR_RANK"), for messages. */
    public static String name(final int errorClass)
    {
        switch (errorClass)
        {
            case SUCCESS: return "MPI_SUCCESS";
            case ERR_BUFFER: return "MPI_ERR_BUFFER";
            case ERR_WIN: return "MPI_ERR_WIN";
            case ERR_RMA_SYNC: return "MPI_ERR_RMA_SYNC";
            case ERR_RMA_CONFLICT: return "MPI_ERR_RMA_CONFLICT";
            case ERR_RMA_RANGE: return "MPI_ERR_RMA_RANGE";
            case ERR_RMA_ATTACH: return "MPI_ERR_RMA_ATTACH";
            case ERR_RMA_FLAVOR: return "MPI_ERR_RMA_FLAVOR";
            case ERR_RMA_SHARED: return "MPI_ERR_RMA_SHARED";
            case ERR_COUNT: return "MPI_ERR_COUNT";
            case ERR_TYPE: return "MPI_ERR_TYPE";
            case ERR_TAG: return "MPI_ERR_TAG";
            case ERR_COMM: return "MPI_ERR_COMM";
            case ERR_RANK: return "MPI_ERR_RANK";
            case ERR_REQUEST: return "MPI_ERR_REQUEST";
            case ERR_ROOT: return "MPI_ERR_ROOT";
            case ERR_GROUP: return "MPI_ERR_GROUP";
            case ERR_OP: return "MPI_ERR_OP";
            case ERR_TOPOLOGY: return "MPI_ERR_TOPOLOGY";
            case ERR_DIMS: return "MPI_ERR_DIMS";
            case ERR_ARG: return "MPI_ERR_ARG";
            case ERR_UNKNOWN: return "MPI_ERR_UNKNOWN";
            case ERR_TRUNCATE: return "MPI_ERR_TRUNCATE";
            case ERR_OTHER: return "MPI_ERR_OTHER";
            case ERR_INTERN: return "MPI_ERR_INTERN";
            case ERR_IN_STATUS: return "MPI_ERR_IN_STATUS";
            case ERR_PENDING: return "MPI_ERR_PENDING";
            case ERR_ACCESS: return "MPI_ERR_ACCESS";
            case ERR_AMODE: return "MPI_ERR_AMODE";
            case ERR_BAD_FILE: return "MPI_ERR_BAD_FILE";
            case ERR_CONVERSION: return "MPI_ERR_CONVERSION";
            case ERR_DUP_DATAREP: return "MPI_ERR_DUP_DATAREP";
            case ERR_FILE_EXISTS: return "MPI_ERR_FILE_EXISTS";
            case ERR_FILE_IN_USE: return "MPI_ERR_FILE_IN_USE";
            case ERR_FILE: return "MPI_ERR_FILE";
            case ERR_IO: return "MPI_ERR_IO";
            case ERR_NO_SPACE: return "MPI_ERR_NO_SPACE";
            case ERR_NO_SUCH_FILE: return "MPI_ERR_NO_SUCH_FILE";
            case ERR_NOT_SAME: return "MPI_ERR_NOT_SAME";
            case ERR_QUOTA: return "MPI_ERR_QUOTA";
            case ERR_READ_ONLY: return "MPI_ERR_READ_ONLY";
            case ERR_UNSUPPORTED_DATAREP: return "MPI_ERR_UNSUPPORTED_DATAREP";
            case ERR_INFO_KEY: return "MPI_ERR_INFO_KEY";
            case ERR_INFO_NOKEY: return "MPI_ERR_INFO_NOKEY";
            case ERR_INFO_VALUE: return "MPI_ERR_INFO_VALUE";
            case ERR_INFO: return "MPI_ERR_INFO";
            case ERR_KEYVAL: return "MPI_ERR_KEYVAL";
            case ERR_NO_MEM: return "MPI_ERR_NO_MEM";
            case ERR_PORT: return "MPI_ERR_PORT";
            case ERR_SERVICE: return "MPI_ERR_SERVICE";
            case ERR_SPAWN: return "MPI_ERR_SPAWN";
            case ERR_UNSUPPORTED_OPERATION: return "MPI_ERR_UNSUPPORTED_OPERATION";
            case ERR_PROC_FAILED: return "MPI_ERR_PROC_FAILED";
            case ERR_PROC_FAILED_PENDING: return "MPI_ERR_PROC_FAILED_PENDING";
            case ERR_REVOKED: return "MPI_ERR_REVOKED";
            default: return "MPI error class " + errorClass;
        }
    }
}
