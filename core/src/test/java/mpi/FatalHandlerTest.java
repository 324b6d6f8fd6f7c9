package mpi;

import io.mpi4j.comm.Communicator;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MPI_ERRORS_ARE_FATAL ends the process, so it is observed from a child JVM. */
class FatalHandlerTest
{
    /** Child: an invalid rank on a communicator with the default (fatal) handler. */
    public static void main(final String[] args) throws MPIException
    {
        final Communicator world = new Communicator(0, 0, new long[2], "MPI_COMM_WORLD");
        final Comm comm = new Intracomm(Comm.USER, world, MPI.ERRORS_ARE_FATAL);
        comm.checkDest(Comm.OP_SEND, world, 7);
        System.out.println("still running");
    }

    @Test
    void fatalErrorPrintsAndExitsWithTheErrorClass() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FatalHandlerTest.class.getName());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(MPI.ERR_RANK, child.exitValue(), output);
        assertTrue(output.contains("mpi4j: MPI_Send: rank 7 is out of range for communicator MPI_COMM_WORLD of size 2" +
            " (valid: 0..1 or MPI.PROC_NULL) [MPI_ERR_RANK]"), output);
        assertTrue(!output.contains("still running"), output);
    }
}
