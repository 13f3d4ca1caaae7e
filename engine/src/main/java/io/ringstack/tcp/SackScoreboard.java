package io.ringstack.tcp;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;

/**
 * The sender's scoreboard (RFC 6675 section 3): which ranges past SND.UNA the peer has reported in SACK blocks
 * (RFC 2018). Loss recovery retransmits the holes between them and skips what the peer already has. Bounded: a
 * block that would need one range too many is ignored, which only makes recovery less precise.
 */
final class SackScoreboard
{
    /** RFC 6675 DupThresh: a hole is lost once more than (DupThresh - 1) segments' worth is SACKed above it. */
    static final int DUP_THRESHOLD = 3;

    private final SequenceRanges ranges;

    SackScoreboard(final int capacity)
    {
        ranges = new SequenceRanges(capacity);
    }

    void clear()
    {
        ranges.clear();
    }

    boolean isEmpty()
    {
        return ranges.count() == 0;
    }

    /**
     * Record one SACK block, ignoring one that lies outside {@code (sendUnacknowledged, sendMax]}, as RFC 2018
     * section 5 permits and RFC 5961 advises.
     */
    void onSackBlock(final int left, final int right, final int sendUnacknowledged, final int sendMax)
    {
        if (after(right, left) && after(right, sendUnacknowledged) && beforeOrAt(right, sendMax))
        {
            ranges.add(max(left, sendUnacknowledged), right);
        }
    }

    void onCumulativeAck(final int sendUnacknowledged)
    {
        ranges.removeBefore(sendUnacknowledged);
    }

    long sackedBytes()
    {
        return ranges.totalLength();
    }

    /**
     * @return how many SACKed bytes lie at or after {@code sequence}.
     */
    long sackedBytesFrom(final int sequence)
    {
        long bytes = 0;
        for (int i = ranges.count() - 1; i >= 0 && after(ranges.end(i), sequence); i--)
        {
            bytes += ranges.end(i) - max(ranges.start(i), sequence);
        }
        return bytes;
    }

    /**
     * @return {@code true} when the peer reported every byte of {@code [start, end)}.
     */
    boolean holds(final int start, final int end)
    {
        return ranges.holds(start, end);
    }

    /**
     * @return the sequence number just past the highest SACKed byte, or {@code otherwise} when nothing is SACKed.
     */
    int highestSacked(final int otherwise)
    {
        final int count = ranges.count();
        return count == 0 ? otherwise : ranges.end(count - 1);
    }

    /**
     * @return {@code sequence}, or when the peer holds it, the first sequence number past its SACKed run.
     */
    int skipSacked(final int sequence)
    {
        final int index = ranges.indexOf(sequence);
        return index < 0 ? sequence : ranges.end(index);
    }

    /**
     * @return the first SACKed sequence number after {@code sequence}, or {@code otherwise} when none is: the end
     * of the hole that starts at {@code sequence}.
     */
    int nextSackedAfter(final int sequence, final int otherwise)
    {
        for (int i = 0; i < ranges.count(); i++)
        {
            if (after(ranges.start(i), sequence))
            {
                return ranges.start(i);
            }
        }
        return otherwise;
    }

    /**
     * @return {@code true} when the byte at {@code sequence} is deemed lost: more than {@code (DupThresh - 1)}
     * segments' worth of data above it is SACKed (RFC 6675 section 4, IsLost).
     */
    boolean isLost(final int sequence, final int mss)
    {
        return sackedBytesFrom(sequence) > (long)(DUP_THRESHOLD - 1) * mss;
    }
}
