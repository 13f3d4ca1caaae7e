package io.ringstack.journal;

import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * The records of one recorded duty cycle, copied together (a cycle may straddle two batches) so that its inputs
 * can be fed to the engine before it runs and its outputs compared as it does.
 */
final class CycleRecords
{
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private int[] offsets = new int[256];
    private int count;
    private int commands;
    private int length;
    private long timeNs;
    private long sequence;
    private boolean open;

    /**
     * Start a cycle: the one recorded by the CYCLE or IDLE record {@code sequence}, at {@code timeNs}.
     */
    void begin(final long timeNs, final long sequence)
    {
        this.timeNs = timeNs;
        this.sequence = sequence;
        count = 0;
        commands = 0;
        length = 0;
        open = true;
    }

    void add(final JournalRecord record)
    {
        final int recordLength = record.length();
        if (count == offsets.length)
        {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        buffer.putBytes(length, record.buffer(), record.offset(), recordLength);
        offsets[count++] = length;
        length += recordLength;
        if (record.type() == JournalFormat.COMMAND)
        {
            commands++;
        }
    }

    void close()
    {
        open = false;
    }

    boolean isOpen()
    {
        return open;
    }

    int size()
    {
        return count;
    }

    /**
     * @return how many of the cycle's records are {@link JournalFormat#COMMAND}s.
     */
    int commands()
    {
        return commands;
    }

    /**
     * @return {@code record}, pointed at the i-th record of the cycle.
     */
    JournalRecord wrap(final int index, final JournalRecord record)
    {
        return record.wrap(buffer, offsets[index]);
    }

    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    long timeNs()
    {
        return timeNs;
    }

    /**
     * @return the sequence of the record that began the cycle.
     */
    long sequence()
    {
        return sequence;
    }
}
