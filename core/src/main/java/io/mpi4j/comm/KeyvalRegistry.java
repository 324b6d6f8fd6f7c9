package io.mpi4j.comm;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The process's attribute keys. Ids start above the predefined attribute keys and are not reused, so a stale id
 * is always recognised as invalid.
 */
public final class KeyvalRegistry
{
    /** First id for user keys; lower ones are predefined attributes (TAG_UB, HOST, ...). */
    public static final int FIRST_USER_KEYVAL = 16;

    private final Int2ObjectHashMap<Keyval> keyvals = new Int2ObjectHashMap<>();
    private int nextId = FIRST_USER_KEYVAL;

    public synchronized int create(final AttributeHooks hooks, final Object extraState)
    {
        final int id = nextId++;
        keyvals.put(id, new Keyval(id, hooks, extraState));
        return id;
    }

    /** A key that may be used to set attributes: known and not freed; null otherwise. */
    public synchronized Keyval forSet(final int id)
    {
        final Keyval keyval = keyvals.get(id);
        return null == keyval || keyval.freed ? null : keyval;
    }

    /** A key that may be read or deleted: known, possibly freed but still attached; null otherwise. */
    public synchronized Keyval forUse(final int id)
    {
        return keyvals.get(id);
    }

    /** MPI_Comm_free_keyval; false if the key is unknown or already freed. */
    public synchronized boolean free(final int id)
    {
        final Keyval keyval = keyvals.get(id);
        if (null == keyval || keyval.freed)
        {
            return false;
        }
        keyval.freed = true;
        forgetIfUnused(keyval);
        return true;
    }

    synchronized void attach(final Keyval keyval)
    {
        keyval.attached++;
    }

    synchronized void detach(final Keyval keyval)
    {
        keyval.attached--;
        forgetIfUnused(keyval);
    }

    private void forgetIfUnused(final Keyval keyval)
    {
        if (keyval.freed && keyval.attached <= 0)
        {
            keyvals.remove(keyval.id);
        }
    }
}
