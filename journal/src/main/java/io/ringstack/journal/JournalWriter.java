package io.ringstack.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.BATCH_MAGIC;
import static io.ringstack.journal.JournalFormat.BATCH_MAGIC_OFFSET;
import static io.ringstack.journal.JournalFormat.BATCH_VERSION_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;

/**
 * Writes {@link JournalFormat} batches to Chronicle Queue, one document each, in two ways:
 * <ul>
 *   <li>{@link #writeBatch}: records already whole and sealed in other memory (the {@link TapLog}), written with
 *       the batch header in one bulk copy: the journal's hot path.</li>
 *   <li>{@link #append}: record bodies made into records (length, sequence, type) in a staging batch that
 *       {@link #flush()} seals with its CRC-32C and writes: for the few records the agent makes itself and for
 *       tools that copy journals.</li>
 * </ul>
 * Sequence numbers go on from one way to the other; the first record's is 0. One thread only, the one that first
 * writes: Chronicle's objects are made there, as Chronicle checks.
 */
final class JournalWriter implements AutoCloseable
{
    private final ChronicleQueue queue;
    private final ByteBuffer stagingMemory;
    private final UnsafeBuffer staging;
    private final RecordChecksum checksum;
    private final PagePopulator pages = new PagePopulator();
    private final UnsafeBuffer batchHeader = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BATCH_HEADER_LENGTH, 8));
    private final BytesStore<?, ByteBuffer> batchHeaderBytes = BytesStore.wrap(batchHeader.byteBuffer());
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
        checksum = new RecordChecksum(stagingMemory);
        putBatchHeader(batchHeader);
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
            putBatchHeader(staging);
            stagedLength = BATCH_HEADER_LENGTH;
        }
        final int record = stagedLength;
        final int recordLength = RECORD_HEADER_LENGTH + bodyLength;
        final long sequence = nextSequence++;
        JournalFormat.putRecordHeader(staging, record, recordLength, sequence, type);
        staging.putBytes(record + RECORD_HEADER_LENGTH, body, offset, bodyLength);
        stagedLength += recordLength;
        return sequence;
    }

    /**
     * Write {@code records} whole records, {@code length} bytes at {@code offset} in {@code memory} and sealed
     * together ({@link RecordChecksum}), as one batch; the caller has made sure they fit one
     * ({@link #batchRecordCapacity()}) and that nothing is staged. Their sequence numbers must be the next ones.
     */
    void writeBatch(final BytesStore<?, ?> memory, final int offset, final int length, final int records)
    {
        final ExcerptAppender appender = appender();
        try (DocumentContext document = appender.writingDocument())
        {
            final Bytes<?> bytes = document.wire().bytes();
            bytes.write(batchHeaderBytes, 0L, (long)BATCH_HEADER_LENGTH);
            bytes.write(memory, (long)offset, (long)length);
            pages.ahead(bytes);
        }
        nextSequence += records;
    }

    /**
     * @return the most bytes of records one batch holds.
     */
    int batchRecordCapacity()
    {
        return staging.capacity() - BATCH_HEADER_LENGTH;
    }

    /**
     * @return how many records have been written or appended, flushed or not.
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
            final ExcerptAppender appender = appender();
            if (stagingBytes == null)
            {
                stagingBytes = Bytes.wrapForRead(stagingMemory);
            }
            checksum.seal(BATCH_HEADER_LENGTH, stagedLength - BATCH_HEADER_LENGTH);
            stagingBytes.readPositionRemaining(0, stagedLength);
            appender.writeBytes(stagingBytes);
            stagedLength = 0;
        }
    }

    private ExcerptAppender appender()
    {
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        return appender;
    }

    private static void putBatchHeader(final UnsafeBuffer buffer)
    {
        buffer.putInt(BATCH_MAGIC_OFFSET, BATCH_MAGIC, BYTE_ORDER);
        buffer.putShort(BATCH_VERSION_OFFSET, (short)JournalFormat.VERSION, BYTE_ORDER);
        buffer.putShort(BATCH_VERSION_OFFSET + 2, (short)0, BYTE_ORDER);
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
