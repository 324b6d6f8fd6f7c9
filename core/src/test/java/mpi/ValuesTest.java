package mpi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Constants, datatype sizes, counts and exceptions: the values programs ported from Open MPI rely on. */
class ValuesTest
{
    @Test
    void constantsAreOpenMpis()
    {
        assertEquals(-1, MPI.ANY_SOURCE);
        assertEquals(-1, MPI.ANY_TAG);
        assertEquals(-2, MPI.PROC_NULL);
        assertEquals(-32766, MPI.UNDEFINED);
        assertEquals(0, MPI.SUCCESS);
        assertEquals(6, MPI.ERR_RANK);
        assertEquals(4, MPI.ERR_TAG);
        assertEquals(15, MPI.ERR_TRUNCATE);
        assertEquals(0, MPI.THREAD_SINGLE);
        assertEquals(3, MPI.THREAD_MULTIPLE);
        assertEquals(0, MPI.IDENT);
        assertEquals(3, MPI.UNEQUAL);
    }

    @Test
    void datatypeSizes()
    {
        assertEquals(1, MPI.BYTE.byteSize);
        assertEquals(2, MPI.CHAR.byteSize);
        assertEquals(2, MPI.SHORT.byteSize);
        assertEquals(1, MPI.BOOLEAN.byteSize);
        assertEquals(4, MPI.INT.byteSize);
        assertEquals(8, MPI.LONG.byteSize);
        assertEquals(4, MPI.FLOAT.byteSize);
        assertEquals(8, MPI.DOUBLE.byteSize);
        assertEquals(16, MPI.DOUBLE_COMPLEX.byteSize);
        assertEquals(8, MPI.DOUBLE_COMPLEX.baseSize);
        assertEquals("MPI_INT", MPI.INT.toString());
    }

    @Test
    void countsFromByteCounts()
    {
        assertEquals(0, Status.items(0, 4));
        assertEquals(3, Status.items(12, 4));
        assertEquals(MPI.UNDEFINED, Status.items(13, 4));
        assertEquals(MPI.UNDEFINED, Status.items(8L * Integer.MAX_VALUE + 8, 1));
    }

    @Test
    void exceptions()
    {
        final MPIException ex = new MPIException(MPI.ERR_RANK, "MPI_Send: rank 7 is out of range");
        assertEquals(MPI.ERR_RANK, ex.getErrorClass());
        assertEquals(MPI.ERR_RANK, ex.getErrorCode());
        assertEquals("MPI_Send: rank 7 is out of range", ex.getMessage());
        assertEquals(MPI.ERR_OTHER, new MPIException("boom").getErrorClass());
        assertEquals(MPI.ERR_OTHER, new MPIException(new IllegalStateException("x")).getErrorClass());
    }
}
