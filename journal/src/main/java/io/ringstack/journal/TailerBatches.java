package io.ringstack.journal;

import java.nio.ByteBuffer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A journal's Chronicle documents read one at a time, on the caller's thread, when {@link #next()} asks: a read that
 * stops after a few records reads no document it does not use, and one that reaches the end of a journal still
 * being written finds the documents written since when it asks again. Each document is copied into memory this
 * source owns, grown only for a document larger than any before, and checked there by the read's
 * {@link RecordChecks}; a seek's source checks nothing, and reads what it needs of a batch itself.
 */
final class TailerBatches implements BatchSource
{
    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final ExcerptTailer tailer;
    private final RecordChecks checks;
    private final UnsafeBuffer mapped = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer batch = new UnsafeBuffer(0, 0);
    private ByteBuffer memory = BufferUtil.allocateDirectAligned(INITIAL_CAPACITY, 64);
    private long documents;
    private String failure;
    private int intactRecords;
    private String problem;

    /**
     * Read {@code queue} from the document at {@code index}, or from its first with
     * {@link JournalPosition#FIRST_INDEX}, checking nothing: {@link #intactRecords()} is 0.
     */
    TailerBatches(final SingleChronicleQueue queue, final long index)
    {
        this(queue, index, null);
    }

    /**
     * Read {@code queue} from the document at {@code index}, or from its first with
     * {@link JournalPosition#FIRST_INDEX}, each document checked by {@code checks}.
     */
    TailerBatches(final SingleChronicleQueue queue, final long index, final RecordChecks checks)
    {
        this.checks = checks;
        ExcerptTailer created = null;
        try
        {
            created = queue.createTailer();
        }
        catch (final Exception | InternalError ex)
        {
            failure = QueueFiles.describe(ex);
        }
        tailer = created;
        if (tailer != null && index != JournalPosition.FIRST_INDEX && !moveTo(index) && failure == null)
        {
            failure = "no document at index " + Long.toHexString(index);
        }
    }

    /**
     * Move to the document at Chronicle index {@code index}: the next {@link #next()} reads it.
     *
     * @return whether Chronicle has a document there.
     */
    boolean moveTo(final long index)
    {
        try
        {
            return failure == null && tailer.moveToIndex(index);
        }
        catch (final Exception | InternalError ex)
        {
            failure = QueueFiles.describe(ex);
            return false;
        }
    }

    /**
     * @return the Chronicle index of the document {@link #next()} read last.
     */
    long lastReadIndex()
    {
        return tailer.lastReadIndex();
    }

    public boolean next()
    {
        if (failure != null)
        {
            return false;
        }
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = context.wire().bytes();
            final int length = (int)bytes.readRemaining();
            if (length > memory.capacity())
            {
                memory = BufferUtil.allocateDirectAligned(Integer.highestOneBit(length) * 2, 64);
            }
            mapped.wrap(bytes.addressForRead(bytes.readPosition()), length);
            batch.wrap(memory, 0, length);
            batch.putBytes(0, mapped, 0, length);
            documents++;
            if (checks != null)
            {
                intactRecords = checks.check(batch, memory, 0);
                problem = checks.problem();
            }
            return true;
        }
        catch (final Exception | InternalError ex)
        {
            failure = QueueFiles.describe(ex);
            return false;
        }
    }

    public UnsafeBuffer batch()
    {
        return batch;
    }

    public int intactRecords()
    {
        return intactRecords;
    }

    public String problem()
    {
        return problem;
    }

    public String failure()
    {
        return failure;
    }

    public long documentsRead()
    {
        return documents;
    }

    public void close()
    {
        if (tailer != null)
        {
            tailer.close();
        }
    }
}
