package io.mpi4j.p2p;

/**
 * Recycles unexpected-message records and their eager payload copies, so a receiver that falls behind a sender
 * does not allocate per message once warm. Payloads come in power-of-two size classes up to the largest eager
 * payload; each class keeps at most {@link #MAX_PER_CLASS} spare arrays, the rest is left to the collector.
 */
final class UnexpectedMessagePool
{
    private static final int MIN_CLASS_SHIFT = 6;
    private static final int MAX_CLASS_SHIFT = 20;
    private static final int MAX_PER_CLASS = 256;
    private static final byte[] EMPTY = new byte[0];

    private final UnexpectedMessage[] records = new UnexpectedMessage[MAX_PER_CLASS * 4];
    private int recordCount;
    private final byte[][][] payloads = new byte[MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1][MAX_PER_CLASS][];
    private final int[] payloadCounts = new int[MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1];

    UnexpectedMessage acquire()
    {
        return recordCount > 0 ? records[--recordCount] : new UnexpectedMessage();
    }

    /** A payload array of at least {@code length} bytes. */
    byte[] payload(final int length)
    {
        if (length == 0)
        {
            return EMPTY;
        }
        final int sizeClass = sizeClass(length);
        if (sizeClass < 0)
        {
            return new byte[length];
        }
        final int count = payloadCounts[sizeClass];
        if (count > 0)
        {
            payloadCounts[sizeClass] = count - 1;
            final byte[] array = payloads[sizeClass][count - 1];
            payloads[sizeClass][count - 1] = null;
            return array;
        }
        return new byte[1 << (sizeClass + MIN_CLASS_SHIFT)];
    }

    void release(final UnexpectedMessage message)
    {
        final byte[] payload = message.payload;
        message.payload = null;
        if (payload != null && payload.length > 0)
        {
            final int sizeClass = sizeClass(payload.length);
            if (sizeClass >= 0 && payload.length == 1 << (sizeClass + MIN_CLASS_SHIFT) &&
                payloadCounts[sizeClass] < MAX_PER_CLASS)
            {
                payloads[sizeClass][payloadCounts[sizeClass]++] = payload;
            }
        }
        if (recordCount < records.length)
        {
            records[recordCount++] = message;
        }
    }

    private static int sizeClass(final int length)
    {
        final int shift = Math.max(MIN_CLASS_SHIFT, 32 - Integer.numberOfLeadingZeros(length - 1));
        return shift > MAX_CLASS_SHIFT ? -1 : shift - MIN_CLASS_SHIFT;
    }
}
