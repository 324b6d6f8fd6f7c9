package io.mpi4j.dpm;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.runtime.SpawnRequest;

import java.util.BitSet;

/**
 * The reserved info key {@code soft} of {@code MPI_Comm_spawn}: a comma-separated list of {@code a}, {@code a:b} or
 * {@code a:b:c} (a to b by step c), the process counts the spawn may settle for.
 */
public final class SoftSpawn
{
    private SoftSpawn()
    {
    }

    /**
     * The allowed counts up to {@code maxprocs}, ascending.
     *
     * @throws MpiError ERR_INFO_VALUE when {@code value} does not follow the syntax
     */
    public static int[] allowedCounts(final String value, final int maxprocs)
    {
        if (maxprocs > SpawnRequest.MAX_PROCESSES)
        {
            // Refused before the list is expanded: the set of counts up to maxprocs would be of that size.
            throw new MpiError(ErrorClass.ERR_SPAWN, "cannot spawn " + maxprocs + " processes: one spawn starts at most "
                + SpawnRequest.MAX_PROCESSES);
        }
        final BitSet allowed = new BitSet();
        final String trimmed = value.trim();
        if (trimmed.isEmpty())
        {
            throw malformed(value);
        }
        for (final String part : trimmed.split(",", -1))
        {
            final String[] fields = part.trim().split(":", -1);
            if (fields.length > 3)
            {
                throw malformed(value);
            }
            final int first = parse(fields[0], value);
            final int last = fields.length > 1 ? parse(fields[1], value) : first;
            final int step = fields.length > 2 ? parse(fields[2], value) : 1;
            if (step <= 0 || last < first)
            {
                throw malformed(value);
            }
            final int upTo = Math.min(last, maxprocs);
            if (step == 1)
            {
                if (first <= upTo)
                {
                    allowed.set(first, upTo + 1);
                }
            }
            else
            {
                for (long n = first; n <= upTo; n += step)
                {
                    allowed.set((int)n);
                }
            }
        }
        return allowed.stream().toArray();
    }

    private static int parse(final String field, final String value)
    {
        try
        {
            final int n = Integer.parseInt(field.trim());
            if (n < 0)
            {
                throw malformed(value);
            }
            return n;
        }
        catch (final NumberFormatException ex)
        {
            throw malformed(value);
        }
    }

    private static MpiError malformed(final String value)
    {
        return new MpiError(ErrorClass.ERR_INFO_VALUE, "soft info value '" + value +
            "' is malformed (expected a comma-separated list of a, a:b or a:b:c)");
    }
}
