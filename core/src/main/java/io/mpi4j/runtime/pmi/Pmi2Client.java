package io.mpi4j.runtime.pmi;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The client side of the PMI-2 wire protocol over the connection a process manager hands its tasks (Slurm's {@code
 * srun --mpi=pmi2}, MPICH's Hydra): one request, one response, in order, so every call holds the client's lock.
 * <p>
 * The connection starts in PMI-1 syntax ({@code cmd=init pmi_version=2 pmi_subversion=0}, a line answered by a
 * line), after which both sides speak PMI-2: length-prefixed {@link Pmi2Command}s. {@code fullinit} gives rank and
 * size; {@code kvs-put} keeps a pair in the manager until {@code kvs-fence}, the job-wide collective that publishes
 * everyone's pairs, after which {@code kvs-get} reads any of them.
 */
final class Pmi2Client implements AutoCloseable
{
    /** PMI-2.0: the version this client speaks. */
    static final int VERSION = 2;
    static final int SUBVERSION = 0;
    /** The PMI-1 init line is short; more than this without a line break is not a PMI server. */
    private static final int MAX_INIT_LINE = 4096;

    /** What {@code fullinit} told this process. */
    record Identity(int rank, int size, int appnum, String spawnerJobId)
    {
    }

    private final InputStream in;
    private final OutputStream out;
    private final String where;
    private Identity identity;
    private boolean closed;

    /**
     * @param where how to name the connection in messages, e.g. "PMI_FD 5"
     */
    Pmi2Client(final InputStream in, final OutputStream out, final String where)
    {
        this.in = in;
        this.out = out;
        this.where = where;
    }

    /**
     * {@code init} (PMI-1 syntax) then {@code fullinit}: after this the process knows its rank and size.
     *
     * @param pmiJobId the manager's job id of this process ({@code PMI_JOBID}), or null
     * @param pmiRank  this process's rank as the manager gave it ({@code PMI_RANK})
     */
    synchronized Identity initialize(final String pmiJobId, final int pmiRank) throws IOException
    {
        send(("cmd=init pmi_version=" + VERSION + " pmi_subversion=" + SUBVERSION + "\n")
            .getBytes(StandardCharsets.US_ASCII));
        final String line = readLine();
        if (!line.startsWith("cmd=response_to_init"))
        {
            throw new IOException("PMI-2: the process manager on " + where + " answered init with '" + line + "'");
        }
        final String rc = lineValue(line, "rc");
        final String version = lineValue(line, "pmi_version");
        if ((rc != null && !rc.equals("0")) || (version != null && !version.equals(Integer.toString(VERSION))))
        {
            throw new IOException("PMI-2: the process manager on " + where + " does not speak PMI-" + VERSION +
                " ('" + line + "'); launch with srun --mpi=pmi2");
        }
        final Pmi2Command reply = call(Pmi2Command.of("fullinit")
            .with("pmijobid", pmiJobId == null ? "" : pmiJobId)
            .with("pmirank", Integer.toString(pmiRank))
            .with("threaded", "FALSE"), "fullinit-response");
        final int rank = intValue(reply, "rank");
        final int size = intValue(reply, "size");
        if (size < 1 || rank < 0 || rank >= size)
        {
            throw new IOException("PMI-2: fullinit gave rank " + rank + " of size " + size);
        }
        final String appnum = reply.get("appnum");
        identity = new Identity(rank, size, appnum == null ? 0 : Math.max(0, parseInt(appnum, "appnum")),
            reply.get("spawner-jobid"));
        return identity;
    }

    /** {@code job-getid}: the manager's name of this job, the same in every process of it. */
    synchronized String jobId() throws IOException
    {
        final String id = call(Pmi2Command.of("job-getid"), "job-getid-response").get("jobid");
        if (id == null || id.isEmpty())
        {
            throw new IOException("PMI-2: job-getid gave no job id");
        }
        return id;
    }

    /** {@code info-getjobattr}: an attribute of the job ({@code PMI_process_mapping}, {@code universeSize}), or null. */
    synchronized String jobAttribute(final String key) throws IOException
    {
        final Pmi2Command reply = call(Pmi2Command.of("info-getjobattr").with("key", key), "info-getjobattr-response");
        return "TRUE".equalsIgnoreCase(reply.get("found")) ? reply.get("value") : null;
    }

