package io.mpi4j.launcher;

import io.mpi4j.runtime.KeyValueProtocol;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire format between {@code mpi4jrun} ({@link RemoteAgent}) and a {@link NodeAgent}, over the agent's standard
 * input (launcher to agent) and standard output (agent to launcher), which {@code ssh} or {@code srun} carry.
 * Nothing of it is on a command line: the job secret travels in the environment of LAUNCH.
 * <p>
 * The agent first writes {@link #MAGIC}; the launcher skips whatever comes before it (a login script that prints
 * something) and shows it as the host's output. Then every message is one type byte and its fields, big-endian
 * as {@link DataOutputStream} writes them; strings as {@link KeyValueProtocol#writeString}.
 *
 * <pre>
 * agent -> launcher
 * READY       version:int hostname:str pid:long sshConnection:str   once, after MAGIC
 * STARTED     id:int pid:long                                         process id started
 * START_FAILED id:int message:str                                     process id could not be started
 * OUTPUT      stream:byte length:int bytes                            whole lines (tagged by the agent if asked)
 * EXITED      id:int status:int                                       after all its output was sent
 * STOPPED     id:int stopped:byte                                     process id entered (1) or left (0) the
 *                                                                     stopped state (SIGSTOP, a debugger)
 *
 * launcher -> agent
 * LAUNCH      id:int jobId:str argv:list env:map wdir:str stdoutTag:str stderrTag:str runtimeFlagsAt:int
 *             (runtimeFlagsAt &gt;= 0: the agent inserts its own host's {@link RuntimeJvmFlags#all()} into argv there)
 * KILL        id:int                                                  kill the process and its descendants
 * JOB_ENDED   jobId:str                                               remove the job's shared-memory files here
 * SHUTDOWN                                                            kill what runs, clean up, exit
 * </pre>
 * End of the launcher's stream is SHUTDOWN: an agent never outlives its launcher's connection.
 */
final class AgentProtocol
{
    static final int VERSION = 1;
    /** "\0mpi4jA" + version: unlikely in a login script's output, and binary so a terminal shows it as such. */
    static final byte[] MAGIC = {0, 'm', 'p', 'i', '4', 'j', 'A', (byte)VERSION};

    static final byte READY = 1;
    static final byte STARTED = 2;
    static final byte START_FAILED = 3;
    static final byte OUTPUT = 4;
    static final byte EXITED = 5;
    static final byte STOPPED = 6;

    static final byte LAUNCH = 33;
    static final byte KILL = 34;
    static final byte JOB_ENDED = 35;
    static final byte SHUTDOWN = 36;

    static final byte STDOUT = 1;
    static final byte STDERR = 2;

    /** Upper bound of one OUTPUT message: the agent's forwarders write less at a time. */
    static final int MAX_OUTPUT_BYTES = 1 << 24;
    private static final int MAX_COUNT = 1 << 16;

    private AgentProtocol()
    {
    }

    /**
     * {@code argv} without the launcher host's runtime JVM flags when it carries them right after the java
     * executable (as {@link AppCommand#argv} puts them), and where they were; else {@code argv} and -1.
     */
    static Map.Entry<List<String>, Integer> withoutRuntimeFlags(final List<String> argv, final List<String> flags)
    {
        if (!flags.isEmpty() && argv.size() > flags.size() && argv.subList(1, 1 + flags.size()).equals(flags))
        {
            final List<String> rest = new ArrayList<>(argv.subList(0, 1));
            rest.addAll(argv.subList(1 + flags.size(), argv.size()));
            return Map.entry(rest, 1);
        }
        return Map.entry(argv, -1);
    }

    /**
     * One process to start on the agent's host. A Java rank's runtime JVM flags depend on the host (a transport's
     * native library is extracted to a local directory), so the launcher leaves them out of {@code argv} and the
     * agent inserts its own at {@code runtimeFlagsAt} (-1: none, not a Java rank).
     */
    record Launch(int id, String jobId, List<String> argv, Map<String, String> env, String wdir, String stdoutTag,
                  String stderrTag, int runtimeFlagsAt)
    {
        void write(final DataOutputStream out) throws IOException
        {
            out.writeByte(LAUNCH);
            out.writeInt(id);
            KeyValueProtocol.writeString(out, jobId);
            writeList(out, argv);
            out.writeInt(env.size());
            for (final Map.Entry<String, String> entry : env.entrySet())
            {
                KeyValueProtocol.writeString(out, entry.getKey());
                KeyValueProtocol.writeString(out, entry.getValue());
            }
            KeyValueProtocol.writeString(out, wdir);
            KeyValueProtocol.writeString(out, stdoutTag);
            KeyValueProtocol.writeString(out, stderrTag);
            out.writeInt(runtimeFlagsAt);
        }

        /** The fields after the LAUNCH type byte. */
        static Launch read(final DataInputStream in) throws IOException
        {
            final int id = in.readInt();
            final String jobId = KeyValueProtocol.readString(in);
            final List<String> argv = readList(in);
            final int count = checkedCount(in.readInt());
            final Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                final String key = KeyValueProtocol.readString(in);
                env.put(key, KeyValueProtocol.readString(in));
            }
            return new Launch(id, jobId, argv, env, KeyValueProtocol.readString(in), KeyValueProtocol.readString(in),
                KeyValueProtocol.readString(in), in.readInt());
        }
    }

    /**
     * Skip input up to and including {@link #MAGIC}; returns the bytes skipped (a login script's output).
     *
     * @throws EOFException when the stream ends first
     */
    static byte[] skipToMagic(final InputStream in, final int maxSkipped) throws IOException
    {
        final java.io.ByteArrayOutputStream skipped = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < MAGIC.length)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException(skipped.size() == 0 ? "end of stream" : "end of stream after '" +
                    skipped.toString(java.nio.charset.StandardCharsets.UTF_8).trim() + "'");
            }
            if ((byte)b == MAGIC[matched])
            {
                matched++;
                continue;
            }
            skipped.write(MAGIC, 0, matched);
            matched = 0;
            if ((byte)b == MAGIC[0])
            {
                matched = 1;
            }
            else
            {
                skipped.write(b);
            }
            if (skipped.size() > maxSkipped)
            {
                throw new IOException("no mpi4j agent greeting after " + maxSkipped + " bytes of output: '" +
                    skipped.toString(java.nio.charset.StandardCharsets.UTF_8).trim() + "'");
            }
        }
        return skipped.toByteArray();
    }

    static void writeList(final DataOutputStream out, final List<String> values) throws IOException
    {
        out.writeInt(values.size());
        for (final String value : values)
        {
            KeyValueProtocol.writeString(out, value);
        }
    }

    static List<String> readList(final DataInputStream in) throws IOException
    {
        final int count = checkedCount(in.readInt());
        final List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            values.add(KeyValueProtocol.readString(in));
        }
        return values;
    }

    static int checkedCount(final int count) throws IOException
    {
        if (count < 0 || count > MAX_COUNT)
        {
            throw new IOException("agent protocol error: count " + count);
        }
        return count;
    }

    /** Next message type, or -1 at a clean end of stream. */
    static int readType(final DataInputStream in) throws IOException
    {
        return KeyValueProtocol.readType(in);
    }
}
