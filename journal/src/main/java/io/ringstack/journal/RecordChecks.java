package io.ringstack.journal;

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

/**
 * The checks of one read of a journal, made batch by batch in the order of the journal: batch magic and version, the
 * batch's CRC-32C (in a version 2 batch, each record's), record length within its batch, contiguous sequence numbers
 * from the first the read expects, known type, a SESSION record first and nothing after END, and, once the session
 * header is known, the fields' ranges ({@link RecordFieldCheck}). A batch copied out of Chronicle is checked here,
 * on the thread that uses its records or on the read-ahead thread that copied it ({@link BatchReadAhead}), and its
 * source hands on how many of its records are intact and what is wrong with the next. One thread at a time;
 * allocates only to describe a problem.
 */
final class RecordChecks
{
    private final JournalRecord record = new JournalRecord();
    private final CRC32C crc = new CRC32C();
    private final RecordFieldCheck fields;
    private ByteBuffer checksumView;
    private int checksumBase;
    private UnsafeBuffer batch;
    private long batches;
    private long sequence;
    private int batchVersion;
    private int refusedVersion;
    private boolean closed;
    private String problem;

    /**
     * @param firstSequence the sequence number of the first record the read meets.
     * @param header        the journal's session header, or {@code null} while it is being read: nothing yet to check
     *                      fields against.
     */
    RecordChecks(final long firstSequence, final SessionHeader header)
    {
        sequence = firstSequence;
        fields = header == null ? null : new RecordFieldCheck(header);
    }

    /**
     * Check the next batch of the read: {@code batch}, which begins at {@code base} in {@code memory} (for the CRC,
     * over a {@link ByteBuffer}, whose position and limit this sets).
     *
     * @return how many of its records, from its first, are intact; when fewer than it holds, or when its header is
     * wrong, {@link #problem()} says what is wrong with the next.
     */
    int check(final UnsafeBuffer batch, final ByteBuffer memory, final int base)
    {
        this.batch = batch;
        checksumView = memory;
        checksumBase = base;
        batches++;
        problem = checkBatch();
        int intact = 0;
        int position = BATCH_HEADER_LENGTH;
        while (problem == null && position < batch.capacity())
        {
            problem = checkRecord(position);
            if (problem == null && fields != null)
            {
                problem = fields.check(record);
            }
            if (problem == null)
            {
                position += record.length();
                intact++;
                sequence++;
                closed |= record.type() == JournalFormat.END;
            }
        }
        return intact;
    }

    /**
     * @return what is wrong with the record after the intact ones of the last batch checked, or with that batch's
     * header; {@code null} when the whole batch is intact.
     */
    String problem()
    {
        return problem;
    }

    /**
     * @return the format version of a batch refused as unreadable, or 0.
     */
    int refusedVersion()
    {
        return refusedVersion;
    }

    /**
     * @return the problem with the batch's header or, from version 3 on, with its CRC, or {@code null}.
     */
    private String checkBatch()
    {
        if (batch.capacity() < BATCH_HEADER_LENGTH || batch.getInt(BATCH_MAGIC_OFFSET, BYTE_ORDER) != BATCH_MAGIC)
        {
            return batches == 1 ? "its queue holds no ringstack batches" : "batch " + batches +
                " has no ringstack batch header";
        }
        final int version = batch.getShort(BATCH_VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (!JournalFormat.isReadable(version))
        {
            refusedVersion = version;
            return "batch " + batches + ": " + JournalFormat.unsupportedVersion(version);
        }
        batchVersion = version;
        final int length = batch.capacity() - BATCH_HEADER_LENGTH;
        if (version == JournalFormat.OLDEST_READABLE_VERSION || length < RECORD_HEADER_LENGTH)
        {
            return null;
        }
        return isSealed(BATCH_HEADER_LENGTH, length) ? null : "record " + sequence + ": CRC mismatch";
    }

    /**
     * @return whether the CRC field at {@code position} holds the CRC of the {@code length} bytes of records there.
     */
    private boolean isSealed(final int position, final int length)
    {
        checksumView.limit(checksumBase + position + length).position(checksumBase + position + RECORD_CRC_START);
        crc.reset();
        crc.update(checksumView);
        return (int)crc.getValue() == batch.getInt(position + RECORD_CRC_OFFSET, BYTE_ORDER);
    }

    /**
     * Check the record at {@code position}, expected to have sequence {@link #sequence}, and when its length fits its
     * batch point {@link #record} at it.
     *
     * @return the problem with the record, or {@code null} when it is intact.
     */
    private String checkRecord(final int position)
    {
        final int remaining = batch.capacity() - position;
        if (remaining < RECORD_HEADER_LENGTH)
        {
            return "record " + sequence + ": batch ends inside its header";
        }
        final int length = batch.getInt(position + RECORD_LENGTH_OFFSET, BYTE_ORDER);
        if (length < RECORD_HEADER_LENGTH || length > remaining)
        {
            return "record " + sequence + ": length " + length + " does not fit its batch";
        }
        if (batchVersion == JournalFormat.OLDEST_READABLE_VERSION && !isSealed(position, length))
        {
            return "record " + sequence + ": CRC mismatch";
        }
        record.wrap(batch, position);
        final long found = record.sequence();
        if (found != sequence)
        {
            return "sequence gap: expected record " + sequence + ", found " + found;
        }
        final int type = record.type();
        final int bodyLength = length - RECORD_HEADER_LENGTH;
        final int minimum = JournalFormat.minimumBodyLength(type);
        if (minimum < 0)
        {
            return "record " + sequence + ": unknown type " + type;
        }
        if (bodyLength < minimum)
        {
            return "record " + sequence + ": " + JournalFormat.typeName(type) + " body of " + bodyLength +
                " bytes is too short";
        }
        if ((sequence == 0) != (type == JournalFormat.SESSION))
        {
            return "record " + sequence + ": " + (sequence == 0 ? "the first record is not a session header" :
                "a second session header");
        }
        if (closed)
        {
            return "record " + sequence + ": after the END record";
        }
        if (type == JournalFormat.IDLE && !IdleCycles.isWellFormed(batch, position + RECORD_HEADER_LENGTH, bodyLength))
        {
            return "record " + sequence + ": malformed IDLE run";
        }
        return null;
    }
}
