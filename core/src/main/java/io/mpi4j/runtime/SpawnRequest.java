package io.mpi4j.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the root of {@code MPI_Comm_spawn} / {@code MPI_Comm_spawn_multiple} asks the launcher to start: one or more
 * applications that together form one new job (one {@code MPI_COMM_WORLD}, ranks in application order).
 *
 * @param parentPort  port the children's root connects back to ({@code MPI_Comm_accept} runs on it in the parents)
 * @param javaHome    the parent's {@code java.home}: command "java" starts that JVM
 * @param classPath   the parent's class path, the default user class path of a "java" command
 * @param parentDir   the parent's working directory, where a relative command is looked up when no wdir is given
 * @param apps        the applications, in the order of their APPNUM
 */
public record SpawnRequest(String parentPort, String javaHome, String classPath, String parentDir, List<App> apps)
{
    /**
     * Most processes one spawn may ask for (all applications together). The launcher's reply holds one error code
     * per process asked for, so both sides refuse a larger request before allocating anything of its size; a
     * soft list holds at most one count more than this (0 to the limit).
     */
    public static final int MAX_PROCESSES = 1 << 16;

    /**
     * One application.
     *
     * @param command  the program ("java" or an executable)
     * @param argv     its arguments, verbatim
     * @param maxprocs how many copies were asked for
     * @param allowed  process counts a soft spawn accepts, ascending; empty for a hard spawn
     * @param wdir     working directory, or empty
     * @param path     directories to look the command up in (':' separated), or empty
     * @param env      extra environment, "VAR=value" lines
     * @param host     the {@code host} info key: hosts to run on ("a,b:2" as mpi4jrun's --host), or empty
     * @param hostfile the {@code hostfile} info key: a hostfile of the hosts to run on, or empty
     */
    public record App(String command, List<String> argv, int maxprocs, int[] allowed, String wdir, String path,
                      List<String> env, String host, String hostfile)
    {
        /** An application placed anywhere (no host or hostfile info). */
        public App(final String command, final List<String> argv, final int maxprocs, final int[] allowed,
            final String wdir, final String path, final List<String> env)
        {
            this(command, argv, maxprocs, allowed, wdir, path, env, "", "");
        }
    }

    /** Total processes asked for: the length of the errcodes array (no more than {@link #MAX_PROCESSES}). */
    public int totalMaxprocs()
    {
        return (int)Math.min(requestedProcesses(), MAX_PROCESSES);
    }

    /** Total processes asked for, without overflow, whatever the request holds. */
    public long requestedProcesses()
    {
        long total = 0;
        for (final App app : apps)
        {
            total += app.maxprocs();
        }
        return total;
    }

    /** Why the launcher cannot serve this request whatever its universe, or null: checked before allocating. */
    public String sizeError()
    {
        final long total = requestedProcesses();
        if (total > MAX_PROCESSES)
        {
            return "cannot spawn " + total + " processes: one spawn starts at most " + MAX_PROCESSES;
        }
        for (final App app : apps)
        {
            if (app.maxprocs() <= 0)
            {
                return "maxprocs " + app.maxprocs() + " of " + app.command() + " must be positive";
            }
            if (app.allowed().length > MAX_PROCESSES + 1)
            {
                return "the soft list of " + app.command() + " holds more than " + (MAX_PROCESSES + 1) + " counts";
            }
        }
        return null;
    }

    public void write(final DataOutputStream out) throws IOException
    {
        KeyValueProtocol.writeString(out, parentPort);
        KeyValueProtocol.writeString(out, javaHome);
        KeyValueProtocol.writeString(out, classPath);
        KeyValueProtocol.writeString(out, parentDir);
        out.writeInt(apps.size());
        for (final App app : apps)
        {
            KeyValueProtocol.writeString(out, app.command());
            writeList(out, app.argv());
            out.writeInt(app.maxprocs());
            out.writeInt(app.allowed().length);
            for (final int n : app.allowed())
            {
                out.writeInt(n);
            }
            KeyValueProtocol.writeString(out, app.wdir());
            KeyValueProtocol.writeString(out, app.path());
            writeList(out, app.env());
            KeyValueProtocol.writeString(out, app.host());
            KeyValueProtocol.writeString(out, app.hostfile());
        }
    }

    public static SpawnRequest read(final DataInputStream in) throws IOException
    {
        final String port = KeyValueProtocol.readString(in);
        final String javaHome = KeyValueProtocol.readString(in);
        final String classPath = KeyValueProtocol.readString(in);
        final String parentDir = KeyValueProtocol.readString(in);
        final int count = checkedCount(in.readInt());
        final List<App> apps = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final String command = KeyValueProtocol.readString(in);
            final List<String> argv = readList(in);
            final int maxprocs = in.readInt();
            final int allowedCount = in.readInt();
            if (allowedCount < 0 || allowedCount > MAX_PROCESSES + 1)
            {
                throw new IOException("spawn request: bad soft list length " + allowedCount);
            }
            final int[] allowed = new int[allowedCount];
            for (int k = 0; k < allowed.length; k++)
            {
                allowed[k] = in.readInt();
            }
            apps.add(new App(command, argv, maxprocs, allowed, KeyValueProtocol.readString(in),
                KeyValueProtocol.readString(in), readList(in), KeyValueProtocol.readString(in),
                KeyValueProtocol.readString(in)));
        }
        return new SpawnRequest(port, javaHome, classPath, parentDir, apps);
    }

    private static void writeList(final DataOutputStream out, final List<String> values) throws IOException
    {
        out.writeInt(values.size());
        for (final String value : values)
        {
            KeyValueProtocol.writeString(out, value);
        }
    }

    private static List<String> readList(final DataInputStream in) throws IOException
    {
        final int count = checkedCount(in.readInt());
        final List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            values.add(KeyValueProtocol.readString(in));
        }
        return values;
    }

    private static int checkedCount(final int count) throws IOException
    {
        if (count < 0 || count > 1 << 16)
        {
            throw new IOException("spawn request: bad count " + count);
        }
        return count;
    }
}
