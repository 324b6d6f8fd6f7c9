package io.mpi4j.comm;

/**
 * This process's view of which context ids are in use. Ids are handed out in slots: slot {@code s} is the pair
 * {@code 2s} (point-to-point) and {@code 2s + 1} (collectives). Slots are grouped in 64-bit windows so that an
 * agreement ({@link ContextAgreement}) can AND the free bits of one window across all members in one exchange.
 * <p>
 * A bit is in one of three states: free, held (offered to an agreement in flight, so a concurrent agreement on
 * another communicator does not offer it too) or used. Held and used both read as "not free".
 */
public final class ContextIdAllocator
{
    /** Windows of 64 slots; 4,096 windows = 262,144 slots, four times the 65,536 communicators required alive. */
    public static final int WINDOWS = 4096;
    public static final int SLOTS = WINDOWS * 64;
    /** Slots 0 and 1 are MPI_COMM_WORLD (context 0) and MPI_COMM_SELF (context 2). */
    private static final long PREDEFINED = 0b11L;

    private final long[] taken = new long[WINDOWS];
    private int lowestOpen;
    private int inUse;

    public ContextIdAllocator()
    {
        taken[0] = PREDEFINED;
        inUse = 2;
    }

    /** The lowest window with a free slot: where an agreement starts looking. */
    public synchronized int lowestOpenWindow()
    {
        while (lowestOpen < WINDOWS - 1 && taken[lowestOpen] == -1L)
        {
            lowestOpen++;
        }
        return lowestOpen;
    }

    /** Free slots of {@code window}, marked held until {@link #settle}. */
    public synchronized long offer(final int window)
    {
        if (window < 0 || window >= WINDOWS)
        {
            return 0;
        }
        final long free = ~taken[window];
        taken[window] = -1L;
        return free;
    }

    /**
     * Ends an offer: {@code chosenSlot} (or -1) becomes used, the rest of {@code offered} is free again.
     */
    public synchronized void settle(final int window, final long offered, final int chosenSlot)
    {
        if (window < 0 || window >= WINDOWS)
        {
            return;
        }
        long giveBack = offered;
        if (chosenSlot >= 0)
        {
            giveBack &= ~(1L << (chosenSlot & 63));
            inUse++;
        }
        taken[window] &= ~giveBack;
        if (giveBack != 0 && window < lowestOpen)
        {
            lowestOpen = window;
        }
    }

    /** Gives a slot back when its communicator is freed (or its creation failed). */
    public synchronized void release(final int slot)
    {
        final int window = slot >>> 6;
        final long bit = 1L << (slot & 63);
        if ((taken[window] & bit) != 0)
        {
            taken[window] &= ~bit;
            inUse--;
            if (window < lowestOpen)
            {
                lowestOpen = window;
            }
        }
    }

    /** Slots in use, the predefined two included (leak checks in tests). */
    public synchronized int inUse()
    {
        return inUse;
    }

    public static int slotOfContext(final int contextId)
    {
        return contextId >>> 1;
    }

    public static int contextOfSlot(final int slot)
    {
        return slot << 1;
    }
}
