package io.ringstack.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.BATCH_VERSION_OFFSET;
import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_START;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.SESSION_VERSION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format version 3 seals each batch with one CRC-32C in its first record; journals of version 2, one CRC per record,
 * still read, verify and replay.
 */
class JournalFormatVersionTest
{
    private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int FRAMES = 300;
    /** Records per batch of the version 2 copy. */
    private static final int VERSION_2_BATCH = 50;

    @TempDir
    Path directory;

    @Test
    void aBatchCarriesOneCrcOfAllItsRecordsInItsFirstRecordAndZeroInTheOthers()
    {
        final Path journal = record(directory.resolve("v3"));
        final List<byte[]> written = FuzzFiles.readBatches(journal);
        final UnsafeBuffer first = new UnsafeBuffer(written.get(0));
        assertEquals(JournalFormat.SESSION, first.getShort(BATCH_HEADER_LENGTH + JournalFormat.RECORD_TYPE_OFFSET,
            BYTE_ORDER));
        assertEquals(first.capacity(), BATCH_HEADER_LENGTH + first.getInt(BATCH_HEADER_LENGTH + RECORD_LENGTH_OFFSET,
            BYTE_ORDER), "the session header is a batch of its own");
        int batches = 0;
        int sharedBatches = 0;
        for (final byte[] batch : written)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(batch);
            assertEquals(3, buffer.getShort(BATCH_VERSION_OFFSET, BYTE_ORDER));
            final CRC32C crc = new CRC32C();
            crc.update(batch, BATCH_HEADER_LENGTH + RECORD_CRC_START, batch.length - BATCH_HEADER_LENGTH -
                RECORD_CRC_START);
            assertEquals((int)crc.getValue(), buffer.getInt(BATCH_HEADER_LENGTH + RECORD_CRC_OFFSET, BYTE_ORDER));
            int records = 1;
            for (int record = BATCH_HEADER_LENGTH + buffer.getInt(BATCH_HEADER_LENGTH + RECORD_LENGTH_OFFSET,
                BYTE_ORDER); record < batch.length; record += buffer.getInt(record + RECORD_LENGTH_OFFSET, BYTE_ORDER))
            {
                assertEquals(0, buffer.getInt(record + RECORD_CRC_OFFSET, BYTE_ORDER), "record " + records);
                records++;
            }
            batches++;
            sharedBatches += records > 1 ? 1 : 0;
        }
        assertTrue(sharedBatches > 0, "batches of more than one record: " + sharedBatches + " of " + batches);
    }

    @Test
    void aVersion2JournalWithACrcInEveryRecordReadsVerifiesAndReplays()
    {
        final Path original = record(directory.resolve("v3"));
        final Path journal = asVersion2(original, directory.resolve("v2"));

        final ReadResult result = readAll(journal);
        assertTrue(result.intact() && result.closed(), result::toString);
        assertEquals(readAll(original).records(), result.records());
        assertTrue(result.batches() > 1, result::toString);
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertEquals(2, reader.header().formatVersion());
        }
        final ReplayReport report = Replayer.replay(journal, null);
        assertTrue(report.identical(), report::summary);
        assertEquals(1 + FRAMES, report.deviceFrames());
    }

    @Test
    void aFlippedByteInAVersion2JournalIsFoundByItsOwnRecordsCrc()
    {
        final Path journal = asVersion2(record(directory.resolve("v3")), directory.resolve("v2"));
        final List<byte[]> batches = FuzzFiles.readBatches(journal);
        final byte[] second = batches.get(1);
        final int secondRecord = BATCH_HEADER_LENGTH + new UnsafeBuffer(second).getInt(
            BATCH_HEADER_LENGTH + RECORD_LENGTH_OFFSET, BYTE_ORDER);
        second[secondRecord + RECORD_HEADER_LENGTH] ^= 1;
        final Path corrupt = directory.resolve("corrupt");
        FuzzFiles.writeBatches(corrupt, batches);

        final ReadResult result = readAll(corrupt);
        assertFalse(result.intact());
        assertEquals("record " + (VERSION_2_BATCH + 1) + ": CRC mismatch", result.problem());
        assertEquals(VERSION_2_BATCH + 1, result.records(), "every record before it is handed on");
    }

    @Test
    void aFlippedByteIsFoundByItsBatchsCrcAndTheRecordsOfEarlierBatchesAreHandedOn()
    {
        final List<byte[]> batches = FuzzFiles.readBatches(record(directory.resolve("v3")));
        final byte[] second = batches.get(1);
        second[second.length - 1] ^= 1;
        final Path corrupt = directory.resolve("corrupt");
        FuzzFiles.writeBatches(corrupt, batches);

        final ReadResult result = readAll(corrupt);
        assertFalse(result.intact());
        assertEquals("record 1: CRC mismatch", result.problem(), "named by the batch's first record");
        assertEquals(1, result.records(), "the session header, a batch of its own, is handed on");
    }

    /**
     * A journal of an ARP request and {@value #FRAMES} datagrams to a closed port, each answered.
     */
    private static Path record(final Path journal)
    {
        try (JournaledEngine engine = JournaledEngine.start(journal, (context) -> context))
        {
            engine.fromPeer(PeerFrames.arpRequest());
            engine.cycle(MILLISECOND);
            for (int i = 0; i < FRAMES; i++)
            {
                engine.fromPeer(PeerFrames.udp(40000, 9, 100 + i));
                if (i % 16 == 15)
                {
                    engine.cycle(MILLISECOND);
                }
            }
            engine.cycle(MILLISECOND);
        }
        return journal;
    }

    /**
     * The records of {@code journal} written as version 2 wrote them, {@value #VERSION_2_BATCH} to a batch.
     */
    private static Path asVersion2(final Path journal, final Path copy)
    {
        final List<byte[]> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.read((record) ->
            {
                final byte[] bytes = new byte[record.length()];
                record.buffer().getBytes(record.offset(), bytes);
                if (record.type() == JournalFormat.SESSION)
                {
                    new UnsafeBuffer(bytes).putShort(RECORD_HEADER_LENGTH + SESSION_VERSION_OFFSET, (short)2,
                        BYTE_ORDER);
                }
                records.add(bytes);
                return true;
            });
        }
        final List<byte[]> batches = new ArrayList<>();
        for (int first = 0; first < records.size(); first += VERSION_2_BATCH)
        {
            final List<byte[]> members = records.subList(first, Math.min(records.size(), first + VERSION_2_BATCH));
            final byte[] batch = new byte[BATCH_HEADER_LENGTH + members.stream().mapToInt((r) -> r.length).sum()];
            final UnsafeBuffer buffer = new UnsafeBuffer(batch);
            buffer.putInt(JournalFormat.BATCH_MAGIC_OFFSET, JournalFormat.BATCH_MAGIC, BYTE_ORDER);
            buffer.putShort(BATCH_VERSION_OFFSET, (short)2, BYTE_ORDER);
            int position = BATCH_HEADER_LENGTH;
            for (final byte[] record : members)
            {
                buffer.putBytes(position, record);
                final CRC32C crc = new CRC32C();
                crc.update(record, RECORD_CRC_START, record.length - RECORD_CRC_START);
                buffer.putInt(position + RECORD_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
                position += record.length;
            }
            batches.add(batch);
        }
        FuzzFiles.writeBatches(copy, batches);
        return copy;
    }

    private static ReadResult readAll(final Path journal)
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            return reader.read((record) -> true);
        }
    }
}
