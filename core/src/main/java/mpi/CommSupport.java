package mpi;


import io.mpi4j.comm.AttributeHooks;
import io.mpi4j.comm.CommunicatorFactory;
import io.mpi4j.comm.ContextIdAllocator;
import io.mpi4j.comm.KeyvalRegistry;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.runtime.MpiRuntime;

/**
 * Process-wide state of communicator management behind the facade: the context-id allocator, the communicator
 * factory and the attribute keys, plus the adapter from the program's {@link Comm.CopyFunction} /
 * {@link Comm.DeleteFunction} to the attribute layer.
 */
final class CommSupport
{
    /** One MPI_Init per process, so one allocator and one key registry for the life of the process. */
    static final ContextIdAllocator CONTEXTS = new ContextIdAllocator();
    static final KeyvalRegistry KEYVALS = new KeyvalRegistry();

    private static volatile CommunicatorFactory factory;

    private CommSupport()
    {
    }

    static CommunicatorFactory factory()
    {
        CommunicatorFactory f = factory;
        if (null == f)
        {
            synchronized (CommSupport.class)
            {
                f = factory;
                if (null == f)
                {
                    f = new CommunicatorFactory(MPI.engine(), CONTEXTS, MpiRuntime.get().processNames());
                    factory = f;
                }
            }
        }
        return f;
    }

    /** The program's callbacks; MPIException and runtime failures become MpiError with their error class. */
    static final class Hooks implements AttributeHooks
    {
        private final Comm.CopyFunction copyFn;
        private final Comm.DeleteFunction deleteFn;

        Hooks(final Comm.CopyFunction copyFn, final Comm.DeleteFunction deleteFn)
        {
            this.copyFn = null == copyFn ? Comm.NULL_COPY_FN : copyFn;
            this.deleteFn = null == deleteFn ? Comm.NULL_DELETE_FN : deleteFn;
        }

        @Override
        public Object copy(final Object oldOwner, final int keyval, final Object extraState, final Object value)
        {
            try
            {
                return copyFn.copy((Comm)oldOwner, keyval, extraState, value);
            }
            catch (final MPIException ex)
            {
                throw new MpiError(ex.getErrorClass(), "copy callback of key value " + keyval + " failed: " +
                    ex.getMessage());
            }
        }

        @Override
        public void delete(final Object owner, final int keyval, final Object value, final Object extraState)
        {
            try
            {
                deleteFn.delete((Comm)owner, keyval, value, extraState);
            }
            catch (final MPIException ex)
            {
                throw new MpiError(ex.getErrorClass(), "delete callback of key value " + keyval + " failed: " +
                    ex.getMessage());
            }
        }

        @Override
        public Object noCopy()
        {
            return Comm.NO_COPY;
        }
    }

    /** Error class of a failure thrown by a callback that did not use MPIException. */
    static int classOf(final RuntimeException ex)
    {
        return ex instanceof MpiError ? ((MpiError)ex).errorClass() : ErrorClass.ERR_OTHER;
    }
}
