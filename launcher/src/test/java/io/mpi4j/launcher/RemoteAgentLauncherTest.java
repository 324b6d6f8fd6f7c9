package io.mpi4j.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How agents are started (ssh, srun), quoted, and spoken to. */
class RemoteAgentLauncherTest
{
    @TempDir
    Path dir;

    @Test
    void sshCommandQuotesTheAgentCommandAsOneRemoteShellLine()
    {
        final RemoteAgentLauncher launcher = RemoteAgentLauncher.forEnvironment(null, Map.of(),
            "/opt/my jdk/bin/java", "/a b/core.jar:/it's.jar");
        final List<String> command = launcher.command("node1");
        assertEquals(List.of("ssh", "-o", "BatchMode=yes", "node1"), command.subList(0, 4));
        assertEquals(5, command.size());
        final String remote = command.get(4);
        assertTrue(remote.startsWith("exec '/opt/my jdk/bin/java' '--add-opens' "), remote);
        assertTrue(remote.contains(" '-cp' '/a b/core.jar:/it'\\''s.jar' 'io.mpi4j.launcher.NodeAgent'"), remote);
        assertFalse(launcher.usesSlurm());
    }

    @Test
    void quotedWordsComeBackVerbatimFromARealShell() throws Exception
    {
        final String[] words = {"plain", "two words", "it's", "$HOME", "`id`", "a\"b", "back\\slash", "", "*"};
        final StringBuilder line = new StringBuilder("printf '%s\\n'");
        for (final String word : words)
        {
            line.append(' ').append(RemoteAgentLauncher.shellQuote(word));
        }
        final Process sh = new ProcessBuilder("sh", "-c", line.toString()).start();
        final String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sh.waitFor(10, TimeUnit.SECONDS));
        assertEquals(String.join("\n", words) + "\n", out);
    }

    @Test
    void rshAgentFromOptionElseEnvironmentElseSrunInSlurmElseSsh() throws IOException
    {
        final Path bin = Files.createDirectory(dir.resolve("bin"));
        final Path srun = Files.createFile(bin.resolve("srun"));
        assertTrue(srun.toFile().setExecutable(true));
        final Map<String, String> slurm = Map.of("SLURM_JOB_ID", "42", "PATH", bin.toString());
        final RemoteAgentLauncher inSlurm = RemoteAgentLauncher.forEnvironment(null, slurm, "java", "cp");
        assertTrue(inSlurm.usesSlurm());
        final List<String> command = inSlurm.command("n3");
        assertEquals(List.of("srun", "--nodes=1", "--ntasks=1", "--nodelist=n3"), command.subList(0, 4));
        assertTrue(command.contains("io.mpi4j.launcher.NodeAgent"), command.toString());
        assertFalse(String.join(" ", command).contains("exec"), "srun runs no shell");

        final Map<String, String> slurmWithAgent = new LinkedHashMap<>(slurm);
        slurmWithAgent.put(RemoteAgentLauncher.RSH_AGENT_ENV, "rsh -x");
        assertEquals(List.of("rsh", "-x", "n3"),
            RemoteAgentLauncher.forEnvironment(null, slurmWithAgent, "java", "cp").command("n3").subList(0, 3));
        assertEquals(List.of("ssh", "-p", "22", "n3"),
            RemoteAgentLauncher.forEnvironment("ssh  -p 22", slurmWithAgent, "java", "cp").command("n3").subList(0, 4));
        assertFalse(RemoteAgentLauncher.forEnvironment(null, Map.of("SLURM_JOB_ID", "42", "PATH", "/nonexistent"),
            "java", "cp").usesSlurm(), "no srun on PATH: ssh");
    }

    @Test
    void relativeClassPathEntriesBecomeAbsolute()
    {
        final String cwd = System.getProperty("user.dir");
        assertEquals(cwd + "/lib/a.jar:/abs/b.jar", RemoteAgentLauncher.absoluteClassPath("lib/a.jar::/abs/b.jar"));
    }

    @Test
    void launchRoundTripsAndTheSecretStaysOutOfTheCommandLine() throws IOException
    {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("MPI4J_SECRET", "s3cret");
        env.put("EMPTY", "");
        final AgentProtocol.Launch launch = new AgentProtocol.Launch(7, "jabc", List.of("java", "-cp", "x y", "Main"),
            env, "/work dir", "[1,3]<stdout>: ", "", 1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        launch.write(new DataOutputStream(bytes));
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(AgentProtocol.LAUNCH, in.readByte());
        assertEquals(launch, AgentProtocol.Launch.read(in));
        final RemoteAgentLauncher launcher = RemoteAgentLauncher.forEnvironment(null, Map.of(), "java", "cp");
        assertFalse(String.join(" ", launcher.command("h")).contains("s3cret"));
    }

    @Test
    void runtimeFlagsRightAfterJavaAreLeftToTheAgentsHost()
    {
        final List<String> flags = List.of("--add-opens", "x", "-Djava.library.path=/home/me/.cache/lib");
        final Map.Entry<List<String>, Integer> java = AgentProtocol.withoutRuntimeFlags(List.of("/jdk/bin/java",
            "--add-opens", "x", "-Djava.library.path=/home/me/.cache/lib", "-Xmx1g", "-cp", "cp", "Main"), flags);
        assertEquals(List.of("/jdk/bin/java", "-Xmx1g", "-cp", "cp", "Main"), java.getKey());
        assertEquals(1, java.getValue());
        final Map.Entry<List<String>, Integer> other = AgentProtocol.withoutRuntimeFlags(List.of("hostname"), flags);
        assertEquals(List.of("hostname"), other.getKey());
        assertEquals(-1, other.getValue());
    }

    @Test
    void greetingIsFoundAfterWhatALoginScriptPrinted() throws IOException
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes("Welcome!\n\0mpi\0".getBytes(StandardCharsets.ISO_8859_1));
        stream.writeBytes(AgentProtocol.MAGIC);
        stream.write(AgentProtocol.READY);
        final ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());
        final byte[] noise = AgentProtocol.skipToMagic(in, 1024);
        assertEquals("Welcome!\n\0mpi\0", new String(noise, StandardCharsets.ISO_8859_1));
        assertEquals(AgentProtocol.READY, in.read());

        final EOFException eof = assertThrows(EOFException.class, () -> AgentProtocol.skipToMagic(
            new ByteArrayInputStream("bash: java: command not found\n".getBytes(StandardCharsets.UTF_8)), 1024));
        assertTrue(eof.getMessage().contains("java: command not found"), eof.getMessage());
        assertThrows(IOException.class, () -> AgentProtocol.skipToMagic(new ByteArrayInputStream(new byte[4096]), 100));
    }
}
