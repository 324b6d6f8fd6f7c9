package io.mpi4j.ci;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server on a free loopback port for the multi-node tests: its own host key, one key pair for the
 * current user, nothing else of the machine's ssh configuration. Installs openssh-server with apt-get when it is
 * missing and the tests run as root; the tests that need it are skipped (with the reason) only when sshd cannot be
 * installed or started.
 */
final class SshFixture implements AutoCloseable
{
    private static final String SSHD = "/usr/sbin/sshd";

    private final Path dir;
    private final Process sshd;
    private final int port;

    private SshFixture(final Path dir, final Process sshd, final int port)
    {
        this.dir = dir;
        this.sshd = sshd;
        this.port = port;
    }

    /** Start sshd, or skip the calling test saying why it could not. */
    static SshFixture startOrSkip() throws IOException, InterruptedException
    {
        if (!new File(SSHD).canExecute() || !onPath("ssh") || !onPath("ssh-keygen"))
        {
            install();
        }
        Assumptions.assumeTrue(new File(SSHD).canExecute() && onPath("ssh") && onPath("ssh-keygen"),
            "multi-node tests skipped: OpenSSH (sshd, ssh, ssh-keygen) is not installed and could not be installed");
        final Path dir = Files.createTempDirectory("mpi4j-sshd");
        try
        {
            run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
            run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString());
            Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
            final Path privsep = Path.of("/run/sshd");
            if (isRoot() && !Files.isDirectory(privsep))
            {
                Files.createDirectories(privsep);
            }
            final int port = freePort();
            final Path config = dir.resolve("sshd_config");
            Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "") );
            final Process sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            final SshFixture fixture = new SshFixture(dir, sshd, port);
            final String why = fixture.awaitLogin();
            if (why != null)
            {
                fixture.close();
                Assumptions.abort("multi-node tests skipped: sshd could not be started: " + why);
            }
            return fixture;
        }
        catch (final IOException | RuntimeException ex)
        {
            deleteTree(dir);
            throw ex;
        }
    }

    /** The {@code --rsh-agent} reaching this server (host keys of the temporary server are not remembered). */
    String rshAgent()
    {
        return "ssh -p " + port + " -i " + dir.resolve("user_key") + " -o StrictHostKeyChecking=no" +
            " -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR";
    }

    /** The server's process: the agents it starts are among its descendants. */
    ProcessHandle sshd()
    {
        return sshd.toHandle();
    }

    /** Agent JVMs this server runs (not the ssh clients, whose command line also names the agent class). */
    List<ProcessHandle> agents()
    {
        final List<ProcessHandle> agents = new ArrayList<>();
        sshd.toHandle().descendants().forEach(p ->
        {
            final String command = p.info().command().orElse("");
            if (command.endsWith("/java") &&
                p.info().commandLine().orElse("").contains("io.mpi4j.launcher.NodeAgent"))
            {
                agents.add(p);
            }
        });
        return agents;
    }

    private String awaitLogin() throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            if (!sshd.isAlive())
            {
                return "sshd exited with status " + sshd.exitValue() + ": " + log();
            }
            try (Socket probe = new Socket())
            {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                break;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(50);
            }
        }
        final List<String> login = new ArrayList<>(List.of(rshAgent().split(" ")));
        login.add("127.0.0.1");
        login.add("true");
        final Process ssh = new ProcessBuilder(login).redirectErrorStream(true).start();
        final String output = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ssh.waitFor(20, TimeUnit.SECONDS) || ssh.exitValue() != 0)
        {
            return "ssh login to 127.0.0.1:" + port + " failed: " + output.trim() + "; sshd log: " + log();
        }
        return null;
    }

    private String log()
    {
        try
        {
            return Files.readString(dir.resolve("sshd.log")).trim();
        }
        catch (final IOException ex)
        {
            return "(no log)";
        }
    }

    @Override
    public void close()
    {
        sshd.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        sshd.destroyForcibly();
        try
        {
            sshd.waitFor(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }

    private static void install() throws InterruptedException
    {
        if (!isRoot() || !onPath("apt-get"))
        {
            return;
        }
        try
        {
            final ProcessBuilder apt = new ProcessBuilder("apt-get", "install", "-y", "-q", "openssh-server",
                "openssh-client").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            apt.environment().put("DEBIAN_FRONTEND", "noninteractive");
            final Process process = apt.start();
            if (!process.waitFor(5, TimeUnit.MINUTES))
            {
                process.destroyForcibly();
            }
        }
        catch (final IOException ignore)
        {
            // Reported as the skip reason.
        }
    }

    private static boolean isRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(final String name)
    {
        final String path = System.getenv("PATH");
        for (final String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator))
        {
            if (new File(dir.isEmpty() ? "." : dir, name).canExecute())
            {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static void run(final Path dir, final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }

    private static void deleteTree(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignore)
        {
            // A temporary directory: best effort.
        }
    }
}
