package io.mpi4j.launcher;

import io.mpi4j.runtime.ErrorText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts of a job and their slots, from {@code --host} and {@code --hostfile} in Open MPI's syntax, and the
 * by-slot mapping of ranks onto them.
 * <ul>
 * <li>{@code --host a,b:2,a}: one slot per mention of a host, or {@code :N} slots; a host mentioned again adds
 *     its slots to the first mention, which keeps its place in the order.</li>
 * <li>hostfile: one host per line, {@code host [slots=N] [max_slots=M]}, {@code #} starts a comment, blank lines
 *     are skipped; a host without {@code slots=} has one slot (Open MPI counts the remote host's cores, which the
 *     launcher cannot know before it reaches the host).</li>
 * </ul>
 */
public final class HostList
{
    /** One host and how many ranks it takes before the mapping moves on. */
    public record Host(String name, int slots)
    {
    }

    private final List<Host> hosts;

    private HostList(final List<Host> hosts)
    {
        this.hosts = List.copyOf(hosts);
    }

    public List<Host> hosts()
    {
        return hosts;
    }

    public boolean isEmpty()
    {
        return hosts.isEmpty();
    }

    public int totalSlots()
    {
        long total = 0;
        for (final Host host : hosts)
        {
            total += host.slots();
        }
        return (int)Math.min(Integer.MAX_VALUE, total);
    }

    /**
     * Hosts of {@code --host} options (each a comma-separated list) followed by those of the hostfiles, merged by
     * name in order of first mention.
     */
    public static HostList of(final List<String> hostOptions, final List<Path> hostfiles) throws IOException
    {
        final Map<String, Integer> slots = new LinkedHashMap<>();
        for (final String option : hostOptions)
        {
            for (final String entry : option.split(","))
            {
                final String trimmed = entry.trim();
                if (trimmed.isEmpty())
                {
                    throw new IllegalArgumentException("--host " + option + ": empty host name");
                }
                final int colon = trimmed.lastIndexOf(':');
                // An IPv6 literal has colons of its own: only a trailing ":digits" after a non-colon is a count.
                if (colon > 0 && trimmed.indexOf(':') == colon)
                {
                    add(slots, trimmed.substring(0, colon), parseSlots(trimmed.substring(colon + 1), "--host " + option));
                }
                else
                {
                    add(slots, trimmed, 1);
                }
            }
        }
        for (final Path file : hostfiles)
        {
            parseHostfile(file, slots);
        }
        final List<Host> hosts = new ArrayList<>(slots.size());
        slots.forEach((name, count) -> hosts.add(new Host(name, count)));
        return new HostList(hosts);
    }

    private static void parseHostfile(final Path file, final Map<String, Integer> slots) throws IOException
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot read hostfile " + file + ": " + ErrorText.of(ex), ex);
        }
        for (int i = 0; i < lines.size(); i++)
        {
            String line = lines.get(i);
            final int hash = line.indexOf('#');
            if (hash >= 0)
            {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty())
            {
                continue;
            }
            final String where = "hostfile " + file + " line " + (i + 1);
            final String[] words = line.split("\\s+");
            int count = 1;
            for (int w = 1; w < words.length; w++)
            {
                final String word = words[w];
                final int eq = word.indexOf('=');
                final String key = eq < 0 ? word : word.substring(0, eq);
                if (eq < 0 || !(key.equals("slots") || key.equals("max_slots") || key.equals("max-slots")))
                {
                    throw new IllegalArgumentException(where + ": unknown word '" + word +
                        "' (expected slots=N or max_slots=N)");
                }
                final int value = parseSlots(word.substring(eq + 1), where);
                if (key.equals("slots"))
                {
                    count = value;
                }
            }
            add(slots, words[0], count);
        }
    }

    private static void add(final Map<String, Integer> slots, final String name, final int count)
    {
        slots.merge(name, count, (a, b) -> (int)Math.min(Integer.MAX_VALUE, (long)a + b));
    }

    private static int parseSlots(final String text, final String where)
    {
        try
        {
            final int slots = Integer.parseInt(text);
            if (slots >= 1)
            {
                return slots;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // Reported below.
        }
        throw new IllegalArgumentException(where + ": '" + text + "' is not a slot count (a positive integer)");
    }

    /**
     * Host of each of {@code processes} ranks, by slot as Open MPI maps by default: the first host's slots in rank
     * order, then the next host's. With {@code oversubscribe}, ranks beyond the slots start over at the first host.
     *
     * @throws IllegalArgumentException when the slots are too few and {@code oversubscribe} is false
     */
    public String[] mapBySlot(final int processes, final boolean oversubscribe)
    {
        if (hosts.isEmpty())
        {
            throw new IllegalStateException("no hosts");
        }
        final int slots = totalSlots();
        if (processes > slots && !oversubscribe)
        {
            throw new IllegalArgumentException("-n " + processes + " is more than the " + slots + " slot" +
                (slots == 1 ? "" : "s") + " of the hosts (" + describe() + "); give more slots (host:N, " +
                "slots=N in the hostfile) or add --oversubscribe");
        }
        final String[] placement = new String[processes];
        int rank = 0;
        while (rank < processes)
        {
            for (final Host host : hosts)
            {
                for (int s = 0; s < host.slots() && rank < processes; s++)
                {
                    placement[rank++] = host.name();
                }
            }
        }
        return placement;
    }

    /** "a:2,b:1", for messages. */
    public String describe()
    {
        final StringBuilder text = new StringBuilder();
        for (final Host host : hosts)
        {
            text.append(text.length() == 0 ? "" : ",").append(host.name()).append(':').append(host.slots());
        }
        return text.toString();
    }
}
