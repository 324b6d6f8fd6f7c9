package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.StatusRecord;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Argument checks of the facade, on a communicator that is not backed by a running job. */
class CommValidationTest
{
    private final Communicator world = new Communicator(0, 1, new long[4], "MPI_COMM_WORLD");
    private final Comm comm = new Intracomm(Comm.USER, world, MPI.ERRORS_RETURN);

    @Test
    void destinationRank()
    {
        final MPIException ex = assertThrows(MPIException.class, () -> comm.checkDest(Comm.OP_SEND, world, 7));
        assertEquals(ErrorClass.ERR_RANK, ex.getErrorClass());
        assertEquals(ErrorClass.ERR_RANK, ex.getErrorCode());
        assertEquals("MPI_Send: rank 7 is out of range for communicator MPI_COMM_WORLD of size 4 " +
            "(valid: 0..3 or MPI.PROC_NULL)", ex.getMessage());
        assertThrows(MPIException.class, () -> comm.checkDest(Comm.OP_SEND, world, 4));
        assertThrows(MPIException.class, () -> comm.checkDest(Comm.OP_SEND, world, MPI.ANY_SOURCE));
        assertDoesNotThrow(() -> comm.checkDest(Comm.OP_SEND, world, 0));
        assertDoesNotThrow(() -> comm.checkDest(Comm.OP_SEND, world, 3));
        assertDoesNotThrow(() -> comm.checkDest(Comm.OP_SEND, world, MPI.PROC_NULL));
    }

    @Test
    void sourceRank()
    {
        assertDoesNotThrow(() -> comm.checkSource(Comm.OP_RECV, world, MPI.ANY_SOURCE));
        assertDoesNotThrow(() -> comm.checkSource(Comm.OP_RECV, world, MPI.PROC_NULL));
        final MPIException ex = assertThrows(MPIException.class, () -> comm.checkSource(Comm.OP_RECV, world, -3));
        assertEquals(ErrorClass.ERR_RANK, ex.getErrorClass());
        assertEquals("MPI_Recv: rank -3 is out of range for communicator MPI_COMM_WORLD of size 4 " +
            "(valid: 0..3, MPI.ANY_SOURCE or MPI.PROC_NULL)", ex.getMessage());
    }

    @Test
    void tags()
    {
        final MPIException ex = assertThrows(MPIException.class, () -> comm.checkSendTag(Comm.OP_SEND, -1));
        assertEquals(ErrorClass.ERR_TAG, ex.getErrorClass());
        assertEquals("MPI_Send: tag -1 is out of range (valid: 0..2147483647)", ex.getMessage());
        assertDoesNotThrow(() -> comm.checkSendTag(Comm.OP_SEND, Integer.MAX_VALUE));
        assertDoesNotThrow(() -> comm.checkRecvTag(Comm.OP_RECV, MPI.ANY_TAG));
        final MPIException recv = assertThrows(MPIException.class, () -> comm.checkRecvTag(Comm.OP_RECV, -7));
        assertEquals("MPI_Recv: tag -7 is out of range (valid: 0..2147483647 or MPI.ANY_TAG)", recv.getMessage());
    }

    @Test
    void buffers()
    {
        // as in Open MPI a type need not match the array's elements, only fit its bytes
        assertDoesNotThrow(() -> comm.checkBuffer(Comm.OP_SEND, new int[2], 1, MPI.DOUBLE));
        assertEquals(ErrorClass.ERR_COUNT, assertThrows(MPIException.class,
            () -> comm.checkBuffer(Comm.OP_SEND, new int[2], 2, MPI.DOUBLE)).getErrorClass());
        assertEquals(ErrorClass.ERR_TYPE, assertThrows(MPIException.class,
            () -> comm.checkBuffer(Comm.OP_SEND, new int[2], 1, MPI.DATATYPE_NULL)).getErrorClass());
        assertEquals(ErrorClass.ERR_COUNT, assertThrows(MPIException.class,
            () -> comm.checkBuffer(Comm.OP_SEND, new int[2], 3, MPI.INT)).getErrorClass());
        assertEquals(ErrorClass.ERR_BUFFER, assertThrows(MPIException.class,
            () -> comm.checkBuffer(Comm.OP_SEND, null, 3, MPI.INT)).getErrorClass());
        assertDoesNotThrow(() -> comm.checkBuffer(Comm.OP_SEND, MPI.newByteBuffer(8), 1, MPI.LONG));
    }

    @Test
    void engineErrorsNameTheCall()
    {
        final MPIException plain = comm.raise(Comm.OP_SEND, new MpiError(ErrorClass.ERR_INTERN, "ring is full"));
        assertEquals(ErrorClass.ERR_INTERN, plain.getErrorClass());
        assertEquals("MPI_Send: ring is full", plain.getMessage());
        final MPIException named = comm.raise(Comm.OP_SEND, new MpiError(ErrorClass.ERR_RANK, "MPI_Send: peer gone"));
        assertEquals("MPI_Send: peer gone", named.getMessage());
    }

    @Test
    void truncationIsReported()
    {
        final StatusRecord record = new StatusRecord();
        record.source = 2;
        record.tag = 9;
        record.error = ErrorClass.ERR_TRUNCATE;
        final MPIException ex = comm.receiveError(Comm.OP_RECV, record, 40);
        assertEquals(ErrorClass.ERR_TRUNCATE, ex.getErrorClass());
        assertEquals("MPI_Recv: message from rank 2 with tag 9 is larger than the receive buffer of 40 bytes",
            ex.getMessage());
    }

    @Test
    void goodPathAllocatesNothing() throws MPIException
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final int[] ints = new int[64];
        final java.nio.ByteBuffer direct = MPI.newByteBuffer(256);
        long sink = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sink += validateAndTranslate(ints, direct);
        }
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 100_000; i++)
        {
            sink += validateAndTranslate(ints, direct);
        }
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // One object per call would be >= 1.6 MB; the slack absorbs JIT and class-loading noise.
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by 100k checks (sink " + sink + ")");
    }

    private long validateAndTranslate(final int[] ints, final java.nio.ByteBuffer direct) throws MPIException
    {
        comm.checkBuffer(Comm.OP_SEND, ints, 64, MPI.INT);
        comm.checkDest(Comm.OP_SEND, world, 3);
        comm.checkSendTag(Comm.OP_SEND, 5);
        comm.checkBuffer(Comm.OP_RECV, direct, 32, MPI.DOUBLE);
        comm.checkSource(Comm.OP_RECV, world, MPI.ANY_SOURCE);
        comm.checkRecvTag(Comm.OP_RECV, MPI.ANY_TAG);
        Status.scratch();
        return UserBuffer.address(ints) + UserBuffer.address(direct) + (null == UserBuffer.base(direct) ? 1 : 0);
    }
}
