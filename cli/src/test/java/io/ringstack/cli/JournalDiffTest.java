package io.ringstack.cli;

import io.ringstack.journal.JournalCopy;
import io.ringstack.journal.JournalFormat;
import io.ringstack.journal.JournalReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringstack journal diff A B} on udp_socket_test's guest journal and copies of it with one thing changed: the
 * first divergence with both records decoded, a summary, and exit 0 same, 1 different, 2 usage or unreadable.
 */
class JournalDiffTest
{
    @TempDir
    static Path directory;

    static String guest;
    static long records;
    static long firstTxFrame = -1;
    static String changedFrame;
    static String laterClock;

    @BeforeAll
    static void recordAndCopyWithOneChange()
    {
        final Path recorded = UdpSocketJournals.recordGuest(directory.resolve("journals"));
        guest = recorded.toString();
        final AtomicLong count = new AtomicLong();
        try (JournalReader reader = JournalReader.open(recorded))
        {
            reader.read((record) ->
            {
                if (firstTxFrame < 0 && record.type() == JournalFormat.TX_FRAME)
                {
                    firstTxFrame = record.sequence();
                }
                count.incrementAndGet();
                return true;
            });
        }
        records = count.get();
        final Path frame = directory.resolve("changed-frame");
        JournalCopy.copy(recorded, frame, firstTxFrame,
            (body, length) -> body.putByte(length - 1, (byte)~body.getByte(length - 1)));
        changedFrame = frame.toString();
        final Path clock = directory.resolve("later-clock");
        JournalCopy.copy(recorded, clock, 0, (body, length) -> body.putLong(JournalFormat.SESSION_CLOCK_ORIGIN_OFFSET,
            body.getLong(JournalFormat.SESSION_CLOCK_ORIGIN_OFFSET, JournalFormat.BYTE_ORDER) - 1_000,
            JournalFormat.BYTE_ORDER));
        laterClock = clock.toString();
    }

    @Test
    void aJournalAndItselfAreIdentical()
    {
        final CommandRun run = CommandRun.execute("journal", "diff", guest, guest);

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        final List<String> lines = run.out().lines().toList();
        assertEquals("identical: " + records + " records", lines.get(0));
        assertEquals("records                 A          B", lines.get(1));
        assertEquals("  SESSION               1          1", lines.get(2));
        assertEquals("  END                   1          1", lines.get(lines.size() - 1));
    }

    @Test
    void oneChangedFrameIsTheFirstDivergenceWithBothSidesAsDumpPrintsThem()
    {
        final CommandRun run = CommandRun.execute("journal", "diff", guest, changedFrame);

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode(), run.out() + run.err());
        final List<String> lines = run.out().lines().toList();
        assertEquals("first divergence at record " + firstTxFrame, lines.get(0));
        assertEquals("  A: " + dumpLine(guest, firstTxFrame), lines.get(1));
        assertEquals("  B: " + dumpLine(changedFrame, firstTxFrame), lines.get(2));
        assertTrue(lines.get(1).contains(" TX_FRAME "), lines.get(1));
        assertEquals("different: 1 of " + records + " records compared differ, 0 only in A, 0 only in B",
            lines.get(3));
        assertEquals("records                 A          B", lines.get(4));
    }

    @Test
    void timesAreComparedFromEachClockOriginUnlessIgnored()
    {
        final CommandRun timed = CommandRun.execute("journal", "diff", "--max", "2", guest, laterClock);

        assertEquals(RingstackCommand.EXIT_FAILURE, timed.exitCode(), timed.out() + timed.err());
        final List<String> lines = timed.out().lines().toList();
        assertEquals("first divergence at record 1", lines.get(0));
        assertTrue(lines.get(3).startsWith("next divergence at record "), lines.get(3));
        assertTrue(lines.get(6).matches("and \\d+ more divergences not shown \\(--max\\)"), lines.get(6));
        assertTrue(lines.get(7).matches("different: \\d+ of " + records + " records compared differ, 0 only in A, " +
            "0 only in B"), lines.get(7));

        final CommandRun untimed = CommandRun.execute("journal", "diff", "--ignore-time", guest, laterClock);
        assertEquals(RingstackCommand.EXIT_OK, untimed.exitCode(), untimed.out() + untimed.err());
        assertEquals("identical: " + records + " records", untimed.out().lines().findFirst().orElseThrow());
    }

    @Test
    void aMissingJournalOrABadOptionIsExitTwoInOneLine()
    {
        final Path missing = directory.resolve("missing");
        final CommandRun run = CommandRun.execute("journal", "diff", guest, missing.toString());
        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode(), run.out());
        assertEquals("ringstack: no such journal directory: " + missing + System.lineSeparator(), run.err());

        CommandRun.execute("journal", "diff", "--max", "0", guest, guest).assertUsageError("--max must be 1 or more: 0");
        CommandRun.execute("journal", "diff", guest).assertUsageError("Missing required parameter: 'B'");
    }

    private static String dumpLine(final String journal, final long sequence)
    {
        return CommandRun.execute("journal", "dump", "--from", Long.toString(sequence), "--records", "1", journal)
            .out().lines().findFirst().orElseThrow();
    }
}
