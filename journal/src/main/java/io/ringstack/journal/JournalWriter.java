package io.ringstack.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.BATCH_MAGIC;
import static io.ringstack.journal.JournalFormat.BATCH_MAGIC_OFFSET;
import static io.ringstack.journal.JournalFormat.BATCH_VERSION_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_START;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_TYPE_OFFSET;

/**
 * Turns record bodies into {@link JournalFormat} records (length, CRC-32C, sequence, type), builds them into a batch
 * off-heap and writes each batch to Chronicle Queue as one document on {@link #flush()}. Building the batch apart
 * costs a copy but keeps Chronicle to one call per batch, which measured faster than writing each record into the
 * document. One thread only, the one that first flushes: Chronicle's objects are made there, as Chronicle checks.
 * The sequence of the first record appended is 0.
 */
final class JournalWriter implements AutoCloseable
{
    private final ChronicleQueue queue;
    private final ByteBuffer stagingMemory;
    private final UnsafeBuffer staging;
    private final ByteBuffer checksumView;
    private final CRC32C crc = new CRC32C();
    private ExcerptAppender appender;
    private Bytes<ByteBuffer> stagingBytes;
    private int stagedLength;
    private long nextSequence;

    /**
     * @param batchCapacity most bytes of one document, batch header included.
     */
    JournalWriter(final ChronicleQueue queue, final int batchCapacity)
    {
        this.queue = queue;
        stagingMemory = BufferUtil.allocateDirectAligned(batchCapacity, 64);
        staging = new UnsafeBuffer(stagingMemory);
        checksumView = stagingMemory.duplicate();
    }

    /**
     * @return whether a record with this body fits in the batch being built.
     */
    boolean hasRoomFor(final int bodyLength)
    {
        final int used = stagedLength == 0 ? BATCH_HEADER_LENGTH : stagedLength;
        return (long)used + RECORD_HEADER_LENGTH + bodyLength <= staging.capacity();
    }

    /**
     * Add a record to the batch; the caller has checked {@link #hasRoomFor}.
     *
     * @return its sequence number.
     */
    long append(final int type, final DirectBuffer body, final int offset, final int bodyLength)
    {
        if (stagedLength == 0)
        {
            staging.putInt(BATCH_MAGIC_OFFSET, BATCH_MAGIC, BYTE_ORDER);
            staging.putShort(BATCH_VERSION_OFFSET, (short)JournalFormat.VERSION, BYTE_ORDER);
            staging.putShort(BATCH_VERSION_OFFSET + 2, (short)0, BYTE_ORDER);
            stagedLength = BATCH_HEADER_LENGTH;
        }
        final int record = stagedLength;
        final int recordLength = RECORD_HEADER_LENGTH + bodyLength;
        final long sequence = nextSequence++;
        staging.putInt(record + RECORD_LENGTH_OFFSET, recordLength, BYTE_ORDER);
        staging.putLong(record + RECORD_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        staging.putShort(record + RECORD_TYPE_OFFSET, (short)type, BYTE_ORDER);
        staging.putShort(record + RECORD_TYPE_OFFSET + 2, (short)0, BYTE_ORDER);
        staging.putBytes(record + RECORD_HEADER_LENGTH, body, offset, bodyLength);
        checksumView.limit(record + recordLength).position(record + RECORD_CRC_START);
        crc.reset();
        crc.update(checksumView);
        staging.putInt(record + RECORD_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
        stagedLength += recordLength;
        return sequence;
    }

    /**
     * @return how many records have been appended, flushed or not.
     */
    long recordCount()
    {
        return nextSequence;
    }

    /**
     * Write the batch as one Chronicle document.
     */
    void flush()
    {
        if (stagedLength > 0)
        {
            if (appender == null)
            {
                appender = queue.createAppender();
                stagingBytes = Bytes.wrapForRead(stagingMemory);
            }
            stagingBytes.readPositionRemaining(0, stagedLength);
            appender.writeBytes(stagingBytes);
            stagedLength = 0;
        }
    }

    /**
     * Release the appender; the queue is the caller's to close.
     */
    public void close()
    {
        CloseHelper.close(appender);
        appender = null;
    }
}
