package io.ringstack.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;

/**
 * Reads a journal directory, read-only, checking every record as it goes: batch magic and version, the batch's CRC-32C
 * (in a version 2 batch, each record's), record length within its batch, contiguous sequence numbers from 0, known
 * type, a SESSION record first and nothing after END, fields within their ranges ({@link RecordFieldCheck}). A read
 * stops at the first problem and says what it was ({@link ReadResult}). Batches are read from Chronicle ahead of their
 * use, on a thread of their own ({@link BatchReadAhead}), or one at a time when a read stops soon or follows a journal
 * still being written ({@link TailerBatches}), and copied out of Chronicle's mapped memory before they are checked
 * ({@link RecordChecks}: on the thread that uses them, or on the read-ahead thread, {@link #readCheckedAhead}), so a
 * record handed on stays as it was checked. A read may begin at the record or time a seek finds ({@link JournalSeek}: a
 * binary search over the journal's documents), with sequence numbers checked from there on.
 */
public final class JournalReader implements AutoCloseable
{
    private static final int PROGRESS_INTERVAL_BATCHES = 64;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final JournalRecord record = new JournalRecord();
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
        return read(handler, from, readAhead, false, null);
    }

    /**
     * Read the journal from {@code from} on, reading ahead, with each batch checked on the read-ahead thread as it is
     * copied rather than on the thread that uses its records: for a handler that does much with each record (a
     * dump's formatting), so that the checks share the other core with the copy. A handler that does little
     * (verify's, stats') is faster with the checks on its own thread, beside the copy.
     */
    public ReadResult readCheckedAhead(final RecordHandler handler, final JournalPosition from)
    {
        return read(handler, from, true, true, null);
    }

    /**
     * Read the journal from {@code from} on, one document when the handler needs it, and at its end wait for more as
     * {@code follow} says until the journal is closed (its END record), the deadline passes or the read is stopped.
     */
    public ReadResult follow(final RecordHandler handler, final JournalPosition from, final Follow follow)
    {
        follow.start();
        return read(handler, from, false, false, follow);
    }

    private ReadResult read(
        final RecordHandler handler, final JournalPosition from, final boolean readAhead, final boolean checkAhead,
        final Follow follow)
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
        // While the session header itself is being read there is nothing yet to check fields against.
        final RecordChecks checks = new RecordChecks(from.firstSequence(), header);
        final BatchSource source = readAhead ? new BatchReadAhead(queue, from.index(), checks, checkAhead) :
            new TailerBatches(queue, from.index(), checks);
        try
        {
            return read(handler, source, from.firstSequence(), totalBatches, follow);
        }
        finally
        {
            source.close();
            documentsRead += source.documentsRead();
            refusedVersion = Math.max(refusedVersion, checks.refusedVersion());
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
            final UnsafeBuffer batch = source.batch();
            batches++;
            int position = BATCH_HEADER_LENGTH;
            for (int i = 0, intact = source.intactRecords(); i < intact && !stopped; i++)
            {
                record.wrap(batch, position);
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
            if (!stopped)
            {
                problem = source.problem();
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
}
