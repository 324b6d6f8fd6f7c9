package io.mpi4j.comm;

/**
 * What fault tolerance needs from outside the processes of a communicator, which may die at any time: a revoke that
 * reaches every live member, and an agreement that completes whoever dies meanwhile. The runtime provides it through
 * the launcher ({@code mpi4jrun --enable-recovery}), which outlives any rank and knows which ranks died.
 */
public interface FailureCoordinator
{
    /** Tell the other live members of {@code comm} that it is revoked; returns without waiting. */
    void revoke(Communicator comm);

    /**
     * The AND of {@code value} over the members of {@code comm} that did not fail, computed once for all of them, and
     * the process keys of the members that failed: every live member of the same agreement gets the same answer.
     *
     * @param sequence the communicator's agreement number ({@link Communicator#nextAgreementSequence()})
     */
    Agreement agree(Communicator comm, int sequence, long value);

    /** The answer of one agreement. */
    record Agreement(long value, long[] failedMembers)
    {
    }
}
