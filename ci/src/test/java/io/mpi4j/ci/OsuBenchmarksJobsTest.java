package io.mpi4j.ci;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OSU micro-benchmarks of the bench module as a user runs them ({@code bin/osu -n N osu_... options}), a few
 * iterations each: every program runs to the end and prints OSU 7.x's layout (header line, column titles, one
 * {@code %-10d%20.2f} row per size, latencies above 0) so that OSU's parsers read it.
 */
class OsuBenchmarksJobsTest
{
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final String SIZES = "1:8";
    private static final Pattern ROW = Pattern.compile("^(\\d+) +(\\d+\\.\\d\\d)( +(\\d+\\.\\d\\d))*( +\\d+)?$");

    @ParameterizedTest(name = "{0} at {1} ranks")
    @CsvSource(delimiter = '|', value = {
        "osu_latency     | 2 | OSU MPI Latency Test                                  | Avg Latency(us) | ",
        "osu_bw          | 2 | OSU MPI Bandwidth Test                                | Bandwidth (MB/s) | -W 2",
        "osu_bibw        | 2 | OSU MPI Bi-Directional Bandwidth Test                 | Bandwidth (MB/s) | -W 2",
        "osu_mbw_mr      | 4 | OSU MPI Multiple Bandwidth / Message Rate Test        | MB/s | -W 2",
        "osu_multi_lat   | 4 | OSU MPI Multi Latency Test                            | Avg Latency(us) | ",
        "osu_allreduce   | 3 | OSU MPI Allreduce Latency Test                        | Avg Latency(us) | ",
        "osu_bcast       | 2 | OSU MPI Broadcast Latency Test                        | Avg Latency(us) | ",
        "osu_alltoall    | 3 | OSU MPI All-to-All Personalized Exchange Latency Test | Avg Latency(us) | ",
        "osu_allgather   | 2 | OSU MPI Allgather Latency Test                        | Avg Latency(us) | ",
        "osu_reduce      | 3 | OSU MPI Reduce Latency Test                           | Avg Latency(us) | ",
        "osu_put_latency | 2 | OSU MPI_Put Latency Test                              | Latency (us) | ",
        "osu_get_latency | 2 | OSU MPI_Get latency Test                              | Latency (us) | ",
        "osu_acc_latency | 2 | OSU MPI_Accumulate latency Test                       | Latency (us) | ",
        "osu_put_bw      | 2 | OSU MPI_Put Bandwidth Test                            | Bandwidth (MB/s) | -W 2",
        "osu_get_bw      | 2 | OSU MPI_Get Bandwidth Test                            | Bandwidth (MB/s) | -W 2"})
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void printsOsuLayout(final String program, final int ranks, final String title, final String column,
        final String window) throws Exception
    {
        final List<String> options = new ArrayList<>(List.of("-m", SIZES, "-i", "3", "-x", "1"));
        if (window != null)
        {
            options.addAll(List.of(window.split(" ")));
        }
        final List<String> out = osu(ranks, program, options.toArray(String[]::new));
        assertTrue(out.contains("# " + title + " v7.4"), () -> "header of " + program + ":\n" + String.join("\n", out));
        final String columns = out.stream().filter(l -> l.startsWith("# Size")).findFirst().orElse("");
        assertEquals(String.format("%-10s%20s", "# Size", column), columns.substring(0, Math.min(30,
            columns.length())), "column titles");
        final List<String> rows = rows(out);
        assertEquals(List.of("1", "2", "4", "8"), rows.stream().map(r -> r.split(" +")[0]).toList(),
            () -> "one row per size:\n" + String.join("\n", out));
        for (final String row : rows)
        {
            // a latency is never 0; a few bytes in a few iterations on a loaded host can print 0.00 MB/s, as OSU's
            final double value = Double.parseDouble(row.split(" +")[1]);
            assertTrue(column.contains("Latency") ? value > 0 : value >= 0, () -> "value: " + row);
            assertEquals(0, (row.length() - 10) % 20, () -> "%-10d%20.2f columns: '" + row + "'");
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void barrierAndFullStatistics() throws Exception
    {
        final List<String> barrier = osu(2, "osu_barrier", "-i", "5", "-x", "1");
        assertTrue(barrier.contains("# Avg Latency(us)"), String.join("\n", barrier));
        assertTrue(barrier.stream().anyMatch(l -> l.matches("^ {0,16}\\d+\\.\\d\\d$") && l.length() == 17),
            () -> "%17.2f row:\n" + String.join("\n", barrier));
        final List<String> full = osu(2, "osu_allreduce", "-m", "4", "-i", "3", "-x", "1", "-f");
        assertTrue(full.contains(String.format("%-10s%20s%20s%20s%12s", "# Size", "Avg Latency(us)",
            "Min Latency(us)", "Max Latency(us)", "Iterations")), String.join("\n", full));
        assertTrue(rows(full).stream().allMatch(r -> r.endsWith(" 3") && r.length() == 10 + 3 * 20 + 12),
            () -> "-f rows end with the iterations:\n" + String.join("\n", full));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void collectiveWriteReportsBothLayouts() throws Exception
    {
        final List<String> out = osu(2, "io_write_all", "-s", "65536", "-b", "4096", "-i", "2", "-x", "1");
        assertEquals(List.of("32768", "4096"), rows(out).stream().map(r -> r.split(" +")[0]).toList(),
            () -> "contiguous then interleaved:\n" + String.join("\n", out));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void badOptionIsReportedWithUsage() throws Exception
    {
        final Result result = run(ROOT.resolve("bin/osu").toString(), "-n", "2", "osu_latency", "-q");
        assertNotEquals(0, result.status);
        assertTrue(result.lines.stream().anyMatch(l -> l.contains("Invalid Option [-q]")), String.join("\n",
            result.lines));
        assertTrue(result.lines.stream().anyMatch(l -> l.startsWith("Usage: osu_latency")), String.join("\n",
            result.lines));
    }

    private static List<String> rows(final List<String> out)
    {
        return out.stream().filter(l -> ROW.matcher(l).matches()).toList();
    }

    private static List<String> osu(final int ranks, final String program, final String... options)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/osu").toString(), "-n",
            Integer.toString(ranks), program));
        command.addAll(List.of(options));
        final Result result = run(command.toArray(String[]::new));
        assertEquals(0, result.status, () -> String.join(" ", command) + ":\n" + String.join("\n", result.lines));
        return result.lines;
    }

    private record Result(int status, List<String> lines)
    {
    }

    private static Result run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8).lines().toList());
    }
}
