package io.mpi4j.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hosts of the Slurm allocation {@code mpi4jrun} runs in ({@code salloc}, {@code sbatch}), as Open MPI reads
 * them: the nodes of {@code SLURM_JOB_NODELIST} in order, each with the slots {@code SLURM_TASKS_PER_NODE} gives it
 * (else {@code SLURM_JOB_CPUS_PER_NODE}). Used when neither {@code --host} nor {@code --hostfile} is given; the
 * agents of the other nodes are then started through {@code srun}.
 */
final class SlurmAllocation
{
    static final String JOB_ID = "SLURM_JOB_ID";
    static final String NODELIST = "SLURM_JOB_NODELIST";
    static final String TASKS_PER_NODE = "SLURM_TASKS_PER_NODE";
    static final String CPUS_PER_NODE = "SLURM_JOB_CPUS_PER_NODE";
    /** Far more nodes than a Slurm job has: a malformed range must not make the launcher spin. */
    private static final int MAX_NODES = 1 << 20;

    private SlurmAllocation()
    {
    }

    /**
     * The allocation as a {@code --host} value ({@code "n1:2,n2:2"}), or null outside an allocation.
     *
     * @throws IllegalArgumentException naming the variable when one is malformed or they disagree
     */
    static String hostOption(final Map<String, String> env)
    {
        final String nodelist = env.get(NODELIST) != null ? env.get(NODELIST) : env.get("SLURM_NODELIST");
        if (env.get(JOB_ID) == null || nodelist == null || nodelist.isBlank())
        {
            return null;
        }
        final List<String> nodes = expand(nodelist);
        final String counts = env.get(TASKS_PER_NODE) != null ? env.get(TASKS_PER_NODE) : env.get(CPUS_PER_NODE);
        final List<Integer> slots = counts == null ? List.of() : counts(counts);
        if (!slots.isEmpty() && slots.size() != nodes.size())
        {
            throw new IllegalArgumentException(NODELIST + "=" + nodelist + " names " + nodes.size() + " nodes but " +
                (env.get(TASKS_PER_NODE) != null ? TASKS_PER_NODE : CPUS_PER_NODE) + "=" + counts + " gives " +
                slots.size() + " counts");
        }
        final StringBuilder option = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++)
        {
            option.append(i == 0 ? "" : ",").append(nodes.get(i)).append(':').append(slots.isEmpty() ? 1 : slots.get(i));
        }
        return option.toString();
    }

    /** Host names of a Slurm host list: {@code "n[1-3,07],login"} is n1, n2, n3, n07, login. */
    static List<String> expand(final String hostlist)
    {
        final List<String> hosts = new ArrayList<>();
        for (final String item : splitTopLevel(hostlist, ','))
        {
            if (item.isEmpty())
            {
                continue;
            }
            expandItem(item, hostlist, hosts);
        }
        if (hosts.isEmpty())
        {
            throw new IllegalArgumentException("host list '" + hostlist + "' names no host");
        }
        return hosts;
    }

    private static void expandItem(final String item, final String hostlist, final List<String> hosts)
    {
        final int open = item.indexOf('[');
        if (open < 0)
        {
            if (item.indexOf(']') >= 0)
            {
                throw new IllegalArgumentException("host list '" + hostlist + "': ']' without '[' in '" + item + "'");
            }
            add(hosts, item, hostlist);
            return;
        }
        final int close = item.indexOf(']', open);
        if (close < 0)
        {
            throw new IllegalArgumentException("host list '" + hostlist + "': '[' without ']' in '" + item + "'");
        }
        final String prefix = item.substring(0, open);
        final String suffix = item.substring(close + 1);
        for (final String range : item.substring(open + 1, close).split(","))
        {
            final int dash = range.indexOf('-');
            final String low = dash < 0 ? range : range.substring(0, dash);
            final String high = dash < 0 ? range : range.substring(dash + 1);
            if (!low.matches("\\d{1,9}") || !high.matches("\\d{1,9}") || Long.parseLong(high) < Long.parseLong(low))
            {
                throw new IllegalArgumentException("host list '" + hostlist + "': '" + range + "' is not a range " +
                    "of numbers");
            }
            final int width = low.length();
            for (long n = Long.parseLong(low); n <= Long.parseLong(high); n++)
            {
                final String number = Long.toString(n);
                final String padded = "0".repeat(Math.max(0, width - number.length())) + number;
                // A suffix may hold brackets of its own: "rack[1-2]-n[1-4]".
                expandItem(prefix + padded + suffix, hostlist, hosts);
                if (hosts.size() > MAX_NODES)
                {
                    throw new IllegalArgumentException("host list '" + hostlist + "' names more than " + MAX_NODES +
                        " hosts");
                }
            }
        }
    }

    private static void add(final List<String> hosts, final String host, final String hostlist)
    {
        if (host.isBlank())
        {
            throw new IllegalArgumentException("host list '" + hostlist + "' holds an empty name");
        }
        hosts.add(host.trim());
    }

    /** Counts of {@code SLURM_TASKS_PER_NODE}: {@code "2(x3),1"} is 2, 2, 2, 1. */
    static List<Integer> counts(final String text)
    {
        final List<Integer> counts = new ArrayList<>();
        for (final String item : text.split(","))
        {
            final String trimmed = item.trim();
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(?:\\(x(\\d{1,7})\\))?")
                .matcher(trimmed);
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1)
            {
                throw new IllegalArgumentException("'" + text + "' is not a list of counts per node (as '2(x3),1')");
            }
            final int repeat = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            if (counts.size() + repeat > MAX_NODES)
            {
                throw new IllegalArgumentException("'" + text + "' counts more than " + MAX_NODES + " nodes");
            }
            for (int i = 0; i < repeat; i++)
            {
                counts.add(Integer.parseInt(m.group(1)));
            }
        }
        return counts;
    }

    /** {@code text} split at {@code separator}s outside brackets. */
    private static List<String> splitTopLevel(final String text, final char separator)
    {
        final List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (c == separator && depth == 0)
            {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).trim());
        return parts;
    }
}
