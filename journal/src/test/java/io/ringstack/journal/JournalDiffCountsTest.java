package io.ringstack.journal;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two journals of different lengths compare record by record as far as the shorter goes; what the longer has past
 * its end is counted as only in it, and each side's records are counted by type.
 */
class JournalDiffCountsTest
{
    @TempDir
    Path directory;

    @Test
    void theLongerJournalsRecordsPastTheShortersEndAreOnlyInIt()
    {
        final Path longer = write("longer", 3);
        final Path shorter = write("shorter", 2);
        try (JournalReader a = JournalReader.open(longer); JournalReader b = JournalReader.open(shorter))
        {
            final JournalDiff.Result result = JournalDiff.compare(a, b, false, 10);

            assertNull(result.problem());
            assertFalse(result.identical());
            assertEquals(10, result.compared(), "the shorter journal's 10 records");
            assertEquals(1, result.differing(), "record 9: a CYCLE in A, END in B");
            assertEquals(4, result.onlyA(), "A's last three cycles and its END");
            assertEquals(0, result.onlyB());
            assertEquals(5, result.divergences().size());
            assertEquals(9, result.divergences().get(0).sequence());
            assertNull(result.divergences().get(4).b());
            final long[] typesA = new long[JournalFormat.LAST_TYPE + 1];
            typesA[JournalFormat.SESSION] = 1;
            typesA[JournalFormat.CYCLE] = 12;
            typesA[JournalFormat.END] = 1;
            assertArrayEquals(typesA, result.typesA());
            assertEquals(8, result.typesB()[JournalFormat.CYCLE]);
        }
    }

    private Path write(final String name, final int documents)
    {
        final Path journal = directory.resolve(name);
        try (CycleJournal cycles = new CycleJournal(journal))
        {
            for (int i = 0; i < documents; i++)
            {
                cycles.document(4);
            }
            cycles.end();
        }
        return journal;
    }
}
