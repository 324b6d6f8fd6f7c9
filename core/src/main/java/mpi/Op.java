package mpi;

import io.mpi4j.coll.Reduction;
import io.mpi4j.coll.ReductionOp;
import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reduction operator ({@code MPI_Op}): one of the predefined {@code MPI.SUM} ... {@code MPI.MAXLOC}, or a user
 * function bound by {@link #Op(UserFunction, boolean)} ({@code MPI_OP_CREATE}). Predefined operators run as
 * tight loops over the raw memory; user functions get the data as buffers or arrays (see {@link UserFunction}).
 */
public final class Op implements Freeable
{
    /** {@code io.mpi4j.coll.ReductionOp} code; 0 for a user function. */
    final int code;
    private final String name;
    private final UserFunction function;
    private final boolean commute;
    private volatile boolean freed;

    Op(final int code, final String name)
    {
        this.code = code;
        this.name = name;
        this.function = null;
        this.commute = true;
    }

    /**
     * Binds a user-defined reduction. Binds {@code MPI_OP_CREATE}.
     *
     * @param function user-defined function
     * @param commute  {@code true} if commutative; non-commutative operators are applied in rank order
     */
    public Op(final UserFunction function, final boolean commute)
    {
        this.code = 0;
        this.name = "user operator";
        this.function = function;
        this.commute = commute;
    }

    /**
     * Binds {@code MPI_OP_COMMUTATIVE}.
     *
     * @return {@code true} if commutative
     */
    public boolean isCommutative()
    {
        return commute;
    }

    /**
     * Binds {@code MPI_OP_FREE}. Predefined operators cannot be freed.
     *
     * @throws MPIException for a predefined operator
     */
    @Override
    public void free() throws MPIException
    {
        MPI.check("MPI_Op_free");
        if (code != 0)
        {
            throw new MPIException(ErrorClass.ERR_OP, "MPI_Op_free: " + name + " is predefined and cannot be freed");
        }
        freed = true;
    }

    /**
     * Whether this operator was freed ({@code MPI_OP_NULL}).
     *
     * @return true once freed
     */
    public boolean isNull()
    {
        return freed;
    }

    @Override
    public String toString()
    {
        return name;
    }

    /** This operator applied to items of {@code type}, or null when it is not defined on that type (ERR_OP). */
    Reduction reduction(final Datatype type)
    {
        if (freed)
        {
            return null;
        }
        if (code != 0)
        {
            final Reduction cached = type.predefinedReduction(code);
            if (null != cached)
            {
                return cached;
            }
            return keepPredefinedOn(type);
        }
        return new UserReduction(function, commute, type);
    }

    /**
     * This predefined operator on items of {@code type}, once the type keeps every predefined reduction operator on
     * it, not this one alone: a program's first MAX on a type it has summed before (OSU's timings) then finds its
     * operator kept, where a miss would take a branch the compiled lookup has never seen and throw that code away.
     */
    private Reduction keepPredefinedOn(final Datatype type)
    {
        if (code > ReductionOp.MAXLOC)
        {
            return predefinedOn(code, type);
        }
        for (int op = ReductionOp.SUM; op <= ReductionOp.MAXLOC; op++)
        {
            final Reduction r = predefinedOn(op, type);
            if (null != r)
            {
                type.keepPredefinedReduction(op, r);
            }
        }
        return type.predefinedReduction(code);
    }

    /** The predefined operator {@code code} on items of {@code type}, or null when MPI does not define it there. */
    private static Reduction predefinedOn(final int code, final Datatype type)
    {
        final int complexType = type.complexType();
        if (complexType >= 0)
        {
            return type.elements < 2 ? null : Reduction.predefined(code, complexType, type.elements / 2);
        }
        if (!type.isPredefined() && type.isHomogeneous())
        {
            // a derived type of one basic type: element-wise on its packed form (collectives pack it)
            return 0 == type.elements ? null : Reduction.predefined(code, type.baseType, type.elements);
        }
        final int pairType = type.pairType();
        if (pairType >= 0)
        {
            final int pairs = type.pairsPerItem();
            return 0 == pairs ? null : Reduction.predefined(code, pairType, pairs);
        }
        final int reductionType = type.reductionType();
        return reductionType < 0 ? null : Reduction.predefined(code, reductionType, 1);
    }

    /** Calls a user function on copies of the data in Java buffers; errors travel as {@link MpiError}. */
    private static final class UserReduction implements Reduction
    {
        private final UserFunction function;
        private final boolean commute;
        private final Datatype type;

        UserReduction(final UserFunction function, final boolean commute, final Datatype type)
        {
            this.function = function;
            this.commute = commute;
            this.type = type;
        }

        @Override
        public boolean isCommutative()
        {
            return commute;
        }

        @Override
        public void apply(final Object in, final long inAddress, final Object inout, final long inoutAddress,
            final int count)
        {
            final int bytes = count * type.byteSize;
            try
            {
                if (type.hasGaps() && type.baseType != Datatype.BOOLEAN && spreadable(count))
                {
                    applySpread(in, inAddress, inout, inoutAddress, count, bytes);
                    return;
                }
                if (type.baseType == Datatype.BOOLEAN)
                {
                    final boolean[] x = new boolean[count * type.elements];
                    final boolean[] y = new boolean[x.length];
                    final long offset = UserBuffer.address(x);
                    Memory.copy(in, inAddress, x, offset, bytes);
                    Memory.copy(inout, inoutAddress, y, offset, bytes);
                    function.call(x, y, count, type);
                    Memory.copy(y, offset, inout, inoutAddress, bytes);
                    return;
                }
                final ByteBuffer x = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
                final ByteBuffer y = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
                final long offset = UserBuffer.byteArrayOffset();
                Memory.copy(in, inAddress, x.array(), offset, bytes);
                Memory.copy(inout, inoutAddress, y.array(), offset, bytes);
                function.call(x, y, count, type);
                Memory.copy(y.array(), offset, inout, inoutAddress, bytes);
            }
            catch (final MPIException ex)
            {
                throw new MpiError(ex.getErrorClass(), ex.getMessage());
            }
        }

        private boolean spreadable(final int count)
        {
            final TypeMap map = type.typeMap();
            return map.lowestOffset(count) >= 0 && map.highestOffset(count) <= Integer.MAX_VALUE - 16;
        }

        /**
         * Items of a type with gaps reach the reduction packed; the function sees them as Open MPI's binding shows
         * them, laid out in memory as the type says (a Struct's records at its extent), and its result is packed
         * back.
         */
        private void applySpread(final Object in, final long inAddress, final Object inout, final long inoutAddress,
            final int count, final int bytes) throws MPIException
        {
            final TypeMap map = type.typeMap();
            final int span = (int)map.highestOffset(count);
            final long offset = UserBuffer.byteArrayOffset();
            final byte[] packed = new byte[bytes];
            final ByteBuffer x = ByteBuffer.allocate(span).order(ByteOrder.nativeOrder());
            final ByteBuffer y = ByteBuffer.allocate(span).order(ByteOrder.nativeOrder());
            Memory.copy(in, inAddress, packed, offset, bytes);
            Packer.unpack(packed, 0, map, count, x.array(), offset);
            Memory.copy(inout, inoutAddress, packed, offset, bytes);
            Packer.unpack(packed, 0, map, count, y.array(), offset);
            function.call(x, y, count, type);
            Packer.pack(map, count, y.array(), offset, packed, 0);
            Memory.copy(packed, offset, inout, inoutAddress, bytes);
        }
    }
}
