package io.mpi4j.rma;

import io.mpi4j.datatype.Packer;
import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.p2p.Operation;
import io.mpi4j.p2p.ScheduledOperation;

/**
 * The answer of a get or fetch whose origin datatype has gaps: it arrives packed in a scratch array, and the
 * progress turn that sees it complete unpacks it into the program's buffer. Completes after the unpacking, so a
 * request, flush or fence that waits for it sees the data in place.
 */
final class ArrivalUnpack extends ScheduledOperation
{
    private final Operation answer;
    private final byte[] packed;
    private final TypeMap type;
    private final long count;
    private final Object base;
    private final long address;

    ArrivalUnpack(final Operation answer, final byte[] packed, final TypeMap type, final long count,
        final Object base, final long address)
    {
        this.answer = answer;
        this.packed = packed;
        this.type = type;
        this.count = count;
        this.base = base;
        this.address = address;
    }

    @Override
    protected boolean advance()
    {
        if (!answer.isComplete())
        {
            return false;
        }
        final int error = answer.status().error;
        if (error == ErrorClass.SUCCESS)
        {
            Packer.unpack(packed, 0, type, count, base, address);
        }
        finish(error, answer.errorDetail());
        return true;
    }
}
