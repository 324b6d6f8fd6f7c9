package io.mpi4j.p2p;

/**
 * The two queues MPI matching needs for one context id: receives posted and not yet matched, and messages
 * arrived and not yet matched, each in order. Searching either from its head in order gives MPI's
 * non-overtaking rule, since a transport delivers one sender's frames in order.
 */
final class MatchQueues
{
    private RecvOperation postedHead;
    private RecvOperation postedTail;
    private UnexpectedMessage unexpectedHead;
    private UnexpectedMessage unexpectedTail;

    boolean isIdle()
    {
        return postedHead == null && unexpectedHead == null;
    }

    /** Oldest posted receive (sweeps walk {@code next} from it), or null. */
    RecvOperation firstPosted()
    {
        return postedHead;
    }

    /** First posted receive matching an incoming envelope, removed from the queue; null if none. */
    RecvOperation takePosted(final int source, final int tag)
    {
        for (RecvOperation op = postedHead; op != null; op = op.next)
        {
            if (op.matches(source, tag))
            {
                removePosted(op);
                return op;
            }
        }
        return null;
    }

    void appendPosted(final RecvOperation op)
    {
        op.posted = true;
        op.next = null;
        op.prev = postedTail;
        if (postedTail == null)
        {
            postedHead = op;
        }
        else
        {
            postedTail.next = op;
        }
        postedTail = op;
    }

    /** Remove {@code op} if it is still posted (cancel); true if it was. */
    boolean removePosted(final RecvOperation op)
    {
        if (!op.posted)
        {
            return false;
        }
        if (op.prev == null)
        {
            postedHead = op.next;
        }
        else
        {
            op.prev.next = op.next;
        }
        if (op.next == null)
        {
            postedTail = op.prev;
        }
        else
        {
            op.next.prev = op.prev;
        }
        op.prev = null;
        op.next = null;
        op.posted = false;
        return true;
    }

    /** First unexpected message matching (source, tag), left in place; null if none. */
    UnexpectedMessage findUnexpected(final int source, final int tag)
    {
        for (UnexpectedMessage m = unexpectedHead; m != null; m = m.next)
        {
            if (m.matches(source, tag))
            {
                return m;
            }
        }
        return null;
    }

    /** First unexpected message matching (source, tag), removed from the queue; null if none. */
    UnexpectedMessage takeUnexpected(final int source, final int tag)
    {
        final UnexpectedMessage m = findUnexpected(source, tag);
        if (m != null)
        {
            removeUnexpected(m);
        }
        return m;
    }

    void appendUnexpected(final UnexpectedMessage m)
    {
        m.next = null;
        m.prev = unexpectedTail;
        if (unexpectedTail == null)
        {
            unexpectedHead = m;
        }
        else
        {
            unexpectedTail.next = m;
        }
        unexpectedTail = m;
    }

    private void removeUnexpected(final UnexpectedMessage m)
    {
        if (m.prev == null)
        {
            unexpectedHead = m.next;
        }
        else
        {
            m.prev.next = m.next;
        }
        if (m.next == null)
        {
            unexpectedTail = m.prev;
        }
        else
        {
            m.next.prev = m.prev;
        }
        m.prev = null;
        m.next = null;
    }
}
