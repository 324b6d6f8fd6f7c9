package io.mpi4j.transport;

import java.util.Locale;

/**
 * How transports read their tuning settings: a system property of the name, else the environment variable, with
 * sizes written as {@code 4096}, {@code 64k}, {@code 1m} (binary multiples). One place, so every transport reads
 * {@code MPI4J_SHM_*} and {@code MPI4J_RDMA_*} the same way.
 */
public final class TransportSettings
{
    private TransportSettings()
    {
    }

    /** The setting's trimmed value, or null when neither the property nor the variable is set (or blank). */
    public static String setting(final String name)
    {
        final String property = System.getProperty(name);
        if (null != property && !property.isBlank())
        {
            return property.trim();
        }
        final String env = System.getenv(name);
        return null != env && !env.isBlank() ? env.trim() : null;
    }

    /**
     * The setting as a switch: {@code on} or {@code off} (also true/false, yes/no, 1/0), {@code defaultValue} when unset.
     *
     * @throws IllegalArgumentException naming the setting when its value is none of those.
     */
    public static boolean switchSetting(final String name, final boolean defaultValue)
    {
        final String value = setting(name);
        if (null == value)
        {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT))
        {
            case "on": case "true": case "yes": case "1":
                return true;
            case "off": case "false": case "no": case "0":
                return false;
            default:
                throw new IllegalArgumentException(name + " must be on or off, got '" + value + "'");
        }
    }

    /**
     * The setting as a size, or {@code defaultValue} when unset.
     *
     * @throws IllegalArgumentException naming the setting when its value is not a size.
     */
    public static long sizeSetting(final String name, final long defaultValue)
    {
        final String value = setting(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return parseSize(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": not a size: '" + value + "'", ex);
        }
    }

    /** "4096", "64k", "1m", "1g" (binary multiples), at most {@link Integer#MAX_VALUE}. */
    public static long parseSize(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        int end = value.length();
        if (end > 0)
        {
            switch (value.charAt(end - 1))
            {
                case 'k': shift = 10; end--; break;
                case 'm': shift = 20; end--; break;
                case 'g': shift = 30; end--; break;
                default: break;
            }
        }
        final long number = Long.parseLong(value.substring(0, end));
        final long result = number << shift;
        if (number < 0 || (result >> shift) != number || result > Integer.MAX_VALUE)
        {
            throw new NumberFormatException("out of range: " + text);
        }
        return result;
    }
}
