package io.mpi4j.launcher;

import io.mpi4j.runtime.KeyValueClient;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.runtime.KeyValueProtocol;
import io.mpi4j.runtime.SpawnRequest;
import io.mpi4j.runtime.SpawnResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class KeyValueServerTest
{
    private static final String SECRET = "0123456789abcdef";

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<KeyValueClient> clients = new CopyOnWriteArrayList<>();
    private KeyValueServer server;
    private ExecutorService pool;

    private final class RecordingListener implements JobListener
    {
        private final String job;

        RecordingListener(final String job)
        {
            this.job = job;
        }

        @Override
        public void onHello(final int rank)
        {
            events.add(job + " hello " + rank);
        }

        @Override
        public void onAbort(final int rank, final int errorCode, final String message)
        {
            events.add(job + " abort " + rank + " " + errorCode + " " + message);
        }

        @Override
        public void onFinalized(final int rank)
        {
            events.add(job + " finalized " + rank);
        }
    }

    @BeforeEach
    void start() throws IOException
    {
        server = KeyValueServer.start();
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop()
    {
        clients.forEach(KeyValueClient::close);
        server.close();
        pool.shutdownNow();
    }

    private KeyValueClient client(final String job, final String secret, final int rank) throws IOException
    {
        final KeyValueClient client = new KeyValueClient(server.address(), secret, job, rank,
            () -> events.add(job + " lost " + rank));
        clients.add(client);
        return client;
    }

    @Test
    void refusesWrongSecretUnknownJobAndBadRank() throws Exception
    {
        server.registerJob("ja", 2, SECRET, new RecordingListener("ja"));
        assertThrows(IOException.class, () -> client("ja", "0123456789abcdeX", 0));
        assertThrows(IOException.class, () -> client("ja", "", 0));
        assertThrows(IOException.class, () -> client("jb", SECRET, 0));
        assertThrows(IOException.class, () -> client("ja", SECRET, 2));

        // A peer that does not start with HELLO is cut off too.
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(server.address().split(":")[1])))
        {
            final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeByte(KeyValueProtocol.FENCE);
            out.flush();
            assertEquals(-1, KeyValueProtocol.readType(new DataInputStream(socket.getInputStream())));
        }
        assertTrue(events.isEmpty(), events.toString());

        client("ja", SECRET, 1);
        assertEquals(List.of("ja hello 1"), events);
    }

    @Test
    void putFenceGetAcrossRanks() throws Exception
    {
        final int size = 6;
        server.registerJob("jp", size, SECRET, new RecordingListener("jp"));
        final List<Future<List<String>>> results = new ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            final int rank = r;
            results.add(pool.submit(() ->
            {
                final KeyValueClient client = client("jp", SECRET, rank);
                final List<String> seen = new ArrayList<>();
                for (int round = 0; round < 3; round++)
                {
                    client.put("jp:" + round + ":" + rank, "v" + round + "-" + rank);
                    client.fence();
                    for (int peer = 0; peer < size; peer++)
                    {
                        seen.add(client.get("jp:" + round + ":" + peer));
                    }
                }
                assertNull(client.get("jp:absent"));
                client.finalized();
                return seen;
            }));
        }
        for (final Future<List<String>> result : results)
        {
            final List<String> seen = result.get(10, TimeUnit.SECONDS);
            for (int round = 0, i = 0; round < 3; round++)
            {
                for (int peer = 0; peer < size; peer++)
                {
                    assertEquals("v" + round + "-" + peer, seen.get(i++));
                }
            }
        }
        for (int r = 0; r < size; r++)
        {
            assertTrue(events.contains("jp finalized " + r), events.toString());
        }
    }

    @Test
    void fenceOfOneJobDoesNotWaitForAnother() throws Exception
    {
        server.registerJob("ja", 2, SECRET, new RecordingListener("ja"));
        server.registerJob("jb", 1, "other-secret", new RecordingListener("jb"));
        final KeyValueClient a0 = client("ja", SECRET, 0);
        final KeyValueClient a1 = client("ja", SECRET, 1);
        final KeyValueClient b0 = client("jb", "other-secret", 0);
        assertThrows(IOException.class, () -> client("jb", SECRET, 0), "secrets are per job");

        a0.put("ja:x", "1");
        final CompletableFuture<Void> fenceA0 = CompletableFuture.runAsync(() -> fenceUnchecked(a0), pool);
        b0.put("jb:y", "2");
        b0.fence();
        Thread.sleep(100);
        assertFalse(fenceA0.isDone(), "job ja's fence must wait for its rank 1");
        a1.fence();
        fenceA0.get(5, TimeUnit.SECONDS);
        assertEquals("2", a1.get("jb:y"), "keys are global");
        assertEquals("1", b0.get("ja:x"), "keys are global");
    }

    @Test
    void abortIsReportedBeforeTheReply() throws Exception
    {
        server.registerJob("jx", 3, SECRET, new RecordingListener("jx"));
        final KeyValueClient client = client("jx", SECRET, 2);
        client.abort(5, "bad input");
        assertTrue(events.contains("jx abort 2 5 bad input"), events.toString());
    }

    @Test
    void closingTheClientIsQuietButLosingTheServerIsNot() throws Exception
    {
        server.registerJob("jl", 2, SECRET, new RecordingListener("jl"));
        final CountDownLatch lost = new CountDownLatch(1);
        final KeyValueClient closed = client("jl", SECRET, 0);
        final KeyValueClient orphan = new KeyValueClient(server.address(), SECRET, "jl", 1, lost::countDown);
        clients.add(orphan);
        closed.close();
        assertThrows(IOException.class, closed::fence);
        server.close();
        assertTrue(lost.await(5, TimeUnit.SECONDS), "the reader thread must notice the server is gone");
        Thread.sleep(100);
        assertFalse(events.contains("jl lost 0"), events.toString());
        assertThrows(IOException.class, orphan::fence);
    }

    @Test
    void unregisteringAJobClosesItsConnections() throws Exception
    {
        server.registerJob("ju", 1, SECRET, new RecordingListener("ju"));
        final KeyValueClient client = client("ju", SECRET, 0);
        server.unregisterJob("ju");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!events.contains("ju lost 0") && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(events.contains("ju lost 0"), events.toString());
        assertThrows(IOException.class, client::fence);
        assertThrows(IOException.class, () -> client("ju", SECRET, 0));
    }

    @Test
    void aSpawnLargerThanAnyLauncherServesIsRefusedWithoutAllocatingItsSize() throws Exception
    {
        server.registerJob("js", 1, SECRET, new RecordingListener("js"));
        server.spawnHandler(new ProcessManager(server)::spawn);
        final KeyValueClient client = client("js", SECRET, 0);
        for (final int maxprocs : new int[]{ Integer.MAX_VALUE, (1 << 20) + 1, SpawnRequest.MAX_PROCESSES + 1 })
        {
            final SpawnRequest request = new SpawnRequest("port", System.getProperty("java.home"), "", ".",
                List.of(new SpawnRequest.App("java", List.of("Main"), maxprocs, new int[0], "", "", List.of())));
            final SpawnResult result = client.spawn(request);
            assertEquals(ErrorClass.ERR_SPAWN, result.errorClass(), result.message());
            assertEquals(0, result.errcodes().length, "no code per process of an oversized request");
            assertTrue(result.message().contains(Long.toString(maxprocs)), result.message());
        }
        final SpawnRequest.App half = new SpawnRequest.App("java", List.of("Main"), Integer.MAX_VALUE, new int[0], "",
            "", List.of());
        assertEquals(ErrorClass.ERR_SPAWN, client.spawn(new SpawnRequest("port", "", "", ".", List.of(half, half)))
            .errorClass(), "two applications whose total overflows an int");
        client.put("js:still", "served");
        assertEquals("served", client.get("js:still"), "the session survives");
    }

    @Test
    void connectionsWithoutTheSecretAreBoundedAndCannotLockTheRanksOut() throws Exception
    {
        server.registerJob("jf", 1, SECRET, new RecordingListener("jf"));
        final int port = Integer.parseInt(server.address().split(":")[1]);
        final List<Socket> flood = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3 * KeyValueServer.MAX_UNAUTHENTICATED; i++)
            {
                final Socket socket = new Socket("127.0.0.1", port);
                if (i % 2 == 1)
                {
                    // A HELLO claiming a 1 MiB secret: closed at once, nothing of that size allocated.
                    final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    out.writeByte(KeyValueProtocol.HELLO);
                    out.writeInt(KeyValueProtocol.MAX_STRING_BYTES);
                    out.flush();
                }
                flood.add(socket);
            }
            Thread.sleep(200);
            final long serving = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mpi4jrun-kvs-") && !t.getName().equals("mpi4jrun-kvs-accept")
                    && !t.getName().equals("mpi4jrun-kvs-timer"))
                .count();
            assertTrue(serving <= KeyValueServer.MAX_UNAUTHENTICATED, serving + " connection threads");
            final KeyValueClient rank = client("jf", SECRET, 0);
            rank.put("jf:k", "v");
            assertEquals("v", rank.get("jf:k"));
            assertEquals(List.of("jf hello 0"), events);
        }
        finally
        {
            for (final Socket socket : flood)
            {
                socket.close();
            }
        }
    }

    private static void fenceUnchecked(final KeyValueClient client)
    {
        try
        {
            client.fence();
        }
        catch (final IOException ex)
        {
            throw new RuntimeException(ex);
        }
    }

    /** Records the launcher's failure notices a client receives. */
    private static final class Notices implements io.mpi4j.runtime.KeyValueStore.FailureListener
    {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void processFailed(final int rank)
        {
            seen.add("failed " + rank);
        }

        @Override
        public void revoked(final int contextId)
        {
            seen.add("revoked " + contextId);
        }
    }

    /**
     * Recovery: a death is told to the others before an agreement that waits on the dead rank completes, with one
     * answer (AND of the values, the dead rank) for every live rank; a revoke reaches the other listed ranks only.
     */
    @Test
    void agreementsCompleteWhenTheMissingRankDiesAndRevokesReachTheOtherMembers() throws Exception
    {
        server.registerJob("jf", 4, SECRET, new RecordingListener("jf"));
        final KeyValueClient[] ranks = new KeyValueClient[4];
        final Notices[] notices = new Notices[4];
        for (int r = 0; r < 4; r++)
        {
            ranks[r] = client("jf", SECRET, r);
            notices[r] = new Notices();
            ranks[r].failureListener(notices[r]);
        }
        final int[] members = { 0, 1, 2, 3 };
        final List<Future<io.mpi4j.runtime.KeyValueStore.Agreement>> answers = new ArrayList<>();
        for (final int r : new int[]{ 0, 1, 3 })
        {
            final long value = r == 1 ? 0b011 : 0b110 | 0b001;
            answers.add(pool.submit(() -> ranks[r].agree(8, 0, members, value, () -> { })));
        }
        Thread.sleep(200);
        assertFalse(answers.get(0).isDone(), "rank 2 has neither agreed nor died");
        server.processFailed("jf", 2);
        for (final Future<io.mpi4j.runtime.KeyValueStore.Agreement> answer : answers)
        {
            final io.mpi4j.runtime.KeyValueStore.Agreement agreement = answer.get(5, TimeUnit.SECONDS);
            assertEquals(0b011, agreement.value());
            assertEquals(List.of(2), java.util.Arrays.stream(agreement.failedRanks()).boxed().toList());
        }
        for (final int r : new int[]{ 0, 1, 3 })
        {
            assertEquals(List.of("failed 2"), notices[r].seen, "rank " + r);
        }

        // An agreement among the survivors after the death completes at once for them.
        final Future<io.mpi4j.runtime.KeyValueStore.Agreement> a0 =
            pool.submit(() -> ranks[0].agree(8, 1, members, 5, () -> { }));
        final Future<io.mpi4j.runtime.KeyValueStore.Agreement> a1 =
            pool.submit(() -> ranks[1].agree(8, 1, members, 7, () -> { }));
        assertFalse(a0.isDone());
        assertEquals(5, ranks[3].agree(8, 1, members, -1L, () -> { }).value());
        assertEquals(5, a0.get(5, TimeUnit.SECONDS).value());
        assertEquals(5, a1.get(5, TimeUnit.SECONDS).value());

        ranks[0].revoke(10, new int[]{ 0, 1 });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!notices[1].seen.contains("revoked 10") && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(List.of("failed 2", "revoked 10"), notices[1].seen);
        assertEquals(List.of("failed 2"), notices[0].seen, "the revoker is not told");
        assertEquals(List.of("failed 2"), notices[3].seen, "a rank outside the communicator is not told");
    }
}
