package io.ringstack.tcp;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.afterOrAt;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;
import static io.ringstack.tcp.SequenceNumbers.min;

/**
 * RACK's record of what one connection sent and when (RFC 8985 section 5.2, "per-segment state"): one entry per
 * transmission, {@code [start, end)} with its send time, in the order sent, in a ring of primitive arrays; each entry
 * also keeps the connection's delivery state when it went out, for {@link DeliveryRate}. A
 * retransmission appends a new entry and takes its range out of the older ones, so every byte outstanding has at
 * most one live entry, the one of its latest transmission. Entries leave when RACK sees them delivered or the
 * connection's cumulative ACK passes them; a full log forgets its oldest entry, whose loss is then left to the
 * retransmission timer. While no live entry is a retransmission, the live entries are original transmissions in the
 * order sent, which is sequence order, disjoint and ascending ({@link #isInSequenceOrder()}): a walk for what an ACK
 * covers may then stop at the first entry past it. Engine thread only; nothing allocates after construction.
 */
final class TransmitLog
{
    /** The entry's range went out before, at least once: an acknowledgment of it is ambiguous (Karn). */
    static final int RETRANSMITTED = 1;
    /** RACK deemed the entry lost; it waits for its retransmission. */
    static final int LOST = 2;
    /** A retransmission timeout deemed the entry lost, with everything outstanding. */
    static final int TIMED_OUT = 4;
    /**
     * In a log of replaced transmissions: nothing showed the entry missing when its retransmission went (a timeout's
     * or a loss probe's, not a repair of what RACK deemed lost), so a D-SACK of it does not show the entry late.
     */
    static final int UNPROMPTED = 8;
    /** The entry went out while the sender was application-limited ({@link DeliveryRate}). */
    static final int APP_LIMITED = 16;

    private final int[] starts;
    private final int[] ends;
    private final long[] sentNs;
    private final int[] flags;
    private final long[] delivered;
    private final long[] deliveredNs;
    private final long[] firstSentNs;
    private final int mask;
    private int head;
    private int tail;
    private int liveRetransmissions;

    /**
     * @param capacity entries, rounded up to a power of two.
     */
    TransmitLog(final int capacity)
    {
        final int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        starts = new int[size];
        ends = new int[size];
        sentNs = new long[size];
        flags = new int[size];
        delivered = new long[size];
        deliveredNs = new long[size];
        firstSentNs = new long[size];
        mask = size - 1;
    }

    void clear()
    {
        head = 0;
        tail = 0;
        liveRetransmissions = 0;
    }

    /**
     * @return {@code true} when no live entry is a retransmission: the live entries then run in ascending sequence
     * order, each past the one before it, as the sender sends new data only at SND.MAX.
     */
    boolean isInSequenceOrder()
    {
        return liveRetransmissions == 0;
    }

    /**
     * @return the number of the oldest entry; entries run from {@link #first()} to {@link #last()}, exclusive.
     */
    int first()
    {
        return head;
    }

    int last()
    {
        return tail;
    }

    int start(final int entry)
    {
        return starts[entry & mask];
    }

    int end(final int entry)
    {
        return ends[entry & mask];
    }

    long sentNs(final int entry)
    {
        return sentNs[entry & mask];
    }

    long delivered(final int entry)
    {
        return delivered[entry & mask];
    }

    long deliveredNs(final int entry)
    {
        return deliveredNs[entry & mask];
    }

    long firstSentNs(final int entry)
    {
        return firstSentNs[entry & mask];
    }

    boolean is(final int entry, final int flag)
    {
        return (flags[entry & mask] & flag) != 0;
    }

    void mark(final int entry, final int flag)
    {
        flags[entry & mask] |= flag;
    }

    void unmark(final int entry, final int flag)
    {
        flags[entry & mask] &= ~flag;
    }

    /**
     * @return {@code true} when the entry still stands for bytes in flight.
     */
    boolean isLive(final int entry)
    {
        return starts[entry & mask] != ends[entry & mask];
    }

