package io.mpi4j.ci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bin/ scripts on a built tree. {@code mpi4jjavac} once exited 141 without a word about once in 150 calls (a
 * pipe into {@code head} under {@code pipefail}: the writer died of SIGPIPE now and then); it must exit 0 every time.
 */
class ScriptsTest
{
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final int CALLS = 500;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mpi4jjavacVersionExitsZeroEveryTime() throws Exception
    {
        final Path script = ROOT.resolve("bin").resolve("mpi4jjavac");
        assertTrue(script.toFile().canExecute(), script.toString());
        // The first call may build the core; the calls after it are what is counted. javac itself is not run (a JVM
        // start each, minutes for 500): --showme goes through the same script and the same jar lookup.
        assertEquals(0, run(script.toString(), "-version"), "first call");
        for (int call = 1; call <= CALLS; call++)
        {
            final int status = run(script.toString(), "--showme", "-version");
            assertEquals(0, status, "call " + call + " of " + CALLS);
        }
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).directory(ROOT.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(5, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return process.exitValue();
    }
}
