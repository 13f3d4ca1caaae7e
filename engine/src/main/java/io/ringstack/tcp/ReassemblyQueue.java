package io.ringstack.tcp;

import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;

/**
 * The receiver's record of out-of-order data: which ranges past RCV.NXT are already placed in the receive ring
 * (the bytes themselves are there, see {@link TcpByteRing#copyIn}). Bounded: a segment that would need one range
 * too many is dropped and the peer retransmits it. It also writes the SACK blocks of RFC 2018 section 4, the
 * range holding the latest segment first, then the others most recently grown first.
 */
final class ReassemblyQueue
{
    private final SequenceRanges ranges;
    private final long[] reported;

    ReassemblyQueue(final int capacity)
    {
        ranges = new SequenceRanges(capacity);
        reported = new long[TcpSegmentOutput.MAX_SACK_BLOCKS];
    }

    void clear()
    {
        ranges.clear();
    }

    boolean isEmpty()
    {
        return ranges.count() == 0;
    }

    int rangeCount()
    {
        return ranges.count();
    }

    /**
     * @return {@code false} when the range needed a new entry and none was free.
     */
    boolean add(final int start, final int end)
    {
        return ranges.add(start, end) >= 0;
    }

    /**
     * RCV.NXT reached {@code receiveNext}: take every range it now reaches, one after another.
     *
     * @return the new RCV.NXT, past every byte now contiguous.
     */
    int advance(final int receiveNext)
    {
        int next = receiveNext;
        while (ranges.count() > 0 && beforeOrAt(ranges.start(0), next))
        {
            next = max(next, ranges.end(0));
            ranges.removeBefore(next);
        }
        ranges.removeBefore(next);
        return next;
    }

    /**
     * @return {@code true} when every byte of {@code [start, end)} is already placed: a duplicate.
     */
    boolean holds(final int start, final int end)
    {
        return ranges.holds(start, end);
    }

    /**
     * Fill {@code edges}, from block {@code first} on, with up to {@code maxBlocks} SACK blocks as (left, right)
     * pairs, most recent first.
     *
     * @return the number of blocks written.
     */
    int sackBlocks(final int[] edges, final int first, final int maxBlocks)
    {
        final int blocks = Math.max(0, Math.min(maxBlocks, ranges.count()));
        for (int b = 0; b < blocks; b++)
        {
            int best = -1;
            for (int i = 0; i < ranges.count(); i++)
            {
                if (!isReported(i, b) && (best < 0 || ranges.stamp(i) > ranges.stamp(best)))
                {
                    best = i;
                }
            }
            reported[b] = ranges.stamp(best);
            edges[2 * (first + b)] = ranges.start(best);
            edges[2 * (first + b) + 1] = ranges.end(best);
        }
        return blocks;
    }

    private boolean isReported(final int index, final int blocksSoFar)
    {
        for (int b = 0; b < blocksSoFar; b++)
        {
            if (reported[b] == ranges.stamp(index))
            {
                return true;
            }
        }
        return false;
    }
}
