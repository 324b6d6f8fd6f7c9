package mpi;

import io.mpi4j.datatype.Packer;
import io.mpi4j.errors.ErrorClass;

/**
 * The facade side of {@code MPI_Pack}, {@code MPI_Unpack} and {@code MPI_Pack_size} ({@link Comm#pack} etc.): the
 * checks, then {@link Packer} over the type map. The packed format is the items' bytes in order, in native byte
 * order, with no header, so {@code MPI.PACKED} data received from a process of this job unpacks as it was packed.
 */
final class PackCalls
{
    private PackCalls()
    {
    }

    /** MPI_Pack: returns the position after the packed items. */
    static int pack(final Comm comm, final Object inbuf, final int incount, final Datatype type, final byte[] outbuf,
        final int position) throws MPIException
    {
        final String op = "MPI_Pack";
        comm.live(op);
        comm.checkBuffer(op, inbuf, incount, type);
        final long bytes = packedBytes(comm, op, outbuf, position, incount, type);
        if (bytes > outbuf.length - (long)position)
        {
            throw comm.raise(ErrorClass.ERR_TRUNCATE, op + ": " + incount + " items of " + type.typeName() +
                " pack to " + bytes + " bytes, but the output buffer has " + (outbuf.length - position) +
                " bytes left after position " + position);
        }
        return Packer.pack(type.typeMap(), incount, UserBuffer.base(inbuf), UserBuffer.address(inbuf), outbuf,
            position);
    }

    /** MPI_Unpack: returns the position after the unpacked items. */
    static int unpack(final Comm comm, final byte[] inbuf, final int position, final Object outbuf,
        final int outcount, final Datatype type) throws MPIException
    {
        final String op = "MPI_Unpack";
        comm.live(op);
        comm.checkBuffer(op, outbuf, outcount, type);
        final long bytes = packedBytes(comm, op, inbuf, position, outcount, type);
        if (bytes > inbuf.length - (long)position)
        {
            throw comm.raise(ErrorClass.ERR_TRUNCATE, op + ": " + outcount + " items of " + type.typeName() +
                " need " + bytes + " packed bytes, but the input buffer holds " + (inbuf.length - position) +
                " after position " + position);
        }
        return Packer.unpack(inbuf, position, type.typeMap(), outcount, UserBuffer.base(outbuf),
            UserBuffer.address(outbuf));
    }

    /** MPI_Pack_size: an upper bound (here exact) of the bytes {@code incount} items pack to. */
    static int packSize(final Comm comm, final int incount, final Datatype type) throws MPIException
    {
        final String op = "MPI_Pack_size";
        comm.live(op);
        if (incount < 0)
        {
            throw comm.raise(ErrorClass.ERR_COUNT, op + ": count " + incount + " is negative");
        }
        checkType(comm, op, type);
        final long bytes = Packer.packedSize(type.typeMap(), incount);
        if (bytes > Integer.MAX_VALUE)
        {
            throw comm.raise(ErrorClass.ERR_COUNT, op + ": " + incount + " items of " + type.typeName() + " pack to " +
                bytes + " bytes, more than an int can count");
        }
        return (int)bytes;
    }

    private static long packedBytes(final Comm comm, final String op, final byte[] packed, final int position,
        final int count, final Datatype type) throws MPIException
    {
        if (null == packed)
        {
            throw comm.raise(ErrorClass.ERR_BUFFER, op + ": the packed buffer is null");
        }
        if (position < 0 || position > packed.length)
        {
            throw comm.raise(ErrorClass.ERR_ARG, op + ": position " + position + " is outside the packed buffer of " +
                packed.length + " bytes");
        }
        return Packer.packedSize(type.typeMap(), count);
    }

    private static void checkType(final Comm comm, final String op, final Datatype type) throws MPIException
    {
        if (null == type || type.baseType == Datatype.NULL || !type.isUsable())
        {
            throw comm.raise(ErrorClass.ERR_TYPE, UserBuffer.explain(ErrorClass.ERR_TYPE, op, null, 0, type));
        }
    }
}