    /** {@code kvs-put}: visible to the others after the next {@link #fence()}. */
    synchronized void put(final String key, final String value) throws IOException
    {
        call(Pmi2Command.of("kvs-put").with("key", key).with("value", value), "kvs-put-response");
    }

    /** {@code kvs-fence}: returns when every process of the job has fenced. */
    synchronized void fence() throws IOException
    {
        call(Pmi2Command.of("kvs-fence"), "kvs-fence-response");
    }

    /** {@code kvs-get}: the value of {@code key}, or null when nobody put it before the last fence. */
    synchronized String get(final String key) throws IOException
    {
        final Pmi2Command reply = call(Pmi2Command.of("kvs-get").with("jobid", "").with("srcid", "-1")
            .with("key", key), "kvs-get-response");
        return "TRUE".equalsIgnoreCase(reply.get("found")) ? reply.get("value") : null;
    }

    /** {@code abort}: the manager kills the whole job; no answer comes. */
    synchronized void abort(final String message) throws IOException
    {
        send(Pmi2Command.of("abort").with("isworld", "TRUE").with("msg", message).encode());
    }

    /** {@code finalize}: this process is done with the manager; the connection closes after the answer. */
    synchronized void finish() throws IOException
    {
        call(Pmi2Command.of("finalize"), "finalize-response");
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            in.close();
        }
        catch (final IOException ignore)
        {
            // Closing: nothing to do about it.
        }
        try
        {
            out.close();
        }
        catch (final IOException ignore)
        {
            // Closing: nothing to do about it.
        }
    }

    private Pmi2Command call(final Pmi2Command request, final String expected) throws IOException
    {
        send(request.encode());
        final byte[] field = readFully(Pmi2Command.LENGTH_FIELD);
        final int length = Pmi2Command.parseLength(field);
        final Pmi2Command reply = Pmi2Command.parse(new String(readFully(length), StandardCharsets.UTF_8));
        if (!expected.equals(reply.name()))
        {
            throw new IOException("PMI-2: the process manager answered " + request.name() + " with " + reply.name() +
                ("finalize-response".equals(reply.name()) ? " (it refuses this process: was PMI initialized twice?)" :
                ""));
        }
        final String rc = reply.get("rc");
        if (rc != null && !rc.equals("0"))
        {
            final String message = reply.get("errmsg");
            throw new IOException("PMI-2: " + request.name() + " failed with code " + rc +
                (message == null || message.isEmpty() ? "" : ": " + message));
        }
        return reply;
    }

    private void send(final byte[] message) throws IOException
    {
        if (closed)
        {
            throw new IOException("PMI-2: the connection to the process manager is closed");
        }
        try
        {
            out.write(message);
            out.flush();
        }
        catch (final IOException ex)
        {
            throw new IOException("PMI-2: cannot write to the process manager on " + where + ": " + ex.getMessage(),
                ex);
        }
    }

    private byte[] readFully(final int length) throws IOException
    {
        final byte[] bytes = new byte[length];
        int at = 0;
        while (at < length)
        {
            final int n = in.read(bytes, at, length - at);
            if (n < 0)
            {
                throw new EOFException("PMI-2: the process manager on " + where + " closed the connection");
            }
            at += n;
        }
        return bytes;
    }

    private String readLine() throws IOException
    {
        final StringBuilder line = new StringBuilder();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new EOFException("PMI-2: the process manager on " + where + " closed the connection during " +
                    "init");
            }
            if (b == '\n')
            {
                return line.toString().trim();
            }
            if (line.length() >= MAX_INIT_LINE)
            {
                throw new IOException("PMI-2: no line break in the first " + MAX_INIT_LINE + " bytes from " + where);
            }
            line.append((char)b);
        }
    }

    /** The value of {@code key} in a PMI-1 line ({@code cmd=x key=value ...}), or null. */
    static String lineValue(final String line, final String key)
    {
        for (final String word : line.trim().split("\\s+"))
        {
            if (word.startsWith(key + "="))
            {
                return word.substring(key.length() + 1);
            }
        }
        return null;
    }

    private static int intValue(final Pmi2Command reply, final String key) throws IOException
    {
        final String value = reply.get(key);
        if (value == null)
        {
            throw new IOException("PMI-2: " + reply.name() + " has no " + key + ": '" + reply.body() + "'");
        }
        return parseInt(value, key);
    }

    private static int parseInt(final String value, final String key) throws IOException
    {
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("PMI-2: " + key + " '" + value + "' is not a number");
        }
    }
}
