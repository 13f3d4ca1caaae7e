package io.ringstack.journal;

import org.agrona.DirectBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.IDLE_COUNT_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE_DELTAS_OFFSET;
import static io.ringstack.journal.JournalFormat.IDLE_FIRST_TIME_OFFSET;

/**
 * Walks the duty-cycle clocks of an {@link JournalFormat#IDLE} record: the first, then each zig-zag varint delta.
 * <pre>{@code
 * for (idleCycles.wrap(record); idleCycles.next(); ) { run a cycle at idleCycles.timeNs(); }
 * }</pre>
 * Reusable; allocates nothing.
 */
public final class IdleCycles
{
    private DirectBuffer buffer;
    private int remaining;
    private int position;
    private long timeNs;
    private boolean first;

    /**
     * @return whether an IDLE body holds a positive count and exactly count - 1 well-formed deltas.
     */
    static boolean isWellFormed(final DirectBuffer buffer, final int bodyOffset, final int bodyLength)
    {
        final int count = buffer.getInt(bodyOffset + IDLE_COUNT_OFFSET, BYTE_ORDER);
        final int end = bodyOffset + bodyLength;
        int index = bodyOffset + IDLE_DELTAS_OFFSET;
        for (int i = 1; i < count; i++)
        {
            final int length = ZigZagVarint.length(buffer, index, end);
            if (length < 0)
            {
                return false;
            }
            index += length;
        }
        return count >= 1 && index == end;
    }

    public IdleCycles wrap(final JournalRecord record)
    {
        buffer = record.buffer();
        final int body = record.bodyOffset();
        remaining = record.idleCount();
        timeNs = buffer.getLong(body + IDLE_FIRST_TIME_OFFSET, BYTE_ORDER);
        position = body + IDLE_DELTAS_OFFSET;
        first = true;
        return this;
    }

    /**
     * @return {@code true} when there is another cycle, whose clock {@link #timeNs()} then gives.
     */
    public boolean next()
    {
        if (remaining == 0)
        {
            return false;
        }
        remaining--;
        if (first)
        {
            first = false;
        }
        else
        {
            final int length = ZigZagVarint.length(buffer, position, buffer.capacity());
            timeNs += ZigZagVarint.get(buffer, position);
            position += length;
        }
        return true;
    }

    public long timeNs()
    {
        return timeNs;
    }
}
