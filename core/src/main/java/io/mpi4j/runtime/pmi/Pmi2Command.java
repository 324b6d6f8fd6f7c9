package io.mpi4j.runtime.pmi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One message of the PMI-2 wire protocol: {@code cmd=<name>;key=value;...;}, sent behind a 6-character decimal
 * length field padded with spaces ({@code "37    "}). Pairs keep their order and may repeat (spawn's argv does).
 * <p>
 * Values never hold {@code ';'}: Slurm's server takes every {@code ';'} as the end of a value (it does not know
 * MPICH's {@code ";;"} escape), so such a value is refused here rather than cut there.
 */
final class Pmi2Command
{
    /** Width of the length field in front of every message. */
    static final int LENGTH_FIELD = 6;
    /** The largest message the length field can announce. */
    static final int MAX_MESSAGE = 999_999;
    static final String CMD = "cmd";

    private final List<String> keys = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    private Pmi2Command()
    {
    }

    /** A new message whose command is {@code name}. */
    static Pmi2Command of(final String name)
    {
        return new Pmi2Command().with(CMD, name);
    }

    /**
     * Add {@code key=value}.
     *
     * @throws IllegalArgumentException when either holds a character the protocol cannot carry
     */
    Pmi2Command with(final String key, final String value)
    {
        if (key.isEmpty() || key.indexOf(';') >= 0 || key.indexOf('=') >= 0)
        {
            throw new IllegalArgumentException("PMI-2: key '" + key + "' is empty or holds ';' or '='");
        }
        if (value.indexOf(';') >= 0 || value.indexOf('\n') >= 0)
        {
            throw new IllegalArgumentException("PMI-2: the value of '" + key + "' holds ';' or a line break, which " +
                "the protocol cannot carry");
        }
        keys.add(key);
        values.add(value);
        return this;
    }

    String name()
    {
        return get(CMD);
    }

    /** The first value of {@code key}, or null. */
    String get(final String key)
    {
        final int index = keys.indexOf(key);
        return index < 0 ? null : values.get(index);
    }

    /** The message body, {@code cmd=...;k=v;}, without the length field. */
    String body()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < keys.size(); i++)
        {
            text.append(keys.get(i)).append('=').append(values.get(i)).append(';');
        }
        return text.toString();
    }

    /** Length field and body, as sent. */
    byte[] encode()
    {
        final byte[] body = body().getBytes(StandardCharsets.UTF_8);
        if (body.length > MAX_MESSAGE)
        {
            throw new IllegalArgumentException("PMI-2: message of " + body.length + " bytes is longer than the " +
                "length field allows (" + MAX_MESSAGE + ")");
        }
        final byte[] message = new byte[LENGTH_FIELD + body.length];
        final byte[] length = Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(message, 0, LENGTH_FIELD, (byte)' ');
        System.arraycopy(length, 0, message, 0, length.length);
        System.arraycopy(body, 0, message, LENGTH_FIELD, body.length);
        return message;
    }

    /** The length announced by a received length field. */
    static int parseLength(final byte[] field) throws java.io.IOException
    {
        final String text = new String(field, StandardCharsets.US_ASCII).trim();
        try
        {
            final int length = Integer.parseInt(text);
            if (length >= 0)
            {
                return length;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // Reported below.
        }
        throw new java.io.IOException("PMI-2: bad length field '" + text + "' from the process manager");
    }

    /**
     * A received body: {@code key=value;} pairs, the first being {@code cmd}; a {@code ";;"} inside a value (MPICH's
     * escape) stands for one {@code ';'}.
     *
     * @throws java.io.IOException when it is not made of such pairs
     */
    static Pmi2Command parse(final String body) throws java.io.IOException
    {
        final Pmi2Command command = new Pmi2Command();
        int at = 0;
        while (at < body.length())
        {
            final int eq = body.indexOf('=', at);
            if (eq < 0)
            {
                throw new java.io.IOException("PMI-2: no '=' after '" + body.substring(at) + "' in '" + body + "'");
            }
            final String key = body.substring(at, eq);
            final StringBuilder value = new StringBuilder();
            int i = eq + 1;
            while (i < body.length())
            {
                final char c = body.charAt(i);
                if (c == ';')
                {
                    if (i + 1 < body.length() && body.charAt(i + 1) == ';')
                    {
                        value.append(';');
                        i += 2;
                        continue;
                    }
                    break;
                }
                value.append(c);
                i++;
            }
            command.keys.add(key);
            command.values.add(value.toString());
            at = i + 1;
        }
        if (command.keys.isEmpty() || !CMD.equals(command.keys.get(0)))
        {
            throw new java.io.IOException("PMI-2: message does not begin with cmd=: '" + body + "'");
        }
        return command;
    }

    @Override
    public String toString()
    {
        return body();
    }
}
