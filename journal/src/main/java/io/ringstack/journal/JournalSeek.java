package io.ringstack.journal;

import java.util.NavigableSet;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.BATCH_MAGIC;
import static io.ringstack.journal.JournalFormat.BATCH_MAGIC_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;

/**
 * Finds the document (batch) of a journal where a record or a time lies, by binary search over Chronicle's document
 * indexes: each probe moves a tailer to an index and reads that one document, so a search over n documents reads
 * about log2(n) of them rather than every one before the place. Records' sequence numbers and the engine's clock
 * only go up through a journal, which is what makes both searches sound. The documents are numbered 0 to n - 1
 * across Chronicle's roll cycles (a journal spans two when it crosses midnight UTC).
 * <p>
 * A probe looks only at what it needs (the batch magic, record lengths, the first record's sequence or timestamp);
 * the read that follows checks every record it takes as a read from the start would. A document a probe cannot
 * make sense of ends the search at the journal's start, where that read will meet it and say what is wrong.
 */
final class JournalSeek implements AutoCloseable
{
    /**
     * What the search looks for: the last document whose key is at most {@code value}.
     *
     * @param time  whether the key is a document's first timestamp (else its first record's sequence).
     * @param value the record sequence, or the engine clock minus one nanosecond: a read must begin before the
     *              first record at the time itself.
     */
    record Key(boolean time, long value)
    {
    }

    private static final long NO_KEY = Long.MAX_VALUE;
    private static final long UNREADABLE = Long.MIN_VALUE;

    private final TailerBatches documents;
    private final RollCycle rollCycle;
    private final int[] cycles;
    private final long[] firstOrdinals;
    private final long count;
    private final JournalRecord record = new JournalRecord();

    JournalSeek(final SingleChronicleQueue queue)
    {
        documents = new TailerBatches(queue, JournalPosition.FIRST_INDEX);
        rollCycle = queue.rollCycle();
        int[] cycleNumbers = new int[0];
        long[] ordinals = new long[0];
        long total = 0;
        try (ExcerptTailer counter = queue.createTailer())
        {
            final NavigableSet<Long> cycleSet = queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle());
            cycleNumbers = new int[cycleSet.size()];
            ordinals = new long[cycleSet.size()];
            int i = 0;
            for (final long cycle : cycleSet)
            {
                cycleNumbers[i] = (int)cycle;
                ordinals[i++] = total;
                total += counter.excerptsInCycle((int)cycle);
            }
        }
        catch (final Exception | InternalError ex)
        {
            // A queue Chronicle cannot list: no search, the read from the start will say what is wrong.
            total = 0;
        }
        cycles = cycleNumbers;
        firstOrdinals = ordinals;
        count = total;
    }

    /**
     * A search for the document that holds record {@code sequence}.
     */
    static Key ofRecord(final long sequence)
    {
        return new Key(false, sequence);
    }

    /**
     * A search for the last document that begins before engine time {@code engineNs}.
     */
    static Key ofTime(final long engineNs)
    {
        return new Key(true, engineNs - 1);
    }

    /**
     * @return where a read should begin to meet the first record at or after the key; {@link JournalPosition#START}
     * when that is the first document, or when a probe met a document it cannot read.
     */
    JournalPosition find(final Key key)
    {
        long low = 0;
        long high = count - 1;
        long foundSequence = 0;
        long foundIndex = 0;
        long found = -1;
        while (low <= high)
        {
            final long middle = (low + high) >>> 1;
            final long probe = probe(middle, key.time());
            if (probe == UNREADABLE)
            {
                return JournalPosition.START;
            }
            if (probe != NO_KEY && probe <= key.value())
            {
                found = middle;
                foundIndex = documents.lastReadIndex();
                foundSequence = record.wrap(documents.batch(), BATCH_HEADER_LENGTH).sequence();
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found <= 0 ? JournalPosition.START : new JournalPosition(foundIndex, foundSequence);
    }

    /**
     * @return documents the probes read.
     */
    long documentsRead()
    {
        return documents.documentsRead();
    }

    public void close()
    {
        documents.close();
    }

    /**
     * Read document {@code ordinal} (for a time, the first document from it on that has a timestamp).
     *
     * @return its key: the first record's sequence or the first timestamp; {@link #NO_KEY} when no document from it
     * on has a timestamp; {@link #UNREADABLE} when the document is not a batch of whole records.
     */
    private long probe(final long ordinal, final boolean time)
    {
        final boolean there = documents.moveTo(index(ordinal));
        while (there && documents.next())
        {
            final UnsafeBuffer batch = documents.batch();
            if (batch.capacity() < BATCH_HEADER_LENGTH + RECORD_HEADER_LENGTH ||
                batch.getInt(BATCH_MAGIC_OFFSET, BYTE_ORDER) != BATCH_MAGIC)
            {
                return UNREADABLE;
            }
            if (!time)
            {
                return record.wrap(batch, BATCH_HEADER_LENGTH).sequence();
            }
            for (int position = BATCH_HEADER_LENGTH; position < batch.capacity(); position += record.length())
            {
                final int length = batch.getInt(position + RECORD_LENGTH_OFFSET, BYTE_ORDER);
                if (length < RECORD_HEADER_LENGTH || length > batch.capacity() - position)
                {
                    return UNREADABLE;
                }
                if (record.wrap(batch, position).hasTimestamp())
                {
                    return record.bodyLength() < JournalFormat.minimumBodyLength(record.type()) ? UNREADABLE :
                        record.timestampNs();
                }
            }
        }
        return !there || documents.failure() != null ? UNREADABLE : NO_KEY;
    }

    private long index(final long ordinal)
    {
        int cycle = cycles.length - 1;
        while (firstOrdinals[cycle] > ordinal)
        {
            cycle--;
        }
        return rollCycle.toIndex(cycles[cycle], ordinal - firstOrdinals[cycle]);
    }
}
