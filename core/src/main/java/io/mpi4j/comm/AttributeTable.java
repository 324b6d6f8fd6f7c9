package io.mpi4j.comm;

import java.util.ArrayList;

/**
 * The attributes cached on one communicator, in the order they were set (MPI_Finalize deletes those of
 * COMM_WORLD and COMM_SELF in reverse order of setting). Callbacks may re-enter the table (a delete callback that
 * deletes other attributes), so every walk works on a snapshot and re-checks presence.
 */
public final class AttributeTable
{
    private final KeyvalRegistry registry;
    private final ArrayList<Keyval> keys = new ArrayList<>(0);
    private final ArrayList<Object> values = new ArrayList<>(0);

    public AttributeTable(final KeyvalRegistry registry)
    {
        this.registry = registry;
    }

    public synchronized boolean isEmpty()
    {
        return keys.isEmpty();
    }

    private int indexOf(final Keyval keyval)
    {
        for (int i = 0; i < keys.size(); i++)
        {
            if (keys.get(i) == keyval)
            {
                return i;
            }
        }
        return -1;
    }

    /** The attribute's value, or null if not set. */
    public synchronized Object get(final Keyval keyval)
    {
        final int i = indexOf(keyval);
        return i < 0 ? null : values.get(i);
    }

    public synchronized boolean contains(final Keyval keyval)
    {
        return indexOf(keyval) >= 0;
    }

    /**
     * MPI_Comm_set_attr: an existing value is deleted first (its delete callback runs; if it throws, nothing
     * changes); the attribute then counts as set now.
     */
    public void set(final Object owner, final Keyval keyval, final Object value)
    {
        final Object old;
        final boolean present;
        synchronized (this)
        {
            final int i = indexOf(keyval);
            present = i >= 0;
            old = present ? values.get(i) : null;
        }
        if (present)
        {
            keyval.hooks.delete(owner, keyval.id, old, keyval.extraState);
            synchronized (this)
            {
                final int i = indexOf(keyval);
                if (i >= 0)
                {
                    keys.remove(i);
                    values.remove(i);
                    registry.detach(keyval);
                }
            }
        }
        synchronized (this)
        {
            keys.add(keyval);
            values.add(value);
            registry.attach(keyval);
        }
    }

    /** MPI_Comm_delete_attr: runs the delete callback; if it throws, the attribute stays. False if not set. */
    public boolean delete(final Object owner, final Keyval keyval)
    {
        final Object value;
        synchronized (this)
        {
            final int i = indexOf(keyval);
            if (i < 0)
            {
                return false;
            }
            value = values.get(i);
        }
        keyval.hooks.delete(owner, keyval.id, value, keyval.extraState);
        synchronized (this)
        {
            final int i = indexOf(keyval);
            if (i >= 0)
            {
                keys.remove(i);
                values.remove(i);
                registry.detach(keyval);
            }
        }
        return true;
    }

    /** Deletes every attribute, last set first (MPI_Comm_free, MPI_Finalize); stops at a failing callback. */
    public void deleteAll(final Object owner)
    {
        while (true)
        {
            final Keyval last;
            synchronized (this)
            {
                if (keys.isEmpty())
                {
                    return;
                }
                last = keys.get(keys.size() - 1);
            }
            delete(owner, last);
        }
    }

    /**
     * The attributes for a duplicate (MPI_Comm_dup): each copy callback decides for its attribute. If one throws,
     * what was copied so far is dropped and the error propagates; this table is unchanged either way.
     */
    public AttributeTable copyFor(final Object oldOwner)
    {
        final AttributeTable copy = new AttributeTable(registry);
        final Keyval[] snapshotKeys;
        final Object[] snapshotValues;
        synchronized (this)
        {
            if (keys.isEmpty())
            {
                return copy;
            }
            snapshotKeys = keys.toArray(new Keyval[0]);
            snapshotValues = values.toArray();
        }
        try
        {
            for (int i = 0; i < snapshotKeys.length; i++)
            {
                final Keyval keyval = snapshotKeys[i];
                final Object value = keyval.hooks.copy(oldOwner, keyval.id, keyval.extraState, snapshotValues[i]);
                if (value != keyval.hooks.noCopy())
                {
                    copy.keys.add(keyval);
                    copy.values.add(value);
                    registry.attach(keyval);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            copy.dropAll();
            throw ex;
        }
        return copy;
    }

    /** Forgets every attribute without callbacks (a duplicate that is never created). */
    public synchronized void dropAll()
    {
        for (final Keyval keyval : keys)
        {
            registry.detach(keyval);
        }
        keys.clear();
        values.clear();
    }
}
