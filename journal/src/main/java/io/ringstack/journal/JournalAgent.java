package io.ringstack.journal;

import net.openhft.chronicle.bytes.BytesStore;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.END_LENGTH;
import static io.ringstack.journal.JournalFormat.END_LOST_OFFSET;
import static io.ringstack.journal.JournalFormat.END_RECORDS_OFFSET;

/**
 * Moves the tap's records from the {@link TapLog} into Chronicle Queue: every duty cycle takes the records the log
 * holds and writes them in runs, each run one batch: sealed with one CRC, in place, and written as one document with
 * one bulk copy (a run ends at a full batch or at the end of the log). On close it drains the log to the end and
 * writes the {@link JournalFormat#END} record. Runs on its own thread ({@link org.agrona.concurrent.AgentRunner}) or
 * embedded, on the engine's thread between duty cycles. It never throws: the first failure (e.g. a full disk) is
 * kept, {@link #hasFailed()} turns true, and from then on the tap counts records lost rather than waiting for an
 * agent that will not drain.
 */
public final class JournalAgent implements Agent
{
    /** Most batches one duty cycle writes, so that a closing runner is heard between them. */
    private static final int BATCHES_PER_CYCLE = 16;

    private final String roleName;
    private final TapLog log;
    private final BytesStore<?, ?> logBytes;
    private final RecordChecksum checksum;
    private final JournalWriter writer;
    private final int batchCapacity;
    private final AtomicLong lostRecords;
    private final UnsafeBuffer endBody = new UnsafeBuffer(new byte[END_LENGTH]);
    private volatile Throwable failure;

    JournalAgent(final String roleName, final TapLog log, final JournalWriter writer, final AtomicLong lostRecords)
    {
        this.roleName = roleName;
        this.log = log;
        this.logBytes = BytesStore.wrap(log.memory());
        this.checksum = new RecordChecksum(log.memory());
        this.writer = writer;
        this.batchCapacity = writer.batchRecordCapacity();
        this.lostRecords = lostRecords;
    }

    public String roleName()
    {
        return roleName;
    }

    public int doWork()
    {
        if (failure != null)
        {
            return 0;
        }
        try
        {
            return drain(BATCHES_PER_CYCLE);
        }
        catch (final Throwable ex)
        {
            fail(ex);
            return 0;
        }
    }

    /**
     * Seal and write what the log holds, at most {@code batchLimit} batches.
     *
     * @return records written.
     */
    private int drain(final int batchLimit)
    {
        final TapLog log = this.log;
        final long tail = log.tailVolatile();
        long head = log.head();
        int written = 0;
        for (int batches = 0; head < tail && batches < batchLimit; )
        {
            final int start = log.recordIndex(head);
            if (start < 0)
            {
                head = log.nextLap(head);
                log.headOrdered(head);
                continue;
            }
            // The session header is a batch of its own, so that damage to a later batch never hides it.
            final int available = head == 0 ?
                log.recordLength(start) : (int)Math.min(tail - head, log.capacity() - start);
            int length = 0;
            int records = 0;
            while (length < available)
            {
                final int index = start + length;
                if (log.capacity() - index < JournalFormat.RECORD_HEADER_LENGTH)
                {
                    break;
                }
                final int recordLength = log.recordLength(index);
                if (recordLength == TapLog.PADDING || length + recordLength > batchCapacity)
                {
                    break;
                }
                length += recordLength;
                records++;
            }
            checksum.seal(start, length);
            writer.writeBatch(logBytes, start, length, records);
            head += length;
            log.headOrdered(head);
            written += records;
            batches++;
        }
        return written;
    }

    /**
     * Drain the log, write the END record and release the appender. The engine and the tap must have stopped.
     */
    public void onClose()
    {
        try
        {
            if (failure == null)
            {
                drain(Integer.MAX_VALUE);
                endBody.putLong(END_RECORDS_OFFSET, writer.recordCount(), BYTE_ORDER);
                endBody.putLong(END_LOST_OFFSET, lostRecords.get(), BYTE_ORDER);
                writer.append(JournalFormat.END, endBody, 0, END_LENGTH);
                writer.flush();
            }
        }
        catch (final Throwable ex)
        {
            fail(ex);
        }
        finally
        {
            writer.close();
        }
    }

    /**
     * Keep the first failure; from then on the agent does nothing and the tap stops waiting for it.
     */
    void fail(final Throwable error)
    {
        if (failure == null)
        {
            failure = error;
        }
    }

    public boolean hasFailed()
    {
        return failure != null;
    }

    /**
     * @return the failure that stopped the agent, or {@code null}.
     */
    public Throwable failure()
    {
        return failure;
    }
}
