package mpi;

import io.mpi4j.runtime.JobEnvironment;
import io.mpi4j.runtime.MpiRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of {@code MPI_INFO_ENV}: how this process was started, under the keys the standard reserves
 * ({@code command}, {@code argv}, {@code maxprocs}, {@code soft}, {@code host}, {@code arch}, {@code wdir},
 * {@code thread_level}) and the ones Open MPI adds ({@code ompi_num_apps}, {@code ompi_first_rank},
 * {@code ompi_np}). {@code file} is left out, as Open MPI leaves it out: no application file names the program.
 */
final class EnvironmentInfo
{
    private EnvironmentInfo()
    {
    }

    /** The keys and values of MPI_INFO_ENV for this process, built once at MPI_Init. */
    static Map<String, String> describe(final String[] args, final MpiRuntime runtime, final String threadLevel)
    {
        final int size = runtime.world().size();
        final int rank = runtime.world().rank();
        final int[] apps = appSizes(System.getenv(JobEnvironment.APP_SIZES), size);
        // ranks of one application are consecutive, applications in order: find ours by walking their sizes
        int app = 0;
        int firstRank = 0;
        while (app < apps.length - 1 && firstRank + apps[app] <= rank)
        {
            firstRank += apps[app];
            app++;
        }
        final Map<String, String> env = new LinkedHashMap<>();
        final String command = System.getProperty("sun.java.command", "");
        final int space = command.indexOf(' ');
        env.put("command", space < 0 ? command : command.substring(0, space));
        env.put("argv", null == args ? "" : String.join(" ", args));
        // Open MPI: maxprocs is the whole job's process count, and spawn's soft counts are not kept
        env.put("maxprocs", Integer.toString(size));
        env.put("soft", Integer.toString(size));
        env.put("host", runtime.processorName());
        env.put("arch", architecture());
        final String pwd = System.getenv("PWD");
        env.put("wdir", null != pwd ? pwd : System.getProperty("user.dir", ""));
        env.put("thread_level", threadLevel);
        env.put("ompi_num_apps", Integer.toString(apps.length));
        env.put("ompi_first_rank", Integer.toString(firstRank));
        env.put("ompi_np", Integer.toString(apps[app]));
        return env;
    }

    /**
     * The sizes of the job's applications in rank order, from the launcher's comma-separated list; one application
     * of the whole job when there is none (a singleton) or it does not add up to the job's size.
     */
    static int[] appSizes(final String list, final int size)
    {
        if (null == list || list.isEmpty())
        {
            return new int[]{size};
        }
        final String[] parts = list.split(",");
        final int[] sizes = new int[parts.length];
        int total = 0;
        try
        {
            for (int i = 0; i < parts.length; i++)
            {
                sizes[i] = Integer.parseInt(parts[i].trim());
                if (sizes[i] < 0)
                {
                    return new int[]{size};
                }
                total += sizes[i];
            }
        }
        catch (final NumberFormatException ex)
        {
            return new int[]{size};
        }
        return total == size ? sizes : new int[]{size};
    }

    /** The machine as {@code uname -m} names it, which is what Open MPI reports; Java says amd64 for x86_64. */
    private static String architecture()
    {
        final String arch = System.getProperty("os.arch", "unknown");
        switch (arch)
        {
            case "amd64": return "x86_64";
            case "x86": return "i686";
            default: return arch;
        }
    }
}
