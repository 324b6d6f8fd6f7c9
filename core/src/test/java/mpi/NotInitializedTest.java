package mpi;

import io.mpi4j.errors.ErrorClass;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Before MPI.Init every call fails with ERR_OTHER and says so; predefined objects already exist. */
class NotInitializedTest
{
    @Test
    void predefinedObjectsExistBeforeInit() throws MPIException
    {
        assertNotNull(MPI.COMM_WORLD);
        assertNotNull(MPI.COMM_SELF);
        assertFalse(MPI.COMM_WORLD.isNull());
        assertTrue(MPI.REQUEST_NULL.isNull());
        assertTrue(MPI.INFO_NULL.isNull());
        assertFalse(MPI.isInitialized());
        assertFalse(MPI.isFinalized());
        assertEquals(3, MPI.getVersion().getVersion());
        assertEquals(1, MPI.getVersion().getSubVersion());
    }

    /** Compiles only while the version calls declare no checked exception, as in Open MPI's binding. */
    @Test
    void versionCallsNeedNoExceptionHandling()
    {
        assertEquals(3, MPI.getVersion().getVersion());
        assertTrue(MPI.getLibVersion().startsWith("mpi4j "));
    }

    @Test
    void callsBeforeInitThrow()
    {
        final MPIException send = assertThrows(MPIException.class,
            () -> MPI.COMM_WORLD.send(new int[1], 1, MPI.INT, 0, 0));
        assertEquals(ErrorClass.ERR_OTHER, send.getErrorClass());
        assertEquals("MPI_Send: MPI is not initialized: call MPI.Init first", send.getMessage());

        assertEquals(ErrorClass.ERR_OTHER, assertThrows(MPIException.class, MPI.COMM_WORLD::getRank).getErrorClass());
        assertThrows(MPIException.class, () -> MPI.COMM_SELF.recv(new int[1], 1, MPI.INT, 0, 0));
        assertThrows(MPIException.class, () -> MPI.COMM_WORLD.iSend(MPI.newIntBuffer(1), 1, MPI.INT, 0, 0));
        assertThrows(MPIException.class, MPI::wtime);
        assertThrows(MPIException.class, MPI::Finalize);
        assertThrows(MPIException.class, Info::new);
        assertThrows(MPIException.class, () -> MPI.INT.getSize());
        assertThrows(MPIException.class, () -> Request.waitAll(new Request[] { MPI.REQUEST_NULL }));
        assertThrows(MPIException.class, () -> new Message().mProbe(0, 0, MPI.COMM_WORLD));
        assertThrows(MPIException.class, MPI.COMM_WORLD::free);
    }
}
