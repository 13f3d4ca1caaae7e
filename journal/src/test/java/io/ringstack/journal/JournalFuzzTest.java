package io.ringstack.journal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.BATCH_VERSION_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_START;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_TYPE_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_VERSION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of the journal reader and what reads through it: a journal whose Chronicle documents hold any bytes
 * is opened, dumped as {@code ringstack journal dump} prints it, counted as {@code journal stats} counts it, and
 * exported to pcapng as {@code journal export} does.
 * <p>
 * The input's first byte says what to do with the rest; bit 0 makes every CRC-32C right again (a batch's, or in a
 * batch of version 2 each record's) and bit 1 numbers the records from 0, where the (possibly damaged) record lengths
 * still let the records be found, so that mutations reach the session header's decoder and every record's reader.
 * The rest is the documents, each a 16-bit little-endian length and that many bytes. Seeds: the documents of a real
 * journal of a short session, resealed, as written and as version 2 would have written them.
 * <p>
 * It proves, for every input: each command either does its work or refuses with the documented
 * {@link JournalException} and a one-line message; nothing else is thrown, and every read ends (each loop is bounded
 * by the documents' length), within the per-input timeout.
 */
class JournalFuzzTest
{
    static final int RESEAL_CRCS = 1;
    static final int RENUMBER = 1 << 1;
    private static final long MILLISECOND = 1_000_000L;

    @MethodSource("seeds")
    @FuzzTest
    @Timeout(60)
    void noJournalMakesAReaderThrowOrHang(final byte[] input)
    {
        final List<byte[]> batches = batches(input);
        final Path directory = FuzzFiles.temporaryDirectory("ringstack-fuzz-journal");
        try
        {
            final Path journal = directory.resolve("journal");
            FuzzFiles.writeBatches(journal, batches);
            try (JournalReader reader = JournalReader.open(journal))
            {
                JournalDump.write(reader, new RecordFilter(), new PrintWriter(Writer.nullWriter()));
                JournalStats.of(reader, MILLISECOND);
                JournalExport.write(reader, directory.resolve("export.pcapng"));
            }
            catch (final JournalException refusal)
            {
                FuzzFiles.assertClearRefusal(refusal);
            }
        }
        finally
        {
            FuzzFiles.delete(directory);
        }
    }

    @Test
    void theSeedsAreIntactClosedJournalsOfBothVersions()
    {
        seeds().forEach((arguments) ->
        {
            final byte[] seed = (byte[])arguments.get()[0];
            final Path directory = FuzzFiles.temporaryDirectory("ringstack-fuzz-journal");
            try
            {
                final Path journal = directory.resolve("journal");
                FuzzFiles.writeBatches(journal, batches(seed));
                try (JournalReader reader = JournalReader.open(journal))
                {
                    final ReadResult result = reader.read(record -> true);
                    assertTrue(result.intact() && result.closed() && result.records() > 10, result::toString);
                }
            }
            finally
            {
                FuzzFiles.delete(directory);
            }
        });
    }

    static Stream<Arguments> seeds()
    {
        return Stream.of(JournalFormat.VERSION, JournalFormat.OLDEST_READABLE_VERSION).map((version) ->
        {
            final ByteArrayOutputStream input = new ByteArrayOutputStream();
            input.write(RESEAL_CRCS | RENUMBER);
            for (final byte[] batch : FuzzFiles.sessionBatches())
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(batch);
                buffer.putShort(BATCH_VERSION_OFFSET, version.shortValue(), BYTE_ORDER);
                if (buffer.getShort(BATCH_HEADER_LENGTH + RECORD_TYPE_OFFSET, BYTE_ORDER) == JournalFormat.SESSION &&
                    buffer.getLong(BATCH_HEADER_LENGTH + RECORD_SEQUENCE_OFFSET, BYTE_ORDER) == 0)
                {
                    buffer.putShort(BATCH_HEADER_LENGTH + RECORD_HEADER_LENGTH + SESSION_VERSION_OFFSET,
                        version.shortValue(), BYTE_ORDER);
                }
                input.write(batch.length);
                input.write(batch.length >>> 8);
                input.writeBytes(batch);
            }
            return Arguments.of((Object)input.toByteArray());
        });
    }

    /**
     * The documents the input holds, resealed and renumbered as its first byte says.
     */
    private static List<byte[]> batches(final byte[] input)
    {
        final List<byte[]> batches = new ArrayList<>();
        final int control = input.length > 0 ? input[0] : 0;
        long sequence = 0;
        int position = 1;
        while (position + Short.BYTES <= input.length)
        {
            final int length = (input[position] & 0xFF) | (input[position + 1] & 0xFF) << 8;
            position += Short.BYTES;
            final byte[] batch = Arrays.copyOfRange(input, position, Math.min(input.length, position + length));
            position += batch.length;
            sequence = reseal(batch, control, sequence);
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Walk the records of {@code batch} by their length fields, renumbering them from {@code sequence} and
     * recomputing the batch's CRC (version 2: each record's) as {@code control} says.
     *
     * @return the sequence number of the next batch's first record.
     */
    private static long reseal(final byte[] batch, final int control, final long sequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(batch);
        final CRC32C crc = new CRC32C();
        final boolean crcPerRecord = batch.length >= BATCH_HEADER_LENGTH &&
            buffer.getShort(BATCH_VERSION_OFFSET, BYTE_ORDER) == JournalFormat.OLDEST_READABLE_VERSION;
        long next = sequence;
        int record = BATCH_HEADER_LENGTH;
        while (record + RECORD_HEADER_LENGTH <= batch.length)
        {
            final int length = buffer.getInt(record + RECORD_LENGTH_OFFSET, BYTE_ORDER);
            if (length < RECORD_HEADER_LENGTH || length > batch.length - record)
            {
                break;
            }
            if ((control & RENUMBER) != 0)
            {
                buffer.putLong(record + RECORD_SEQUENCE_OFFSET, next, BYTE_ORDER);
            }
            if ((control & RESEAL_CRCS) != 0 && crcPerRecord)
            {
                crc.reset();
                crc.update(batch, record + RECORD_CRC_START, length - RECORD_CRC_START);
                buffer.putInt(record + RECORD_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
            }
            next++;
            record += length;
        }
        if ((control & RESEAL_CRCS) != 0 && !crcPerRecord && batch.length >= BATCH_HEADER_LENGTH + RECORD_HEADER_LENGTH)
        {
            crc.reset();
            crc.update(batch, BATCH_HEADER_LENGTH + RECORD_CRC_START, batch.length - BATCH_HEADER_LENGTH -
                RECORD_CRC_START);
            buffer.putInt(BATCH_HEADER_LENGTH + RECORD_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
        }
        return next;
    }
}
