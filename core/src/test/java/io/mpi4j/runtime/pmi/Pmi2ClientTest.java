package io.mpi4j.runtime.pmi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PMI-2 client against a process manager written here from the protocol (PMI-1 init line, then length-prefixed
 * commands), as Slurm's srun --mpi=pmi2 serves it to one task: what goes over the wire, what comes back, and every
 * refusal turned into an exception that says what happened.
 */
@Timeout(20)
class Pmi2ClientTest
{
    @Test
    void encodesTheLengthFieldPaddedToSixCharacters()
    {
        final byte[] wire = Pmi2Command.of("kvs-put").with("key", "a").with("value", "b=c").encode();
        assertEquals("28    cmd=kvs-put;key=a;value=b=c;", new String(wire, StandardCharsets.US_ASCII));
    }

    @Test
    void parsesPairsInOrderAndMpichEscapedSemicolons() throws IOException
    {
        final Pmi2Command reply = Pmi2Command.parse("cmd=kvs-get-response;rc=0;found=TRUE;value=x;;y=z;");
        assertEquals("kvs-get-response", reply.name());
        assertEquals("TRUE", reply.get("found"));
        assertEquals("x;y=z", reply.get("value"));
        assertNull(reply.get("missing"));
        assertThrows(IOException.class, () -> Pmi2Command.parse("rc=0;cmd=x;"));
        assertThrows(IOException.class, () -> Pmi2Command.parse("cmd=x;novalue"));
        assertThrows(IOException.class, () -> Pmi2Command.parseLength("12a   ".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void refusesValuesTheWireCannotCarry()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Pmi2Command.of("kvs-put").with("key", "k").with("value", "a;b"));
        assertTrue(ex.getMessage().contains("'key'") || ex.getMessage().contains("'value'"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pmi2Command.of("kvs-put").with("k=", "v"));
    }

    @Test
    void initializesPutsFencesAndGetsThroughTheManager() throws Exception
    {
        try (FakeManager manager = new FakeManager(1, 3))
        {
            final Pmi2Client client = manager.client();
            final Pmi2Client.Identity identity = client.initialize("17", 1);
            assertEquals(1, identity.rank());
            assertEquals(3, identity.size());
            assertEquals(0, identity.appnum(), "Slurm's appnum -1 is no application number");
            assertEquals("17.0", client.jobId());
            assertEquals("(vector,(0,3,1))", client.jobAttribute("PMI_process_mapping"));
            assertNull(client.jobAttribute("noSuchAttribute"));
            client.put("mpi4j.addr.j.1", "tcp:10.0.0.2/4000/ab/j/1/n");
            assertNull(client.get("mpi4j.addr.j.1"), "not visible before the fence");
            client.fence();
            assertEquals("tcp:10.0.0.2/4000/ab/j/1/n", client.get("mpi4j.addr.j.1"));
            assertNull(client.get("mpi4j.addr.j.9"));
            client.finish();
            client.close();
            manager.join();
            assertEquals(List.of("cmd=init pmi_version=2 pmi_subversion=0",
                "cmd=fullinit;pmijobid=17;pmirank=1;threaded=FALSE;",
                "cmd=job-getid;",
                "cmd=info-getjobattr;key=PMI_process_mapping;",
                "cmd=info-getjobattr;key=noSuchAttribute;",
                "cmd=kvs-put;key=mpi4j.addr.j.1;value=tcp:10.0.0.2/4000/ab/j/1/n;",
                "cmd=kvs-get;jobid=;srcid=-1;key=mpi4j.addr.j.1;",
                "cmd=kvs-fence;",
                "cmd=kvs-get;jobid=;srcid=-1;key=mpi4j.addr.j.1;",
                "cmd=kvs-get;jobid=;srcid=-1;key=mpi4j.addr.j.9;",
                "cmd=finalize;"), manager.received());
        }
    }

    @Test
    void aRefusalCarriesTheManagersCodeAndMessage() throws Exception
    {
        try (FakeManager manager = new FakeManager(0, 2))
        {
            final Pmi2Client client = manager.client();
            client.initialize("3", 0);
            manager.failNextFence("step is being cancelled");
            final IOException ex = assertThrows(IOException.class, client::fence);
            assertEquals("PMI-2: kvs-fence failed with code 14: step is being cancelled", ex.getMessage());
        }
    }

    @Test
    void aManagerThatGoesAwayIsAnErrorNotAHang() throws Exception
    {
        final FakeManager manager = new FakeManager(0, 2);
        final Pmi2Client client = manager.client();
        client.initialize("3", 0);
        manager.close();
        final IOException ex = assertThrows(IOException.class, () -> client.get("k"));
        assertTrue(ex.getMessage().contains("closed the connection") || ex.getMessage().contains("cannot write"),
            ex.getMessage());
    }

    @Test
    void aManagerSpeakingPmi1IsToldToUsePmi2() throws Exception
    {
        final PipedOutputStream toClient = new PipedOutputStream();
        final PipedInputStream clientIn = new PipedInputStream(toClient);
        toClient.write("cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0\n".getBytes(StandardCharsets.US_ASCII));
        final Pmi2Client client = new Pmi2Client(clientIn, new ByteArrayOutputStream(), "test");
        final IOException ex = assertThrows(IOException.class, () -> client.initialize("1", 0));
        assertTrue(ex.getMessage().contains("srun --mpi=pmi2"), ex.getMessage());
    }

    @Test
    void spawnWithoutALauncherIsErrSpawnForEveryProcessAskedFor() throws Exception
    {
        try (FakeManager manager = new FakeManager(0, 1))
        {
            final Pmi2Client client = manager.client();
            client.initialize("3", 0);
            final PmiKeyValueStore store = new PmiKeyValueStore(client);
            final SpawnRequest request = new SpawnRequest("port", "/jdk", "cp", "/tmp", List.of(
                new SpawnRequest.App("java", List.of("Child"), 3, null, "", "", List.of())));
            final SpawnResult result = store.spawn(request);
            assertEquals(ErrorClass.ERR_SPAWN, result.errorClass());
            assertEquals(3, result.errcodes().length);
            assertEquals(ErrorClass.ERR_SPAWN, result.errcodes()[2]);
            assertTrue(result.message().contains("mpi4jrun"), result.message());
        }
    }

    @Test
    void processMappingGivesTheNodeCount()
    {
        assertEquals(2, DirectLaunch.nodes("(vector,(0,2,2))", Map.of()));
        assertEquals(3, DirectLaunch.nodes("(vector,(0,1,4),(1,2,1))", Map.of()));
        assertEquals(1, DirectLaunch.nodes("(vector,(0,1,4))", Map.of("SLURM_NNODES", "5")));
        assertEquals(3, DirectLaunch.nodes(null, Map.of("SLURM_STEP_NUM_NODES", "3")));
        assertEquals(1, DirectLaunch.nodes("garbage", Map.of()));
        assertEquals("pmi-12-0_", DirectLaunch.jobId("12.0"));
        assertTrue(!DirectLaunch.jobId("1.10").startsWith(DirectLaunch.jobId("1.1")));
    }

    @Test
    void processMappingGivesEachRanksPlaceOnItsNode()
    {
        // block: nodes 0 and 1 with 3 ranks each (0-2 on node 0, 3-5 on node 1)
        assertArrayEquals(new int[]{ 0, 3 }, DirectLaunch.localPlace("(vector,(0,2,3))", 0, 6));
        assertArrayEquals(new int[]{ 2, 3 }, DirectLaunch.localPlace("(vector,(0,2,3))", 2, 6));
        assertArrayEquals(new int[]{ 1, 3 }, DirectLaunch.localPlace("(vector,(0,2,3))", 4, 6));
        // cyclic over 2 nodes, 5 ranks: node 0 has 0, 2, 4; node 1 has 1, 3
        assertArrayEquals(new int[]{ 2, 3 }, DirectLaunch.localPlace("(vector,(0,2,1))", 4, 5));
        assertArrayEquals(new int[]{ 1, 2 }, DirectLaunch.localPlace("(vector,(0,2,1))", 3, 5));
        // uneven blocks: node 0 and 1 with 2 each, node 2 with 1
        assertArrayEquals(new int[]{ 0, 1 }, DirectLaunch.localPlace("(vector,(0,2,2),(2,1,1))", 4, 5));
        assertArrayEquals(new int[]{ 1, 2 }, DirectLaunch.localPlace("(vector,(0,2,2),(2,1,1))", 3, 5));
        // one node
        assertArrayEquals(new int[]{ 3, 4 }, DirectLaunch.localPlace("(vector,(0,1,4))", 3, 4));
        assertNull(DirectLaunch.localPlace(null, 0, 2));
        assertNull(DirectLaunch.localPlace("garbage", 0, 2));
        assertNull(DirectLaunch.localPlace("(vector,(0,0,2))", 0, 2));
        assertNull(DirectLaunch.localPlace("(vector,(0,1,99999999999))", 0, 2));
    }

    @Test
    void anInheritedDescriptorMustBeOpen()
    {
        assertThrows(IOException.class, () -> InheritedDescriptor.of(-1));
        final IOException ex = assertThrows(IOException.class, () -> InheritedDescriptor.of(1_000_000));
        assertTrue(ex.getMessage().contains("not open"), ex.getMessage());
    }

    @Test
    void directLaunchIsDetectedOnlyWithoutTheLauncher()
    {
        final Map<String, String> env = new HashMap<>(Map.of("PMI_FD", "5", "PMI_RANK", "0", "PMI_SIZE", "2"));
        assertTrue(DirectLaunch.isDirectLaunch(env));
        env.put("MPI4J_JOB_ID", "j1");
        assertTrue(!DirectLaunch.isDirectLaunch(env));
        env.remove("MPI4J_JOB_ID");
        env.remove("PMI_FD");
        assertTrue(!DirectLaunch.isDirectLaunch(env));
    }

    /** One task's end of a process manager: a thread answering the client over pipes, with one shared store. */
    private static final class FakeManager implements AutoCloseable
    {
        private final PipedOutputStream toClient = new PipedOutputStream();
        private final PipedInputStream clientIn;
        private final PipedOutputStream fromClient = new PipedOutputStream();
        private final PipedInputStream managerIn;
        private final List<String> received = new ArrayList<>();
        private final Map<String, String> pending = new HashMap<>();
        private final Map<String, String> published = new HashMap<>();
        private final int rank;
        private final int size;
        private final Thread thread;
        private volatile String fenceFailure;

        FakeManager(final int rank, final int size) throws IOException
        {
            this.rank = rank;
            this.size = size;
            clientIn = new PipedInputStream(toClient, 1 << 16);
            managerIn = new PipedInputStream(fromClient, 1 << 16);
            thread = new Thread(this::serve, "fake-pmi2");
            thread.setDaemon(true);
            thread.start();
        }

        Pmi2Client client()
        {
            return new Pmi2Client(clientIn, fromClient, "test");
        }

        void failNextFence(final String message)
        {
            fenceFailure = message;
        }

        synchronized List<String> received()
        {
            return new ArrayList<>(received);
        }

        void join() throws InterruptedException
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }

        private void serve()
        {
            try
            {
                final DataInputStream in = new DataInputStream(managerIn);
                final StringBuilder line = new StringBuilder();
                for (int b = in.read(); b != '\n'; b = in.read())
                {
                    line.append((char)b);
                }
                record(line.toString());
                reply(toClient, "cmd=response_to_init rc=0 pmi_version=2 pmi_subversion=0\n", false);
                while (true)
                {
                    final byte[] field = new byte[6];
                    in.readFully(field);
                    final byte[] body = new byte[Integer.parseInt(new String(field, StandardCharsets.US_ASCII).trim())];
                    in.readFully(body);
                    final String text = new String(body, StandardCharsets.UTF_8);
                    record(text);
                    final Pmi2Command command = Pmi2Command.parse(text);
                    switch (command.name())
                    {
                        case "fullinit" -> reply(toClient, "cmd=fullinit-response;rc=0;pmi-version=2;" +
                            "pmi-subversion=0;rank=" + rank + ";size=" + size + ";appnum=-1;debugged=FALSE;" +
                            "pmiverbose=FALSE;", true);
                        case "job-getid" -> reply(toClient, "cmd=job-getid-response;rc=0;jobid=17.0;", true);
                        case "info-getjobattr" -> reply(toClient, command.get("key").equals("PMI_process_mapping") ?
                            "cmd=info-getjobattr-response;rc=0;found=TRUE;value=(vector,(0," + size + ",1));" :
                            "cmd=info-getjobattr-response;rc=0;found=FALSE;", true);
                        case "kvs-put" ->
                        {
                            pending.put(command.get("key"), command.get("value"));
                            reply(toClient, "cmd=kvs-put-response;rc=0;", true);
                        }
                        case "kvs-fence" ->
                        {
                            final String failure = fenceFailure;
                            if (failure != null)
                            {
                                reply(toClient, "cmd=kvs-fence-response;rc=14;errmsg=" + failure + ";", true);
                                continue;
                            }
                            published.putAll(pending);
                            pending.clear();
                            reply(toClient, "cmd=kvs-fence-response;rc=0;", true);
                        }
                        case "kvs-get" ->
                        {
                            final String value = published.get(command.get("key"));
                            reply(toClient, value == null ? "cmd=kvs-get-response;rc=0;found=FALSE;" :
                                "cmd=kvs-get-response;rc=0;found=TRUE;value=" + value + ";", true);
                        }
                        case "finalize" ->
                        {
                            reply(toClient, "cmd=finalize-response;rc=0;", true);
                            return;
                        }
                        default -> reply(toClient, "cmd=" + command.name() + "-response;rc=1;errmsg=unknown;", true);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // The client closed its end.
            }
        }

        private synchronized void record(final String text)
        {
            received.add(text);
        }

        private static void reply(final OutputStream out, final String text, final boolean framed) throws IOException
        {
            final byte[] body = text.getBytes(StandardCharsets.UTF_8);
            if (framed)
            {
                out.write(String.format("%-6d", body.length).getBytes(StandardCharsets.US_ASCII));
            }
            out.write(body);
            out.flush();
        }

        @Override
        public void close() throws IOException
        {
            toClient.close();
            managerIn.close();
            thread.interrupt();
        }
    }
}
