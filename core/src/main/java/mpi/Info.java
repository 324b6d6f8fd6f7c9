package mpi;

import io.mpi4j.errors.ErrorClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Key/value hints ({@code MPI_Info}). Keys keep the order in which they were first set, which is the order
 * {@link #getKey(int)} reports. Errors here are not tied to a communicator and are always thrown.
 */
public final class Info implements Freeable
{
    private final Map<String, String> entries;
    private final String predefinedName;
    private boolean freed;

    /**
     * Creates an empty info object. Binds {@code MPI_INFO_CREATE}.
     *
     * @throws MPIException if MPI is not running
     */
    public Info() throws MPIException
    {
        MPI.check("MPI_Info_create");
        this.entries = new LinkedHashMap<>();
        this.predefinedName = null;
    }

    /** A predefined info object: {@code MPI_INFO_NULL} ({@code entries == null}) or {@code MPI_INFO_ENV}. */
    Info(final String predefinedName, final Map<String, String> entries)
    {
        this.entries = entries;
        this.predefinedName = predefinedName;
    }

    private Info(final Map<String, String> entries)
    {
        this.entries = entries;
        this.predefinedName = null;
    }

    /** Fills {@code MPI_INFO_ENV} at {@code MPI.Init}. */
    void replaceEnvironment(final Map<String, String> environment)
    {
        synchronized (entries)
        {
            entries.clear();
            entries.putAll(environment);
        }
    }

    private Map<String, String> live(final String op) throws MPIException
    {
        MPI.check(op);
        if (null == entries)
        {
            throw new MPIException(ErrorClass.ERR_INFO, op + ": the info object is MPI_INFO_NULL");
        }
        if (freed)
        {
            throw new MPIException(ErrorClass.ERR_INFO, op + ": the info object has been freed");
        }
        return entries;
    }

    private static void checkKey(final String op, final String key) throws MPIException
    {
        if (null == key || key.isEmpty() || key.length() >= MPI.MAX_INFO_KEY)
        {
            throw new MPIException(ErrorClass.ERR_INFO_KEY, op + ": key " + (null == key ? "null" : "\"" + key + "\"") +
                " is invalid (1.." + (MPI.MAX_INFO_KEY - 1) + " characters)");
        }
    }

    /**
     * Sets {@code key} to {@code value}. Binds {@code MPI_INFO_SET}.
     *
     * @param key   key
     * @param value value
     * @throws MPIException {@code MPI.ERR_INFO_KEY} / {@code MPI.ERR_INFO_VALUE} for bad keys or values
     */
    public void set(final String key, final String value) throws MPIException
    {
        final String op = "MPI_Info_set";
        final Map<String, String> map = live(op);
        checkKey(op, key);
        if (null == value || value.length() >= MPI.MAX_INFO_VAL)
        {
            throw new MPIException(ErrorClass.ERR_INFO_VALUE, op + ": value for key \"" + key + "\" is " +
                (null == value ? "null" : "too long (" + value.length() + " characters, at most " +
                (MPI.MAX_INFO_VAL - 1) + ")"));
        }
        if (null != predefinedName)
        {
            throw new MPIException(ErrorClass.ERR_INFO, op + ": " + predefinedName + " cannot be changed");
        }
        synchronized (map)
        {
            map.put(key, value);
        }
    }

    /**
     * Value of {@code key}. Binds {@code MPI_INFO_GET}.
     *
     * @param key key
     * @return value, or null if the key is not set
     * @throws MPIException for an invalid key or info object
     */
    public String get(final String key) throws MPIException
    {
        final String op = "MPI_Info_get";
        final Map<String, String> map = live(op);
        checkKey(op, key);
        synchronized (map)
        {
            return map.get(key);
        }
    }

    /**
     * Removes {@code key}. Binds {@code MPI_INFO_DELETE}.
     *
     * @param key key
     * @throws MPIException {@code MPI.ERR_INFO_NOKEY} if the key is not set
     */
    public void delete(final String key) throws MPIException
    {
        final String op = "MPI_Info_delete";
        final Map<String, String> map = live(op);
        checkKey(op, key);
        if (null != predefinedName)
        {
            throw new MPIException(ErrorClass.ERR_INFO, op + ": " + predefinedName + " cannot be changed");
        }
        synchronized (map)
        {
            if (null == map.remove(key))
            {
                throw new MPIException(ErrorClass.ERR_INFO_NOKEY, op + ": key \"" + key + "\" is not set");
            }
        }
    }

    /**
     * Number of keys set. Binds {@code MPI_INFO_GET_NKEYS}.
     *
     * @return number of keys
     * @throws MPIException for an invalid info object
     */
    public int size() throws MPIException
    {
        final Map<String, String> map = live("MPI_Info_get_nkeys");
        synchronized (map)
        {
            return map.size();
        }
    }

    /**
     * The {@code i}-th key. Binds {@code MPI_INFO_GET_NTHKEY}.
     *
     * @param i key number, 0..size()-1
     * @return key
     * @throws MPIException {@code MPI.ERR_ARG} if {@code i} is out of range
     */
    public String getKey(final int i) throws MPIException
    {
        final String op = "MPI_Info_get_nthkey";
        final Map<String, String> map = live(op);
        synchronized (map)
        {
            if (i < 0 || i >= map.size())
            {
                throw new MPIException(ErrorClass.ERR_ARG, op + ": key number " + i + " is out of range (valid: 0.." +
                    (map.size() - 1) + ")");
            }
            return new ArrayList<>(map.keySet()).get(i);
        }
    }

    /**
     * Copies the info object. Binds {@code MPI_INFO_DUP}; prefer it to {@link #clone()}, which cannot throw
     * {@link MPIException}.
     *
     * @return new info object with the same keys
     */
    @Override
    public Info clone()
    {
        try
        {
            return dup();
        }
        catch (final MPIException ex)
        {
            throw new RuntimeException(ex.getMessage(), ex);
        }
    }

    /**
     * Copies the info object. Binds {@code MPI_INFO_DUP}.
     *
     * @return new info object with the same keys
     * @throws MPIException for an invalid info object
     */
    public Info dup() throws MPIException
    {
        final Map<String, String> map = live("MPI_Info_dup");
        synchronized (map)
        {
            return new Info(new LinkedHashMap<>(map));
        }
    }

    /**
     * Binds {@code MPI_INFO_FREE}; afterwards {@link #isNull()} is true.
     *
     * @throws MPIException for an invalid or predefined info object
     */
    @Override
    public void free() throws MPIException
    {
        final String op = "MPI_Info_free";
        live(op);
        if (null != predefinedName)
        {
            throw new MPIException(ErrorClass.ERR_INFO, op + ": " + predefinedName + " cannot be freed");
        }
        freed = true;
    }

    /**
     * Whether this is {@code MPI_INFO_NULL} or has been freed.
     *
     * @return true for a null info object
     */
    public boolean isNull()
    {
        return null == entries || freed;
    }
}
