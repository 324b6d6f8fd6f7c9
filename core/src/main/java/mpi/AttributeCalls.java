package mpi;

import io.mpi4j.comm.AttributeTable;
import io.mpi4j.comm.Keyval;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.runtime.JobEnvironment;
import io.mpi4j.runtime.MpiRuntime;

/**
 * The facade side of attribute caching on communicators ({@code MPI_Comm_get_attr}, {@code _set_attr},
 * {@code _delete_attr}, keyval creation and release): the predefined attributes are answered here, user attributes
 * live in the communicator's {@link AttributeTable}, whose callbacks may fail with an error class of their own.
 */
final class AttributeCalls
{
    private AttributeCalls()
    {
    }

    static Object get(final Comm comm, final int keyval) throws MPIException
    {
        final String op = "MPI_Comm_get_attr";
        comm.live(op);
        switch (keyval)
        {
            case MPI.TAG_UB: return Comm.TAG_MAX;
            case MPI.HOST: return MPI.PROC_NULL;
            case MPI.IO: return MPI.ANY_SOURCE;
            case MPI.WTIME_IS_GLOBAL: return Boolean.FALSE;
            case MPI.LASTUSEDCODE: return MPI.ERR_LASTCODE;
            case MPI.APPNUM:
            case MPI.UNIVERSE_SIZE:
                try
                {
                    final JobEnvironment job = MpiRuntime.get().job();
                    return MPI.APPNUM == keyval ? job.appnum() : job.universeSize();
                }
                catch (final MpiError ex)
                {
                    throw comm.raise(op, ex);
                }
            default:
                final Keyval key = CommSupport.KEYVALS.forUse(keyval);
                if (null == key)
                {
                    throw comm.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval +
                        " is not a known attribute key");
                }
                final AttributeTable table = comm.attributes;
                return null == table ? null : table.get(key);
        }
    }

    static void set(final Comm comm, final int keyval, final Object value) throws MPIException
    {
        final String op = "MPI_Comm_set_attr";
        comm.live(op);
        final Keyval key = CommSupport.KEYVALS.forSet(keyval);
        if (null == key)
        {
            throw comm.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
        try
        {
            table(comm).set(comm, key, value);
        }
        catch (final RuntimeException ex)
        {
            throw comm.raise(CommSupport.classOf(ex), op + ": " + ex.getMessage());
        }
    }

    static void delete(final Comm comm, final int keyval) throws MPIException
    {
        final String op = "MPI_Comm_delete_attr";
        comm.live(op);
        final Keyval key = CommSupport.KEYVALS.forUse(keyval);
        if (null == key)
        {
            throw comm.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
        try
        {
            table(comm).delete(comm, key);
        }
        catch (final RuntimeException ex)
        {
            throw comm.raise(CommSupport.classOf(ex), op + ": " + ex.getMessage());
        }
    }

    /** Runs delete callbacks of every attribute (MPI_Comm_free, MPI_Finalize), last set first. */
    static void deleteAll(final Comm comm, final String op) throws MPIException
    {
        final AttributeTable table = comm.attributes;
        if (null == table)
        {
            return;
        }
        try
        {
            table.deleteAll(comm);
        }
        catch (final RuntimeException ex)
        {
            throw comm.raise(CommSupport.classOf(ex), op + ": " + ex.getMessage());
        }
    }

    static int createKeyval(final Comm.CopyFunction copyFn, final Comm.DeleteFunction deleteFn,
        final Object extraState) throws MPIException
    {
        MPI.check("MPI_Comm_create_keyval");
        return CommSupport.KEYVALS.create(new CommSupport.Hooks(copyFn, deleteFn), extraState);
    }

    static void freeKeyval(final int keyval) throws MPIException
    {
        final String op = "MPI_Comm_free_keyval";
        MPI.check(op);
        if (!CommSupport.KEYVALS.free(keyval))
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_KEYVAL, op + ": key value " + keyval + " is not a valid key");
        }
    }

    /** The communicator's table, created on its first attribute; most communicators never have one. */
    private static AttributeTable table(final Comm comm)
    {
        AttributeTable table = comm.attributes;
        if (null == table)
        {
            synchronized (comm)
            {
                table = comm.attributes;
                if (null == table)
                {
                    table = new AttributeTable(CommSupport.KEYVALS);
                    comm.attributes = table;
                }
            }
        }
        return table;
    }
}
