package io.ringstack.tcp;

import static io.ringstack.tcp.SequenceNumbers.after;
import static io.ringstack.tcp.SequenceNumbers.afterOrAt;
import static io.ringstack.tcp.SequenceNumbers.before;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;
import static io.ringstack.tcp.SequenceNumbers.max;
import static io.ringstack.tcp.SequenceNumbers.min;

/**
 * A bounded, sorted set of disjoint ranges {@code [start, end)} of sequence numbers, merged as they are added,
 * each stamped with when it last grew. All ranges lie within one window of the sequence space, so modular
 * comparisons order them. Backs the receiver's {@link ReassemblyQueue} and the sender's {@link SackScoreboard}.
 */
final class SequenceRanges
{
    private final int[] starts;
    private final int[] ends;
    private final long[] stamps;
    private int count;
    private long clock;

    SequenceRanges(final int capacity)
    {
        starts = new int[capacity];
        ends = new int[capacity];
        stamps = new long[capacity];
    }

    int count()
    {
        return count;
    }

    int start(final int index)
    {
        return starts[index];
    }

    int end(final int index)
    {
        return ends[index];
    }

    long stamp(final int index)
    {
        return stamps[index];
    }

    void clear()
    {
        count = 0;
    }

    /**
     * Add {@code [start, end)}, merging it with every range it overlaps or touches.
     *
     * @return the index of the range that now holds it, or {@code -1} when it needed a new range and all are used.
     */
    int add(final int start, final int end)
    {
        int first = 0;
        while (first < count && before(ends[first], start))
        {
            first++;
        }
        int mergedStart = start;
        int mergedEnd = end;
        int last = first;
        while (last < count && beforeOrAt(starts[last], mergedEnd))
        {
            mergedStart = min(mergedStart, starts[last]);
            mergedEnd = max(mergedEnd, ends[last]);
            last++;
        }
        final int merged = last - first;
        if (merged == 0)
        {
            if (count == starts.length)
            {
                return -1;
            }
            shift(first, count, 1);
            count++;
        }
        else if (merged > 1)
        {
            shift(last, count, 1 - merged);
            count -= merged - 1;
        }
        starts[first] = mergedStart;
        ends[first] = mergedEnd;
        stamps[first] = ++clock;
        return first;
    }

    /**
     * Forget every sequence number before {@code sequence}: whole ranges below it, and the part of one that
     * straddles it.
     */
    void removeBefore(final int sequence)
    {
        int gone = 0;
        while (gone < count && beforeOrAt(ends[gone], sequence))
        {
            gone++;
        }
        if (gone > 0)
        {
            shift(gone, count, -gone);
            count -= gone;
        }
        if (count > 0 && before(starts[0], sequence))
        {
            starts[0] = sequence;
        }
    }

    /**
     * @return the index of the range holding {@code sequence}, or {@code -1}.
     */
    int indexOf(final int sequence)
    {
        for (int i = 0; i < count; i++)
        {
            if (afterOrAt(sequence, starts[i]) && before(sequence, ends[i]))
            {
                return i;
            }
            if (after(starts[i], sequence))
            {
                break;
            }
        }
        return -1;
    }

    /**
     * @return {@code true} when one range holds every sequence number of {@code [start, end)}.
     */
    boolean holds(final int start, final int end)
    {
        final int index = indexOf(start);
        return index >= 0 && beforeOrAt(end, ends[index]);
    }

    /**
     * @return how many sequence numbers the ranges cover in all.
     */
    long totalLength()
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += ends[i] - starts[i];
        }
        return total;
    }

    private void shift(final int from, final int to, final int by)
    {
        final int length = to - from;
        System.arraycopy(starts, from, starts, from + by, length);
        System.arraycopy(ends, from, ends, from + by, length);
        System.arraycopy(stamps, from, stamps, from + by, length);
    }
}
