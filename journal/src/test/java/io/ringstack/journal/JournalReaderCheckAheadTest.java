package io.ringstack.journal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.ringstack.journal.JournalFormat.BATCH_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read whose batches are checked on the read-ahead thread ({@link JournalReader#readCheckedAhead}) hands on the same
 * records and ends with the same result, the same problem included, as one whose batches are checked on the thread
 * that uses them, read ahead or one batch at a time.
 */
class JournalReaderCheckAheadTest
{
    @Test
    void anIntactJournalReadsTheSameRecordsWhereverItIsChecked()
    {
        final Reads reads = readEveryWay(FuzzFiles.sessionBatches());
        assertTrue(reads.results.get(0).intact() && reads.results.get(0).closed(), reads.results.get(0)::toString);
        reads.assertAllTheSame();
    }

    @Test
    void aDamagedRecordEndsEveryReadAtTheSameRecordWithTheSameProblem()
    {
        final List<byte[]> batches = FuzzFiles.sessionBatches();
        final byte[] damaged = batches.get(batches.size() - 1);
        damaged[BATCH_HEADER_LENGTH + RECORD_HEADER_LENGTH] ^= 1;
        final Reads reads = readEveryWay(batches);
        assertEquals("CRC mismatch", reads.results.get(0).problem().replaceAll("^record \\d+: ", ""),
            reads.results.get(0)::toString);
        reads.assertAllTheSame();
    }

    @Test
    void aBatchCutShortEndsEveryReadAtTheSameRecordWithTheSameProblem()
    {
        final List<byte[]> batches = FuzzFiles.sessionBatches();
        final int last = batches.size() - 1;
        final byte[] whole = batches.get(last);
        final byte[] cut = new byte[BATCH_HEADER_LENGTH + RECORD_HEADER_LENGTH / 2];
        System.arraycopy(whole, 0, cut, 0, cut.length);
        batches.set(last, cut);
        final Reads reads = readEveryWay(batches);
        assertTrue(reads.results.get(0).problem() != null, reads.results.get(0)::toString);
        reads.assertAllTheSame();
    }

    /**
     * The sequence numbers handed on and the result of each way of reading the journal of {@code batches}: read ahead
     * and checked there, read ahead and checked by the user, one batch at a time.
     */
    private static Reads readEveryWay(final List<byte[]> batches)
    {
        final Path directory = FuzzFiles.temporaryDirectory("ringstack-check-ahead");
        try
        {
            final Path journal = directory.resolve("journal");
            FuzzFiles.writeBatches(journal, batches);
            final Reads reads = new Reads();
            reads.read(journal, (reader) -> (handler) -> reader.readCheckedAhead(handler, JournalPosition.START));
            reads.read(journal, (reader) -> (handler) -> reader.read(handler, JournalPosition.START, true));
            reads.read(journal, (reader) -> (handler) -> reader.read(handler, JournalPosition.START, false));
            return reads;
        }
        finally
        {
            FuzzFiles.delete(directory);
        }
    }

    private static final class Reads
    {
        final List<List<Long>> sequences = new ArrayList<>();
        final List<ReadResult> results = new ArrayList<>();

        void read(final Path journal, final Function<JournalReader, Function<RecordHandler, ReadResult>> way)
        {
            try (JournalReader reader = JournalReader.open(journal))
            {
                final List<Long> handedOn = new ArrayList<>();
                results.add(way.apply(reader).apply((record) -> handedOn.add(record.sequence())));
                sequences.add(handedOn);
            }
        }

        void assertAllTheSame()
        {
            assertTrue(sequences.get(0).size() > 10, "records handed on: " + sequences.get(0).size());
            for (int i = 1; i < results.size(); i++)
            {
                assertEquals(results.get(0), results.get(i), "read " + i);
                assertEquals(sequences.get(0), sequences.get(i), "read " + i);
            }
        }
    }
}