    /**
     * The entry was delivered or superseded: it no longer stands for anything.
     */
    void retire(final int entry)
    {
        final int index = entry & mask;
        if (starts[index] != ends[index] && (flags[index] & RETRANSMITTED) != 0)
        {
            liveRetransmissions--;
        }
        ends[index] = starts[index];
        while (head != tail && !isLive(head))
        {
            head++;
        }
    }

    /**
     * Record a transmission of {@code [start, end)} at {@code nowNs}; a retransmission first takes its range out of
     * the entries of earlier transmissions, and what it took goes to {@code replaced} with the time it was sent,
     * {@link #UNPROMPTED} unless RACK alone had deemed it lost. The entry keeps {@code rate}'s delivery state.
     */
    void onSent(final int start, final int end, final long nowNs, final boolean retransmission,
        final TransmitLog replaced, final DeliveryRate rate)
    {
        if (retransmission)
        {
            supersede(start, end, replaced);
        }
        append(start, end, nowNs, (retransmission ? RETRANSMITTED : 0) | (rate.isAppLimited() ? APP_LIMITED : 0),
            rate.delivered(), rate.deliveredNs(), rate.firstSentNs());
    }

    /**
     * @return the newest entry, live or not, whose range holds {@code sequence}, or -1 when none does.
     */
    int findSent(final int sequence)
    {
        for (int entry = tail - 1; entry - head >= 0; entry--)
        {
            final int index = entry & mask;
            if (afterOrAt(sequence, starts[index]) && before(sequence, ends[index]))
            {
                return entry;
            }
        }
        return -1;
    }

    private void append(final int start, final int end, final long nowNs, final int entryFlags,
        final long entryDelivered, final long entryDeliveredNs, final long entryFirstSentNs)
    {
        if (tail - head == starts.length)
        {
            retire(head);
        }
        final int index = tail & mask;
        starts[index] = start;
        ends[index] = end;
        sentNs[index] = nowNs;
        flags[index] = entryFlags;
        delivered[index] = entryDelivered;
        deliveredNs[index] = entryDeliveredNs;
        firstSentNs[index] = entryFirstSentNs;
        if ((entryFlags & RETRANSMITTED) != 0 && start != end)
        {
            liveRetransmissions++;
        }
        tail++;
    }

    /**
     * Forget every entry the cumulative acknowledgment {@code ack} covers; an entry it cuts keeps its rest.
     */
    void onCumulativeAck(final int ack)
    {
        final boolean inSequenceOrder = isInSequenceOrder();
        for (int entry = head; entry != tail; entry++)
        {
            final int index = entry & mask;
            if (inSequenceOrder && after(starts[index], ack))
            {
                break;
            }
            if (isLive(entry) && !beforeOrAt(ends[index], ack) && beforeOrAt(starts[index], ack))
            {
                starts[index] = ack;
            }
        }
    }

    private void supersede(final int start, final int end, final TransmitLog replaced)
    {
        for (int entry = head; entry != tail; entry++)
        {
            final int index = entry & mask;
            if (!isLive(entry))
            {
                continue;
            }
            final boolean coversStart = afterOrAt(starts[index], start) && beforeOrAt(starts[index], end);
            final boolean coversEnd = afterOrAt(ends[index], start) && beforeOrAt(ends[index], end);
            if (coversStart || coversEnd || (before(starts[index], start) && after(ends[index], end)))
            {
                final boolean prompted = (flags[index] & (LOST | TIMED_OUT)) == LOST;
                replaced.append(max(starts[index], start), min(ends[index], end), sentNs[index],
                    prompted ? 0 : UNPROMPTED, delivered[index], deliveredNs[index], firstSentNs[index]);
            }
            if (coversStart && coversEnd)
            {
                retire(entry);
            }
            else if (coversStart)
            {
                starts[index] = end;
            }
            else if (coversEnd)
            {
                ends[index] = start;
            }
        }
    }
}
