package io.ringstack.journal;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.FRAME_VERDICT_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;

/**
 * Puts every received frame's verdict in its RX_FRAME record, for tools that show a frame with its fate: an
 * RX_FRAME whose verdict is {@link JournalFormat#VERDICT_PENDING} is held, with what follows it, until its VERDICT
 * record; then the frame is passed on with the verdict filled in, followed by the held records, and the VERDICT
 * record itself is swallowed. The order of everything else is kept. Call {@link #finish()} after the last record.
 * Held records are kept in an {@link UnsafeBuffer}, the class every record read from a journal lies in, so that
 * the code that reads records sees one class of buffer and the JIT's inlining of it stays valid.
 */
public final class VerdictPairing implements RecordHandler
{
    private final RecordHandler downstream;
    private static final int INITIAL_CAPACITY = 4096;

    private final UnsafeBuffer held = new UnsafeBuffer(BufferUtil.allocateDirectAligned(INITIAL_CAPACITY, 64));
    private final JournalRecord heldRecord = new JournalRecord();
    private int[] offsets = new int[16];
    private int count;
    private int length;

    public VerdictPairing(final RecordHandler downstream)
    {
        this.downstream = downstream;
    }

    public boolean onRecord(final JournalRecord record)
    {
        final int type = record.type();
        if (count > 0)
        {
            if (type == JournalFormat.VERDICT)
            {
                held.putInt(offsets[0] + RECORD_HEADER_LENGTH + FRAME_VERDICT_OFFSET, record.verdict(), BYTE_ORDER);
                return release();
            }
            if (type != JournalFormat.RX_FRAME && type != JournalFormat.CYCLE && type != JournalFormat.IDLE &&
                type != JournalFormat.END)
            {
                hold(record);
                return true;
            }
            if (!release())
            {
                return false;
            }
        }
        if (type == JournalFormat.RX_FRAME && record.verdict() == JournalFormat.VERDICT_PENDING)
        {
            hold(record);
            return true;
        }
        return downstream.onRecord(record);
    }

    /**
     * Pass on what is still held (a frame whose verdict the journal does not have: its tail was cut).
     *
     * @return what the downstream handler returned for the last record, {@code true} if nothing was held.
     */
    public boolean finish()
    {
        return count == 0 || release();
    }

    private void hold(final JournalRecord record)
    {
        if (count == offsets.length)
        {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        if (length + record.length() > held.capacity())
        {
            final UnsafeBuffer before = new UnsafeBuffer(held.byteBuffer(), 0, length);
            held.wrap(BufferUtil.allocateDirectAligned(Integer.highestOneBit(length + record.length()) * 2, 64));
            held.putBytes(0, before, 0, length);
        }
        held.putBytes(length, record.buffer(), record.offset(), record.length());
        offsets[count++] = length;
        length += record.length();
    }

    private boolean release()
    {
        boolean more = true;
        for (int i = 0; i < count && more; i++)
        {
            more = downstream.onRecord(heldRecord.wrap(held, offsets[i]));
        }
        count = 0;
        length = 0;
        return more;
    }
}
