package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.dpm.DynamicProcesses;
import io.mpi4j.dpm.SoftSpawn;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.runtime.JobEnvironment;
import io.mpi4j.runtime.MpiRuntime;
import io.mpi4j.runtime.SpawnRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Facade side of dynamic processes: the engine ({@link DynamicProcesses}), the parent intercommunicator of a
 * spawned process, and the translation of spawn arguments (command, argv, maxprocs, info) into a
 * {@link SpawnRequest}, validated at the root.
 */
final class DynamicSupport
{
    static final String PARENT_NAME = "MPI_COMM_PARENT";

    private static volatile DynamicProcesses engine;
    private static volatile Intercomm parent;

    private DynamicSupport()
    {
    }

    static DynamicProcesses engine()
    {
        DynamicProcesses e = engine;
        if (null == e)
        {
            synchronized (DynamicSupport.class)
            {
                e = engine;
                if (null == e)
                {
                    e = new DynamicProcesses(MpiRuntime.get(), CommSupport.factory());
                    engine = e;
                }
            }
        }
        return e;
    }

    /** Called by MPI_Init: a spawned process connects to its parents' port (the other half of their spawn). */
    static void joinParent(final MpiRuntime runtime)
    {
        final String port = System.getenv(JobEnvironment.PARENT_PORT);
        if (null == port || port.isEmpty())
        {
            return;
        }
        final Communicator inter = engine().connect(runtime.world(), port, 0);
        inter.name(PARENT_NAME);
        parent = new Intercomm(inter, null);
    }

    /** MPI_Comm_get_parent: the parent intercommunicator until it is disconnected or freed, else a null one. */
    static Intercomm parent()
    {
        final Intercomm p = parent;
        return null != p && !p.isNull() ? p : NullParent.INSTANCE;
    }

    /** The null-object of {@link Intercomm#getParent()}: {@code isNull()} is true. */
    private static final class NullParent
    {
        static final Intercomm INSTANCE = new Intercomm(nullState(), null);

        private static Communicator nullState()
        {
            final Communicator c = new Communicator(-2, 0, new long[0], new long[0], null, "MPI_COMM_NULL");
            c.markFreed();
            return c;
        }
    }

    /** The request of one application, validated (root only); throws MpiError with the MPI error class. */
    static SpawnRequest.App app(final String command, final String[] argv, final int maxprocs, final Info info)
        throws MPIException
    {
        if (null == command)
        {
            throw new MpiError(ErrorClass.ERR_SPAWN, "command is null");
        }
        if (maxprocs <= 0)
        {
            throw new MpiError(ErrorClass.ERR_SPAWN, "maxprocs " + maxprocs + " must be positive");
        }
        final List<String> args = null == argv ? List.of() : Arrays.asList(argv.clone());
        for (final String arg : args)
        {
            if (null == arg)
            {
                throw new MpiError(ErrorClass.ERR_ARG, "argv holds a null string");
            }
        }
        String wdir = "";
        String path = "";
        final List<String> env = new ArrayList<>();
        int[] allowed = new int[0];
        String host = "";
        String hostfile = "";
        if (null != info && !info.isNull())
        {
            wdir = orEmpty(info.get("wdir"));
            path = orEmpty(info.get("path"));
            final String envValue = info.get("env");
            if (null != envValue)
            {
                for (final String line : envValue.split("\n"))
                {
                    if (line.isEmpty())
                    {
                        continue;
                    }
                    if (line.indexOf('=') <= 0)
                    {
                        throw new MpiError(ErrorClass.ERR_INFO_VALUE, "env line '" + line + "' is not VAR=value");
                    }
                    env.add(line);
                }
            }
            final String soft = info.get("soft");
            if (null != soft)
            {
                allowed = SoftSpawn.allowedCounts(soft, maxprocs);
            }
            // Placement is the launcher's business: it knows the hosts and starts their agents.
            host = orEmpty(info.get("host")).trim();
            final String file = info.get("hostfile");
            if (null != file && !new java.io.File(file).isFile())
            {
                throw new MpiError(ErrorClass.ERR_INFO_VALUE, "hostfile " + file + " does not exist");
            }
            hostfile = null == file ? "" : new java.io.File(file).getAbsolutePath();
        }
        return new SpawnRequest.App(command, args, maxprocs, allowed, wdir, path, env, host, hostfile);
    }

    static SpawnRequest request(final List<SpawnRequest.App> apps)
    {
        return new SpawnRequest("", System.getProperty("java.home"), System.getProperty("java.class.path", "."),
            System.getProperty("user.dir", "."), apps);
    }

    private static String orEmpty(final String value)
    {
        return null == value ? "" : value;
    }
}
