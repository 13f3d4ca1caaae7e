package io.ringstack.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * Reads a journal directory, read-only, checking every record as it goes: batch magic and version, the batch's
 * CRC-32C (in a version 2 batch, each record's), record length within its batch, contiguous sequence numbers from 0,
 * known type, a SESSION record first and nothing after END, fields within their ranges ({@link RecordFieldCheck}).
 * A read stops at the first problem and says what it was ({@link ReadResult}). Batches are read from Chronicle ahead
 * of the checks, on a thread of their own ({@link BatchReadAhead}), or one at a time when a read stops soon or
 * follows a journal still being written ({@link TailerBatches}), and copied out of Chronicle's mapped memory before
 * they are checked, so a record handed on stays as it was checked. A read may begin at the record or time a seek
 * finds ({@link JournalSeek}: a binary search over the journal's documents), with sequence numbers checked from
 * there on.
 */
public final class JournalReader implements AutoCloseable
{
    private static final int PROGRESS_INTERVAL_BATCHES = 64;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final JournalRecord record = new JournalRecord();
    private final CRC32C crc = new CRC32C();
    private UnsafeBuffer batch;
    private ByteBuffer checksumView;
    private int checksumBase;
    private int batchVersion;
    private int refusedVersion;
    private SessionHeader header;
    private ProgressListener progress = ProgressListener.NONE;
    private long documentsRead;

    private JournalReader(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
    }

    /**
     * Open a journal and read its session header.
     *
     * @throws JournalException with a one-line message when the directory is missing, not a ringstack journal, or a
     * journal of another format version.
     */
    public static JournalReader open(final Path directory)
    {
        final JournalReader reader = new JournalReader(directory, QueueFiles.openReadOnly(directory));
        try
        {
            reader.readHeader();
            return reader;
        }
        catch (final RuntimeException ex)
        {
            reader.close();
            throw ex;
        }
    }

    public Path directory()
    {
        return directory;
    }

    public SessionHeader header()
    {
        return header;
    }

    public JournalReader progress(final ProgressListener progress)
    {
        this.progress = progress;
        return this;
    }

    /**
     * Read the journal from its first record, passing each intact record to {@code handler}; documents are read
     * ahead on a thread of their own.
     */
    public ReadResult read(final RecordHandler handler)
    {
        return read(handler, JournalPosition.START, true);
    }

    /**
     * Read the journal from {@code from} on, passing each intact record to {@code handler}.
     *
     * @param from      where to begin: {@link JournalPosition#START} or what a seek found.
     * @param readAhead read documents ahead on a thread of their own, for a read of much of the journal; else one
     *                  document when the handler needs it, so that a read that stops soon reads no more.
     */
    public ReadResult read(final RecordHandler handler, final JournalPosition from, final boolean readAhead)
    {
        return read(handler, from, readAhead, null);
    }

    /**
     * Read the journal from {@code from} on, one document when the handler needs it, and at its end wait for more as
     * {@code follow} says until the journal is closed (its END record), the deadline passes or the read is stopped.
     */
    public ReadResult follow(final RecordHandler handler, final JournalPosition from, final Follow follow)
    {
        follow.start();
        return read(handler, from, false, follow);
    }

    private ReadResult read(
        final RecordHandler handler, final JournalPosition from, final boolean readAhead, final Follow follow)
    {
        final long totalBatches;
        try
        {
            totalBatches = queue.entryCount();
        }
        catch (final Exception | InternalError ex)
        {
            return new ReadResult(0, 0, -1, false, 0, false, "cannot read its queue: " + QueueFiles.describe(ex));
        }
        final BatchSource source = readAhead ? new BatchReadAhead(queue, from.index()) :
            new TailerBatches(queue, from.index());
        try
        {
            return read(handler, source, from.firstSequence(), totalBatches, follow);
        }
        finally
        {
            source.close();
            documentsRead += source.documentsRead();
        }
    }

    /**
     * @return the position of the document that holds record {@code sequence}, found by a binary search over the
     * journal's documents that reads about log2(documents) of them; {@link JournalPosition#START} for record 0.
     */
    public JournalPosition seekRecord(final long sequence)
    {
        return seek(JournalSeek.ofRecord(sequence));
    }

    /**
     * @return the position of the last document that begins before {@code sinceOriginNs} (since the session's clock
     * origin), from which a read meets every record at or after that time; found by a binary search over the
     * journal's documents that reads about log2(documents) of them.
     */
    public JournalPosition seekTime(final long sinceOriginNs)
    {
        return seek(JournalSeek.ofTime(header.clockOriginNs() + sinceOriginNs));
    }

    /**
     * @return Chronicle documents read so far by this reader: reading its header, seeks, and every read (those read
     * ahead and not used included).
     */
    public long documentsRead()
    {
        return documentsRead;
    }

    private JournalPosition seek(final JournalSeek.Key key)
    {
        final JournalSeek seek = new JournalSeek(queue);
        try
        {
            return seek.find(key);
        }
        finally
        {
            seek.close();
            documentsRead += seek.documentsRead();
        }
    }

    public void close()
    {
        queue.close();
    }

    private ReadResult read(
        final RecordHandler handler, final BatchSource source, final long firstSequence, final long totalBatches,
        final Follow follow)
    {
        long records = 0;
        long sequence = firstSequence;
        long batches = 0;
        long lost = 0;
        boolean closed = false;
        boolean stopped = false;
        String problem = null;
        // While the session header itself is being read there is nothing yet to check fields against.
        final RecordFieldCheck fields = header == null ? null : new RecordFieldCheck(header);
        while (problem == null && !stopped)
        {
            if (!source.next())
            {
                if (source.failure() == null && !closed && follow != null && follow.awaitMore())
                {
                    continue;
                }
                problem = source.failure() == null ? null :
                    "cannot read batch " + (batches + 1) + ": " + source.failure();
                break;
            }
            batch = source.batch();
            checksumView = source.batchMemory();
            checksumBase = source.batchOffset();
            batches++;
            problem = checkBatch(batches, sequence);
            int position = BATCH_HEADER_LENGTH;
            while (problem == null && !stopped && position < batch.capacity())
            {
                problem = checkRecord(position, sequence, closed);
                if (problem == null && fields != null)
                {
                    problem = fields.check(record);
                }
                if (problem == null)
                {
                    position += record.length();
                    records++;
                    sequence++;
                    if (record.type() == JournalFormat.LOSS)
                    {
                        lost += record.lostCount();
                    }
                    else if (record.type() == JournalFormat.END)
                    {
                        closed = true;
                        lost = Math.max(lost, record.endLostCount());
                    }
                    stopped = !handler.onRecord(record);
                }
            }
            if (batches % PROGRESS_INTERVAL_BATCHES == 0)
            {
                progress.onProgress(batches, totalBatches, records);
            }
        }
        progress.onProgress(batches, Math.max(batches, totalBatches), records);
        return new ReadResult(records, batches, sequence - 1, closed, lost, stopped, problem);
    }

    private void readHeader()
    {
        final SessionHeader[] found = new SessionHeader[1];
        final ReadResult result;
        try
        {
            result = read((first) ->
            {
                found[0] = SessionHeader.decode(first.buffer(), first.bodyOffset(), first.bodyLength());
                return false;
            }, JournalPosition.START, false);
        }
        catch (final JournalException ex)
        {
            throw new JournalException(directory + ": " + ex.getMessage(), ex);
        }
        if (found[0] == null && refusedVersion != 0)
        {
            throw new JournalException(directory + ": " + JournalFormat.unsupportedVersion(refusedVersion));
        }
        if (found[0] == null)
        {
            throw new JournalException("not a ringstack journal: " + directory +
                (result.problem() != null ? " (" + result.problem() + ")" : " (no records)"));
        }
        header = found[0];
    }

    /**
     * @return the problem with the batch's header or, from version 3 on, with its CRC, or {@code null}.
     */
    private String checkBatch(final long batchNumber, final long sequence)
    {
        if (batch.capacity() < BATCH_HEADER_LENGTH || batch.getInt(BATCH_MAGIC_OFFSET, BYTE_ORDER) != BATCH_MAGIC)
        {
            return batchNumber == 1 ? "its queue holds no ringstack batches" : "batch " + batchNumber +
                " has no ringstack batch header";
        }
        final int version = batch.getShort(BATCH_VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (!JournalFormat.isReadable(version))
        {
            refusedVersion = version;
            return "batch " + batchNumber + ": " + JournalFormat.unsupportedVersion(version);
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
     * Check the record at {@code position}, expected to have sequence {@code sequence}, and when its length fits its
     * batch point {@link #record} at it.
     *
     * @return the problem with the record, or {@code null} when it is intact.
     */
    private String checkRecord(final int position, final long sequence, final boolean closed)
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
