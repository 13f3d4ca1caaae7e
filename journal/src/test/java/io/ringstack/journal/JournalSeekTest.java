package io.ringstack.journal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read that begins at a record or a time finds its place by binary search over the journal's Chronicle documents:
 * on a journal of 4,096 documents it reads at most log2(4096) + 2 of them to get there and then only the documents
 * it shows, where a read from the start would read every one before the place.
 */
class JournalSeekTest
{
    private static final int DOCUMENTS = 4096;
    private static final int CYCLES_PER_DOCUMENT = 4;
    private static final long CYCLE_NS = CycleJournal.CYCLE_NS;
    /** ceil(log2(documents + 1)) probes, plus the header's document. */
    private static final long MOST_TO_FIND = 64 - Long.numberOfLeadingZeros(DOCUMENTS) + 1;

    @TempDir
    static Path directory;

    static Path journal;

    /**
     * A session header, then {@link #DOCUMENTS} documents of {@link #CYCLES_PER_DOCUMENT} CYCLE records, then END:
     * record {@code r >= 1} is at {@code (r - 1)} µs since the clock origin.
     */
    @BeforeAll
    static void writeAJournalOfManyDocuments()
    {
        journal = directory.resolve("long");
        try (CycleJournal cycles = new CycleJournal(journal))
        {
            for (int document = 0; document < DOCUMENTS; document++)
            {
                cycles.document(CYCLES_PER_DOCUMENT);
            }
            cycles.end();
        }
    }

    @Test
    void aSeekToARecordReadsAboutLog2OfTheDocumentsAndTheReadOnlyThoseItShows()
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            final long afterHeader = reader.documentsRead();
            final JournalPosition position = reader.seekRecord(10_003);
            final long toFind = reader.documentsRead() - afterHeader;

            assertEquals(10_001, position.firstSequence(), "the document that holds record 10003 begins with 10001");
            final List<Long> sequences = new ArrayList<>();
            final ReadResult result = reader.read((record) -> sequences.add(record.sequence()) && sequences.size() < 6,
                position, false);

            assertEquals(List.of(10_001L, 10_002L, 10_003L, 10_004L, 10_005L, 10_006L), sequences);
            assertTrue(result.intact(), result.problem());
            assertTrue(toFind <= MOST_TO_FIND, "the search read " + toFind + " documents of " + DOCUMENTS);
            assertEquals(2, result.batches(), "and the read two: the one that holds 10003 and the next");
            assertEquals(toFind + 2, reader.documentsRead() - afterHeader, "nothing else was read");
        }
    }

    @Test
    void aSeekToATimeFindsTheLastDocumentThatBeginsBeforeIt()
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            final long afterHeader = reader.documentsRead();
            // Record r is at (r - 1) µs: record 8193 at 8.192 ms is the first of its document, which must be read
            // from the document before it, whose records come earlier.
            final JournalPosition exact = reader.seekTime(8_192 * CYCLE_NS);
            final JournalPosition between = reader.seekTime(8_193 * CYCLE_NS + 1);

            assertEquals(8_189, exact.firstSequence());
            assertEquals(8_193, between.firstSequence());
            assertTrue(reader.documentsRead() - afterHeader <= 2 * (MOST_TO_FIND - 1),
                "two searches read " + (reader.documentsRead() - afterHeader) + " documents of " + DOCUMENTS);
        }
    }

    @Test
    void seeksBeforeTheFirstAndAfterTheLastRecordFindTheStartAndTheLastDocument()
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertEquals(JournalPosition.START, reader.seekRecord(0));
            assertEquals(1, reader.seekRecord(3).firstSequence(), "the session header is a document of its own");
            assertEquals(JournalPosition.START, reader.seekTime(0));
            assertEquals(JournalPosition.START, reader.seekTime(-5));
            final long end = 1L + DOCUMENTS * CYCLES_PER_DOCUMENT;
            assertEquals(end, reader.seekRecord(Long.MAX_VALUE - 1).firstSequence(), "the END record's document");
            assertEquals(end - CYCLES_PER_DOCUMENT, reader.seekTime(Long.MAX_VALUE / 2).firstSequence(),
                "the last document with a timestamp");
        }
    }

    @Test
    void aDumpFromARecordForFourRecordsPrintsThemAndReadsFewDocuments()
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            final StringWriter text = new StringWriter();
            final RecordFilter fourFrom10001 = new RecordFilter().records(10_001, Long.MAX_VALUE).limit(4);
            final ReadResult result = JournalDump.write(reader, fourFrom10001, false, new PrintWriter(text));

            assertTrue(result.intact(), result.problem());
            assertEquals(List.of(
                "#10001    +0.010000000    CYCLE     ",
                "#10002    +0.010001000    CYCLE     ",
                "#10003    +0.010002000    CYCLE     ",
                "#10004    +0.010003000    CYCLE     "),
                text.toString().lines().toList());
            assertTrue(reader.documentsRead() <= MOST_TO_FIND + 2, reader.documentsRead() + " documents read");
        }
    }

    @Test
    void aDumpFromATimeUntilATimeReadsFewDocuments()
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            final StringWriter text = new StringWriter();
            final ReadResult result = JournalDump.write(reader,
                new RecordFilter().fromNs(12_000 * CYCLE_NS).toNs(12_001 * CYCLE_NS), false, new PrintWriter(text));

            assertTrue(result.intact(), result.problem());
            assertEquals(List.of("#12001", "#12002"),
                text.toString().lines().map((line) -> line.substring(0, line.indexOf(' '))).toList());
            assertTrue(reader.documentsRead() <= MOST_TO_FIND + 2, reader.documentsRead() + " documents read");
        }
    }
}
